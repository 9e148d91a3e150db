// Skip-gram and CBOW with negative sampling (word2vec's SGNS), trained with
// Hogwild threads, each streaming its own shard of the corpus.
//
// The pieces are kept apart so that a distributed trainer can reuse them:
// the corpus shard (ByteRange), the parameters (SgnsModel), the learning-rate
// schedule (LearningRateSchedule), the per-thread work (the SgnsWorker in
// sgns.cc) and the update steps (sgns_step), which know nothing of threads.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wordvec/core/error.h"
#include "wordvec/text/corpus.h"
#include "wordvec/core/matrix.h"
#include "wordvec/core/parallel.h"
#include "wordvec/core/progress.h"
#include "wordvec/core/settings.h"
#include "wordvec/simd/kernels.h"
#include "wordvec/train/exchange.h"
#include "wordvec/text/subwords.h"
#include "wordvec/text/vocabulary.h"

namespace wordvec {

enum class Model { SkipGram, Cbow };

// How skip-gram updates a window.
//  Batched: the negatives are drawn once per centre word and shared by its
//    whole context window (as Ji et al.'s HogBatch); all scores are computed
//    before any row is updated. Fewer samples and rows touched per word.
//  Exact: word2vec.c's update: fresh negatives for every (context, centre)
//    pair, rows updated pair by pair. With subwords, fastText's: the centre
//    word's n-gram rows predict each context word in turn, fresh negatives
//    per pair (the default there: batched trails fastText by 3-4 analogy
//    points, docs/experiments.md).
enum class SkipGramUpdate { Batched, Exact };

// The update a skip-gram run gets when none is asked for: exact with
// subwords (fastText's quality), batched otherwise (word2vec.c's quality, faster).
SkipGramUpdate default_skipgram_update(bool subwords);

// What the output layer predicts a context word with:
//  NegativeSampling: the word's output row against `negative` sampled ones.
//  HierarchicalSoftmax: word2vec's binary decisions along the word's path in
//    a Huffman tree of the counts (output rows = inner nodes); no sampling.
enum class Loss { NegativeSampling, HierarchicalSoftmax };

struct SgnsOptions {
  Model model = Model::SkipGram;
  int dim = 100;              // vector dimension
  int window = 5;             // max context words on each side; each centre draws 1..window
  int negative = 5;           // negative samples per positive (1..64)
  double sample = 1e-4;       // subsampling threshold t; 0 disables
  int epochs = 5;             // passes over the corpus
  unsigned threads = 0;       // 0 = all cores
  double learning_rate = 0;   // at the start; 0 = the model's default (default_learning_rate)
  double min_learning_rate_ratio = 1e-4;  // the rate decays linearly to learning_rate * this
  std::uint64_t seed = 1;
  SkipGramUpdate update = SkipGramUpdate::Batched;
  Loss loss = Loss::NegativeSampling;
  // fastText's subword model (off by default): a word's input vector is the
  // mean of its row and its n-gram bucket rows; every one of them gets the
  // gradient. Skip-gram then trains as fastText's does -- the centre word's
  // subwords predict the window's words: pair by pair with the exact update,
  // or all at once against one draw of negatives (each weighted by the
  // window's size) with the batched one -- and CBOW averages the rows of
  // every context word's subwords.
  SubwordOptions subwords;
  // Positions of a sentence that train against one draw of negatives
  // (batched skip-gram and CBOW; the exact update ignores it), spaced
  // 2 window + 1 apart so that no context word meets one draw twice
  // (NegativeDraws). Their output rows are then drawn and fetched once per
  // share positions: 4 is faster than 1 with analogy and WS353 scores as good
  // (docs/experiments.md); 1 draws for every position as word2vec.c does.
  int negative_share = 4;
  // Longer lines are trained in chunks of this many vocabulary words (counted
  // before subsampling, so the chunks are the same in every epoch).
  std::size_t max_sentence_words = 10000;
  // Epochs after the first replay a compact copy of the corpus (IdStream,
  // ~1.6 bytes per word) instead of reading the text: in memory while it fits
  // in this many GiB, beyond that in an unlinked temporary file in temp_dir
  // (mapped, so the page cache holds what fits); 0 = read the text every
  // epoch. Results are identical either way.
  double cache_memory_gib = 1.0;
  std::string temp_dir;  // "" = $TMPDIR or /tmp
  double progress_interval_seconds = 1.0;

  double start_learning_rate() const;  // learning_rate, or the model's default
  // Where fastText's choices differ from word2vec's, subword skip-gram takes
  // fastText's: input rows start uniform in +-init_half_width()/dim (word2vec
  // 0.5, fastText 1) and negatives are drawn from counts^negative_power()
  // (0.75, 0.5). With word2vec's, its vectors for unseen words trailed
  // fastText's on WS353; with fastText's they lead, and the known words score
  // as well. Subword CBOW lost 0.015 on WS353 with them, so keeps word2vec's
  // (docs/experiments.md, 2026-12-04).
  bool fasttext_start_and_negatives() const { return subwords.enabled() && model == Model::SkipGram; }
  float init_half_width() const { return fasttext_start_and_negatives() ? 1.0f : 0.5f; }
  double negative_power() const { return fasttext_start_and_negatives() ? 0.5 : 0.75; }
  unsigned thread_count() const { return resolve_threads(threads); }
  // Throws OptionError naming the field and its valid range.
  void validate() const;
  // The numeric fields with their values and valid ranges (what validate checks).
  std::vector<RangedField> ranged_fields() const;

  // The options as settings "sgns.FIELD" (with "sgns.version"), and back
  // (validated; throws Error naming the source for a missing or bad one).
  // threads, cache_memory_gib, temp_dir and progress_interval_seconds belong to the
  // machine, not the model: they are not stored.
  Settings to_settings() const;
  static SgnsOptions from_settings(const Settings& settings);
};

// word2vec's start learning rates: 0.025 skip-gram, 0.05 CBOW.
double default_learning_rate(Model model);

const char* model_name(Model model);
Model parse_model(const std::string& name);
SkipGramUpdate parse_skipgram_update(const std::string& name);
const char* loss_name(Loss loss);  // "ns", "hs"
Loss parse_loss(const std::string& name);

// The learning rate decays linearly with the words processed, never below start * min_ratio.
struct LearningRateSchedule {
  double start = 0.025;
  double min_ratio = 1e-4;
  std::uint64_t total_words = 1;  // corpus words x epochs
  float at(std::uint64_t words_done) const;
};

// The two matrices of SGNS: input (the word vectors) and output (context).
struct SgnsModel {
  Matrix input;
  Matrix output;
  // word2vec's initialisation: input uniform in +-half_width/dim (word2vec's
  // 0.5; SgnsOptions::init_half_width), output zero.
  // Row r's values depend only on (seed, r), not on the thread count.
  // input_rows: the vocabulary's, plus the subword buckets (default: as many as output).
  static SgnsModel initialise(std::size_t vocab_size, std::size_t dim, std::uint64_t seed, std::size_t input_rows = 0,
                              float half_width = 0.5f);
};

// Where one worker is in its shard: enough to continue exactly there.
struct SgnsWorkerState {
  std::uint64_t shard_begin = 0, shard_end = 0;  // its byte range of the corpus
  std::uint64_t position = 0;     // where the epoch in progress continues
  std::uint64_t epoch = 0;        // 0-based epoch in progress; == epochs when done
  std::uint64_t rng_state = 0;
  std::uint64_t unsynced_words = 0;  // words not yet added to words_done
  float learning_rate = 0;           // as of its last sync
};

// A run's position: taken with every worker paused at a line break (or a
// chunk boundary of a long line), so continuing from it trains exactly as the
// run would have (bit-identical with one thread).
struct SgnsRunState {
  std::uint64_t words_done = 0;
  std::vector<SgnsWorkerState> workers;

  std::vector<std::uint64_t> to_numbers() const;
  static SgnsRunState from_numbers(const std::vector<std::uint64_t>& numbers);  // throws Error
};

// Periodic snapshots while training: save() runs on the training call's
// thread with every worker paused; also once more when a stop is requested.
struct SnapshotPolicy {
  double interval_seconds = 0;
  std::function<void(const SgnsRunState&)> save;
};

// Distributed training: the trainer is one of several processes, each on its
// own part of the corpus. Every `every_words` words this trainer reads, its
// workers pause at line breaks and exchange() runs on the training call's
// thread: it may change the model (combine it with the other processes'),
// and returns the words every process has read so far, which the learning
// rate and the progress then follow. Once this trainer's shards are done it
// calls exchange(finished = true) until every process has finished, so each
// process makes the same sequence of exchanges (they are collectives).
//
// With snapshots too, a distributed run takes them only right after an
// exchange (the model is then the same everywhere), on every process at the
// same exchange: one whose interval has passed asks (want_snapshot), and the
// exchange tells all (ExchangeResult::snapshot). A stop takes no snapshot.
struct ExchangePolicy {
  std::uint64_t every_words = 0;
  std::function<ExchangeResult(std::uint64_t words_since_last, bool finished, bool want_snapshot)> exchange;
  // Makes this process's random streams its own (negatives, subsampling,
  // windows): worker i uses stream first_stream + i.
  std::uint64_t first_stream = 0;
  // The processes in the run. Between exchanges the schedule counts each
  // word this process reads as `processes` words (the others read about as
  // fast), so the learning rate does not lag; each exchange sets the true count.
  unsigned processes = 1;
};

struct TrainingSummary {
  std::uint64_t words = 0;  // corpus words processed, all epochs
  double seconds = 0;
  double final_loss = 0;  // mean loss per pair since the last progress report
};

class SnapshotGate;  // sgns.cc

class SgnsTrainer {
 public:
  SgnsTrainer(const Vocabulary& vocab, SgnsOptions options, Kernels kernels);

  // Trains on the whole corpus, split into one shard per thread.
  TrainingSummary train(const std::string& corpus_path, const ProgressCallback& progress = {});
  // Trains on the given shards of the corpus, one thread per shard.
  TrainingSummary train_shards(const std::string& corpus_path, const std::vector<ByteRange>& shards,
                               const ProgressCallback& progress = {});

  // Snapshots of the run (for checkpoints); none by default.
  void set_snapshots(SnapshotPolicy policy) { snapshots_ = std::move(policy); }
  // Exchanges with other processes (distributed training); none by default.
  void set_exchanges(ExchangePolicy policy) {
    exchanges_ = std::move(policy);
    exchanges_.processes = std::max(1u, exchanges_.processes);
  }
  // Continues a run from a snapshot: its model and state replace the fresh
  // ones; the next train() uses the state's shards (not a new split).
  void restore(SgnsModel model, SgnsRunState state);
  // The corpus words one epoch reads, for the learning-rate schedule and the
  // progress (default: the vocabulary's total count). A continued model's
  // vocabulary counts old and new text; its epochs read only the new.
  void set_words_per_epoch(std::uint64_t words) { words_per_epoch_ = words; }
  std::uint64_t words_per_epoch() const { return words_per_epoch_; }
  // Input rows of words marked non-zero are not updated (--freeze-init): an
  // update meant for them goes to a per-thread copy and is dropped.
  void freeze_input_rows(std::vector<std::uint8_t> frozen);

  // Asks a running train() to stop soon (safe from another thread or a signal handler).
  void request_stop() { stop_requested_.store(true, std::memory_order_relaxed); }
  bool stopped() const { return stop_requested_.load(std::memory_order_relaxed); }

  const SgnsModel& model() const { return model_; }
  // The subword rows of every word (null without subwords).
  const SubwordIndex* subwords() const { return subwords_ ? &*subwords_ : nullptr; }
  // The matrices, to start from other values before train() (a continued
  // model's rows, pretrained vectors); fresh ones until then.
  SgnsModel& model() { return model_; }

 private:
  // The training call's thread while the workers run: snapshots and exchanges.
  void coordinate(SnapshotGate& gate, std::atomic<std::uint64_t>& words_done);
  ExchangeResult exchange(std::atomic<std::uint64_t>& words_done, std::uint64_t& words_at_exchange, bool finished,
                          bool want_snapshot);
  const Vocabulary& vocab_;
  SgnsOptions options_;
  Kernels kernels_;
  SgnsModel model_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> diverged_{false};  // stops the run; no snapshot of it is saved
  SnapshotPolicy snapshots_;
  ExchangePolicy exchanges_;
  std::optional<SgnsRunState> resume_;
  std::uint64_t words_per_epoch_;
  std::vector<std::uint8_t> frozen_;  // per word; empty = none frozen
  std::optional<SubwordIndex> subwords_;
};

// The word vectors of a model: its input rows, or with subwords the mean of
// each word's rows (fastText's .vec).
Matrix word_vectors(const SgnsModel& model, const SubwordIndex* subwords);
// The mean of the given input rows into `out` (dim floats; zeros when there are none).
void mean_of_rows(const Matrix& input, std::span<const std::int32_t> rows, float* out);

}  // namespace wordvec
