#include "train_plan.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "cli.h"
#include "wordvec/core/error.h"
#include "wordvec/core/matrix.h"
#include "wordvec/core/units.h"
#include "wordvec/simd/kernels.h"
#include "wordvec/text/subwords.h"
#include "wordvec/train/dimension.h"

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
  // Word and context vectors with their biases, and AdaGrad's squared-gradient sums of each.
  plan.memory.emplace_back("vectors, biases and AdaGrad sums", 4 * matrix_bytes(v, static_cast<std::size_t>(go.dim) + 1));
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
  // A sample of the corpus: its first lines, up to ~1M words per thread.
  const std::uint64_t sample_target = 1000000ull * o.thread_count();
  const std::string sample_path =
      (std::filesystem::path(job.temp_dir.empty() ? std::filesystem::temp_directory_path().string() : job.temp_dir) /
       fmt::format("wordvec-calibration-{}.txt", static_cast<long long>(::getpid())))
          .string();
  std::uint64_t words = 0;
  {
    std::ifstream in(job.input);
    std::ofstream out(sample_path);
    std::string line;
    while (words < sample_target && std::getline(in, line)) {
      std::istringstream tokens(line);
      std::string token;
      while (tokens >> token) words += vocab.id(token) >= 0 ? 1 : 0;
      out << line << '\n';
    }
  }
  try {
    SgnsOptions sample = o;
    sample.epochs = 1;
    sample.progress_interval_seconds = 1e9;
    SgnsTrainer trainer(vocab, sample, select_kernels());
    trainer.set_words_per_epoch(std::max<std::uint64_t>(1, words));
    const auto start = std::chrono::steady_clock::now();
    const TrainingSummary done = trainer.train(sample_path);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::filesystem::remove(sample_path);
    if (done.words == 0 || seconds <= 0) throw Error("the sample trained no words");
    const double rate = static_cast<double>(done.words) / seconds;
    plan.seconds = static_cast<double>(words_per_epoch) * o.epochs / rate;
    plan.calibration = fmt::format("from {} words trained in {:.1f} s on this machine ({:.0f} words/s/thread)",
                                   done.words, seconds, rate / o.thread_count());
  } catch (...) {
    std::error_code ignored;
    std::filesystem::remove(sample_path, ignored);
    throw;
  }
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
    std::printf("time       about %s of training, %s\n", format_duration(plan.seconds).c_str(), plan.calibration.c_str());
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
