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
#include "text/id_stream.h"
#include "train/sampling.h"

namespace wordvec {

// ---------------------------------------------------------------- options

double default_learning_rate(Model model) { return model == Model::SkipGram ? 0.025 : 0.05; }

double SgnsOptions::start_learning_rate() const {
  return learning_rate > 0 ? learning_rate : default_learning_rate(model);
}

void SgnsOptions::validate() const {
  check_range("dim", dim, {1, 10000});
  check_range("window", window, {1, 1000});
  check_range("negative", negative, {1, 64});
  check_range("negative_share", negative_share, {1, 64});
  check_range("sample", sample, {0, 1, false, true, "0 = no subsampling"});
  check_range("epochs", epochs, {1, 100000});
  check_range("threads", threads, {0, 1024, false, false, "0 = all cores"});
  check_range("learning_rate", learning_rate, {0, 10, false, false, "0 = the model's default"});
  check_range("min_learning_rate_ratio", min_learning_rate_ratio, {0, 1, true});
  check_range("max_sentence_words", static_cast<double>(max_sentence_words), {1, 1e9});
  check_range("cache_memory_gib", cache_memory_gib, {0, 1e6, false, false, "GiB; 0 = read the text every epoch"});
}

namespace {
constexpr int kSgnsSettingsVersion = 1;
}  // namespace

Settings SgnsOptions::to_settings() const {
  Settings s;
  s.set("sgns.version", kSgnsSettingsVersion);
  s.set("sgns.model", model_name(model));
  s.set("sgns.update", update == SkipGramUpdate::Exact ? "exact" : "batched");
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
  return s;
}

SgnsOptions SgnsOptions::from_settings(const Settings& s) {
  s.require_version("sgns", kSgnsSettingsVersion);
  SgnsOptions o;
  o.model = parse_model(s.text("sgns.model"));
  o.update = parse_skipgram_update(s.text("sgns.update"));
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
  s.validate_stored([&] { o.validate(); });
  return o;
}

const char* model_name(Model model) { return model == Model::SkipGram ? "skipgram" : "cbow"; }

Model parse_model(const std::string& name) {
  if (name == "skipgram" || name == "sg" || name == "skip-gram") return Model::SkipGram;
  if (name == "cbow") return Model::Cbow;
  throw Error("unknown model '" + name + "' (valid: skipgram, cbow)");
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

SgnsModel SgnsModel::initialise(std::size_t vocab_size, std::size_t dim, std::uint64_t seed) {
  SgnsModel m{Matrix(vocab_size, dim), Matrix(vocab_size, dim)};
  const float scale = 1.0f / static_cast<float>(dim);
  for (std::size_t r = 0; r < vocab_size; ++r) {
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


namespace {

constexpr std::uint64_t kWordsPerSync = 10000;  // words between updates of the shared counter
// The batched steps measure the loss (for progress reports) at every this many
// positions: an unbiased sample that keeps its cost out of the step.
constexpr unsigned kLossSampleInterval = 16;

using Clock = std::chrono::steady_clock;


// What the threads share, apart from the model: the word counter that drives
// the schedule, and per-thread loss sums (cache-line apart: no false sharing).
struct SharedState {
  struct alignas(64) LossSlot {
    std::atomic<double> loss{0};
    std::atomic<std::uint64_t> pairs{0};
  };
  explicit SharedState(unsigned threads) : losses(threads) {}
  alignas(64) std::atomic<std::uint64_t> words_done{0};
  std::vector<LossSlot> losses;
};

}  // namespace

// Pauses every running worker at its next line break, so that a snapshot
// sees parameters and positions that belong together. Workers that have
// finished are not waited for.
class SnapshotGate {
 public:
  explicit SnapshotGate(unsigned workers) : states_(workers), active_(workers) {}

  bool requested() const { return requested_.load(std::memory_order_relaxed); }

  // Worker: publishes its state and waits until the snapshot is taken.
  void pause(unsigned worker, const SgnsWorkerState& state) {
    std::unique_lock lock(mutex_);
    if (!requested_.load()) return;  // released before this worker got here
    states_[worker] = state;
    const std::uint64_t generation = generation_;
    ++paused_;
    changed_.notify_all();
    changed_.wait(lock, [&] { return generation_ != generation; });
  }

  // Worker: leaves for good (its shard is done, or it failed).
  void finish(unsigned worker, const SgnsWorkerState& state) {
    std::lock_guard lock(mutex_);
    states_[worker] = state;
    --active_;
    changed_.notify_all();
  }

  // Coordinator: waits until the deadline or until `stop()`; false if every worker finished.
  bool wait(Clock::time_point deadline, const std::function<bool()>& stop) {
    std::unique_lock lock(mutex_);
    while (active_ > 0 && Clock::now() < deadline && !stop())
      changed_.wait_for(lock, std::chrono::milliseconds(20));
    return active_ > 0;
  }

  // Coordinator: pauses the workers; false (and nothing paused) if all finished meanwhile.
  bool pause_all(std::vector<SgnsWorkerState>& states) {
    std::unique_lock lock(mutex_);
    requested_.store(true);
    changed_.wait(lock, [&] { return paused_ == active_; });
    states = states_;
    return active_ > 0;
  }

  void release() {
    std::lock_guard lock(mutex_);
    requested_.store(false);
    paused_ = 0;
    ++generation_;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<bool> requested_{false};
  std::vector<SgnsWorkerState> states_;
  unsigned active_, paused_ = 0;
  std::uint64_t generation_ = 0;
};

// One thread's training: its shard, RNG and scratch memory.
// What the workers of one run share: a narrow view of the trainer (its
// options, kernels and model) and the run's samplers, schedule and counters.
struct SgnsRun {
  const Vocabulary& vocab;
  const SgnsOptions& options;
  const Kernels& kernels;
  SgnsModel& model;  // rows written Hogwild, only through the kernels
  const Subsampler& subsampler;
  const AliasSampler& negatives;
  const LearningRateSchedule& schedule;
  SharedState& shared;
  SnapshotGate* gate;  // null without snapshots
  const std::atomic<bool>& stop_requested;
  bool stopped() const { return stop_requested.load(std::memory_order_relaxed); }
};

class SgnsWorker {
 public:
  SgnsWorker(const SgnsRun& run, unsigned index)
      : run_(run), index_(index), rng_(run.options.seed, 1000003ull + index), n_(run.kernels.span(run.model.input.cols())) {
    const SgnsOptions& o = run_.options;
    contexts_.resize(2 * o.window);
    target_rows_.resize(o.negative + 1);
    scratch_.resize(sgns_step::batched_scratch_floats(n_, 2 * o.window, o.negative + 1) + n_ + o.negative + 1);
    sentence_.reserve(o.max_sentence_words);
    lr_ = run_.schedule.at(0);
    cache_budget_ = static_cast<std::size_t>(o.cache_memory_gib * kBytesPerGiB / run_.shared.losses.size());
  }

  // Continues from a snapshot's state instead of the shard's start.
  void restore(const SgnsWorkerState& state) {
    rng_ = Rng::from_state(state.rng_state);
    unsynced_words_ = state.unsynced_words;
    lr_ = state.learning_rate;
  }

  // Streams the shard until epoch `epochs`, the first epoch from `state`'s
  // position. Returns false if asked to stop; `state` then tells where it was.
  // An epoch that reads the whole shard from the text records it as an
  // IdStream (within the memory budget) for the later epochs to replay.
  bool run(const std::string& path, SgnsWorkerState& state, const std::function<void()>& report) {
    report_ = &report;
    const auto epochs = static_cast<std::uint64_t>(run_.options.epochs);
    for (; state.epoch < epochs; ++state.epoch, state.position = state.shard_begin) {
      sentence_.clear();
      bool finished;
      if (replay_) {
        finished = replay_->replay([&](std::int32_t id) { return on_word(id); },
                                   [&](std::uint64_t offset) { return on_sentence_end(offset, state); });
      } else {
        const bool record = state.position == state.shard_begin && state.epoch + 1 < epochs;
        std::optional<IdStream> recording;
        if (record && cache_budget_ > 0)
          recording.emplace(state.shard_begin, cache_budget_, expected_stream_bytes(path, state));
        finished = scan(path, state, recording ? &*recording : nullptr);
        if (finished && recording && !recording->overflowed()) replay_ = std::move(recording);
      }
      if (!finished) return false;
      train_sentence();
      if (!sync()) return false;
    }
    state.position = state.shard_end;
    return true;
  }

 private:
  // One epoch (or its rest) from the text, optionally recorded; false if asked to stop.
  bool scan(const std::string& path, SgnsWorkerState& state, IdStream* recording) {
    TokenScanner scanner(path, {state.position, state.shard_end});
    std::size_t words_in_sentence = 0;
    bool stop = false;
    auto sentence_end = [&] {
      words_in_sentence = 0;
      if (recording) recording->end_sentence(scanner.offset());
      stop = !on_sentence_end(scanner.offset(), state);
    };
    scanner.run(
        [&](std::string_view token) {
          if (stop) return;
          const std::int32_t id = run_.vocab.id(token);
          if (id < 0) return;
          if (recording) recording->add_word(id);
          stop = !on_word(id);
          // Long lines are cut by words read, not kept: the cuts are then the
          // same in every epoch, so a recorded stream can hold them.
          if (!stop && ++words_in_sentence >= run_.options.max_sentence_words) sentence_end();
        },
        [&] {
          if (!stop) sentence_end();
        });
    return !stop;
  }

  // The shard's words at ~1.6 bytes each, estimated from its share of the file.
  std::size_t expected_stream_bytes(const std::string& path, const SgnsWorkerState& state) const {
    const double share = static_cast<double>(state.shard_end - state.shard_begin) /
                         static_cast<double>(std::max<std::uint64_t>(1, corpus_file_size(path)));
    return static_cast<std::size_t>(1.7 * share * static_cast<double>(run_.vocab.total_count())) + 4096;
  }

  // A word of the stream; false when the trainer was asked to stop.
  bool on_word(std::int32_t id) {
    if (run_.subsampler.keep(id, rng_)) sentence_.push_back(id);
    return ++unsynced_words_ < kWordsPerSync || sync();
  }

  // A sentence end: trains the sentence, then may pause for a snapshot.
  bool on_sentence_end(std::uint64_t offset, SgnsWorkerState& state) {
    train_sentence();
    if (run_.gate == nullptr || !run_.gate->requested()) return true;
    state.position = offset;
    state.rng_state = rng_.state();
    state.unsynced_words = unsynced_words_;
    state.learning_rate = lr_;
    run_.gate->pause(index_, state);
    return !run_.stopped();
  }

  // Publishes the words done and loss, refreshes the learning rate; returns
  // false when the trainer was asked to stop.
  bool sync() {
    const std::uint64_t done = run_.shared.words_done.fetch_add(unsynced_words_, std::memory_order_relaxed) + unsynced_words_;
    unsynced_words_ = 0;
    auto& slot = run_.shared.losses[index_];
    slot.loss.store(slot.loss.load(std::memory_order_relaxed) + loss_, std::memory_order_relaxed);
    slot.pairs.store(slot.pairs.load(std::memory_order_relaxed) + pairs_, std::memory_order_relaxed);
    loss_ = 0;
    pairs_ = 0;
    lr_ = run_.schedule.at(done);
    if (index_ == 0 && *report_) (*report_)();
    // With snapshots, a stop waits for the next sentence boundary, where the
    // final snapshot is taken.
    return !run_.stopped() || run_.gate != nullptr;
  }

  void train_sentence() {
    if (sentence_.size() >= 2) {
      if (run_.options.model == Model::Cbow)
        train_cbow();
      else if (run_.options.update == SkipGramUpdate::Batched)
        train_skipgram_batched();
      else
        train_skipgram_exact();
    }
    sentence_.clear();
  }

  // Fills contexts_ with the input rows around position i (dynamic window);
  // returns how many.
  int gather_context(std::size_t i) {
    const int window = run_.options.window;
    const int reach = window - static_cast<int>(rng_.below(static_cast<std::uint32_t>(window)));
    const std::size_t lo = i >= static_cast<std::size_t>(reach) ? i - reach : 0;
    const std::size_t hi = std::min(sentence_.size() - 1, i + reach);
    int count = 0;
    for (std::size_t j = lo; j <= hi; ++j)
      if (j != i) contexts_[count++] = run_.model.input.row(sentence_[j]);
    return count;
  }

  // The output rows of a word and its negatives into rows[0..count): the
  // word's, then the distinct negatives (a draw equal to the word itself is
  // skipped, as word2vec does), the negatives from the random numbers
  // draws[0..negative). Returns count.
  int targets_from(std::int32_t word, const std::uint64_t* draws, float** rows) {
    Matrix& out = run_.model.output;
    rows[0] = out.row(word);
    int count = 1;
    for (int d = 0; d < run_.options.negative; ++d) {
      float* row = out.row(run_.negatives.sample_of(draws[d]));
      // A repeated row would be updated twice from the same old value by
      // the fused kernels; drawing it once is the same up to noise.
      if (std::find(rows, rows + count, row) == rows + count) rows[count++] = row;
    }
    return count;
  }

  // One position's targets, drawn now.
  int draw_targets(std::int32_t word, float** rows) {
    draws_.resize(static_cast<std::size_t>(run_.options.negative));
    for (auto& r : draws_) r = rng_.next();
    return targets_from(word, draws_.data(), rows);
  }

  // The targets of every position of the sentence, drawn before any is
  // trained, in two passes: all random numbers first, prefetching their
  // alias-table entries, then the rows. The table's cache misses then overlap
  // instead of stalling one draw at a time (same draws as one at a time).
  // Each draw serves negative_share positions (NegativeDraws).
  void draw_sentence_targets() {
    const std::size_t negative = static_cast<std::size_t>(run_.options.negative);
    const std::size_t slots = negative + 1;
    draw_plan_ = NegativeDraws(sentence_.size(), run_.options.negative_share, run_.options.window);
    draws_.resize(draw_plan_.count() * negative);
    for (auto& r : draws_) {
      r = rng_.next();
      run_.negatives.prefetch(r);
    }
    target_rows_.resize(sentence_.size() * slots);
    target_counts_.resize(sentence_.size());
    for (std::size_t i = 0; i < sentence_.size(); ++i)
      target_counts_[i] =
          targets_from(sentence_[i], draws_.data() + draw_plan_.of(i) * negative, target_rows_.data() + i * slots);
  }

  float* const* targets_of(std::size_t i) const {
    return target_rows_.data() + i * (static_cast<std::size_t>(run_.options.negative) + 1);
  }

  // Asks the CPU to fetch rows before they are trained, while position i
  // is: random rows are the main cache misses. The input row that enters the
  // widest window next and the next position's own output row one step
  // ahead; a draw's negatives two positions before its first use (its later
  // positions find them in cache).
  void prefetch_rows_after(std::size_t i) const {
    const std::size_t entering = i + static_cast<std::size_t>(run_.options.window) + 1;
    if (entering < sentence_.size()) prefetch_row(run_.model.input.row(sentence_[entering]));
    if (i + 1 < sentence_.size()) prefetch_row(targets_of(i + 1)[0]);
    const std::size_t ahead = i + 2;
    if (ahead >= sentence_.size() || !draw_plan_.first_use(ahead)) return;
    for (int t = 1; t < target_counts_[ahead]; ++t) prefetch_row(targets_of(ahead)[t]);
  }

  void prefetch_row(const float* row) const {
    for (std::size_t c = 0; c < n_; c += 16) __builtin_prefetch(row + c, 1, 3);
  }

  bool measure_loss_now() {
    if (loss_countdown_ > 0) {
      --loss_countdown_;
      return false;
    }
    loss_countdown_ = kLossSampleInterval - 1;
    return true;
  }

  void train_skipgram_batched() {
    draw_sentence_targets();
    for (std::size_t i = 0; i < sentence_.size(); ++i) {
      prefetch_rows_after(i);
      const int n_contexts = gather_context(i);
      const bool measure = measure_loss_now();
      loss_ += sgns_step::batched_window(run_.kernels, n_, contexts_.data(), n_contexts, targets_of(i),
                                         target_counts_[i], lr_, sigmoid_, scratch_.data(), measure);
      if (measure) pairs_ += static_cast<std::uint64_t>(n_contexts) * target_counts_[i];
    }
  }

  void train_skipgram_exact() {
    float** rows = target_rows_.data();  // one position's worth, redrawn per pair
    for (std::size_t i = 0; i < sentence_.size(); ++i) {
      const int n_contexts = gather_context(i);
      for (int c = 0; c < n_contexts; ++c) {
        const int count = draw_targets(sentence_[i], rows);
        loss_ += sgns_step::exact_pair(run_.kernels, n_, contexts_[c], rows, count, lr_, sigmoid_, scratch_.data());
        pairs_ += count;
      }
    }
  }

  void train_cbow() {
    draw_sentence_targets();
    for (std::size_t i = 0; i < sentence_.size(); ++i) {
      prefetch_rows_after(i);
      const int n_contexts = gather_context(i);
      const bool measure = measure_loss_now();
      loss_ += sgns_step::cbow(run_.kernels, n_, contexts_.data(), n_contexts, targets_of(i), target_counts_[i],
                               lr_, sigmoid_, scratch_.data(), measure);
      if (measure) pairs_ += target_counts_[i];
    }
  }

  const SgnsRun& run_;
  const unsigned index_;
  Rng rng_;
  const std::size_t n_;  // floats of each row the kernels process (Kernels::span: cols rounded up to 4)
  SigmoidTable sigmoid_;  // per thread: 32 KiB that stays in this core's cache
  const std::function<void()>* report_ = nullptr;
  std::vector<std::int32_t> sentence_;
  std::vector<float*> contexts_;
  std::vector<float*> target_rows_;  // negative + 1 slots per position of the sentence
  std::vector<int> target_counts_;   // the rows used of each position's slots
  std::vector<std::uint64_t> draws_;  // random numbers of the negatives being drawn
  NegativeDraws draw_plan_{0, 1, 1};  // the sentence's positions -> draws
  std::vector<float> scratch_;
  std::size_t cache_budget_;        // bytes this worker may keep its shard's IdStream in
  std::optional<IdStream> replay_;  // the recorded shard, once an epoch read it whole
  float lr_;
  double loss_ = 0;
  std::uint64_t pairs_ = 0;  // of the loss measured
  unsigned loss_countdown_ = 0;  // positions until the next loss measurement
  std::uint64_t unsynced_words_ = 0;
};

SgnsTrainer::SgnsTrainer(const Vocabulary& vocab, SgnsOptions options, Kernels kernels)
    : vocab_(vocab), options_(std::move(options)), kernels_(kernels) {
  options_.validate();
  if (vocab_.empty()) throw Error("cannot train on an empty vocabulary");
  model_ = SgnsModel::initialise(vocab_.size(), static_cast<std::size_t>(options_.dim), options_.seed);
}

void SgnsTrainer::restore(SgnsModel model, SgnsRunState state) {
  if (model.input.rows() != vocab_.size() || model.input.cols() != static_cast<std::size_t>(options_.dim) ||
      model.output.rows() != vocab_.size() || model.output.cols() != model.input.cols())
    throw Error("the checkpoint's matrices do not match the vocabulary and dim");
  if (state.workers.empty()) throw Error("the checkpoint has no worker state");
  model_ = std::move(model);
  resume_ = std::move(state);
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

void SgnsTrainer::take_snapshots(SnapshotGate& gate, const std::atomic<std::uint64_t>& words_done) {
  const auto interval = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(std::max(0.0, snapshots_.interval_seconds)));
  auto next = Clock::now() + interval;
  // Until every worker is done: a snapshot each interval, and a last one on a stop.
  while (gate.wait(next, [&] { return stopped(); })) {
    SgnsRunState state;
    if (!gate.pause_all(state.workers)) break;
    if (diverged_.load()) {  // a diverged model is not worth resuming: keep the last good snapshot
      gate.release();
      break;
    }
    state.words_done = words_done.load();
    try {
      snapshots_.save(state);
    } catch (...) {
      gate.release();
      request_stop();
      throw;
    }
    gate.release();
    if (stopped()) break;
    next = Clock::now() + interval;
  }
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
  const AliasSampler negatives = AliasSampler::unigram(vocab_.counts(), 0.75);
  const LearningRateSchedule schedule{options_.start_learning_rate(), options_.min_learning_rate_ratio,
                                      vocab_.total_count() * static_cast<std::uint64_t>(options_.epochs)};
  if (resume_ && resume_->workers.size() != threads)
    throw Error("the checkpoint was taken with " + std::to_string(resume_->workers.size()) + " shards, not " +
                std::to_string(threads));
  SharedState shared(threads);
  const std::uint64_t words_before = resume_ ? resume_->words_done : 0;
  shared.words_done.store(words_before);
  ProgressMeter meter("training", "words", schedule.total_words, threads, options_.progress_interval_seconds,
                      words_before);

  // Progress is computed by thread 0 at its sync points, at most once per interval.
  LossSince loss_since;
  auto make_progress = [&](bool finished) {
    TrainingProgress p = meter.at(shared.words_done.load(std::memory_order_relaxed), finished);
    p.learning_rate = schedule.at(p.words_done);
    p.loss = loss_since.mean_since(shared);
    p.epoch = std::min(options_.epochs,
                       1 + static_cast<int>(p.words_done / std::max<std::uint64_t>(1, vocab_.total_count())));
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
  if (snapshots_.save) gate = std::make_unique<SnapshotGate>(threads);
  const SgnsRun run{vocab_, options_, kernels_, model_, subsampler, negatives, schedule, shared, gate.get(),
                    stop_requested_};
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
      if (gate) take_snapshots(*gate, shared.words_done);
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
    throw OptionError("learning_rate",
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
