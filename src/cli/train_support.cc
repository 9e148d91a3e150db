// Pieces shared by the skip-gram/CBOW and GloVe halves of `wordvec train`.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>

#include "train_job.h"
#include "wordvec/corpus.h"
#include "wordvec/dimension.h"
#include "wordvec/error.h"

namespace wordvec::cli {
namespace {

// Set by the signal handler; a signal handler can only reach static storage.
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void on_stop_signal(int signal) { g_stop_signal = signal; }

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


}  // namespace

InterruptWatcher::InterruptWatcher(std::function<void()> request_stop) {
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

InterruptWatcher::~InterruptWatcher() {
  done_.store(true);
  watcher_.join();
  for (int i = 0; i < 2; ++i) sigaction(kSignals[i], &previous_[i], nullptr);
}

bool InterruptWatcher::interrupted() const { return interrupted_.load() || g_stop_signal != 0; }

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

Vocabulary read_vocabulary(const std::string& input, const VocabOptions& vo, unsigned threads,
                           const std::string& save_vocab) {
  VocabStats stats;
  spdlog::info("reading vocabulary from {}", input);
  Vocabulary vocab = Vocabulary::build(input, vo, &stats, threads);
  log_vocabulary(stats, vocab, vo);
  if (!save_vocab.empty()) vocab.save(save_vocab);
  return vocab;
}

std::string corpus_fingerprint(const std::string& path) {
  // Size and a hash of the first MiB: cheap, and catches a replaced or edited corpus.
  const std::uint64_t size = corpus_file_size(path);
  std::string head(std::min<std::uint64_t>(size, 1 << 20), '\0');
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr || std::fread(head.data(), 1, head.size(), f) != head.size()) {
    if (f != nullptr) std::fclose(f);
    throw file_error(path, "cannot read the corpus");
  }
  std::fclose(f);
  std::uint64_t hash = 0xCBF29CE484222325ull;
  for (unsigned char c : head) hash = (hash ^ c) * 0x100000001B3ull;
  return std::to_string(size) + ":" + std::to_string(hash);
}

void check_corpus_fingerprint(const Checkpoint& checkpoint) {
  const std::string& input = checkpoint.setting("input");
  if (corpus_fingerprint(input) != checkpoint.setting("corpus"))
    throw file_error(input, "the corpus changed since the checkpoint was taken; cannot resume");
}

void log_interrupted(const TrainJob& job) {
  if (job.checkpoint.empty()) {
    spdlog::error("interrupted: no vectors written");
    return;
  }
  spdlog::error("interrupted: no vectors written; the checkpoint {} holds the run, continue it with: "
                "wordvec train --resume {} --output {}",
                job.checkpoint, job.checkpoint, job.output);
}

}  // namespace wordvec::cli
