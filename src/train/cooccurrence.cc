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
#include "core/pending_files.h"
#include "wordvec/text/corpus.h"
#include "wordvec/core/error.h"
#include "train/sampling.h"

namespace wordvec {

unsigned CooccurrenceOptions::thread_count() const {
  return threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
}

namespace {
std::uint64_t physical_memory_bytes() {
  return static_cast<std::uint64_t>(::sysconf(_SC_PHYS_PAGES)) * static_cast<std::uint64_t>(::sysconf(_SC_PAGE_SIZE));
}
}  // namespace

std::uint64_t CooccurrenceOptions::memory_bytes() const {
  if (memory_gib > 0) return static_cast<std::uint64_t>(memory_gib * 1073741824.0);
  return std::min<std::uint64_t>(physical_memory_bytes() / 2, 4ull << 30);
}

void CooccurrenceOptions::validate() const {
  if (window < 1 || window > 20) throw Error("--window must be in 1..20 for GloVe, got " + std::to_string(window));
  // The budget is allocated: more than the machine's RAM cannot work.
  const double ram_gib = static_cast<double>(physical_memory_bytes()) / 1073741824.0;
  if (!(memory_gib >= 0) || memory_gib > ram_gib)
    throw Error("--memory must be in [0, " + short_number(ram_gib) + "] GiB (this machine's RAM; 0 = half of it, at most 4), got " +
                short_number(memory_gib));
  if (threads > 1024) throw Error("--threads must be in 0..1024, got " + std::to_string(threads));
}

namespace {

// A pair's key orders records by (row, col).
using Key = std::uint64_t;
Key make_key(std::uint32_t row, std::uint32_t col) { return (Key(row) << 32) | col; }

struct SparsePair {
  Key key;
  std::uint64_t units;
};

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

// A temporary folder removed with everything in it when this goes out of scope.
class TempFolder {
 public:
  explicit TempFolder(const std::string& parent) {
    std::string base = parent;
    if (base.empty()) {
      const char* env = std::getenv("TMPDIR");
      base = env != nullptr && *env != '\0' ? env : "/tmp";
    }
    std::string pattern = base + "/wordvec-cooccur-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
      throw file_error(base, std::string("cannot create a temporary folder: ") + std::strerror(errno));
    path_ = pattern;
    pending_ = std::make_unique<detail::PendingPath>(path_, true);  // removed on a fatal signal too
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<detail::PendingPath> pending_;
};

// A sorted run of combined sparse pairs, in memory or in a file.
struct Run {
  std::vector<SparsePair> pairs;  // empty when spilled
  std::string file;
  std::uint64_t size = 0;
};

// Sorts by key and adds up equal keys, in place; returns the new size.
std::size_t sort_and_combine(std::vector<SparsePair>& pairs) {
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

// The rows one thread owns: r with r % stride == first. Frequent pairs go to a
// dense table (lazily zeroed pages: untouched parts cost no memory), the
// others to a buffer that becomes a sorted run when full.
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
    dense_ = static_cast<std::uint64_t*>(std::calloc(std::max<std::uint64_t>(dense_size_, 1), sizeof(std::uint64_t)));
    if (dense_ == nullptr) throw Error("out of memory for the co-occurrence table; lower --memory");
    buffer_.reserve(buffer_capacity_);
  }
  ~CountingShard() { std::free(dense_); }
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
  std::size_t buffer_capacity_;
  std::size_t merge_read_bytes_;  // read buffers of a merge of spilled runs, in all
  std::vector<SparsePair> buffer_;
  std::vector<Run> runs_;
  std::size_t spilled_ = 0;     // runs_ on disk
  std::size_t files_made_ = 0;  // for unique run file names
};

// The largest rank-product bound whose dense tables hold at most `entries` cells.
std::uint64_t choose_max_product(std::uint64_t vocab_size, std::uint64_t entries) {
  auto cells = [&](std::uint64_t p) {
    std::uint64_t total = 0;
    for (std::uint64_t row = 1; row <= vocab_size && total <= entries; ++row) total += std::min(vocab_size, p / row);
    return total;
  };
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

// The dense table's nonzero entries, read in place.
class DenseSource : public PairSource {
 public:
  explicit DenseSource(const CountingShard& shard) : shard_(shard) {}
  bool next(SparsePair& out) override { return shard_.next_dense(cursor_, out.key, out.units); }

 private:
  const CountingShard& shard_;
  CountingShard::Cursor cursor_;
};

// Runs f(t) on `threads` threads (t = 0 on the caller) and rethrows the first error.
template <class F>
void run_parallel(unsigned threads, F&& f) {
  std::vector<std::exception_ptr> errors(threads);
  auto guarded = [&](unsigned t) {
    try {
      f(t);
    } catch (...) {
      errors[t] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(guarded, t);
  guarded(0);
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

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

}  // namespace

CooccurrenceCounter::CooccurrenceCounter(const Vocabulary& vocab, const CooccurrenceOptions& options)
    : vocab_(vocab), options_(options) {
  options_.validate();
  if (vocab.size() >= (1ull << 31)) throw Error("the vocabulary is too large for co-occurrence counting");
}

CooccurrenceStats CooccurrenceCounter::count(const std::string& corpus_path, const RecordSink& sink,
                                             const ProgressCallback& progress) {
  const auto started = std::chrono::steady_clock::now();
  const unsigned threads = options_.thread_count();
  const std::uint64_t budget = options_.memory_bytes();
  const auto vocab_size = static_cast<std::uint32_t>(vocab_.size());
  std::uint64_t unit_scale = 1;
  const std::vector<std::uint64_t> units = distance_units(options_, &unit_scale);

  // The budget, split: 1/16 text chunk (its ids take at most 1/8), 3/8 dense
  // tables, 1/8 sparse buffers, 3/8 runs kept in memory. Whatever is left
  // of these (untouched dense cells, unused run budget) is simply not used.
  CooccurrenceStats stats;
  stats.max_product = choose_max_product(vocab_size, budget * 3 / 8 / sizeof(std::uint64_t));
  const std::size_t buffer_pairs = std::max<std::size_t>(1024, budget / 8 / threads / sizeof(SparsePair));
  RunBudget run_budget(budget * 3 / 8);
  TempFolder temp(options_.temp_dir);

  std::vector<std::unique_ptr<CountingShard>> shards;
  for (unsigned t = 0; t < threads; ++t) {
    shards.push_back(
        std::make_unique<CountingShard>(t, threads, vocab_size, stats.max_product, buffer_pairs, budget / 16 / threads));
    stats.dense_entries += shards.back()->dense_size();
  }
  std::vector<CooccurrenceStats> shard_stats(threads);

  const std::uint64_t file_size = corpus_file_size(corpus_path);
  const std::uint64_t chunk_bytes = std::max<std::uint64_t>(1 << 20, budget / 16);
  const auto chunks = split_at_line_breaks(corpus_path, {0, file_size},
                                           static_cast<unsigned>((file_size + chunk_bytes - 1) / chunk_bytes));
  std::uint64_t tokens_done = 0;  // only thread 0 counts (and reports); read after the joins
  double last_report = 0;
  auto report = [&](bool finished) {
    if (!progress) return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!finished && elapsed - last_report < options_.progress_interval_seconds) return;
    last_report = elapsed;
    TrainingProgress p;
    p.stage = "counting co-occurrences";
    p.words_total = std::max<std::uint64_t>(1, vocab_.total_count());
    p.words_done = finished ? p.words_total : std::min(tokens_done, p.words_total);
    p.fraction = static_cast<double>(p.words_done) / p.words_total;
    p.elapsed_seconds = elapsed;
    p.words_per_second_per_thread = elapsed > 0 ? p.words_done / elapsed / threads : 0;
    p.eta_seconds = p.fraction > 0 ? elapsed * (1 - p.fraction) / p.fraction : 0;
    p.epoch = 1;
    p.finished = finished;
    progress(p);
  };

  for (const ByteRange& chunk : chunks) {
    if (stop_.load()) return {};
    ++stats.chunks;
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
    // Every thread walks every window but adds only the pairs of its rows.
    run_parallel(threads, [&](unsigned t) {
      CountingShard& shard = *shards[t];
      std::vector<std::int32_t> history(options_.window);
      for (const auto& sequence : ids) {
        std::size_t position = 0;  // in-vocabulary words since the line began
        for (std::size_t i = 0; i < sequence.size(); ++i) {
          if ((i & 0xFFFF) == 0) {
            if (stop_.load(std::memory_order_relaxed)) return;
            if (t == 0) report(false);
          }
          const std::int32_t word = sequence[i];
          if (word == kLineBreak) {
            position = 0;
            continue;
          }
          const std::size_t reach = std::min<std::size_t>(position, options_.window);
          const auto target = static_cast<std::uint32_t>(word);
          const bool owns_target = shard.owns(target);
          for (std::size_t d = 1; d <= reach; ++d) {
            const auto context = static_cast<std::uint32_t>(history[(position - d) % options_.window]);
            if (shard.owns(context)) shard.add(context, target, units[d], run_budget, temp, shard_stats[t]);
            if (owns_target) shard.add(target, context, units[d], run_budget, temp, shard_stats[t]);
          }
          history[position % options_.window] = word;
          ++position;
          if (t == 0) ++tokens_done;
        }
      }
    });
    if (stop_.load()) return {};
    // Thread 0 counted the tokens of all sequences above; nothing else to add.
  }
  for (unsigned t = 0; t < threads; ++t) {
    shards[t]->flush(run_budget, temp, shard_stats[t]);
    stats.runs += shard_stats[t].runs;
    stats.runs_spilled += shard_stats[t].runs_spilled;
    stats.bytes_spilled += shard_stats[t].bytes_spilled;
  }
  stats.tokens = tokens_done;
  report(true);

  // The sort buffers are gone by now: their share of the budget reads the spilled runs.
  std::size_t spilled = 0;
  for (auto& shard : shards) {
    shard->release_buffer();
    for (const Run& run : shard->runs()) spilled += !run.file.empty();
  }
  const std::size_t read_bytes = budget / 8 / std::max<std::size_t>(1, spilled);
  std::vector<std::unique_ptr<PairSource>> sources;
  for (auto& shard : shards) {
    sources.push_back(std::make_unique<DenseSource>(*shard));
    for (Run& run : shard->runs()) {
      if (run.file.empty())
        sources.push_back(std::make_unique<MemorySource>(std::move(run.pairs)));
      else
        sources.push_back(std::make_unique<FileSource>(run.file, read_bytes));
    }
  }
  std::vector<CooccurrenceRecord> batch;
  batch.reserve(1 << 16);
  merge_pairs(sources, [&](Key key, std::uint64_t units) {
    batch.push_back({static_cast<std::uint32_t>(key >> 32), static_cast<std::uint32_t>(key),
                     static_cast<float>(static_cast<double>(units) / static_cast<double>(unit_scale))});
    ++stats.records;
    if (batch.size() == batch.capacity()) {
      sink(batch);
      batch.clear();
    }
  });
  if (!batch.empty()) sink(batch);
  return stats;
}

// ------------------------------------------------------------------ files

namespace {
constexpr char kMagic[8] = {'W', 'V', 'C', 'O', 'O', 'C', '0', '1'};
}  // namespace

struct CooccurrenceWriter::Impl {
  BinaryWriter out;
  std::uint64_t records = 0;
  explicit Impl(const std::string& path) : out(path) {}
};

CooccurrenceWriter::CooccurrenceWriter(const std::string& path, const Vocabulary& vocab,
                                       const CooccurrenceFileHeader& header)
    : impl_(std::make_unique<Impl>(path)) {
  BinaryWriter& out = impl_->out;
  out.put(kMagic, sizeof kMagic);
  const std::uint32_t fields[3] = {static_cast<std::uint32_t>(header.window), header.distance_weighting ? 1u : 0u,
                                   static_cast<std::uint32_t>(vocab.size())};
  out.put(fields, sizeof fields);
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    out.put_value(static_cast<std::uint32_t>(vocab.word(i).size()));
    out.put(vocab.word(i).data(), vocab.word(i).size());
    out.put_value(vocab.count(i));
  }
}

CooccurrenceWriter::~CooccurrenceWriter() = default;

void CooccurrenceWriter::write(std::span<const CooccurrenceRecord> records) {
  impl_->out.put(records.data(), records.size_bytes());
  impl_->records += records.size();
}

void CooccurrenceWriter::commit() {
  // The record count and the checksum close the file, so it can be streamed.
  impl_->out.put_value(impl_->records);
  impl_->out.commit();
}

CooccurrenceFile read_cooccurrences(const std::string& path) {
  BinaryReader in(path);
  char magic[8];
  in.get(magic, sizeof magic, "the magic number");
  if (std::memcmp(magic, kMagic, sizeof magic) != 0)
    throw file_error(path, "not a wordvec co-occurrence file (wrong magic number)");
  std::uint32_t fields[3];
  in.get(fields, sizeof fields, "the header");
  CooccurrenceFile result;
  result.header.window = static_cast<int>(fields[0]);
  result.header.distance_weighting = fields[1] != 0;
  const std::uint32_t vocab_size = fields[2];
  if (vocab_size == 0 || vocab_size > in.remaining() / 13)
    throw file_error(path, "the header's vocabulary size " + std::to_string(vocab_size) +
                               " is more than the file can hold (truncated, or not a co-occurrence file)");
  std::vector<std::pair<std::string, std::uint64_t>> counts(vocab_size);
  for (auto& [word, count] : counts) {
    const auto length = in.get_value<std::uint32_t>("a word's length");
    if (length == 0 || length > kMaxTokenBytes)
      throw file_error(path, "bad word length " + std::to_string(length) + " at byte " + std::to_string(in.offset()));
    word.resize(length);
    in.get(word.data(), length, "a word");
    count = in.get_value<std::uint64_t>("a word's count");
  }
  if (in.remaining() < 8) throw file_error(path, "truncated (no record count)");
  const std::uint64_t record_bytes = in.remaining() - 8;
  if (record_bytes % sizeof(CooccurrenceRecord) != 0) throw file_error(path, "truncated (a partial record)");
  result.records.resize(record_bytes / sizeof(CooccurrenceRecord));
  in.get(result.records.data(), record_bytes, "the records");
  const auto records = in.get_value<std::uint64_t>("the record count");
  in.verify_checksum();
  if (records != result.records.size())
    throw file_error(path, "the record count " + std::to_string(records) + " disagrees with the file size");
  result.vocab = Vocabulary(std::move(counts), VocabOptions{0, 0, 0});
  if (result.vocab.size() != vocab_size) throw file_error(path, "the vocabulary lists a word twice");
  for (std::size_t i = 0; i < result.records.size(); ++i) {
    const CooccurrenceRecord& r = result.records[i];
    if (r.row >= vocab_size || r.col >= vocab_size || !(r.value > 0) || !std::isfinite(r.value))
      throw file_error(path, "record " + std::to_string(i) + " is outside the vocabulary or not a positive count");
  }
  return result;
}

void shuffle_records(std::vector<CooccurrenceRecord>& records, std::uint64_t seed) {
  Rng rng(seed, 0xC00C);
  for (std::size_t i = records.size(); i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>((static_cast<unsigned __int128>(rng.next()) * i) >> 64);
    std::swap(records[i - 1], records[j]);
  }
}

}  // namespace wordvec

namespace wordvec {

struct ShuffledRecords::Impl {
  static constexpr unsigned kBuckets = 64;
  std::uint64_t memory_bytes;
  std::string temp_dir;
  std::uint64_t seed;
  // In memory: the batches as they came (no doubling of one growing vector),
  // joined into one vector, block by block, by finish().
  std::vector<std::vector<CooccurrenceRecord>> blocks;
  std::vector<CooccurrenceRecord> in_memory;
  std::unique_ptr<TempFolder> folder;  // set once out of core
  std::vector<std::FILE*> buckets;
  Rng scatter{0};
  std::string shuffled_path;
  void* map = nullptr;
  std::size_t map_bytes = 0, count = 0;

  std::string bucket_path(unsigned b) const { return folder->path() + "/bucket-" + std::to_string(b); }

  void go_out_of_core() {
    folder = std::make_unique<TempFolder>(temp_dir);
    scatter = Rng(seed, 0x5CA77E);
    for (unsigned b = 0; b < kBuckets; ++b) {
      buckets.push_back(std::fopen(bucket_path(b).c_str(), "wb"));
      if (buckets.back() == nullptr) throw file_error(bucket_path(b), std::strerror(errno));
    }
    count = 0;  // scatter_batch counts them again
    for (auto& block : blocks) {
      scatter_batch(block);
      std::vector<CooccurrenceRecord>().swap(block);
    }
    blocks.clear();
  }

  void scatter_batch(std::span<const CooccurrenceRecord> batch) {
    for (const CooccurrenceRecord& r : batch)
      if (std::fwrite(&r, sizeof r, 1, buckets[scatter.below(kBuckets)]) != 1)
        throw file_error(folder->path(), std::string("cannot write a shuffle bucket: ") + std::strerror(errno));
    count += batch.size();
  }

  void close_buckets() {
    for (std::FILE*& f : buckets)
      if (f != nullptr) {
        std::fclose(f);
        f = nullptr;
      }
  }

  ~Impl() {
    close_buckets();
    if (map != nullptr) ::munmap(map, map_bytes);
  }
};

ShuffledRecords::ShuffledRecords(std::uint64_t memory_bytes, const std::string& temp_dir, std::uint64_t seed)
    : impl_(std::make_unique<Impl>()) {
  impl_->memory_bytes = memory_bytes;
  impl_->temp_dir = temp_dir;
  impl_->seed = seed;
}

ShuffledRecords::~ShuffledRecords() = default;

bool ShuffledRecords::out_of_core() const { return impl_->folder != nullptr; }

void ShuffledRecords::add(std::span<const CooccurrenceRecord> batch) {
  Impl& m = *impl_;
  if (!m.folder && (m.count + batch.size()) * sizeof(CooccurrenceRecord) > m.memory_bytes) m.go_out_of_core();
  if (m.folder) {
    m.scatter_batch(batch);
  } else {
    m.blocks.emplace_back(batch.begin(), batch.end());
    m.count += batch.size();
  }
}

void ShuffledRecords::finish() {
  Impl& m = *impl_;
  if (!m.folder) {
    m.in_memory.reserve(m.count);
    for (auto& block : m.blocks) {
      m.in_memory.insert(m.in_memory.end(), block.begin(), block.end());
      std::vector<CooccurrenceRecord>().swap(block);
    }
    m.blocks.clear();
    shuffle_records(m.in_memory, m.seed);
    return;
  }
  m.close_buckets();
  m.shuffled_path = m.folder->path() + "/shuffled";
  std::FILE* out = std::fopen(m.shuffled_path.c_str(), "w+b");  // readable: it is mapped afterwards
  if (out == nullptr) throw file_error(m.shuffled_path, std::strerror(errno));
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(out, std::fclose);
  for (unsigned b = 0; b < Impl::kBuckets; ++b) {
    const std::uint64_t bytes = corpus_file_size(m.bucket_path(b));
    std::vector<CooccurrenceRecord> bucket(bytes / sizeof(CooccurrenceRecord));
    std::FILE* in = std::fopen(m.bucket_path(b).c_str(), "rb");
    const bool read = in != nullptr && std::fread(bucket.data(), sizeof(CooccurrenceRecord), bucket.size(), in) == bucket.size();
    if (in != nullptr) std::fclose(in);
    if (!read) throw file_error(m.bucket_path(b), "cannot read a shuffle bucket");
    std::remove(m.bucket_path(b).c_str());
    shuffle_records(bucket, m.seed + b);
    if (std::fwrite(bucket.data(), sizeof(CooccurrenceRecord), bucket.size(), out) != bucket.size())
      throw file_error(m.shuffled_path, std::string("cannot write the shuffled records: ") + std::strerror(errno));
  }
  if (std::fflush(out) != 0) throw file_error(m.shuffled_path, std::strerror(errno));
  m.map_bytes = m.count * sizeof(CooccurrenceRecord);
  if (m.map_bytes == 0) return;
  m.map = ::mmap(nullptr, m.map_bytes, PROT_READ, MAP_SHARED, ::fileno(out), 0);
  if (m.map == MAP_FAILED) {
    m.map = nullptr;
    throw file_error(m.shuffled_path, std::string("cannot map the shuffled records: ") + std::strerror(errno));
  }
}

std::span<const CooccurrenceRecord> ShuffledRecords::records() const {
  const Impl& m = *impl_;
  if (!m.folder) return m.in_memory;
  return {static_cast<const CooccurrenceRecord*>(m.map), m.count};
}

}  // namespace wordvec
