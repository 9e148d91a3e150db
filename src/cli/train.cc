// wordvec train: corpus -> vocabulary -> (dimension) -> trainer -> vectors.
#include <spdlog/spdlog.h>

#include <csignal>
#include <chrono>
#include <cmath>
#include <functional>
#include <thread>

#include "cli.h"
#include "wordvec/atomic_file.h"
#include "wordvec/dimension.h"
#include "wordvec/cooccurrence.h"
#include "wordvec/error.h"
#include "wordvec/glove.h"
#include "wordvec/sgns.h"
#include "wordvec/simd.h"
#include "wordvec/vectors_io.h"
#include "wordvec/vocabulary.h"

namespace wordvec::cli {
namespace {

const char* kTrainUsage =
    "usage: wordvec train --input CORPUS --output VECTORS [options]\n"
    "\n"
    "Trains word vectors with skip-gram or CBOW and negative sampling (word2vec's\n"
    "model), or with GloVe (--model glove: co-occurrence counting in bounded memory,\n"
    "then weighted least squares with AdaGrad). The corpus is plain text: tokens\n"
    "separated by whitespace, one sentence or paragraph per line. Vectors are\n"
    "written in descending word frequency.";

// Set by the signal handler; a signal handler can only reach static storage.
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int signal) { g_stop_signal = signal; }

// While alive, SIGINT and SIGTERM ask the trainer to stop instead of killing
// the process, so no partial output is left behind. (Handlers, not a blocked
// mask: OpenBLAS starts threads before main that would receive the signal.)
// A signal that was ignored when the process started stays ignored (nohup).
class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::function<void()> request_stop) {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < 2; ++i) {
      sigaction(kSignals[i], nullptr, &previous_[i]);
      if (previous_[i].sa_handler != SIG_IGN) sigaction(kSignals[i], &action, nullptr);
    }
    watcher_ = std::thread([this, request_stop] {
      while (!done_.load()) {
        if (g_stop_signal != 0) {
          request_stop();
          interrupted_.store(true);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    });
  }
  ~InterruptWatcher() {
    done_.store(true);
    watcher_.join();
    for (int i = 0; i < 2; ++i) sigaction(kSignals[i], &previous_[i], nullptr);
  }
  bool interrupted() const { return interrupted_.load() || g_stop_signal != 0; }

 private:
  static constexpr int kSignals[2] = {SIGINT, SIGTERM};
  struct sigaction previous_[2] {};
  std::atomic<bool> done_{false}, interrupted_{false};
  std::thread watcher_;
};

int parse_dimension(const std::string& text) {
  if (text == "auto") return 0;
  try {
    std::size_t used = 0;
    const int dim = std::stoi(text, &used);
    if (used == text.size() && dim >= 1) return dim;
  } catch (const std::exception&) {
  }
  throw UsageError("--dim must be 'auto' or a positive integer, got '" + text + "'");
}

int choose_dimension(int requested, std::size_t vocab_size) {
  if (vocab_size < 2) {
    if (requested == 0) throw Error("--dim auto needs a vocabulary of at least 2 words");
    return requested;
  }
  const DimensionSuggestion s = suggest_dimension(static_cast<double>(vocab_size));
  if (requested == 0) {
    spdlog::info("dimension: {} (auto): the smallest n with minimum-entropy H(n, N={}) < 0 "
                 "(H({}) = {:.3f}, H({}) = {:.3f}; rule of thumb ceil(8.33 ln N) = {})",
                 s.dimension, vocab_size, s.dimension - 1, s.entropy_before, s.dimension, s.entropy_at,
                 s.rule_of_thumb);
    return s.dimension;
  }
  if (requested < s.dimension)
    spdlog::warn("--dim {} is {} below the minimum-entropy bound {} for {} words (H({}) = {:.3f} > 0)", requested,
                 s.dimension - requested, s.dimension, vocab_size, requested,
                 dimension_entropy(requested, static_cast<double>(vocab_size)));
  return requested;
}

// What the GloVe path needs beyond its option structs.
struct GloveJob {
  std::string input, output, save_cooccurrence, load_cooccurrence;
  VectorFormat format = VectorFormat::Word2VecBinary;
  int requested_dim = 0;
  bool quiet = false;
};

void log_vocabulary(const VocabStats& stats, const Vocabulary& vocab, const VocabOptions& vo) {
  spdlog::info("{} tokens, {} lines; {} distinct words, {} kept (min-count {}{}), {} training words per epoch",
               stats.scan.tokens, stats.scan.lines, stats.distinct_words, vocab.size(), vo.min_count,
               vo.max_vocab ? ", max-vocab " + std::to_string(vo.max_vocab) : "", vocab.total_count());
  if (stats.scan.truncated_tokens > 0)
    spdlog::warn("{} tokens were longer than {} bytes and were cut to that length", stats.scan.truncated_tokens,
                 kMaxTokenBytes);
  if (stats.prune_threshold > 0)
    spdlog::warn("the vocabulary table was pruned while counting (words seen <= {} times dropped)",
                 stats.prune_threshold);
}

Vocabulary read_vocabulary(const std::string& input, const VocabOptions& vo, unsigned threads,
                           const std::string& save_vocab) {
  VocabStats stats;
  spdlog::info("reading vocabulary from {}", input);
  Vocabulary vocab = Vocabulary::build(input, vo, &stats, threads);
  log_vocabulary(stats, vocab, vo);
  if (!save_vocab.empty()) vocab.save(save_vocab);
  return vocab;
}

// Collects the counter's records in blocks, then moves them into one exact-size
// vector block by block, so the peak is one copy plus a block, not a doubling.
class RecordCollector {
 public:
  void add(std::span<const CooccurrenceRecord> batch) { blocks_.emplace_back(batch.begin(), batch.end()); }
  std::vector<CooccurrenceRecord> take() {
    std::size_t total = 0;
    for (const auto& b : blocks_) total += b.size();
    std::vector<CooccurrenceRecord> all;
    all.reserve(total);
    for (auto& b : blocks_) {
      all.insert(all.end(), b.begin(), b.end());
      std::vector<CooccurrenceRecord>().swap(b);
    }
    blocks_.clear();
    return all;
  }

 private:
  std::vector<std::vector<CooccurrenceRecord>> blocks_;
};

int run_glove(const GloveJob& job, const VocabOptions& vo, GloveOptions go, CooccurrenceOptions co,
              const std::string& save_vocab) {
  const bool count_only = go.epochs == 0;
  Vocabulary vocab;
  std::vector<CooccurrenceRecord> records;
  ProgressPrinter printer(job.quiet);
  if (!job.load_cooccurrence.empty()) {
    spdlog::info("reading co-occurrences from {}", job.load_cooccurrence);
    CooccurrenceFile file = read_cooccurrences(job.load_cooccurrence);
    spdlog::info("{} words, {} records (window {}{})", file.vocab.size(), file.records.size(), file.header.window,
                 file.header.distance_weighting ? ", 1/d weights" : "");
    vocab = std::move(file.vocab);
    records = std::move(file.records);
  } else {
    vocab = read_vocabulary(job.input, vo, co.thread_count(), save_vocab);
    CooccurrenceCounter counter(vocab, co);
    std::unique_ptr<CooccurrenceWriter> writer;
    if (!job.save_cooccurrence.empty())
      writer = std::make_unique<CooccurrenceWriter>(job.save_cooccurrence, vocab,
                                                    CooccurrenceFileHeader{co.window, co.distance_weighting});
    RecordCollector collector;
    spdlog::info("counting co-occurrences: window {}, memory budget {:.2f} GiB, {} threads", co.window,
                 co.memory_bytes() / 1073741824.0, co.thread_count());
    CooccurrenceStats stats;
    {
      InterruptWatcher interrupts([&] { counter.request_stop(); });
      stats = counter.count(
          job.input,
          [&](std::span<const CooccurrenceRecord> batch) {
            if (writer) writer->write(batch);
            if (!count_only) collector.add(batch);
          },
          [&](const TrainingProgress& p) { printer(p); });
      if (interrupts.interrupted()) {
        spdlog::error("interrupted: no output written, temporary files removed");
        return 130;
      }
    }
    spdlog::info("{} nonzero co-occurrences ({} dense cells for rank products <= {}; {} sorted runs, {} spilled, "
                 "{:.1f} MB on disk; {} pass{} over the corpus)",
                 stats.records, stats.dense_entries, stats.max_product, stats.runs, stats.runs_spilled,
                 stats.bytes_spilled / 1e6, stats.chunks, stats.chunks == 1 ? "" : "es");
    if (writer) {
      writer->commit();
      spdlog::info("wrote the co-occurrences to {}", job.save_cooccurrence);
    }
    records = collector.take();
  }
  if (count_only) return 0;
  if (records.empty()) throw Error("no co-occurrences to train on (every line has fewer than two known words)");

  go.dim = choose_dimension(job.requested_dim, vocab.size());
  shuffle_records(records, go.seed);
  const Kernels kernels = select_kernels();
  spdlog::info("training GloVe: dim {}, {} epochs, x-max {}, alpha {}, learning rate {}, {} threads, {} kernels, "
               "{} records",
               go.dim, go.epochs, go.x_max, go.alpha, go.learning_rate, go.thread_count(), kernels.name,
               records.size());
  GloveTrainer trainer(vocab.size(), go, kernels);
  {
    InterruptWatcher interrupts([&] { trainer.request_stop(); });
    trainer.train(records, [&](const TrainingProgress& p) { printer(p); });
    if (interrupts.interrupted()) {
      spdlog::error("interrupted: no vectors written");
      return 130;
    }
  }
  const Matrix vectors = trainer.model().vectors(go.output);
  write_vectors(job.output, vocab.words(), vectors, job.format);
  spdlog::info("wrote {} vectors of dimension {} to {} ({})", vocab.size(), vectors.cols(), job.output,
               vector_format_name(job.format));
  return 0;
}

}  // namespace

int run_train(const std::vector<std::string>& args) {
  SgnsOptions o;
  VocabOptions vo;
  GloveOptions go;
  CooccurrenceOptions co;
  GloveJob job;
  std::string model = "skipgram", format = "bin", save_vocab, dim_text = "auto", update = "batched",
              glove_output = "sum";
  int window = 0, epochs = -1;
  double alpha = 0;
  po::options_description io("Input and output");
  io.add_options()("input,i", po::value(&job.input), "training corpus (plain text, UTF-8 or any bytes)")(
      "output,o", po::value(&job.output), "where to write the vectors (replaced atomically)")(
      "format", po::value(&format)->default_value(format), "vector format: bin (word2vec binary), text (word2vec text), vec (fastText), glove, npy")(
      "save-vocab", po::value(&save_vocab), "also write the vocabulary as 'word count' lines");
  po::options_description training("Training");
  training.add_options()("model,m", po::value(&model)->default_value(model), "skipgram, cbow or glove")(
      "dim,d", po::value(&dim_text)->default_value(dim_text),
      "vector dimension, or 'auto' for the minimum-entropy suggestion for the vocabulary size (see 'wordvec dim')")(
      "window,w", po::value(&window)->default_value(0, "5; glove 10"),
      "max context words on each side (skip-gram/CBOW draw 1..window per word, as word2vec; GloVe uses the whole "
      "window, weighting a pair at distance d by 1/d)")(
      "negative,n", po::value(&o.negative)->default_value(o.negative), "negative samples per positive")(
      "sample,s", po::value(&o.sample)->default_value(o.sample),
      "subsampling threshold for frequent words (0 = off); keep prob. sqrt(t/f) + t/f")(
      "min-count", po::value(&vo.min_count)->default_value(vo.min_count), "drop words seen fewer times")(
      "max-vocab", po::value(&vo.max_vocab)->default_value(0), "keep at most this many words (0 = no limit)")(
      "epochs,e", po::value(&epochs)->default_value(-1, "5; glove 15"), "passes over the corpus (GloVe: over the co-occurrences)")(
      "alpha,a", po::value(&alpha)->default_value(0.0, "0.025 skipgram, 0.05 cbow and glove"),
      "start learning rate; skip-gram/CBOW decay it linearly to alpha * 1e-4, GloVe keeps it (AdaGrad)")(
      "threads,t", po::value(&o.threads)->default_value(0, "all cores"), "training threads")(
      "seed", po::value(&o.seed)->default_value(o.seed), "random seed (runs with --threads 1 are reproducible)")(
      "update", po::value(&update)->default_value(update),
      "skip-gram update: batched (negatives shared across the window, faster) or exact (word2vec.c's)");
  po::options_description glove("GloVe (--model glove)");
  glove.add_options()("x-max", po::value(&go.x_max)->default_value(go.x_max),
                      "counts at or above get full weight (GloVe's demo uses 10 for small corpora)")(
      "glove-alpha", po::value(&go.alpha)->default_value(go.alpha), "weighting exponent: f(x) = (x/x-max)^alpha")(
      "memory", po::value(&co.memory_gib)->default_value(0, "half the RAM, at most 4"),
      "memory budget for counting, GiB; beyond it sorted runs spill to --temp-dir")(
      "temp-dir", po::value(&co.temp_dir), "folder for spilled runs (default $TMPDIR or /tmp); removed afterwards")(
      "no-distance-weighting", "count every pair in the window as 1, not 1/distance")(
      "glove-output", po::value(&glove_output)->default_value(glove_output),
      "vectors written: sum (W + W~, GloVe's model 2), word (W) or concat ([W W~])")(
      "save-cooccurrence", po::value(&job.save_cooccurrence),
      "also write the counted co-occurrences (with the vocabulary) to FILE; with --epochs 0, only that")(
      "cooccurrence", po::value(&job.load_cooccurrence),
      "train from a file written by --save-cooccurrence instead of a corpus (no recounting)");
  po::options_description all;
  all.add(io).add(training).add(glove).add(logging_options());
  po::variables_map vm;
  if (!parse_or_help(args, all, nullptr, kTrainUsage, vm)) return 0;
  configure_logging(vm);

  const bool is_glove = model == "glove";
  // The models differ in their defaults; an explicit value always wins.
  if (vm["window"].defaulted()) window = is_glove ? 10 : 5;
  if (vm["epochs"].defaulted()) epochs = is_glove ? 15 : 5;
  if (!is_glove) o.model = parse_model(model);
  job.format = parse_vector_format(format);
  job.requested_dim = parse_dimension(dim_text);
  job.quiet = vm.count("quiet") > 0;
  if (job.input.empty() && !(is_glove && !job.load_cooccurrence.empty()))
    throw UsageError("--input is required");
  const bool glove_count_only = is_glove && epochs == 0 && !job.save_cooccurrence.empty();
  if (job.output.empty() && !glove_count_only) throw UsageError("--output is required");
  // Fail before hours of work, not after.
  for (const std::string* out : {&job.output, &save_vocab, &job.save_cooccurrence}) {
    if (out->empty()) continue;
    if (*out == job.input || *out == job.load_cooccurrence)
      throw Error(*out + ": an output is the same file as --input; refusing to overwrite the input");
    check_output_path(*out);
  }

  if (is_glove) {
    co.window = window;
    co.distance_weighting = vm.count("no-distance-weighting") == 0;
    co.threads = go.threads = o.threads;
    go.epochs = epochs;
    go.learning_rate = alpha > 0 ? alpha : 0.05;
    go.seed = o.seed;
    go.output = parse_glove_output(glove_output);
    go.dim = std::max(1, job.requested_dim);  // placeholder until the vocabulary is known
    co.validate();
    go.validate();
    if (epochs == 0 && (job.save_cooccurrence.empty() || !job.output.empty()))
      throw UsageError("--model glove --epochs 0 only counts: give --save-cooccurrence FILE and no --output");
    return run_glove(job, vo, go, co, save_vocab);
  }

  o.window = window;
  o.epochs = epochs;
  o.alpha = alpha;
  o.update = parse_skipgram_update(update);
  o.dim = std::max(1, job.requested_dim);  // placeholder until the vocabulary is known
  o.validate();
  const Vocabulary vocab = read_vocabulary(job.input, vo, o.thread_count(), save_vocab);

  o.dim = choose_dimension(job.requested_dim, vocab.size());
  const Kernels kernels = select_kernels();
  spdlog::info("training {} ({} update), dim {}, window {}, negative {}, sample {}, {} epochs, {} threads, "
               "alpha {}, {} kernels",
               model_name(o.model), o.model == Model::SkipGram ? update : "cbow", o.dim, o.window, o.negative,
               o.sample, o.epochs, o.thread_count(), o.start_alpha(), kernels.name);

  SgnsTrainer trainer(vocab, o, kernels);
  ProgressPrinter printer(job.quiet);
  TrainingSummary summary;
  {
    InterruptWatcher interrupts([&] { trainer.request_stop(); });
    summary = trainer.train(job.input, [&](const TrainingProgress& p) { printer(p); });
    if (interrupts.interrupted()) {
      spdlog::error("interrupted: no vectors written");
      return 130;
    }
  }
  if (!std::isfinite(summary.final_loss))
    throw Error("training diverged (loss is not finite); try a lower --alpha");
  write_vectors(job.output, vocab.words(), trainer.model().input, job.format);
  spdlog::info("wrote {} vectors of dimension {} to {} ({})", vocab.size(), o.dim, job.output,
               vector_format_name(job.format));
  return 0;
}

}  // namespace wordvec::cli
