// Internal: a read-only memory map of a whole file (vector files, model
// files): one pass, no copy, and pages that can be given back once read.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace wordvec {

class MappedFile {
 public:
  // Throws Error naming the file. Refuses folders, FIFOs and devices before
  // opening (a FIFO without a writer would block). `sequential` tells the
  // kernel to read ahead.
  explicit MappedFile(const std::string& path, bool sequential = true);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::string_view view() const { return {data_ == nullptr ? "" : data_, size_}; }
  // Drops the pages of [offset, offset + size) from this process's memory
  // (they are read from the file again if touched): a large file copied piece
  // by piece never stays resident twice.
  void release(std::size_t offset, std::size_t size) const;

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace wordvec
