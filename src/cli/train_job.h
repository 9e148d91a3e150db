// Internal to `wordvec train`: what its model-specific halves share.
#pragma once

#include <atomic>
#include <csignal>
#include <functional>
#include <string>
#include <thread>

#include "wordvec/checkpoint.h"
#include "wordvec/cooccurrence.h"
#include "wordvec/glove.h"
#include "wordvec/sgns.h"
#include "wordvec/vectors_io.h"
#include "wordvec/vocabulary.h"

namespace wordvec::cli {

// Everything of a training job that is not a library option struct.
struct TrainJob {
  std::string input, output, save_vocab;
  VectorFormat format = VectorFormat::Word2VecBinary;
  int requested_dim = 0;  // 0 = auto
  bool quiet = false;
  // GloVe
  std::string save_cooccurrence, load_cooccurrence;
  // Checkpoints: written every checkpoint_seconds (and on an interrupt, for
  // skip-gram/CBOW) when checkpoint is set; resume is the one read.
  std::string checkpoint, resume;
  double checkpoint_seconds = 600;
};

// While alive, SIGINT and SIGTERM call request_stop instead of killing the
// process, so no partial output is left behind. (Handlers, not a blocked
// mask: OpenBLAS starts threads before main that would receive the signal.)
// A signal that was ignored when the process started stays ignored (nohup).
class InterruptWatcher {
 public:
  explicit InterruptWatcher(std::function<void()> request_stop);
  ~InterruptWatcher();
  InterruptWatcher(const InterruptWatcher&) = delete;
  InterruptWatcher& operator=(const InterruptWatcher&) = delete;
  bool interrupted() const;

 private:
  static constexpr int kSignals[2] = {SIGINT, SIGTERM};
  struct sigaction previous_[2] {};
  std::atomic<bool> done_{false}, interrupted_{false};
  std::thread watcher_;
};

// The dimension to train: the minimum-entropy suggestion for `requested` 0
// (logged), else `requested`, with a warning when it is below the bound.
int choose_dimension(int requested, std::size_t vocab_size);

// Builds (and logs, and optionally saves) the vocabulary of the corpus.
Vocabulary read_vocabulary(const std::string& input, const VocabOptions& vo, unsigned threads,
                           const std::string& save_vocab);

// The corpus a checkpoint names must still be the same file (size and head).
std::string corpus_fingerprint(const std::string& path);
void check_corpus_fingerprint(const Checkpoint& checkpoint);

// Logs that training was interrupted and, with a checkpoint, how to go on.
void log_interrupted(const TrainJob& job);

int run_sgns(const TrainJob& job, SgnsOptions options, const VocabOptions& vo, Checkpoint* resume);
// The options a skip-gram/CBOW checkpoint was taken with.
SgnsOptions sgns_options_from(const Checkpoint& checkpoint);
int run_glove(const TrainJob& job, GloveOptions go, CooccurrenceOptions co, const VocabOptions& vo,
              Checkpoint* resume);
// The options a GloVe checkpoint was taken with.
void glove_options_from(const Checkpoint& checkpoint, GloveOptions& go, CooccurrenceOptions& co, TrainJob& job);

// Settings are stored as text; numbers in their shortest exact form.
std::string setting_text(double value);
double setting_number(const Checkpoint& checkpoint, const std::string& name);

}  // namespace wordvec::cli
