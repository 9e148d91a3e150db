// Writes a file so that readers only ever see the old file or the whole new
// one: the data goes to a temporary file beside the target, which is flushed,
// fsync'ed and renamed over the target on commit(), and removed otherwise.
//
// The temporary file is named TARGET.tmp.PID.RANDOM. If the process is killed
// before it can clean up, remove_unfinished_files() (async-signal-safe, for a
// signal handler) deletes every temporary file of the process; after a
// kill -9, the next writer of the same target removes the temporary files of
// processes that no longer exist.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

namespace wordvec {
namespace detail {
class PendingPath;
}

// Throws Error if `path` cannot be (re)placed by a regular file: its folder is
// missing or not writable, or the path is a folder, a device or a FIFO.
// Lets a long job fail before it starts instead of at the end.
void check_output_path(const std::string& path);

// Unlinks the temporary files of every AtomicFileWriter alive in the process,
// and the temporary folders of co-occurrence counting with their files.
// Async-signal-safe: meant for a handler of a signal that ends the process.
void remove_unfinished_files() noexcept;

class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(const std::string& path);  // throws Error
  ~AtomicFileWriter();                                  // removes the temp file unless committed
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

  void write(const void* data, std::size_t size);  // throws Error on a short write (disk full)
  void write(const std::string& s) { write(s.data(), s.size()); }
  void commit();  // throws Error; the target then holds the new content

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::string temp_path_;
  std::FILE* file_ = nullptr;
  bool committed_ = false;
  std::unique_ptr<detail::PendingPath> pending_;  // for remove_unfinished_files()
};

}  // namespace wordvec
