// wordvec train: corpus -> vocabulary -> (dimension) -> trainer -> vectors.
#include <spdlog/spdlog.h>

#include <csignal>
#include <chrono>
#include <cmath>
#include <thread>

#include "cli.h"
#include "wordvec/atomic_file.h"
#include "wordvec/dimension.h"
#include "wordvec/error.h"
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
    "model). The corpus is plain text: tokens separated by whitespace, one sentence\n"
    "or paragraph per line. Vectors are written in descending word frequency.";

// Set by the signal handler; a signal handler can only reach static storage.
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int signal) { g_stop_signal = signal; }

// While alive, SIGINT and SIGTERM ask the trainer to stop instead of killing
// the process, so no partial output is left behind. (Handlers, not a blocked
// mask: OpenBLAS starts threads before main that would receive the signal.)
// A signal that was ignored when the process started stays ignored (nohup).
class InterruptWatcher {
 public:
  explicit InterruptWatcher(SgnsTrainer& trainer) {
    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    for (int i = 0; i < 2; ++i) {
      sigaction(kSignals[i], nullptr, &previous_[i]);
      if (previous_[i].sa_handler != SIG_IGN) sigaction(kSignals[i], &action, nullptr);
    }
    watcher_ = std::thread([this, &trainer] {
      while (!done_.load()) {
        if (g_stop_signal != 0) {
          trainer.request_stop();
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

}  // namespace

int run_train(const std::vector<std::string>& args) {
  SgnsOptions o;
  VocabOptions vo;
  std::string input, output, model = "skipgram", format = "bin", save_vocab, dim_text = "auto",
                             update = "batched";
  po::options_description io("Input and output");
  io.add_options()("input,i", po::value(&input)->required(), "training corpus (plain text, UTF-8 or any bytes)")(
      "output,o", po::value(&output)->required(), "where to write the vectors (replaced atomically)")(
      "format", po::value(&format)->default_value(format), "vector format: bin (word2vec binary), text (word2vec text), vec (fastText), glove, npy")(
      "save-vocab", po::value(&save_vocab), "also write the vocabulary as 'word count' lines");
  po::options_description training("Training");
  training.add_options()("model,m", po::value(&model)->default_value(model), "skipgram or cbow")(
      "dim,d", po::value(&dim_text)->default_value(dim_text),
      "vector dimension, or 'auto' for the minimum-entropy suggestion for the vocabulary size (see 'wordvec dim')")(
      "window,w", po::value(&o.window)->default_value(o.window),
      "max context words on each side (each word draws 1..window, as word2vec)")(
      "negative,n", po::value(&o.negative)->default_value(o.negative), "negative samples per positive")(
      "sample,s", po::value(&o.sample)->default_value(o.sample),
      "subsampling threshold for frequent words (0 = off); keep prob. sqrt(t/f) + t/f")(
      "min-count", po::value(&vo.min_count)->default_value(vo.min_count), "drop words seen fewer times")(
      "max-vocab", po::value(&vo.max_vocab)->default_value(0), "keep at most this many words (0 = no limit)")(
      "epochs,e", po::value(&o.epochs)->default_value(o.epochs), "passes over the corpus")(
      "alpha,a", po::value(&o.alpha)->default_value(0.0, "0.025 skipgram, 0.05 cbow"),
      "start learning rate; decays linearly to alpha * 1e-4")(
      "threads,t", po::value(&o.threads)->default_value(0, "all cores"), "training threads")(
      "seed", po::value(&o.seed)->default_value(o.seed), "random seed (runs with --threads 1 are reproducible)")(
      "update", po::value(&update)->default_value(update),
      "skip-gram update: batched (negatives shared across the window, faster) or exact (word2vec.c's)");
  po::options_description all;
  all.add(io).add(training).add(logging_options());
  po::variables_map vm;
  if (!parse_or_help(args, all, nullptr, kTrainUsage, vm)) return 0;
  configure_logging(vm);

  o.model = parse_model(model);
  o.update = parse_skipgram_update(update);
  o.dim = std::max(1, parse_dimension(dim_text));  // placeholder until the vocabulary is known
  const VectorFormat vector_format = parse_vector_format(format);
  o.validate();
  // Fail before hours of work, not after.
  if (input == output) throw Error("--output is the same file as --input; refusing to overwrite the corpus");
  check_output_path(output);
  if (!save_vocab.empty()) check_output_path(save_vocab);

  VocabStats stats;
  spdlog::info("reading vocabulary from {}", input);
  const Vocabulary vocab = Vocabulary::build(input, vo, &stats, o.thread_count());
  spdlog::info("{} tokens, {} lines; {} distinct words, {} kept (min-count {}{}), {} training words per epoch",
               stats.scan.tokens, stats.scan.lines, stats.distinct_words, vocab.size(), vo.min_count,
               vo.max_vocab ? ", max-vocab " + std::to_string(vo.max_vocab) : "", vocab.total_count());
  if (stats.scan.truncated_tokens > 0)
    spdlog::warn("{} tokens were longer than {} bytes and were cut to that length", stats.scan.truncated_tokens,
                 kMaxTokenBytes);
  if (stats.prune_threshold > 0)
    spdlog::warn("the vocabulary table was pruned while counting (words seen <= {} times dropped)",
                 stats.prune_threshold);
  if (!save_vocab.empty()) vocab.save(save_vocab);

  o.dim = choose_dimension(parse_dimension(dim_text), vocab.size());
  const Kernels kernels = select_kernels();
  spdlog::info("training {} ({} update), dim {}, window {}, negative {}, sample {}, {} epochs, {} threads, "
               "alpha {}, {} kernels",
               model_name(o.model), o.model == Model::SkipGram ? update : "cbow", o.dim, o.window, o.negative,
               o.sample, o.epochs, o.thread_count(), o.start_alpha(), kernels.name);

  SgnsTrainer trainer(vocab, o, kernels);
  ProgressPrinter printer(vm.count("quiet") > 0);
  TrainingSummary summary;
  {
    InterruptWatcher interrupts(trainer);
    summary = trainer.train(input, [&](const TrainingProgress& p) { printer(p); });
    if (interrupts.interrupted()) {
      spdlog::error("interrupted: no vectors written");
      return 130;
    }
  }
  if (!std::isfinite(summary.final_loss))
    throw Error("training diverged (loss is not finite); try a lower --alpha");
  write_vectors(output, vocab.words(), trainer.model().input, vector_format);
  spdlog::info("wrote {} vectors of dimension {} to {} ({})", vocab.size(), o.dim, output,
               vector_format_name(vector_format));
  return 0;
}

}  // namespace wordvec::cli
