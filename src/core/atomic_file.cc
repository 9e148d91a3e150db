#include "wordvec/core/atomic_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <random>

#include "core/pending_files.h"
#include "wordvec/core/error.h"

namespace wordvec {
namespace {

std::string parent_folder(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string base_name(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Digits only, and not empty.
bool all_digits(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

// Removes TARGET.tmp.PID.RANDOM files beside `path` whose process is gone
// (left by a kill -9 or a power cut); files of live processes are theirs.
void remove_stale_temp_files(const std::string& path) {
  const std::string folder = parent_folder(path);
  const std::string prefix = base_name(path) + ".tmp.";
  DIR* dir = ::opendir(folder.c_str());
  if (dir == nullptr) return;
  while (const dirent* entry = ::readdir(dir)) {
    const std::string name = entry->d_name;
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string rest = name.substr(prefix.size());
    const std::size_t dot = rest.find('.');
    if (dot == std::string::npos || !all_digits(rest.substr(0, dot)) || !all_digits(rest.substr(dot + 1))) continue;
    const long pid = std::strtol(rest.substr(0, dot).c_str(), nullptr, 10);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) ::unlink((folder + "/" + name).c_str());
  }
  ::closedir(dir);
}

}  // namespace

void check_output_path(const std::string& path) {
  if (path.empty()) throw Error("the output path is empty");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw file_error(path, "is a directory; give a file name for the output");
    if (!S_ISREG(st.st_mode))
      throw file_error(path, "is not a regular file (a device or FIFO); refusing to replace it");
  }
  const std::string folder = parent_folder(path);
  if (::stat(folder.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw file_error(path, "cannot write: the folder " + folder + " does not exist");
  if (::access(folder.c_str(), W_OK) != 0)
    throw file_error(path, "cannot write: the folder " + folder + " is not writable");
}

AtomicFileWriter::AtomicFileWriter(const std::string& path) : path_(path) {
  check_output_path(path);
  remove_stale_temp_files(path);
  std::random_device rd;
  for (int attempt = 0; attempt < 100 && file_ == nullptr; ++attempt) {
    temp_path_ = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rd() % 1000000);
    // Recorded before it exists: a signal right after open() must find it.
    // (The name holds this process's id, so no other process owns it.)
    pending_ = std::make_unique<detail::PendingPath>(temp_path_, false);
    // O_EXCL: never opens (or truncates) an existing file, whatever its name.
    const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      const int open_errno = errno;
      pending_.reset();
      if (open_errno == EEXIST) continue;
      throw file_error(path, std::string("cannot create a file beside it: ") + std::strerror(open_errno));
    }
    file_ = ::fdopen(fd, "wb");
  }
  if (file_ == nullptr) throw file_error(path, "cannot create a temporary file beside it");
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
}

AtomicFileWriter::~AtomicFileWriter() {
  if (file_ != nullptr) std::fclose(file_);
  if (!committed_) ::unlink(temp_path_.c_str());
}

void AtomicFileWriter::write(const void* data, std::size_t size) {
  if (size > 0 && std::fwrite(data, 1, size, file_) != size)
    throw file_error(path_, std::string("write failed: ") + std::strerror(errno));
}

void AtomicFileWriter::commit() {
  const bool flushed = std::fflush(file_) == 0 && ::fsync(::fileno(file_)) == 0;
  const int flush_errno = errno;
  const bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (!flushed || !closed)
    throw file_error(path_, std::string("write failed: ") + std::strerror(flushed ? errno : flush_errno));
  if (std::rename(temp_path_.c_str(), path_.c_str()) != 0)
    throw file_error(path_, std::string("cannot rename the finished file into place: ") + std::strerror(errno));
  committed_ = true;
  pending_->release();
}

}  // namespace wordvec
