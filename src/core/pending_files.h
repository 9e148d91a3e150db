// Internal: files and folders that exist only while a job runs (temporary
// outputs, spilled co-occurrence runs), recorded so that a handler of a
// signal that ends the process can remove them (remove_unfinished_files() in
// atomic_file.h). A signal handler reaches only static storage; the table is
// lock-free atomics, and the removal uses only async-signal-safe calls.
#pragma once

#include <string>

namespace wordvec::detail {

// Records the path while alive; a folder is emptied (one level) and removed.
class PendingPath {
 public:
  PendingPath() = default;
  PendingPath(const std::string& path, bool folder);
  ~PendingPath() { release(); }
  PendingPath(const PendingPath&) = delete;
  PendingPath& operator=(const PendingPath&) = delete;
  // Forgets the path (it was committed, or removed by its owner).
  void release();

 private:
  int slot_ = -1;
};

}  // namespace wordvec::detail
