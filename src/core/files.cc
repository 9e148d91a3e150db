#include "wordvec/core/files.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "wordvec/core/atomic_file.h"
#include "wordvec/core/error.h"

namespace wordvec {

std::uint64_t readable_file_size(const std::string& path) {
  if (path.empty()) throw Error("an input path is empty");
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw file_error(path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw file_error(path, "is a directory, not a file");
  if (!S_ISREG(st.st_mode))
    throw file_error(path, "is not a regular file (a pipe, FIFO or device); streaming input is not supported, "
                           "write it to a file first");
  if (::access(path.c_str(), R_OK) != 0) throw file_error(path, std::strerror(errno));
  return static_cast<std::uint64_t>(st.st_size);
}

FilePlan::Entry FilePlan::identify(const std::string& path, const std::string& role) {
  Entry e;
  e.path = path;
  e.role = role;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) {
    e.exists = true;
    e.device = st.st_dev;
    e.inode = st.st_ino;
  }
  std::error_code error;
  const std::filesystem::path canonical = std::filesystem::weakly_canonical(std::filesystem::absolute(path), error);
  e.canonical = error ? path : canonical.string();
  return e;
}

bool FilePlan::same_file(const std::string& a, const std::string& b) {
  return same_file(identify(a, ""), identify(b, ""));
}

bool FilePlan::same_file(const Entry& a, const Entry& b) {
  if (a.exists && b.exists) return a.device == b.device && a.inode == b.inode;
  return !a.exists && !b.exists && a.canonical == b.canonical;
}

void FilePlan::input(const std::string& path, const std::string& role) {
  if (!path.empty()) inputs_.push_back(identify(path, role));
}

void FilePlan::stream_input(const std::string& path, const std::string& role) {
  if (path.empty()) return;
  inputs_.push_back(identify(path, role));
  inputs_.back().stream = true;
}

void FilePlan::output(const std::string& path, const std::string& role) {
  if (!path.empty()) outputs_.push_back(identify(path, role));
}

void FilePlan::check() const {
  for (const Entry& in : inputs_) {
    if (!in.stream) {
      readable_file_size(in.path);
      continue;
    }
    struct stat st {};
    if (::stat(in.path.c_str(), &st) != 0 || ::access(in.path.c_str(), R_OK) != 0)
      throw file_error(in.path, std::strerror(errno));
    if (S_ISDIR(st.st_mode)) throw file_error(in.path, "is a directory, not a file");
  }
  for (std::size_t i = 0; i < outputs_.size(); ++i) {
    const Entry& out = outputs_[i];
    for (const Entry& in : inputs_)
      if (same_file(out, in))
        throw file_error(out.path, out.role + " is the same file as " + in.role +
                                       (in.path == out.path ? "" : " (" + in.path + ")") +
                                       "; refusing to overwrite an input");
    for (std::size_t j = 0; j < i; ++j)
      if (same_file(out, outputs_[j]))
        throw file_error(out.path, out.role + " and " + outputs_[j].role + " are the same file; give them different names");
    check_output_path(out.path);
  }
}

}  // namespace wordvec
