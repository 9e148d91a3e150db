#include "wordvec/train/cooccurrence.h"

#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <numeric>
#include <queue>
#include <thread>

#include "core/binary_file.h"
#include "core/temp_folder.h"
#include "train/sorted_runs.h"
#include "wordvec/core/units.h"
#include "wordvec/text/corpus.h"
#include "wordvec/core/error.h"

namespace wordvec {

namespace {
std::uint64_t physical_memory_bytes() {
  return static_cast<std::uint64_t>(::sysconf(_SC_PHYS_PAGES)) * static_cast<std::uint64_t>(::sysconf(_SC_PAGE_SIZE));
}
}  // namespace

std::uint64_t CooccurrenceOptions::memory_bytes() const {
  if (memory_gib > 0) return static_cast<std::uint64_t>(memory_gib * kBytesPerGiB);
  return std::min<std::uint64_t>(physical_memory_bytes() / 2, 4ull << 30);
}

std::vector<RangedField> CooccurrenceOptions::ranged_fields() const {
  // The budget is allocated: more than the machine's RAM cannot work.
  const double ram_gib = static_cast<double>(physical_memory_bytes()) / kBytesPerGiB;
  return {{"window", static_cast<double>(window), {1, 20}},
          {"memory_gib", memory_gib, {0, ram_gib, false, false, "GiB, this machine's RAM; 0 = half of it, at most 4"}},
          {"threads", static_cast<double>(threads), {0, 1024, false, false, "0 = all cores"}}};
}

void CooccurrenceOptions::validate() const { check_ranges(ranged_fields()); }

namespace {
constexpr int kCooccurrenceSettingsVersion = 1;
}  // namespace

Settings CooccurrenceOptions::to_settings() const {
  Settings s;
  s.set("cooccurrence.version", kCooccurrenceSettingsVersion);
  s.set("cooccurrence.window", window);
  s.set("cooccurrence.distance_weighting", distance_weighting);
  return s;
}

CooccurrenceOptions CooccurrenceOptions::from_settings(const Settings& s) {
  s.require_version("cooccurrence", kCooccurrenceSettingsVersion);
  CooccurrenceOptions o;
  o.window = s.small_integer("cooccurrence.window");
  o.distance_weighting = s.flag("cooccurrence.distance_weighting");
  s.validate_stored([&] { o.validate(); });
  return o;
}

namespace {

// Weight of a pair at distance d, in units of 1/lcm(1..window): exact integers.
std::vector<std::uint64_t> distance_units(const CooccurrenceOptions& o, std::uint64_t* unit_scale) {
  std::uint64_t l = 1;
  for (int d = 2; d <= o.window; ++d) l = std::lcm(l, static_cast<std::uint64_t>(d));
  if (!o.distance_weighting) l = 1;
  std::vector<std::uint64_t> units(o.window + 1, 0);
  for (int d = 1; d <= o.window; ++d) units[d] = o.distance_weighting ? l / d : 1;
  *unit_scale = l;
  return units;
}

// The rows one thread owns: r with r % stride == first. Frequent pairs go to a
// dense table (lazily zeroed pages: untouched parts cost no memory), the
// others to a buffer that becomes a sorted run when full. The text touches
// most of the table (CountingBudget sizes it so), so it asks for huge pages:
// without the page faults, vocabulary and counting took 14-21 % less time on
// the benchmark corpus (2 A/B pairs).
class CountingShard {
 public:
  CountingShard(unsigned first, unsigned stride, std::uint32_t vocab_size, std::uint64_t max_product,
                std::size_t buffer_pairs, std::size_t merge_read_bytes)
      : first_(first), stride_(stride), buffer_capacity_(buffer_pairs), merge_read_bytes_(merge_read_bytes) {
    for (std::uint64_t row = first; row < vocab_size; row += stride) {
      offsets_.push_back(dense_size_);
      limits_.push_back(static_cast<std::uint32_t>(std::min<std::uint64_t>(vocab_size, max_product / (row + 1))));
      dense_size_ += limits_.back();
    }
    dense_bytes_ = std::max<std::uint64_t>(dense_size_, 1) * sizeof(std::uint64_t);
    void* table = ::mmap(nullptr, dense_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (table != MAP_FAILED) ::madvise(table, dense_bytes_, MADV_HUGEPAGE);
    dense_ = table == MAP_FAILED ? nullptr : static_cast<std::uint64_t*>(table);
    if (dense_ == nullptr) throw OptionError("memory_gib", "is more than this machine can allocate for the co-occurrence table; lower it");
    buffer_.reserve(buffer_capacity_);
  }
  ~CountingShard() { ::munmap(dense_, dense_bytes_); }
  CountingShard(const CountingShard&) = delete;
  CountingShard& operator=(const CountingShard&) = delete;

  bool owns(std::uint32_t row) const { return row % stride_ == first_; }

  void add(std::uint32_t row, std::uint32_t col, std::uint64_t units, RunBudget& budget, const TempFolder& temp,
           CooccurrenceStats& stats) {
    const std::size_t k = row / stride_;
    if (col < limits_[k]) {
      dense_[offsets_[k] + col] += units;
      return;
    }
    buffer_.push_back({make_key(row, col), units});
    if (buffer_.size() == buffer_capacity_) flush(budget, temp, stats);
  }

  // Turns the buffer into a run, kept in memory if the budget allows, else
  // written to the temporary folder.
  void flush(RunBudget& budget, const TempFolder& temp, CooccurrenceStats& stats) {
    if (buffer_.empty()) return;
    Run run;
    run.size = sort_and_combine(buffer_);
    ++stats.runs;
    if (budget.take(run.size * sizeof(SparsePair))) {
      run.pairs.assign(buffer_.begin(), buffer_.end());
    } else {
      run.file = next_run_file(temp);
      RunFileWriter out(run.file);
      out.write(buffer_.data(), run.size);
      out.close();
      ++stats.runs_spilled;
      stats.bytes_spilled += run.size * sizeof(SparsePair);
      ++spilled_;
    }
    runs_.push_back(std::move(run));
    buffer_.clear();
    if (spilled_ >= kMaxSpilledRuns) merge_spilled_runs(temp);
  }

  std::uint64_t dense_size() const { return dense_size_; }
  // What the table holds in memory: the pages that were touched (mincore).
  std::uint64_t dense_resident_bytes() const {
    const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGE_SIZE));
    std::vector<unsigned char> resident((dense_bytes_ + page - 1) / page);
    if (::mincore(dense_, dense_bytes_, resident.data()) != 0) return dense_bytes_;
    return page * static_cast<std::uint64_t>(std::count_if(resident.begin(), resident.end(),
                                                           [](unsigned char r) { return (r & 1) != 0; }));
  }
  void release_buffer() { std::vector<SparsePair>().swap(buffer_); }
  std::vector<Run>& runs() { return runs_; }

  // Steps to the next nonzero dense entry in (row, col) order; false at the end.
  struct Cursor {
    std::size_t row_index = 0;
    std::uint32_t col = 0;
  };
  bool next_dense(Cursor& c, Key& key, std::uint64_t& units) const {
    for (; c.row_index < limits_.size(); ++c.row_index, c.col = 0) {
      const std::uint64_t* cells = dense_ + offsets_[c.row_index];
      for (; c.col < limits_[c.row_index]; ++c.col)
        if (cells[c.col] != 0) {
          key = make_key(first_ + static_cast<std::uint32_t>(c.row_index) * stride_, c.col);
          units = cells[c.col++];
          return true;
        }
    }
    return false;
  }

 private:
  // Files open at once in the final merge stay bounded: this many spilled runs
  // of a thread are merged into one.
  static constexpr std::size_t kMaxSpilledRuns = 48;

  std::string next_run_file(const TempFolder& temp) {
    return temp.path() + "/run-" + std::to_string(first_) + "-" + std::to_string(files_made_++);
  }

  void merge_spilled_runs(const TempFolder& temp) {
    std::vector<std::unique_ptr<PairSource>> sources;
    std::vector<Run> kept;
    for (Run& run : runs_) {
      if (run.file.empty())
        kept.push_back(std::move(run));
      else
        sources.push_back(std::make_unique<FileSource>(run.file, merge_read_bytes_ / kMaxSpilledRuns));
    }
    Run merged;
    merged.file = next_run_file(temp);
    RunFileWriter out(merged.file);
    std::vector<SparsePair> block;
    block.reserve(1 << 16);
    merge_pairs(sources, [&](Key key, std::uint64_t units) {
      block.push_back({key, units});
      ++merged.size;
      if (block.size() == block.capacity()) {
        out.write(block.data(), block.size());
        block.clear();
      }
    });
    out.write(block.data(), block.size());
    out.close();
    sources.clear();
    for (const Run& run : runs_)
      if (!run.file.empty()) std::remove(run.file.c_str());
    kept.push_back(std::move(merged));
    runs_ = std::move(kept);
    spilled_ = 1;
  }

  unsigned first_, stride_;
  std::vector<std::uint64_t> offsets_;
  std::vector<std::uint32_t> limits_;
  std::uint64_t dense_size_ = 0;
  std::uint64_t* dense_ = nullptr;
  std::uint64_t dense_bytes_ = 0;
  std::size_t buffer_capacity_;
  std::size_t merge_read_bytes_;  // read buffers of a merge of spilled runs, in all
  std::vector<SparsePair> buffer_;
  std::vector<Run> runs_;
  std::size_t spilled_ = 0;     // runs_ on disk
  std::size_t files_made_ = 0;  // for unique run file names
};

// The largest rank-product bound whose dense tables hold at most `entries` cells.
// Cells of the dense tables for a rank-product bound (counting stops past `cap`).
std::uint64_t dense_cells(std::uint64_t vocab_size, std::uint64_t max_product, std::uint64_t cap = ~std::uint64_t{0}) {
  std::uint64_t total = 0;
  for (std::uint64_t row = 1; row <= vocab_size && total <= cap; ++row) total += std::min(vocab_size, max_product / row);
  return total;
}

std::uint64_t choose_max_product(std::uint64_t vocab_size, std::uint64_t entries) {
  auto cells = [&](std::uint64_t p) { return dense_cells(vocab_size, p, entries); };
  std::uint64_t low = 0, high = vocab_size * vocab_size;
  while (low < high) {
    const std::uint64_t mid = low + (high - low + 1) / 2;
    if (cells(mid) <= entries)
      low = mid;
    else
      high = mid - 1;
  }
  return low;
}

// The dense table's nonzero entries, read in place, and counted.
class DenseSource : public PairSource {
 public:
  DenseSource(const CountingShard& shard, CooccurrenceStats& stats) : shard_(shard), stats_(stats) {}
  bool next(SparsePair& out) override {
    if (!shard_.next_dense(cursor_, out.key, out.units)) return false;
    ++stats_.dense_nonzero;
    return true;
  }

 private:
  const CountingShard& shard_;
  CooccurrenceStats& stats_;
  CountingShard::Cursor cursor_;
};

constexpr std::int32_t kLineBreak = -1;

// The token ids of one byte range, OOV tokens skipped, kLineBreak between lines.
std::vector<std::int32_t> read_ids(const std::string& path, ByteRange range, const Vocabulary& vocab,
                                   const std::atomic<bool>& stop) {
  std::vector<std::int32_t> ids;
  ids.reserve((range.end - range.begin) / 5);
  TokenScanner scanner(path, range);
  scanner.run(
      [&](std::string_view token) {
        const std::int32_t id = vocab.id(token);
        if (id >= 0) ids.push_back(id);
      },
      [&] {
        if (!ids.empty() && ids.back() != kLineBreak) ids.push_back(kLineBreak);
        if (stop.load(std::memory_order_relaxed)) throw std::runtime_error("stopped");
      });
  return ids;
}

// How counting divides its memory budget: 1/16 for a chunk of text (whose
// ids take at most 1/8), 3/8 dense tables, 1/8 sparse buffers, 3/8 runs kept
// in memory; the sparse buffers' share later reads the spilled runs. Whatever
// is left of these (untouched dense cells, unused run budget) is not used.
// The dense tables also hold at most a third as many cells as the text adds
// pairs (2 x window x tokens): a table sized by the budget alone is mostly
// zeros on a small text, and touching and scanning it cost more than sorting
// the pairs it would have caught (2M tokens: 1.6 GB and 9.3 s with the 4 GiB
// budget's 201M cells, 0.26 GB and 2.4 s with 12.6M).
struct CountingBudget {
  std::uint64_t max_product;    // pairs with (row+1)(col+1) <= this are counted densely
  std::size_t buffer_pairs;     // per thread, before a sorted run is made
  std::uint64_t run_bytes;      // runs kept in memory, all threads
  std::uint64_t chunk_bytes;    // text read at once
  std::size_t merge_read_bytes; // per thread, for merging its spilled runs
  std::uint64_t final_read_bytes;  // for reading every spilled run in the final merge

  CountingBudget(std::uint64_t bytes, std::uint32_t vocab_size, unsigned threads, std::uint64_t pairs)
      : max_product(choose_max_product(vocab_size, std::min(bytes * 3 / 8 / sizeof(std::uint64_t), pairs / 3))),
        buffer_pairs(std::max<std::size_t>(1024, bytes / 8 / threads / sizeof(SparsePair))),
        run_bytes(bytes * 3 / 8),
        chunk_bytes(std::max<std::uint64_t>(1 << 20, bytes / 16)),
        merge_read_bytes(bytes / 16 / threads),
        final_read_bytes(bytes / 8) {}
};

// One counting run: a shard of rows per thread, the runs' shared budget and
// the temporary folder they spill to. count() adds chunks of ids, flush()
// turns what is buffered into runs, merge() hands out the records in order.
class CountingPass {
 public:
  CountingPass(const CooccurrenceOptions& options, std::uint32_t vocab_size, unsigned threads,
               const CountingBudget& budget)
      : options_(options), budget_(budget), run_budget_(budget.run_bytes), temp_(options.temp_dir),
        shard_stats_(threads) {
    units_ = distance_units(options, &unit_scale_);
    stats_.max_product = budget.max_product;
    for (unsigned t = 0; t < threads; ++t) {
      shards_.push_back(std::make_unique<CountingShard>(t, threads, vocab_size, budget.max_product,
                                                        budget.buffer_pairs, budget.merge_read_bytes));
      stats_.dense_entries += shards_.back()->dense_size();
    }
  }

  // Thread t's share of a chunk: every thread walks every window but adds
  // only the pairs of its rows. keep_going() runs every 65536 ids; false stops.
  void count(unsigned t, const std::vector<std::vector<std::int32_t>>& ids, const std::function<bool()>& keep_going,
             std::uint64_t* tokens) {
    CountingShard& shard = *shards_[t];
    const auto window = static_cast<std::size_t>(options_.window);
    std::vector<std::int32_t> history(window);
    for (const auto& sequence : ids) {
      std::size_t position = 0;  // in-vocabulary words since the line began
      for (std::size_t i = 0; i < sequence.size(); ++i) {
        if ((i & 0xFFFF) == 0 && !keep_going()) return;
        const std::int32_t word = sequence[i];
        if (word == kLineBreak) {
          position = 0;
          continue;
        }
        const std::size_t reach = std::min(position, window);
        const auto target = static_cast<std::uint32_t>(word);
        const bool owns_target = shard.owns(target);
        for (std::size_t d = 1; d <= reach; ++d) {
          const auto context = static_cast<std::uint32_t>(history[(position - d) % window]);
          if (shard.owns(context)) shard.add(context, target, units_[d], run_budget_, temp_, shard_stats_[t]);
          if (owns_target) shard.add(target, context, units_[d], run_budget_, temp_, shard_stats_[t]);
        }
        history[position % window] = word;
        ++position;
        if (tokens) ++*tokens;
      }
    }
  }

  // The last sorted runs, and their statistics.
  void flush() {
    for (std::size_t t = 0; t < shards_.size(); ++t) {
      shards_[t]->flush(run_budget_, temp_, shard_stats_[t]);
      stats_.runs += shard_stats_[t].runs;
      stats_.runs_spilled += shard_stats_[t].runs_spilled;
      stats_.bytes_spilled += shard_stats_[t].bytes_spilled;
    }
  }

  // A k-way merge of the dense tables and the runs: the records to `sink`, in
  // (row, col) order, in batches. The sort buffers are gone by now: their
  // share of the budget reads the spilled runs.
  void merge(const RecordSink& sink) {
    std::size_t spilled = 0;
    for (auto& shard : shards_) {
      shard->release_buffer();
      for (const Run& run : shard->runs()) spilled += !run.file.empty();
    }
    const std::size_t read_bytes = budget_.final_read_bytes / std::max<std::size_t>(1, spilled);
    std::vector<std::unique_ptr<PairSource>> sources;
    for (auto& shard : shards_) {
      stats_.dense_resident_bytes += shard->dense_resident_bytes();
      sources.push_back(std::make_unique<DenseSource>(*shard, stats_));
      for (Run& run : shard->runs()) {
        if (run.file.empty()) {
          stats_.run_bytes_in_memory += run.pairs.size() * sizeof(SparsePair);
          sources.push_back(std::make_unique<MemorySource>(std::move(run.pairs)));
        } else {
          sources.push_back(std::make_unique<FileSource>(run.file, read_bytes));
        }
      }
    }
    std::vector<CooccurrenceRecord> batch;
    batch.reserve(1 << 16);
    merge_pairs(sources, [&](Key key, std::uint64_t units) {
      batch.push_back({static_cast<std::uint32_t>(key >> 32), static_cast<std::uint32_t>(key),
                       static_cast<float>(static_cast<double>(units) / static_cast<double>(unit_scale_))});
      ++stats_.records;
      if (batch.size() == batch.capacity()) {
        sink(batch);
        batch.clear();
      }
    });
    if (!batch.empty()) sink(batch);
  }

  CooccurrenceStats& stats() { return stats_; }

 private:
  const CooccurrenceOptions& options_;
  const CountingBudget& budget_;
  RunBudget run_budget_;
  TempFolder temp_;
  std::vector<std::uint64_t> units_;
  std::uint64_t unit_scale_ = 1;
  std::vector<std::unique_ptr<CountingShard>> shards_;
  std::vector<CooccurrenceStats> shard_stats_;
  CooccurrenceStats stats_;
};

}  // namespace

CooccurrenceCounter::CooccurrenceCounter(const Vocabulary& vocab, const CooccurrenceOptions& options)
    : vocab_(vocab), options_(options) {
  options_.validate();
  if (vocab.size() >= (1ull << 31)) throw Error("the vocabulary is too large for co-occurrence counting");
}

CooccurrenceStats CooccurrenceCounter::count(const std::string& corpus_path, const RecordSink& sink,
                                             const ProgressCallback& progress) {
  return count(corpus_path, {0, corpus_file_size(corpus_path)}, sink, progress);
}

CooccurrenceStats CooccurrenceCounter::count(const std::string& corpus_path, ByteRange part, const RecordSink& sink,
                                             const ProgressCallback& progress) {
  const unsigned threads = options_.thread_count();
  const std::uint64_t file_size = corpus_file_size(corpus_path);
  const std::uint64_t expected_tokens =
      part.begin == 0 && part.end >= file_size
          ? vocab_.total_count()
          : static_cast<std::uint64_t>(static_cast<double>(vocab_.total_count()) * static_cast<double>(part.end - part.begin) /
                                       static_cast<double>(std::max<std::uint64_t>(1, file_size)));
  // Each token adds up to 2 x window pairs.
  const std::uint64_t pairs = 2 * static_cast<std::uint64_t>(options_.window) * expected_tokens;
  const CountingBudget budget(options_.memory_bytes(), static_cast<std::uint32_t>(vocab_.size()), threads, pairs);
  CountingPass pass(options_, static_cast<std::uint32_t>(vocab_.size()), threads, budget);
  ProgressMeter meter("counting co-occurrences", "words", expected_tokens, threads, options_.progress_interval_seconds);
  std::uint64_t tokens_done = 0;  // only thread 0 counts (and reports); read after the joins
  auto report = [&](bool finished) {
    if (!progress) return;
    TrainingProgress p = meter.at(finished ? expected_tokens : std::min(tokens_done, expected_tokens), finished);
    p.epoch = 0;  // one pass, not an epoch: nothing to log per epoch
    progress(p);
  };

  const std::uint64_t part_size = part.end - part.begin;
  const auto chunks = split_at_line_breaks(
      corpus_path, part, static_cast<unsigned>((part_size + budget.chunk_bytes - 1) / budget.chunk_bytes));
  for (const ByteRange& chunk : chunks) {
    if (stop_.load()) return {};
    ++pass.stats().chunks;
    const auto parts = split_at_line_breaks(corpus_path, chunk, threads);
    std::vector<std::vector<std::int32_t>> ids(threads);
    try {
      run_parallel(threads, [&](unsigned t) { ids[t] = read_ids(corpus_path, parts[t], vocab_, stop_); });
    } catch (const Error&) {
      throw;
    } catch (const std::runtime_error&) {
      if (stop_.load()) return {};
      throw;
    }
    run_parallel(threads, [&](unsigned t) {
      pass.count(t, ids, [&] {
        if (stop_.load(std::memory_order_relaxed)) return false;
        if (t == 0 && meter.due()) report(false);
        return true;
      }, t == 0 ? &tokens_done : nullptr);
    });
    if (stop_.load()) return {};
  }
  pass.flush();
  pass.stats().tokens = tokens_done;
  report(true);
  pass.merge(sink);
  return pass.stats();
}

std::vector<CooccurrenceRecord> merge_cooccurrences(std::vector<CooccurrenceRecord> records,
                                                    std::span<const CooccurrenceRecord> more) {
  records.insert(records.end(), more.begin(), more.end());
  const auto cell = [](const CooccurrenceRecord& r) { return std::uint64_t{r.row} << 32 | r.col; };
  std::sort(records.begin(), records.end(), [&](const auto& a, const auto& b) { return cell(a) < cell(b); });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (kept > 0 && cell(records[kept - 1]) == cell(records[i]))
      records[kept - 1].value += records[i].value;
    else
      records[kept++] = records[i];
  }
  records.resize(kept);
  return records;
}

}  // namespace wordvec
