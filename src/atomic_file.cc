#include "wordvec/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

#include "wordvec/error.h"

namespace wordvec {
namespace {

std::string parent_folder(const std::string& path) {
  const std::size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
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
  std::random_device rd;
  for (int attempt = 0; attempt < 100 && file_ == nullptr; ++attempt) {
    temp_path_ = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(rd() % 1000000);
    const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      throw file_error(path, std::string("cannot create a file beside it: ") + std::strerror(errno));
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
}

}  // namespace wordvec
