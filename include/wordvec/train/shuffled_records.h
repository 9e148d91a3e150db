// GloVe trains on its co-occurrence records in a random order: a seeded
// shuffle in memory, or out of core when the records exceed the budget.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "wordvec/train/cooccurrence.h"

namespace wordvec {

// Fisher-Yates with a seeded generator: the order depends only on the seed.
void shuffle_records(std::span<CooccurrenceRecord> records, std::uint64_t seed);

// The records in a seeded random order. While they fit in `memory_bytes` they
// stay in memory and finish() shuffles them with shuffle_records. Beyond that
// they are shuffled out of core: scattered at random into bucket files in a
// temporary folder, each bucket shuffled in memory and appended to one file,
// which records() then reads through a memory map (the OS pages it in and
// out). A random scatter followed by shuffled buckets is a uniform shuffle.
// Temporary files are removed when this is destroyed.
class ShuffledRecords {
 public:
  ShuffledRecords(std::uint64_t memory_bytes, const std::string& temp_dir, std::uint64_t seed);
  ~ShuffledRecords();
  ShuffledRecords(const ShuffledRecords&) = delete;
  ShuffledRecords& operator=(const ShuffledRecords&) = delete;

  void add(std::span<const CooccurrenceRecord> batch);  // usable as a RecordSink
  void finish();                                        // then records() is valid
  std::span<const CooccurrenceRecord> records() const;
  bool out_of_core() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wordvec
