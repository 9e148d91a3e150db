// Writes a file so that readers only ever see the old file or the whole new
// one: the data goes to a temporary file beside the target, which is flushed,
// fsync'ed and renamed over the target on commit(), and removed otherwise.
#pragma once

#include <cstdio>
#include <string>

namespace wordvec {

// Throws Error if `path` cannot be (re)placed by a regular file: its folder is
// missing or not writable, or the path is a folder, a device or a FIFO.
// Lets a long job fail before it starts instead of at the end.
void check_output_path(const std::string& path);

class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(const std::string& path);  // throws Error
  ~AtomicFileWriter();                                  // removes the temp file unless committed
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  std::FILE* file() { return file_; }
  void write(const void* data, std::size_t size);  // throws Error on a short write (disk full)
  void write(const std::string& s) { write(s.data(), s.size()); }
  void commit();  // throws Error; the target then holds the new content

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
};

}  // namespace wordvec
