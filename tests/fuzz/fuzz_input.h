// Shared by the fuzz targets: the input bytes as a file in memory (memfd), so
// the readers under test run their real file code without touching the disk.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "core/binary_file.h"

namespace wordvec::fuzz {

class MemoryFile {
 public:
  MemoryFile(const std::uint8_t* data, std::size_t size) : fd_(::memfd_create("fuzz", 0)) {
    if (fd_ < 0 || (size > 0 && ::write(fd_, data, size) != static_cast<ssize_t>(size))) __builtin_trap();
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  // A path that opens this file again.
  std::string path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

// The bytes, with the last 8 replaced by the checksum of the others when
// `fix` (and there are 8): the FNV-1a that wordvec's binary files end with
// (Checksum in src/binary_file.h).
inline std::vector<std::uint8_t> with_checksum(const std::uint8_t* data, std::size_t size, bool fix) {
  std::vector<std::uint8_t> bytes(data, data + size);
  if (fix && size >= 8) {
    Checksum sum;
    sum.add(bytes.data(), size - 8);
    const std::uint64_t value = sum.value();
    std::memcpy(bytes.data() + size - 8, &value, 8);
  }
  return bytes;
}

}  // namespace wordvec::fuzz
