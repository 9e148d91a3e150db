// Internal: the binary files wordvec writes itself (co-occurrences,
// checkpoints): written atomically, read with every length checked against
// the file size before anything is allocated, closed by an FNV-1a checksum.
#pragma once

#include <bit>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "wordvec/core/atomic_file.h"

namespace wordvec {

// wordvec's binary files (word2vec .bin floats, co-occurrences, checkpoints)
// are defined little-endian and written as the machine's bytes: a build for a
// big-endian machine must convert first, so it is refused until it does.
static_assert(std::endian::native == std::endian::little,
              "wordvec's binary formats are little-endian; add byte swapping to build for this machine");

// FNV-1a, 64 bit: catches truncation and corruption, not tampering.
class Checksum {
 public:
  void add(const void* data, std::size_t size) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < size; ++i) hash_ = (hash_ ^ p[i]) * 0x100000001B3ull;
  }
  std::uint64_t value() const { return hash_; }

 private:
  std::uint64_t hash_ = 0xCBF29CE484222325ull;
};

class BinaryWriter {
 public:
  explicit BinaryWriter(const std::string& path) : out_(path) {}
  void put(const void* data, std::size_t size) {
    out_.write(data, size);
    checksum_.add(data, size);
  }
  template <class T>
  void put_value(const T& v) { put(&v, sizeof v); }
  void put_string(const std::string& s) {
    put_value(static_cast<std::uint64_t>(s.size()));
    put(s.data(), s.size());
  }
  // Appends the checksum and moves the file into place.
  void commit() {
    const std::uint64_t sum = checksum_.value();
    out_.write(&sum, sizeof sum);
    out_.commit();
  }

 private:
  AtomicFileWriter out_;
  Checksum checksum_;
};

class BinaryReader {
 public:
  explicit BinaryReader(const std::string& path);  // throws Error naming the file
  // Throws Error ("truncated ... reading WHAT at byte N") if the file ends first.
  void get(void* data, std::size_t size, const char* what);
  template <class T>
  T get_value(const char* what) {
    T v;
    get(&v, sizeof v, what);
    return v;
  }
  std::string get_string(const char* what, std::uint64_t max_size);
  // Bytes left before the trailing checksum.
  std::uint64_t remaining() const { return size_ - 8 - offset_; }
  std::uint64_t offset() const { return offset_; }
  // Reads the trailing checksum; throws Error if it disagrees or bytes remain.
  void verify_checksum();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file_;
  std::uint64_t size_ = 0, offset_ = 0;
  Checksum checksum_;
};

}  // namespace wordvec
