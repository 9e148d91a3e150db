#include "wordvec/train/sgns.h"

#include <condition_variable>
#include <mutex>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <cstring>
#include <optional>
#include <thread>

#include "wordvec/core/error.h"
#include "wordvec/core/units.h"
#include "train/sgns_step.h"
#include "train/sgns_worker.h"

namespace wordvec {

// ---------------------------------------------------------------- options

double default_learning_rate(Model model) { return model == Model::SkipGram ? 0.025 : 0.05; }

double SgnsOptions::start_learning_rate() const {
  return learning_rate > 0 ? learning_rate : default_learning_rate(model);
}

std::vector<RangedField> SgnsOptions::ranged_fields() const {
  return {{"dim", static_cast<double>(dim), {1, 10000}},
          {"window", static_cast<double>(window), {1, 1000}},
          {"negative", static_cast<double>(negative), {1, 64}},
          {"negative_share", static_cast<double>(negative_share), {1, 64}},
          {"sample", sample, {0, 1, false, true, "0 = no subsampling"}},
          {"epochs", static_cast<double>(epochs), {1, 100000}},
          {"threads", static_cast<double>(threads), {0, 1024, false, false, "0 = all cores"}},
          {"learning_rate", learning_rate, {0, 10, false, false, "0 = the model's default"}},
          {"min_learning_rate_ratio", min_learning_rate_ratio, {0, 1, true}},
          {"max_sentence_words", static_cast<double>(max_sentence_words), {1, 1e9}},
          {"cache_memory_gib", cache_memory_gib, {0, 1e6, false, false, "GiB; 0 = read the text every epoch"}}};
}

void SgnsOptions::validate() const {
  check_ranges(ranged_fields());
  subwords.validate();
}

namespace {
constexpr int kSgnsSettingsVersion = 1;
}  // namespace

Settings SgnsOptions::to_settings() const {
  Settings s;
  s.set("sgns.version", kSgnsSettingsVersion);
  s.set("sgns.model", model_name(model));
  s.set("sgns.update", update == SkipGramUpdate::Exact ? "exact" : "batched");
  s.set("sgns.loss", loss_name(loss));
  s.set("sgns.dim", dim);
  s.set("sgns.window", window);
  s.set("sgns.negative", negative);
  s.set("sgns.negative_share", negative_share);
  s.set("sgns.sample", sample);
  s.set("sgns.epochs", epochs);
  s.set("sgns.learning_rate", start_learning_rate());
  s.set("sgns.min_learning_rate_ratio", min_learning_rate_ratio);
  s.set("sgns.seed", seed);
  s.set("sgns.max_sentence_words", static_cast<std::uint64_t>(max_sentence_words));
  s.merge(subwords.to_settings());
  return s;
}

SgnsOptions SgnsOptions::from_settings(const Settings& s) {
  s.require_version("sgns", kSgnsSettingsVersion);
  SgnsOptions o;
  o.model = parse_model(s.text("sgns.model"));
  o.update = parse_skipgram_update(s.text("sgns.update"));
  if (s.has("sgns.loss")) o.loss = parse_loss(s.text("sgns.loss"));  // older files: negative sampling
  o.dim = s.small_integer("sgns.dim");
  o.window = s.small_integer("sgns.window");
  o.negative = s.small_integer("sgns.negative");
  o.negative_share = s.small_integer("sgns.negative_share");
  o.sample = s.number("sgns.sample");
  o.epochs = s.small_integer("sgns.epochs");
  o.learning_rate = s.number("sgns.learning_rate");
  o.min_learning_rate_ratio = s.number("sgns.min_learning_rate_ratio");
  o.seed = s.integer("sgns.seed");
  o.max_sentence_words = static_cast<std::size_t>(s.integer("sgns.max_sentence_words"));
  o.subwords = SubwordOptions::from_settings(s);
  s.validate_stored([&] { o.validate(); });
  return o;
}

const char* model_name(Model model) { return model == Model::SkipGram ? "skipgram" : "cbow"; }

Model parse_model(const std::string& name) {
  if (name == "skipgram" || name == "sg" || name == "skip-gram") return Model::SkipGram;
  if (name == "cbow") return Model::Cbow;
  throw Error("unknown model '" + name + "' (valid: skipgram, cbow)");
}

const char* loss_name(Loss loss) { return loss == Loss::HierarchicalSoftmax ? "hs" : "ns"; }

Loss parse_loss(const std::string& name) {
  if (name == "ns" || name == "negative-sampling") return Loss::NegativeSampling;
  if (name == "hs" || name == "hierarchical-softmax") return Loss::HierarchicalSoftmax;
  throw OptionError("loss", "must be ns (negative sampling) or hs (hierarchical softmax), got '" + name + "'");
}

SkipGramUpdate default_skipgram_update(bool subwords) {
  return subwords ? SkipGramUpdate::Exact : SkipGramUpdate::Batched;
}

SkipGramUpdate parse_skipgram_update(const std::string& name) {
  if (name == "batched") return SkipGramUpdate::Batched;
  if (name == "exact") return SkipGramUpdate::Exact;
  throw Error("unknown skip-gram update '" + name + "' (valid: batched, exact)");
}

float LearningRateSchedule::at(std::uint64_t words_done) const {
  const double left = 1.0 - static_cast<double>(words_done) / static_cast<double>(total_words + 1);
  return static_cast<float>(start * std::max(left, min_ratio));
}

SgnsModel SgnsModel::initialise(std::size_t vocab_size, std::size_t dim, std::uint64_t seed, std::size_t input_rows,
                                float half_width) {
  if (input_rows == 0) input_rows = vocab_size;
  SgnsModel m{Matrix(input_rows, dim), Matrix(vocab_size, dim)};
  const float scale = 2.0f * half_width / static_cast<float>(dim);
  for (std::size_t r = 0; r < input_rows; ++r) {
    Rng rng(seed, r);
    float* row = m.input.row(r);
    for (std::size_t c = 0; c < dim; ++c) row[c] = (rng.uniform() - 0.5f) * scale;
  }
  return m;
}

// ---------------------------------------------------------------- training

namespace {

// A mean loss per pair above this means the vectors are exploding: a sane run
// stays below 1 (log 2 per pair at the start, ~0.3-0.5 once trained), and a
// pair's loss is about |score| once |score| passes the sigmoid's range.
constexpr double kDivergedLoss = 50;

bool all_finite(const Matrix& m) {
  for (std::size_t r = 0; r < m.rows(); ++r)
    for (std::size_t c = 0; c < m.cols(); ++c)
      if (!std::isfinite(m.row(r)[c])) return false;
  return true;
}

}  // namespace


SgnsTrainer::SgnsTrainer(const Vocabulary& vocab, SgnsOptions options, Kernels kernels)
    : vocab_(vocab), options_(std::move(options)), kernels_(kernels), words_per_epoch_(vocab.total_count()) {
  options_.validate();
  if (vocab_.empty()) throw Error("cannot train on an empty vocabulary");
  if (options_.subwords.enabled()) subwords_.emplace(vocab_, options_.subwords);
  model_ = SgnsModel::initialise(vocab_.size(), static_cast<std::size_t>(options_.dim), options_.seed,
                                 subwords_ ? subwords_->input_rows() : vocab_.size(), options_.init_half_width());
}

void mean_of_rows(const Matrix& input, std::span<const std::int32_t> rows, float* out) {
  const std::size_t dim = input.cols();
  std::fill_n(out, dim, 0.0f);
  for (const std::int32_t r : rows) {
    const float* row = input.row(static_cast<std::size_t>(r));
    for (std::size_t c = 0; c < dim; ++c) out[c] += row[c];
  }
  if (rows.empty()) return;
  const float scale = 1.0f / static_cast<float>(rows.size());
  for (std::size_t c = 0; c < dim; ++c) out[c] *= scale;
}

Matrix word_vectors(const SgnsModel& model, const SubwordIndex* subwords) {
  if (subwords == nullptr) return model.input.clone();
  Matrix out(subwords->words(), model.input.cols());
  for (std::size_t w = 0; w < subwords->words(); ++w)
    mean_of_rows(model.input, subwords->rows(static_cast<std::int32_t>(w)), out.row(w));
  return out;
}

namespace {
bool fits(const SgnsModel& model, std::size_t words, std::size_t input_rows, int dim) {
  return model.input.rows() == input_rows && model.input.cols() == static_cast<std::size_t>(dim) &&
         model.output.rows() == words && model.output.cols() == model.input.cols();
}
}  // namespace

void SgnsTrainer::restore(SgnsModel model, SgnsRunState state) {
  if (!fits(model, vocab_.size(), model_.input.rows(), options_.dim)) throw Error("the checkpoint's matrices do not match the vocabulary and dim");
  if (state.workers.empty()) throw Error("the checkpoint has no worker state");
  model_ = std::move(model);
  resume_ = std::move(state);
}

void SgnsTrainer::freeze_input_rows(std::vector<std::uint8_t> frozen) {
  if (!frozen.empty() && frozen.size() != vocab_.size()) throw Error("the frozen rows do not match the vocabulary");
  if (!frozen.empty() && subwords_) throw Error("input rows cannot be frozen with subwords (a word's n-gram rows are shared)");
  frozen_ = std::move(frozen);
}

TrainingSummary SgnsTrainer::train(const std::string& corpus_path, const ProgressCallback& progress) {
  if (resume_) {
    std::vector<ByteRange> shards;
    for (const SgnsWorkerState& w : resume_->workers) shards.push_back({w.shard_begin, w.shard_end});
    return train_shards(corpus_path, shards, progress);
  }
  return train_shards(corpus_path, split_into_ranges(corpus_path, options_.thread_count()), progress);
}

std::vector<std::uint64_t> SgnsRunState::to_numbers() const {
  std::vector<std::uint64_t> n{words_done, workers.size()};
  for (const SgnsWorkerState& w : workers) {
    std::uint32_t lr_bits;
    std::memcpy(&lr_bits, &w.learning_rate, sizeof lr_bits);
    n.insert(n.end(), {w.shard_begin, w.shard_end, w.position, w.epoch, w.rng_state, w.unsynced_words, lr_bits});
  }
  return n;
}

SgnsRunState SgnsRunState::from_numbers(const std::vector<std::uint64_t>& n) {
  if (n.size() < 2 || n[1] == 0 || n[1] > 4096 || n.size() != 2 + 7 * n[1])
    throw Error("the checkpoint's training state is malformed");
  SgnsRunState s;
  s.words_done = n[0];
  for (std::size_t i = 0; i < n[1]; ++i) {
    const std::uint64_t* w = n.data() + 2 + 7 * i;
    SgnsWorkerState state{w[0], w[1], w[2], w[3], w[4], w[5], 0};
    const auto lr_bits = static_cast<std::uint32_t>(w[6]);
    std::memcpy(&state.learning_rate, &lr_bits, sizeof lr_bits);
    if (state.shard_begin > state.position || state.position > state.shard_end)
      throw Error("the checkpoint's training state is malformed (a position outside its shard)");
    s.workers.push_back(state);
  }
  return s;
}

void SgnsTrainer::coordinate(SnapshotGate& gate, std::atomic<std::uint64_t>& words_done) {
  const bool snapshots = static_cast<bool>(snapshots_.save);
  const bool distributed = static_cast<bool>(exchanges_.exchange);
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(std::max(0.0, snapshots_.interval_seconds)));
  auto next_snapshot = snapshots ? Clock::now() + interval : Clock::time_point::max();
  std::uint64_t words_at_exchange = words_done.load();
  const auto exchange_due = [&] {
    return distributed && words_done.load() - words_at_exchange >= exchanges_.every_words * exchanges_.processes;
  };
  struct CloseOnExit {
    SnapshotGate& gate;
    ~CloseOnExit() { gate.close(); }
  } close_on_exit{gate};
  // Until every worker is done: a snapshot each interval and a last one on a
  // stop; an exchange every every_words words (distributed: snapshots only
  // at exchanges, none on a stop).
  while (gate.wait(distributed ? Clock::time_point::max() : next_snapshot, [&] { return stopped() || exchange_due(); })) {
    if (stopped() && (!snapshots || distributed)) break;
    SgnsRunState state;
    if (!gate.pause_all(state.workers)) break;
    if (diverged_.load()) {  // a diverged model is not worth resuming: keep the last good snapshot
      gate.release();
      break;
    }
    try {
      // Alone: a snapshot when its interval has passed or on a stop.
      // Distributed: when an exchange says so (never on a stop: the other
      // processes are not at the same point).
      bool snapshot_now = snapshots && (stopped() || Clock::now() >= next_snapshot);
      if (distributed)
        snapshot_now = !stopped() && exchange_due() && exchange(words_done, words_at_exchange, false, snapshot_now).snapshot;
      if (snapshot_now) {
        state.words_done = words_done.load();
        snapshots_.save(state);
        next_snapshot = Clock::now() + interval;
      }
    } catch (...) {
      gate.release();
      request_stop();
      throw;
    }
    gate.release();
    if (stopped()) break;
  }
  // This process's shards are done; the others' may not be.
  if (!distributed || stopped()) return;
  while (!exchange(words_done, words_at_exchange, true, false).all_finished) {
  }
}

ExchangeResult SgnsTrainer::exchange(std::atomic<std::uint64_t>& words_done, std::uint64_t& words_at_exchange,
                                     bool finished, bool want_snapshot) {
  // The workers counted each word `processes` times (SgnsRun::words_scale).
  const std::uint64_t since = (words_done.load() - words_at_exchange) / exchanges_.processes;
  const ExchangeResult r = exchanges_.exchange(since, finished, want_snapshot);
  words_done.store(r.words_done);
  words_at_exchange = r.words_done;
  return r;
}

namespace {

// The mean loss per pair since the previous report, from the threads' sums.
struct LossSince {
  double loss = 0;
  std::uint64_t pairs = 0;
  double mean_since(const SharedState& shared) {
    double total = 0;
    std::uint64_t total_pairs = 0;
    for (const auto& slot : shared.losses) {
      total += slot.loss.load(std::memory_order_relaxed);
      total_pairs += slot.pairs.load(std::memory_order_relaxed);
    }
    const double mean = total_pairs > pairs ? (total - loss) / static_cast<double>(total_pairs - pairs) : 0;
    loss = total;
    pairs = total_pairs;
    return mean;
  }
};

}  // namespace

TrainingSummary SgnsTrainer::train_shards(const std::string& corpus_path, const std::vector<ByteRange>& shards,
                                          const ProgressCallback& progress) {
  const unsigned threads = static_cast<unsigned>(shards.size());
  const Subsampler subsampler(vocab_.counts(), options_.sample);
  const AliasSampler negatives = AliasSampler::unigram(vocab_.counts(), options_.negative_power());
  std::optional<HsPaths> hs;
  if (options_.loss == Loss::HierarchicalSoftmax) hs.emplace(HuffmanTree(vocab_.counts()), model_.output);
  const LearningRateSchedule schedule{options_.start_learning_rate(), options_.min_learning_rate_ratio,
                                      words_per_epoch_ * static_cast<std::uint64_t>(options_.epochs)};
  if (resume_ && resume_->workers.size() != threads)
    throw Error("the checkpoint was taken with " + std::to_string(resume_->workers.size()) + " shards, not " +
                std::to_string(threads));
  SharedState shared(threads);
  const std::uint64_t words_before = resume_ ? resume_->words_done : 0;
  shared.words_done.store(words_before);
  ProgressMeter meter("training", "words", schedule.total_words, threads * exchanges_.processes,
                      options_.progress_interval_seconds,
                      words_before);

  // Progress is computed by thread 0 at its sync points, at most once per interval.
  LossSince loss_since;
  auto make_progress = [&](bool finished) {
    TrainingProgress p = meter.at(shared.words_done.load(std::memory_order_relaxed), finished);
    p.learning_rate = schedule.at(p.words_done);
    p.loss = loss_since.mean_since(shared);
    p.epoch = std::min(options_.epochs,
                       1 + static_cast<int>(p.words_done / std::max<std::uint64_t>(1, words_per_epoch_)));
    return p;
  };
  // Divergence is checked at every report, with or without a progress callback.
  double diverged_loss = 0;
  int diverged_epoch = 0;
  auto check_divergence = [&](const TrainingProgress& p) {
    if (std::isfinite(p.loss) && p.loss <= kDivergedLoss) return;
    diverged_loss = p.loss;
    diverged_epoch = p.epoch;
    diverged_.store(true);
    request_stop();
  };
  const std::function<void()> report = [&] {
    if (!meter.due()) return;
    const TrainingProgress p = make_progress(false);
    check_divergence(p);
    if (progress && !diverged_.load()) progress(p);
  };
  const std::function<void()> no_report;

  std::unique_ptr<SnapshotGate> gate;
  if (snapshots_.save || exchanges_.exchange) gate = std::make_unique<SnapshotGate>(threads);
  const SgnsRun run{vocab_,  options_, kernels_,   model_,         subsampler,      negatives,
                    schedule, shared,   gate.get(), stop_requested_, words_per_epoch_, frozen_.empty() ? nullptr : frozen_.data(),
                    subwords(), hs ? &*hs : nullptr, exchanges_.first_stream, exchanges_.processes};
  auto work = [&](unsigned i) {
    SgnsWorkerState state = resume_ ? resume_->workers[i]
                                    : SgnsWorkerState{shards[i].begin, shards[i].end, shards[i].begin, 0, 0, 0, 0};
    try {
      SgnsWorker worker(run, i);
      if (resume_) worker.restore(state);
      worker.run(corpus_path, state, i == 0 ? report : no_report);
    } catch (...) {
      request_stop();  // the other workers stop too; the error is rethrown after they join
      if (gate) gate->finish(i, state);
      throw;
    }
    if (gate) gate->finish(i, state);
  };
  try {
    run_parallel(threads, work, [&] {
      if (gate) coordinate(*gate, shared.words_done);
    });
  } catch (...) {
    resume_.reset();
    throw;
  }
  resume_.reset();

  TrainingProgress final_progress = make_progress(true);
  // The final loss: over everything since the last report.
  if (!diverged_.load()) check_divergence(final_progress);
  if (!diverged_.load() && !(all_finite(model_.input) && all_finite(model_.output))) {
    diverged_loss = std::numeric_limits<double>::quiet_NaN();
    diverged_epoch = final_progress.epoch;
    diverged_.store(true);
  }
  if (diverged_.load())
    throw DivergedError("learning_rate",
                      "is too high: training diverged in epoch " + std::to_string(diverged_epoch) +
                          ": the mean loss per pair " +
                          (std::isfinite(diverged_loss) ? "reached " + short_number(diverged_loss) +
                                                              " (a sane run stays below " + short_number(kDivergedLoss) + ")"
                                                        : std::string("is not finite")) +
                          "; no vectors written; lower it (now " + short_number(options_.start_learning_rate()) + ")");
  if (progress) progress(final_progress);
  return {final_progress.words_done, final_progress.elapsed_seconds, final_progress.loss};
}

}  // namespace wordvec
