// Word-word co-occurrence counting for GloVe, in bounded memory.
//
// GloVe's convention: out-of-vocabulary tokens are skipped (they take no
// place in the window), windows do not cross line breaks, and every pair of
// words at distance d <= window adds 1/d (or 1) to both X[a][b] and X[b][a].
//
// Counts are kept in exact integer units of 1/lcm(1..window), so the result
// does not depend on the thread count, the memory budget or the order in
// which partial counts are added (an in-memory run and one that spills to disk
// give bit-identical matrices).
//
// Each counting thread owns the rows r with r % threads == its index. Pairs of
// frequent words (rank product (r+1)(c+1) <= a bound chosen from the budget,
// as GloVe's cooccur does) are added to a dense table; the others go to a
// buffer that is sorted and combined into a run when full. Runs are kept in
// memory while the budget allows, then written to a temporary folder that is
// removed on success and on failure. A k-way merge of the dense tables and
// the runs gives the records in (row, col) order.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "wordvec/core/error.h"
#include "wordvec/core/parallel.h"
#include "wordvec/core/progress.h"
#include "wordvec/core/settings.h"
#include "wordvec/text/vocabulary.h"

namespace wordvec {

struct CooccurrenceOptions {
  int window = 10;                 // context words on each side (1..20)
  bool distance_weighting = true;  // a pair at distance d adds 1/d (GloVe), else 1
  double memory_gib = 0;           // budget for counting; 0 = half the RAM, at most 4 GiB
  unsigned threads = 0;            // 0 = all cores
  std::string temp_dir;            // where runs spill; "" = $TMPDIR or /tmp
  double progress_interval_seconds = 1.0;

  unsigned thread_count() const { return resolve_threads(threads); }
  std::uint64_t memory_bytes() const;
  // Throws OptionError naming the field and its valid range.
  void validate() const;
  // The numeric fields with their values and valid ranges (what validate checks).
  std::vector<RangedField> ranged_fields() const;

  // The options that shape the counts ("cooccurrence.window",
  // "cooccurrence.distance_weighting", with "cooccurrence.version"), and back.
  // memory_gib, threads and temp_dir are the machine's: not stored.
  Settings to_settings() const;
  static CooccurrenceOptions from_settings(const Settings& settings);
};

// One nonzero entry X[row][col] (word ids of the vocabulary).
struct CooccurrenceRecord {
  std::uint32_t row;
  std::uint32_t col;
  float value;
};
static_assert(sizeof(CooccurrenceRecord) == 12);

struct CooccurrenceStats {
  std::uint64_t tokens = 0;          // in-vocabulary tokens counted
  std::uint64_t records = 0;         // nonzero entries
  std::uint64_t dense_entries = 0;   // size of the dense tables (all threads)
  std::uint64_t dense_nonzero = 0;   // of which nonzero
  std::uint64_t dense_resident_bytes = 0;  // memory the dense tables hold (their touched pages)
  std::uint64_t run_bytes_in_memory = 0;   // sorted runs kept in memory until the merge
  std::uint64_t max_product = 0;     // pairs with (row+1)(col+1) <= this were counted densely
  std::uint64_t runs = 0;            // sorted runs of sparse pairs
  std::uint64_t runs_spilled = 0;    // of which written to disk
  std::uint64_t bytes_spilled = 0;
  std::uint64_t chunks = 0;          // passes of the corpus' token ids through memory
};

using RecordSink = std::function<void(std::span<const CooccurrenceRecord>)>;

// The records of both, one per (row, col), values of the same cell summed:
// counts of old text and of new text together (GloVe's --continue).
std::vector<CooccurrenceRecord> merge_cooccurrences(std::vector<CooccurrenceRecord> records,
                                                    std::span<const CooccurrenceRecord> more);

class CooccurrenceCounter {
 public:
  CooccurrenceCounter(const Vocabulary& vocab, const CooccurrenceOptions& options);

  // Counts the corpus and hands the records to `sink` in (row, col) order, in
  // batches. Progress: words_done = tokens counted of vocab.total_count().
  // Throws Error on unreadable input or temporary files; returns early (with
  // stats.records == 0 and no sink calls) after request_stop().
  CooccurrenceStats count(const std::string& corpus_path, const RecordSink& sink,
                          const ProgressCallback& progress = nullptr);
  // The same for the lines in `part` of the file (a distributed run's share;
  // cut it at line breaks, as windows do not cross them). Progress then
  // expects the part's share of the vocabulary's tokens, by its bytes.
  CooccurrenceStats count(const std::string& corpus_path, ByteRange part, const RecordSink& sink,
                          const ProgressCallback& progress = nullptr);

  // Any thread; counting stops soon after, leaving no temporary files.
  void request_stop() { stop_.store(true); }
  bool stopped() const { return stop_.load(); }

 private:
  const Vocabulary& vocab_;
  CooccurrenceOptions options_;
  std::atomic<bool> stop_{false};
};

}  // namespace wordvec
