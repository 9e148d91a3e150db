// Sorted runs of (key, count) pairs and their k-way merge: the external-sort
// half of co-occurrence counting. A run is kept in memory while a shared
// budget allows and spills to a file otherwise; merging adds up equal keys.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "wordvec/core/error.h"

namespace wordvec {

// A pair's key orders records by (row, col).
using Key = std::uint64_t;
inline Key make_key(std::uint32_t row, std::uint32_t col) { return (Key(row) << 32) | col; }

struct SparsePair {
  Key key;
  std::uint64_t units;
};

// A sorted run of combined sparse pairs, in memory or in a file.
struct Run {
  std::vector<SparsePair> pairs;  // empty when spilled
  std::string file;
  std::uint64_t size = 0;
};

// Sorts by key and adds up equal keys, in place; returns the new size.
inline std::size_t sort_and_combine(std::vector<SparsePair>& pairs) {
  std::sort(pairs.begin(), pairs.end(), [](const SparsePair& a, const SparsePair& b) { return a.key < b.key; });
  std::size_t out = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (out > 0 && pairs[out - 1].key == pairs[i].key)
      pairs[out - 1].units += pairs[i].units;
    else
      pairs[out++] = pairs[i];
  }
  pairs.resize(out);
  return out;
}

// Memory shared by the runs of all threads; a run that does not fit spills.
class RunBudget {
 public:
  explicit RunBudget(std::uint64_t bytes) : left_(bytes) {}
  bool take(std::uint64_t bytes) {
    std::uint64_t left = left_.load();
    while (left >= bytes)
      if (left_.compare_exchange_weak(left, left - bytes)) return true;
    return false;
  }

 private:
  std::atomic<std::uint64_t> left_;
};

// A stream of (key, units) in key order, for the k-way merge.
class PairSource {
 public:
  virtual ~PairSource() = default;
  // False at the end.
  virtual bool next(SparsePair& out) = 0;
};

class MemorySource : public PairSource {
 public:
  explicit MemorySource(std::vector<SparsePair> pairs) : pairs_(std::move(pairs)) {}
  bool next(SparsePair& out) override {
    if (pos_ == pairs_.size()) return false;
    out = pairs_[pos_++];
    return true;
  }

 private:
  std::vector<SparsePair> pairs_;
  std::size_t pos_ = 0;
};

class FileSource : public PairSource {
 public:
  // Reads `block_bytes` at a time: the merges size it so all open runs share a slice of the budget.
  FileSource(const std::string& path, std::size_t block_bytes)
      : path_(path),
        file_(std::fopen(path.c_str(), "rb")),
        block_(std::max<std::size_t>(256, block_bytes / sizeof(SparsePair))) {
    if (file_ == nullptr) throw file_error(path, std::strerror(errno));
  }
  ~FileSource() override { std::fclose(file_); }
  bool next(SparsePair& out) override {
    if (pos_ == filled_) {
      filled_ = std::fread(block_.data(), sizeof(SparsePair), block_.size(), file_);
      pos_ = 0;
      if (filled_ == 0) {
        if (std::ferror(file_)) throw file_error(path_, "read error in a co-occurrence run");
        return false;
      }
    }
    out = block_[pos_++];
    return true;
  }

 private:
  std::string path_;
  std::FILE* file_;
  std::vector<SparsePair> block_;
  std::size_t pos_ = 0, filled_ = 0;
};

// Merges sorted sources, adding up equal keys: emit(key, units) in key order.
template <class Emit>
void merge_pairs(std::vector<std::unique_ptr<PairSource>>& sources, Emit&& emit) {
  using Head = std::pair<Key, std::size_t>;  // (key, source)
  std::priority_queue<Head, std::vector<Head>, std::greater<>> heap;
  std::vector<SparsePair> current(sources.size());
  for (std::size_t s = 0; s < sources.size(); ++s)
    if (sources[s]->next(current[s])) heap.push({current[s].key, s});
  bool have = false;
  SparsePair sum{0, 0};
  while (!heap.empty()) {
    const auto [key, s] = heap.top();
    heap.pop();
    if (have && key == sum.key) {
      sum.units += current[s].units;
    } else {
      if (have) emit(sum.key, sum.units);
      have = true;
      sum = current[s];
    }
    if (sources[s]->next(current[s])) heap.push({current[s].key, s});
  }
  if (have) emit(sum.key, sum.units);
}

// Writes sorted pairs to a run file.
class RunFileWriter {
 public:
  explicit RunFileWriter(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "wb")) {
    if (file_ == nullptr) throw file_error(path, std::strerror(errno));
  }
  ~RunFileWriter() {
    if (file_ != nullptr) std::fclose(file_);
  }
  void write(const SparsePair* pairs, std::size_t count) {
    if (std::fwrite(pairs, sizeof(SparsePair), count, file_) != count) fail();
  }
  void close() {
    const int rc = std::fclose(file_);
    file_ = nullptr;
    if (rc != 0) fail();
  }

 private:
  [[noreturn]] void fail() const {
    throw file_error(path_, std::string("cannot write a co-occurrence run: ") + std::strerror(errno));
  }
  std::string path_;
  std::FILE* file_;
};

}  // namespace wordvec
