// The files a command reads and writes: which paths a reader accepts, and the
// guarantee that a run never writes over one of its own inputs.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace wordvec {

// The size of `path` if it is a readable regular file (symlinks followed).
// Throws Error naming the path otherwise: missing, a directory, a pipe, FIFO
// or device (streaming input is not supported), unreadable. Checks with
// stat() before any open(), so a FIFO without a writer never blocks.
std::uint64_t readable_file_size(const std::string& path);

// What a run does with its files. Every path the command reads and every path
// it will write (companions such as NAME.words.txt included) is declared with
// the name the user knows it by ("--input", "--output's word list"); check()
// then refuses, before any work, an output that is the same file as an input
// or as another output. Files are compared, not strings: device and inode for
// a file that exists (so other spellings, symlinks and hard links are caught),
// the canonical path (symlinked folders resolved) for one that does not.
class FilePlan {
 public:
  void input(const std::string& path, const std::string& role);
  // An input read from start to end once: a pipe, FIFO or device is fine too.
  void stream_input(const std::string& path, const std::string& role);
  void output(const std::string& path, const std::string& role);
  // Throws Error naming both roles and the path; also checks that every
  // input is a readable regular file and every output can be written.
  void check() const;
  // Whether two paths are one file (by the rules above).
  static bool same_file(const std::string& a, const std::string& b);

 private:
  struct Entry {
    std::string path, role;
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    std::string canonical;
    bool stream = false;
  };
  static Entry identify(const std::string& path, const std::string& role);
  static bool same_file(const Entry& a, const Entry& b);
  std::vector<Entry> inputs_, outputs_;
};

}  // namespace wordvec
