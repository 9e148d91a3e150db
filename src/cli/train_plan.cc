#include "train_plan.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "cli.h"
#include "core/temp_folder.h"
#include "wordvec/core/error.h"
#include "wordvec/core/matrix.h"
#include "wordvec/core/units.h"
#include "wordvec/simd/kernels.h"
#include "wordvec/text/subwords.h"
#include "wordvec/train/cooccurrence.h"
#include "wordvec/train/dimension.h"
#include "wordvec/train/glove.h"
#include "wordvec/train/shuffled_records.h"

namespace wordvec::cli {
namespace {

// A field of /proc/self/status or /proc/meminfo in bytes ("VmRSS:  1234 kB"); 0 if absent.
std::uint64_t proc_kib_field(const char* file, const std::string& field) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream values(line.substr(field.size() + 1));
      std::uint64_t kib = 0;
      values >> kib;
      return kib * 1024;
    }
  return 0;
}

std::uint64_t matrix_bytes(std::size_t rows, std::size_t cols) {
  return static_cast<std::uint64_t>(rows) * Matrix::padded(cols) * sizeof(float);
}

// The IdStream of an epoch: about 1.6 bytes a word (docs/design.md).
constexpr double kIdStreamBytesPerWord = 1.6;

std::string megabytes(std::uint64_t bytes) {
  const double mb = static_cast<double>(bytes) / 1e6;
  return mb < 10 ? fmt::format("{:.1f} MB", mb) : fmt::format("{:.0f} MB", mb);
}

// The decoded copy of a compressed, piped or multi-file corpus, made already.
std::uint64_t decoded_copy_bytes(const TrainJob& job) {
  if (!job.corpus || !job.corpus->is_copy()) return 0;
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(job.corpus->path(), error);
  return error ? 0 : size;
}


// GloVe's word and context rows: [vector | bias | 1 | padding], each followed by its AdaGrad sums.
std::uint64_t glove_model_bytes(std::size_t vocab_size, int dim) {
  return 4 * matrix_bytes(vocab_size, static_cast<std::size_t>(dim) + 1);
}

// The corpus's first lines holding about `target` in-vocabulary words, in a
// temporary file that goes with this object (what calibration trains on).
class CorpusSample {
 public:
  CorpusSample(const TrainJob& job, const Vocabulary& vocab, std::uint64_t target)
      : folder_(job.temp_dir, "calibration"), path_(folder_.path() + "/sample.txt") {
    std::ifstream in(job.input);
    std::ofstream out(path_);
    std::string line;
    while (out && words_ < target && std::getline(in, line)) {
      std::istringstream tokens(line);
      std::string token;
      while (tokens >> token) words_ += vocab.id(token) >= 0 ? 1 : 0;
      out << line << '\n';
    }
    whole_ = !in.good();
    if (!out.flush()) throw file_error(path_, "cannot write a calibration sample here (see --temp-dir)");
  }

  const std::string& path() const { return path_; }
  std::uint64_t words() const { return words_; }
  bool whole() const { return whole_; }  // the corpus ended within the sample

 private:
  TempFolder folder_;  // removed with the sample, also on a fatal signal
  std::string path_;
  std::uint64_t words_ = 0;
  bool whole_ = false;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// y at x = total, from y1 at x1 and y2 at x2 (x1 < x2 < total) on a power law
// y = c x^a with 0 <= a <= 1: distinct co-occurrences grow slower than the text.
double extrapolate(double x1, double y1, double x2, double y2, double total) {
  if (y1 <= 0 || y2 <= 0 || x2 <= x1) return y2 * total / x2;
  const double a = std::clamp(std::log(y2 / y1) / std::log(x2 / x1), 0.0, 1.0);
  return y2 * std::pow(total / x2, a);
}
}  // namespace

std::uint64_t RunPlan::memory_bytes() const {
  return std::accumulate(memory.begin(), memory.end(), std::uint64_t{0},
                         [](std::uint64_t sum, const auto& part) { return sum + part.second; });
}

std::uint64_t available_memory_bytes() { return proc_kib_field("/proc/meminfo", "MemAvailable"); }

RunPlan plan_sgns(const TrainJob& job, const SgnsOptions& o, const Vocabulary& vocab, std::uint64_t words_per_epoch) {
  RunPlan plan;
  const std::size_t v = vocab.size();
  plan.memory.emplace_back("this process now (program, vocabulary, buffers)", proc_kib_field("/proc/self/status", "VmRSS"));
  std::size_t input_rows = v;
  if (o.subwords.enabled()) {
    input_rows += o.subwords.buckets;
    std::uint64_t ngram_rows = 0;
    for (std::size_t id = 0; id < v; ++id)
      for_each_ngram_bucket(vocab.word(static_cast<std::int32_t>(id)), o.subwords, [&](std::uint32_t) { ++ngram_rows; });
    plan.memory.emplace_back("subword index (each word's rows)", (ngram_rows + 2 * v) * sizeof(std::int32_t));
  }
  plan.memory.emplace_back(o.subwords.enabled() ? "input vectors (words + n-gram buckets)" : "input vectors",
                           matrix_bytes(input_rows, static_cast<std::size_t>(o.dim)));
  plan.memory.emplace_back("output vectors", matrix_bytes(v, static_cast<std::size_t>(o.dim)));
  plan.memory.emplace_back("sampling tables", static_cast<std::uint64_t>(v) * 16);
  // Later epochs replay the first one's id stream, in memory up to --cache-memory, beyond it from a temp file.
  if (o.epochs > 1) {
    const auto stream = static_cast<std::uint64_t>(kIdStreamBytesPerWord * static_cast<double>(words_per_epoch));
    const auto budget = static_cast<std::uint64_t>(o.cache_memory_gib * kBytesPerGiB);
    plan.memory.emplace_back("corpus id stream (replayed by epochs 2+)", std::min(stream, budget));
    if (stream > budget) plan.temp_disk_bytes += stream - budget;
  }
  plan.temp_disk_bytes += decoded_copy_bytes(job);
  return plan;
}

RunPlan plan_glove(const TrainJob& job, const GloveOptions& go, const CooccurrenceOptions& co, const Vocabulary& vocab) {
  RunPlan plan;
  const std::size_t v = vocab.size();
  plan.memory.emplace_back("this process now (program, vocabulary, buffers)", proc_kib_field("/proc/self/status", "VmRSS"));
  plan.memory.emplace_back("vectors, biases and AdaGrad sums", glove_model_bytes(v, go.dim));
  plan.memory.emplace_back("co-occurrence counting and shuffling (the --memory budget; at most)", co.memory_bytes());
  plan.temp_disk_bytes += decoded_copy_bytes(job);
  plan.calibration = "not estimated for GloVe (the co-occurrences are counted first)";
  return plan;
}

void calibrate_sgns(RunPlan& plan, const TrainJob& job, const SgnsOptions& o, const Vocabulary& vocab,
                    std::uint64_t words_per_epoch) {
  const std::uint64_t available = available_memory_bytes();
  if (available > 0 && plan.memory_bytes() > available / 2) {
    plan.calibration = "not calibrated: the model would take more than half the memory available";
    return;
  }
  // About 1M words per thread.
  const CorpusSample sample(job, vocab, 1000000ull * o.thread_count());
  spdlog::info("dry run: timing one epoch on the first {} words of the corpus", sample.words());
  SgnsOptions one_epoch = o;
  one_epoch.epochs = 1;
  one_epoch.progress_interval_seconds = 1e9;
  SgnsTrainer trainer(vocab, one_epoch, select_kernels());
  trainer.set_words_per_epoch(std::max<std::uint64_t>(1, sample.words()));
  const auto start = std::chrono::steady_clock::now();
  const TrainingSummary done = trainer.train(sample.path());
  const double seconds = seconds_since(start);
  if (done.words == 0 || seconds <= 0) throw Error("the sample trained no words");
  const double rate = static_cast<double>(done.words) / seconds;
  plan.seconds = static_cast<double>(words_per_epoch) * o.epochs / rate;
  plan.calibration = fmt::format("from {} words trained in {:.1f} s on this machine ({:.0f} words/s/thread)",
                                 done.words, seconds, rate / o.thread_count());
}

void calibrate_glove(RunPlan& plan, const TrainJob& job, const GloveOptions& go, const CooccurrenceOptions& co,
                     const Vocabulary& vocab) {
  // Two prefixes, the second twice the first: 1/8 of the corpus, between 2M and 8M words.
  const std::uint64_t total = std::max<std::uint64_t>(1, vocab.total_count());
  const std::uint64_t large_target = std::clamp<std::uint64_t>(total / 8, 2000000, 8000000);
  CooccurrenceOptions quiet = co;
  quiet.progress_interval_seconds = 1e9;
  struct Count {
    std::uint64_t words;
    CooccurrenceStats stats;
    double seconds;
  };
  std::vector<CooccurrenceRecord> records;  // of the last prefix counted: timed training
  // Both keep their records, as the real run does: the later one's are timed in training.
  const auto count = [&](const CorpusSample& sample) {
    CooccurrenceCounter counter(vocab, quiet);
    std::vector<CooccurrenceRecord>().swap(records);
    const auto start = std::chrono::steady_clock::now();
    const CooccurrenceStats stats = counter.count(sample.path(), [&](std::span<const CooccurrenceRecord> batch) {
      records.insert(records.end(), batch.begin(), batch.end());
    });
    return Count{std::max<std::uint64_t>(1, sample.words()), stats, seconds_since(start)};
  };
  // The smaller first: it also pays the one-time costs (the kernel preparing
  // the tables' huge pages), which the real run pays once too.
  Count small{}, large{};
  bool exact = false;
  spdlog::info("dry run: counting co-occurrences in corpus prefixes of up to {} and {} words to extrapolate memory and time",
               large_target / 2, large_target);
  {
    const CorpusSample sample(job, vocab, large_target / 2);
    exact = sample.whole();
    small = count(sample);
  }
  if (exact) {
    large = small;
  } else {
    const CorpusSample sample(job, vocab, large_target);
    exact = sample.whole();
    large = count(sample);
  }
  const auto at_full = [&](auto field) {
    const double y2 = static_cast<double>(field(large.stats));
    if (exact) return y2;
    return extrapolate(static_cast<double>(small.words), static_cast<double>(field(small.stats)),
                       static_cast<double>(large.words), y2, static_cast<double>(total));
  };
  const double record_count = at_full([](const CooccurrenceStats& s) { return s.records; });
  const double dense = std::min(at_full([](const CooccurrenceStats& s) { return s.dense_resident_bytes; }),
                                static_cast<double>(large.stats.dense_entries * sizeof(std::uint64_t)));
  const double runs = at_full([](const CooccurrenceStats& s) { return s.run_bytes_in_memory; });

  // Counting keeps 3/8 of the budget for sorted runs (the rest spills to disk);
  // the shuffled records stay in memory up to the budget (beyond it, they are
  // shuffled on disk and mapped).
  const auto budget = static_cast<double>(co.memory_bytes());
  const double runs_kept = std::min(runs, budget * 3 / 8);
  const double record_bytes = record_count * sizeof(CooccurrenceRecord);
  const double records_kept = std::min(record_bytes, budget);
  plan.temp_disk_bytes += static_cast<std::uint64_t>(runs - runs_kept);
  if (record_bytes > budget) plan.temp_disk_bytes += static_cast<std::uint64_t>(2 * record_bytes);

  // The peak: at the end of counting (the dense tables, the runs and the
  // records the merge gathered) or while training (the model and every
  // record, in memory or mapped from the shuffled file: resident either way).
  const std::uint64_t now = plan.memory.front().second;
  const double model = static_cast<double>(glove_model_bytes(vocab.size(), go.dim));
  plan.memory.clear();
  plan.memory.emplace_back("this process now (program, vocabulary, buffers)", now);
  const std::string records_part = fmt::format("{:.0f}M co-occurrence records{}", record_count / 1e6,
                                               record_bytes > budget ? " (shuffled on disk, mapped)" : "");
  if (dense + runs_kept + records_kept >= model + record_bytes) {
    plan.memory.emplace_back("co-occurrence tables of frequent pairs (their touched pages)", static_cast<std::uint64_t>(dense));
    plan.memory.emplace_back("sorted runs of the other pairs kept in memory", static_cast<std::uint64_t>(runs_kept));
    plan.memory.emplace_back(records_part, static_cast<std::uint64_t>(records_kept));
  } else {
    plan.memory.emplace_back("vectors, biases and AdaGrad sums", static_cast<std::uint64_t>(model));
    plan.memory.emplace_back(records_part, static_cast<std::uint64_t>(record_bytes));
  }

  // Time: counting scales with the words, training with the records.
  GloveOptions one_epoch = go;
  one_epoch.epochs = 1;
  one_epoch.progress_interval_seconds = 1e9;
  if (one_epoch.x_max == 0) one_epoch.x_max = auto_x_max(total);
  shuffle_records(records, go.seed);
  GloveTrainer trainer(vocab.size(), one_epoch, select_kernels());
  const auto start = std::chrono::steady_clock::now();
  trainer.train(records);
  const double train_seconds = seconds_since(start);
  // Counting time is a fixed part (the tables' pages) and a part per word: a line through both prefixes.
  double seconds_per_word = large.seconds / static_cast<double>(large.words);
  if (!exact && large.seconds > small.seconds)
    seconds_per_word = (large.seconds - small.seconds) / static_cast<double>(large.words - small.words);
  const double count_seconds = large.seconds + seconds_per_word * static_cast<double>(total - std::min(total, large.words));
  const double records_per_second = static_cast<double>(records.size()) / std::max(train_seconds, 1e-9);
  plan.seconds = count_seconds + record_count * go.epochs / records_per_second;
  plan.timed = "counting and training";
  plan.calibration = fmt::format(
      "from {} co-occurrences counted in {} words {}and trained for one epoch ({:.0f} records/s/thread) on this "
      "machine; counting takes about {} of it",
      large.stats.records, large.words, exact ? std::string("(the whole corpus) ") : fmt::format("(and {} in {}) ", small.stats.records, small.words),
      records_per_second / go.thread_count(), format_duration(count_seconds));
}

void print_plan(const RunPlan& plan, const std::string& model, int dim, const TrainJob& job, std::size_t vocab_size) {
  std::printf("dry run: %s, %zu words in the vocabulary\n", model.c_str(), vocab_size);
  const int suggested = suggest_dimension(static_cast<double>(vocab_size)).dimension;
  if (job.requested_dim > 0)
    std::printf("dimension  %d (given; the minimum-entropy suggestion for %zu words is %d)\n", dim, vocab_size, suggested);
  else
    std::printf("dimension  %d (auto: the minimum-entropy suggestion for %zu words; see 'wordvec dim --explain')\n",
                dim, vocab_size);
  std::printf("memory     %s in all (peak, estimated)\n", megabytes(plan.memory_bytes()).c_str());
  for (const auto& [part, bytes] : plan.memory) std::printf("  %-64s %12s\n", part.c_str(), megabytes(bytes).c_str());
  const std::uint64_t available = available_memory_bytes();
  if (available > 0) std::printf("  (available on this machine now: %s)\n", megabytes(available).c_str());
  std::printf("temp disk  %s\n", megabytes(plan.temp_disk_bytes).c_str());
  if (plan.seconds >= 0)
    std::printf("time       about %s of %s, %s\n", format_duration(plan.seconds).c_str(), plan.timed.c_str(),
                plan.calibration.c_str());
  else
    std::printf("time       %s\n", plan.calibration.c_str());
  std::fflush(stdout);
}

void check_memory(const RunPlan& plan, bool force) {
  const std::uint64_t available = available_memory_bytes();
  if (force || available == 0 || plan.memory_bytes() <= available) return;
  throw Error(fmt::format("the run needs about {} of memory and {} is available: stopped before allocating it "
                          "('--dry-run' shows where it goes; lower --dim, --buckets or --cache-memory, or give "
                          "--force to run anyway)",
                          megabytes(plan.memory_bytes()), megabytes(available)));
}

}  // namespace wordvec::cli
