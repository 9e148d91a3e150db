// GloVe (Pennington et al., 2014): weighted least squares on the logarithm of
// the co-occurrence counts, trained with AdaGrad by Hogwild threads, each over
// its slice of the (shuffled) records.
//
//   J = sum_ij f(X_ij) (w_i . c_j + b_i + d_j - log X_ij)^2,
//   f(x) = min(1, (x / x_max)^weighting_exponent)
//
// Each model row holds [vector | bias | 1 | padding] for words and
// [vector | 1 | bias | padding] for contexts, so one dot product gives
// w.c + b + d and one fused AdaGrad kernel updates vector and bias together
// (the constant 1s have huge AdaGrad sums, so they never move). The biases
// learn at their own rate: a bias AdaGrad sum that starts at
// (learning_rate / bias_learning_rate)^2 instead of 1 turns the shared step
// learning_rate g / sqrt(sum) into bias_learning_rate g / sqrt(1 + sum of
// (bias_learning_rate g)^2), with no extra work per update. Only the SIMD
// kernels touch the rows, as in the SGNS trainer. The squared-gradient sums
// live in the second half of the same row, beside the values they scale, so an
// update touches two memory regions rather than four.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "wordvec/core/error.h"
#include "wordvec/train/cooccurrence.h"
#include "wordvec/core/matrix.h"
#include "wordvec/core/parallel.h"
#include "wordvec/core/progress.h"
#include "wordvec/core/settings.h"
#include "wordvec/simd/kernels.h"
#include "wordvec/train/exchange.h"

namespace wordvec {

enum class GloveOutput { Sum, Word, Concat };  // W + C (GloVe's model 2), W alone, [W C]

struct GloveOptions {
  int dim = 100;
  int epochs = 15;           // GloVe's iterations
  double x_max = 0;          // counts at or above get weight 1; 0 = auto: auto_x_max(corpus tokens)
  double weighting_exponent = 0.75;  // GloVe's alpha
  double learning_rate = 0.05;       // AdaGrad's initial step for the vectors
  // AdaGrad's initial step for the biases. 1 is Stanford GloVe's (its bias step
  // is the weighted error itself, without eta); on rare words, whose biases see
  // few updates, 0.05 leaves the biases short and the vectors absorb the rest
  // (docs/glove.md, "Rare words").
  double bias_learning_rate = 1.0;
  unsigned threads = 0;      // 0 = all cores
  std::uint64_t seed = 1;
  GloveOutput output = GloveOutput::Sum;
  double progress_interval_seconds = 1.0;

  unsigned thread_count() const { return resolve_threads(threads); }
  void validate() const;  // throws OptionError naming the field and its valid range
  // The numeric fields with their values and valid ranges (what validate checks).
  std::vector<RangedField> ranged_fields() const;

  // As settings "glove.FIELD" (with "glove.version") and back, validated;
  // threads and progress_interval_seconds are the machine's, not stored.
  Settings to_settings() const;
  static GloveOptions from_settings(const Settings& settings);
};

// The x-max that fits a corpus of `tokens` (in-vocabulary) words: 10 up to
// 60 million tokens (the best of 2..100 on 2M and 35M tokens of Wikipedia,
// see docs/glove.md; Stanford's demo setting), then growing with the square
// root of the corpus to 100 at 6 billion (the GloVe paper's setting there),
// never above 100. Pairs seen more often than this get full weight.
double auto_x_max(std::uint64_t tokens);

GloveOutput parse_glove_output(const std::string& name);  // sum, word, concat
const char* glove_output_name(GloveOutput output);

// Word and context parameters with their AdaGrad sums.
class GloveModel {
 public:
  // GloVe's initialisation: values uniform in +-0.5/dim, squared-gradient sums
  // 1, the biases' `bias_sum_start` (see the top of this file).
  GloveModel(std::size_t vocab_size, std::size_t dim, std::uint64_t seed, float bias_sum_start = 1);

  std::size_t dim() const { return dim_; }
  std::size_t vocab_size() const { return words_.rows(); }
  // Floats of [vector | bias | 1 | padding]; the AdaGrad sums follow at +span().
  std::size_t span() const { return span_; }
  float* word(std::size_t i) { return words_.row(i); }
  float* context(std::size_t i) { return contexts_.row(i); }
  const float* word(std::size_t i) const { return words_.row(i); }
  const float* context(std::size_t i) const { return contexts_.row(i); }
  float word_bias(std::size_t i) const { return words_.row(i)[dim_]; }
  float context_bias(std::size_t i) const { return contexts_.row(i)[dim_ + 1]; }

  // The vectors to write (biases dropped).
  Matrix vectors(GloveOutput output) const;

  // The raw rows (values and AdaGrad sums), for checkpoints.
  const Matrix& word_rows() const { return words_; }
  const Matrix& context_rows() const { return contexts_; }
  Matrix& word_rows() { return words_; }  // for a distributed run's exchanges
  Matrix& context_rows() { return contexts_; }
  // A model from raw rows as word_rows()/context_rows() gave them; throws Error if they do not fit `dim`.
  static GloveModel from_rows(std::size_t dim, Matrix words, Matrix contexts);

  // One row's parts by name, as model files store them (the layout inside a
  // row stays this class's business): its vector (dim floats), its bias, and
  // their AdaGrad sums (dim floats, then the bias's).
  enum class Side { Word, Context };
  float* vector(Side side, std::size_t i) { return rows(side).row(i); }
  const float* vector(Side side, std::size_t i) const { return rows(side).row(i); }
  float& bias(Side side, std::size_t i) { return rows(side).row(i)[bias_at(side)]; }
  float bias(Side side, std::size_t i) const { return rows(side).row(i)[bias_at(side)]; }
  float* vector_sums(Side side, std::size_t i) { return rows(side).row(i) + span_; }
  const float* vector_sums(Side side, std::size_t i) const { return rows(side).row(i) + span_; }
  float& bias_sum(Side side, std::size_t i) { return rows(side).row(i)[span_ + bias_at(side)]; }
  float bias_sum(Side side, std::size_t i) const { return rows(side).row(i)[span_ + bias_at(side)]; }
  // Keeps row i's vectors (word and context) where they are: their AdaGrad
  // sums become so large that no step moves them. The biases still learn.
  void freeze_vectors(std::size_t i);

 private:
  GloveModel() = default;
  Matrix& rows(Side side) { return side == Side::Word ? words_ : contexts_; }
  const Matrix& rows(Side side) const { return side == Side::Word ? words_ : contexts_; }
  std::size_t bias_at(Side side) const { return side == Side::Word ? dim_ : dim_ + 1; }
  std::size_t dim_ = 0, span_ = 0;
  Matrix words_, contexts_;
};

// One AdaGrad step on one record; returns its loss 0.5 f (diff)^2, measured
// before the update. Exposed for the gradient tests.
float glove_step(GloveModel& model, const CooccurrenceRecord& record, const GloveOptions& options,
                 const Kernels& kernels);

// Distributed training: the trainer is one of several processes, each with
// its own records (dist/shared_cooccurrence.h: each owns a set of rows, and
// trains its records in rounds that touch disjoint context rows). An epoch
// is the rounds that end at round_ends (indices into the records; the same
// number on every process); after each round the threads join and
// exchange() (a collective) combines the processes' models. A process reads
// and writes only the word rows it owns, so the exchange need combine only
// the context rows, and the word rows when the model must be whole: for a
// snapshot, and at the end (`complete`: the run's last round). At an epoch's
// end the process asks for a snapshot when its interval has passed, and
// takes one when the exchange says so (all do). sum() totals numbers over
// the processes (the epoch's loss and records).
struct GloveExchanges {
  std::vector<std::size_t> round_ends;
  std::function<ExchangeResult(std::uint64_t records_since_last, bool want_snapshot, bool complete)> exchange;
  std::function<void(std::span<double> values)> sum;
  std::uint64_t all_records = 0;  // every process's records per epoch (for progress)
  unsigned processes = 1;         // progress reports records per second per thread of the whole run
};

struct GloveSummary {
  std::vector<double> epoch_loss;  // mean 0.5 f diff^2 per record, per epoch
  double seconds = 0;
};

class GloveTrainer {
 public:
  GloveTrainer(std::size_t vocab_size, const GloveOptions& options, const Kernels& kernels);

  // Trains over the records (already shuffled) for options.epochs. Progress:
  // words_done counts records. Throws Error when the loss becomes NaN or
  // infinite (with a hint to lower the learning rate).
  GloveSummary train(std::span<const CooccurrenceRecord> records, const ProgressCallback& progress = nullptr);

  // Called after an epoch when interval_seconds have passed since the last
  // call (or the start), with the number of epochs done: a consistent state.
  void set_snapshots(double interval_seconds, std::function<void(int epochs_done)> save) {
    snapshot_interval_ = interval_seconds;
    save_snapshot_ = std::move(save);
  }
  void set_exchanges(GloveExchanges exchanges) { exchanges_ = std::move(exchanges); }
  // Continues a run: train() then runs the epochs after `epochs_done`.
  void restore(GloveModel model, int epochs_done);

  void request_stop() { stop_.store(true); }
  bool stopped() const { return stop_.load(); }
  GloveModel& model() { return model_; }
  const GloveModel& model() const { return model_; }

 private:
  // One thread's records in one epoch; returns their loss sum. report(i, loss
  // so far) runs every 65536 records, when stopping is also checked.
  double train_slice(std::span<const CooccurrenceRecord> slice,
                     const std::function<void(std::size_t done, double loss)>& report);

  GloveOptions options_;
  Kernels kernels_;
  GloveModel model_;
  std::atomic<bool> stop_{false};
  int epochs_done_ = 0;
  double snapshot_interval_ = 0;
  std::function<void(int)> save_snapshot_;
  GloveExchanges exchanges_;
};

}  // namespace wordvec
