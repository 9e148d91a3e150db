// Internal to the skip-gram/CBOW trainer: one thread's work (SgnsWorker), what
// the threads of a run share (SgnsRun, SharedState) and the gate that pauses
// them all for a snapshot. sgns.cc fans the workers out.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <numeric>
#include <optional>
#include <vector>

#include "text/id_stream.h"
#include "train/huffman.h"
#include "train/private_rows.h"
#include "train/sampling.h"
#include "train/sgns_step.h"
#include "wordvec/core/error.h"
#include "wordvec/core/units.h"
#include "wordvec/train/sgns.h"

namespace wordvec {

inline constexpr std::uint64_t kWordsPerSync = 10000;  // words between updates of the shared counter
// The batched steps measure the loss (for progress reports) at every this many
// positions: an unbiased sample that keeps its cost out of the step.
inline constexpr unsigned kLossSampleInterval = 16;
// Positions a worker trains between merges of its PrivateRows (HsPaths's
// kBusyShare tells how they were chosen).
inline constexpr std::size_t kPositionsPerMerge = 4096;

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
  std::mutex private_rows_merge;  // the workers' PrivateRows
};

// Pauses every running worker at its next line break, so that a snapshot
// sees parameters and positions that belong together. Workers that have
// finished are not waited for.
class SnapshotGate {
 public:
  explicit SnapshotGate(unsigned workers) : states_(workers), active_(workers) {}

  bool requested() const { return requested_.load(std::memory_order_relaxed); }

  // Worker: publishes its state and waits until the snapshot is taken. A
  // stopping worker waits for the coordinator's last snapshot even if it is
  // not requested yet, so a stop always leaves a snapshot where it happened.
  void pause(unsigned worker, const SgnsWorkerState& state, bool stopping) {
    std::unique_lock lock(mutex_);
    if (stopping) changed_.wait(lock, [&] { return requested_.load() || closed_; });
    if (!requested_.load()) return;  // released before this worker got here, or no coordinator
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
    changed_.notify_all();
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

  // Coordinator: takes no more snapshots; stopping workers no longer wait.
  void close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    changed_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::atomic<bool> requested_{false};
  std::vector<SgnsWorkerState> states_;
  unsigned active_, paused_ = 0;
  bool closed_ = false;
  std::uint64_t generation_ = 0;
};

// Hierarchical softmax: every word's path as output rows and labels (1 -
// code), in flat arrays built once per run.
class HsPaths {
 public:
  HsPaths(const HuffmanTree& tree, Matrix& output)
      : offsets_(tree.words() + 1, 0), busy_count_(tree.busy_nodes(kBusyShare)) {
    for (std::size_t w = 0; w < tree.words(); ++w) {
      const auto word = static_cast<std::int32_t>(w);
      for (const std::int32_t node : tree.nodes(word)) rows_.push_back(output.row(static_cast<std::size_t>(node)));
      for (const std::uint8_t code : tree.codes(word)) labels_.push_back(1.0f - static_cast<float>(code));
      offsets_[w + 1] = rows_.size();
    }
  }
  float* const* rows(std::int32_t word) const { return rows_.data() + offsets_[word]; }
  // The inner nodes on at least kBusyShare of the paths: output rows
  // [busy_first(), busy_first() + busy_count()), next to the root.
  std::size_t busy_first() const { return offsets_.size() - 2 - busy_count_; }
  std::size_t busy_count() const { return busy_count_; }
  const float* labels(std::int32_t word) const { return labels_.data() + offsets_[word]; }
  int length(std::int32_t word) const { return static_cast<int>(offsets_[word + 1] - offsets_[word]); }
  int max_length() const {
    std::size_t longest = 0;
    for (std::size_t w = 0; w + 1 < offsets_.size(); ++w) longest = std::max(longest, offsets_[w + 1] - offsets_[w]);
    return static_cast<int>(longest);
  }

 private:
  // One epoch of the benchmark corpus (100k words), skip-gram, 2 threads,
  // two runs each (2026-12-02): busy shares 1/256 (256 rows, merged every
  // 1024 positions), 1/1024 (862 rows, every 4096), 1/4096 (2,791, every
  // 4096 or 16384) and 1/16384 (7,672, every 16384) took 15.5/15.5,
  // 14.4/14.6, 16.2/13.8, 16.5/13.6 and 15.8/16.8 s; 1/65536 once 26.9 s
  // (the copies outgrow the cache). Every row shared: 23.1 s, no faster than
  // one thread (23.2 s). The least memory of the fastest: 1/1024 (0.4 MB).
  static constexpr double kBusyShare = 1.0 / 1024;
  std::vector<std::size_t> offsets_;
  std::vector<float*> rows_;
  std::vector<float> labels_;
  std::size_t busy_count_;
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
  std::uint64_t words_per_epoch;  // corpus words of one epoch
  const std::uint8_t* frozen;     // per word: its input row is not updated; null = none
  const SubwordIndex* subwords;   // per word: its input rows; null = one row per word
  const HsPaths* hs;              // hierarchical softmax; null = negative sampling
  std::uint64_t first_stream;     // worker i's random stream: first_stream + i
  std::uint64_t words_scale;      // words_done counts each word read this many times (distributed)
  bool stopped() const { return stop_requested.load(std::memory_order_relaxed); }
};

class SgnsWorker {
 public:
  SgnsWorker(const SgnsRun& run, unsigned index)
      : run_(run), index_(index), rng_(run.options.seed, 1000003ull + run.first_stream + index), n_(run.kernels.span(run.model.input.cols())) {
    const SgnsOptions& o = run_.options;
    contexts_.resize(2 * o.window);
    if (run_.frozen != nullptr) frozen_copies_ = Matrix(2 * o.window, run_.model.input.cols());
    if (run_.subwords != nullptr) target_slots_.assign(run_.model.output.rows(), -1);
    target_rows_.resize(o.negative + 1);
    // A position's targets: the word and its negatives, or its Huffman path
    // (a batched step takes them kMaxKernelTargets at a time).
    const int targets = run_.hs != nullptr ? std::min(run_.hs->max_length(), kMaxKernelTargets) : o.negative + 1;
    scratch_.resize(sgns_step::batched_scratch_floats(n_, 2 * o.window, targets) + n_ + targets);
    sentence_.reserve(o.max_sentence_words);
    if (run_.hs != nullptr) {
      hs_rows_.resize(static_cast<std::size_t>(run_.hs->max_length()));
      // One thread has no one to share the busy rows with; the batched
      // subword step indexes output rows by address, so it keeps them shared.
      const bool batched_subwords = run_.subwords != nullptr && o.model == Model::SkipGram && o.update != SkipGramUpdate::Exact;
      if (run_.shared.losses.size() > 1 && !batched_subwords && run_.hs->busy_count() > 0)
        busy_rows_.emplace(run_.model.output, run_.hs->busy_first(), run_.hs->busy_count(), run_.shared.private_rows_merge);
    }
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
    const bool finished = train_epochs(path, state);
    merge_private_rows();
    return finished;
  }

 private:
  bool train_epochs(const std::string& path, SgnsWorkerState& state) {
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
          recording.emplace(state.shard_begin, cache_budget_, expected_stream_bytes(path, state), true,
                            run_.options.temp_dir);
        finished = scan(path, state, recording ? &*recording : nullptr);
        if (finished && recording && recording->seal()) replay_ = std::move(recording);
      }
      if (!finished) return false;
      train_sentence();
      if (!sync()) return false;
    }
    state.position = state.shard_end;
    return true;
  }

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
    return static_cast<std::size_t>(1.7 * share * static_cast<double>(run_.words_per_epoch)) + 4096;
  }

  // A word of the stream; false when the trainer was asked to stop.
  bool on_word(std::int32_t id) {
    if (run_.subsampler.keep(id, rng_)) sentence_.push_back(id);
    return ++unsynced_words_ < kWordsPerSync || sync();
  }

  // A sentence end: trains the sentence, then may pause for a snapshot.
  bool on_sentence_end(std::uint64_t offset, SgnsWorkerState& state) {
    train_sentence();
    const bool stopping = run_.stopped();
    if (run_.gate == nullptr || (!run_.gate->requested() && !stopping)) return true;
    state.position = offset;
    state.rng_state = rng_.state();
    state.unsynced_words = unsynced_words_;
    state.learning_rate = lr_;
    merge_private_rows();  // the snapshot or exchange sees every change
    run_.gate->pause(index_, state, stopping);
    return !run_.stopped();
  }

  // Publishes the words done and loss, refreshes the learning rate; returns
  // false when the trainer was asked to stop.
  bool sync() {
    const std::uint64_t counted = unsynced_words_ * run_.words_scale;
    const std::uint64_t done = run_.shared.words_done.fetch_add(counted, std::memory_order_relaxed) + counted;
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
      if (run_.subwords != nullptr) {
        if (run_.options.model == Model::Cbow)
          train_cbow_subwords();
        else if (run_.options.update == SkipGramUpdate::Exact)
          train_skipgram_subwords_exact();
        else
          train_skipgram_subwords();
      } else if (run_.options.model == Model::Cbow)
        train_cbow();
      else if (run_.options.update == SkipGramUpdate::Batched)
        train_skipgram_batched();
      else
        train_skipgram_exact();
    }
    positions_since_merge_ += sentence_.size();
    if (positions_since_merge_ >= kPositionsPerMerge) merge_private_rows();
    sentence_.clear();
  }

  void merge_private_rows() {
    if (busy_rows_) busy_rows_->merge();
    positions_since_merge_ = 0;
  }

  // The positions [lo, hi] of position i's window (dynamic: 1..window each side).
  std::pair<std::size_t, std::size_t> draw_window(std::size_t i) {
    const int window = run_.options.window;
    const int reach = window - static_cast<int>(rng_.below(static_cast<std::uint32_t>(window)));
    return {i >= static_cast<std::size_t>(reach) ? i - reach : 0, std::min(sentence_.size() - 1, i + reach)};
  }

  // Fills contexts_ with the input rows around position i (dynamic window);
  // returns how many.
  int gather_context(std::size_t i) {
    const auto [lo, hi] = draw_window(i);
    int count = 0;
    for (std::size_t j = lo; j <= hi; ++j)
      if (j != i) {
        contexts_[count] = context_row(sentence_[j], count);
        ++count;
      }
    return count;
  }

  // A word's input row, or for a frozen word a copy of it in slot `slot`
  // that absorbs the update.
  float* context_row(std::int32_t word, int slot) {
    float* row = run_.model.input.row(word);
    if (run_.frozen == nullptr || run_.frozen[word] == 0) return row;
    float* copy = frozen_copies_.row(static_cast<std::size_t>(slot));
    std::memcpy(copy, row, run_.model.input.stride() * sizeof(float));
    return copy;
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

  // What position i's word is predicted against: its output row and the
  // negatives drawn for the position, or its Huffman path.
  struct Targets {
    float* const* rows;
    const float* labels;  // null: the first positive, the rest negative
    int count;
  };
  Targets targets_at(std::size_t i) {
    if (run_.hs == nullptr) return {targets_of(i), nullptr, target_counts_[i]};
    const std::int32_t word = sentence_[i];
    return {path_rows(word), run_.hs->labels(word), run_.hs->length(word)};
  }

  // A word's Huffman path, with this worker's copies of the busy rows.
  float* const* path_rows(std::int32_t word) {
    float* const* rows = run_.hs->rows(word);
    if (!busy_rows_) return rows;
    const int length = run_.hs->length(word);
    for (int d = 0; d < length; ++d) hs_rows_[static_cast<std::size_t>(d)] = busy_rows_->local(rows[d]);
    return hs_rows_.data();
  }

  // Negative sampling's draws for the sentence; hierarchical softmax has none.
  void prepare_targets() {
    if (run_.hs == nullptr) draw_sentence_targets();
  }

  // Asks the CPU to fetch rows before they are trained, while position i
  // is: random rows are the main cache misses. The input row that enters the
  // widest window next and the next position's own output row one step
  // ahead; a draw's negatives two positions before its first use (its later
  // positions find them in cache).
  void prefetch_rows_after(std::size_t i) const {
    const std::size_t entering = i + static_cast<std::size_t>(run_.options.window) + 1;
    if (entering < sentence_.size()) prefetch_row(run_.model.input.row(sentence_[entering]));
    if (run_.hs != nullptr) return;  // the tree's top rows stay in cache
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
    prepare_targets();
    for (std::size_t i = 0; i < sentence_.size(); ++i) {
      prefetch_rows_after(i);
      const int n_contexts = gather_context(i);
      const bool measure = measure_loss_now();
      const Targets t = targets_at(i);
      loss_ += sgns_step::batched_window(run_.kernels, n_, contexts_.data(), n_contexts, t.rows, t.count, t.labels,
                                         lr_, sigmoid_, scratch_.data(), measure);
      if (measure) pairs_ += static_cast<std::uint64_t>(n_contexts) * t.count;
    }
  }

  void train_skipgram_exact() {
    float** rows = target_rows_.data();  // one position's worth, redrawn per pair
    for (std::size_t i = 0; i < sentence_.size(); ++i) {
      const int n_contexts = gather_context(i);
      // The position's Huffman path serves every pair (negatives are redrawn).
      const Targets path = run_.hs != nullptr ? targets_at(i) : Targets{rows, nullptr, 0};
      for (int c = 0; c < n_contexts; ++c) {
        Targets t = path;
        if (run_.hs == nullptr) t.count = draw_targets(sentence_[i], rows);
        loss_ += sgns_step::exact_pair(run_.kernels, n_, contexts_[c], t.rows, t.count, t.labels, lr_, sigmoid_,
                                       scratch_.data());
        pairs_ += t.count;
      }
    }
  }

  void train_cbow() {
    prepare_targets();
    for (std::size_t i = 0; i < sentence_.size(); ++i) {
      prefetch_rows_after(i);
      const int n_contexts = gather_context(i);
      const bool measure = measure_loss_now();
      const Targets t = targets_at(i);
      loss_ += sgns_step::cbow(run_.kernels, n_, contexts_.data(), n_contexts, t.rows, t.count, t.labels, lr_,
                               sigmoid_, scratch_.data(), measure);
      if (measure) pairs_ += t.count;
    }
  }

  // fastText's skip-gram: the centre word's subword rows are the hidden
  // vector; the window's words are its positives (a word twice in the window
  // counts twice) and the position's draw its negatives, each weighted by the
  // window's size so that a window meets as many negative pairs as with a
  // draw per pair.
  //   With hierarchical softmax the window's words' paths are the targets,
  // a node shared by several paths counted once per path.
  void train_skipgram_subwords() {
    prepare_targets();
    Matrix& out = run_.model.output;
    for (std::size_t i = 0; i < sentence_.size(); ++i) {
      hidden_rows_.clear();
      append_subword_rows(sentence_[i]);
      const auto [lo, hi] = draw_window(i);
      subword_targets_.clear();
      labels_.clear();
      weights_.clear();
      for (std::size_t j = lo; j <= hi; ++j) {
        if (j == i) continue;
        if (run_.hs != nullptr) {
          const std::int32_t word = sentence_[j];
          for (int d = 0; d < run_.hs->length(word); ++d) add_target(run_.hs->rows(word)[d], run_.hs->labels(word)[d], 1);
        } else {
          add_target(out.row(sentence_[j]), 1, 1);
        }
      }
      const auto pairs = static_cast<float>(hi - lo);
      for (int t = 1; run_.hs == nullptr && t < target_counts_[i]; ++t) {
        // A negative that is one of the window's words stays a positive only.
        if (target_slot(targets_of(i)[t]) < 0) add_target(targets_of(i)[t], 0, pairs);
      }
      clear_target_slots();
      if (scratch_.size() < n_ + subword_targets_.size()) scratch_.resize(n_ + subword_targets_.size());
      const bool measure = measure_loss_now();
      loss_ += sgns_step::hidden(run_.kernels, n_, hidden_rows_.data(), static_cast<int>(hidden_rows_.size()),
                                 subword_targets_.data(), static_cast<int>(subword_targets_.size()), labels_.data(),
                                 weights_.data(), lr_, sigmoid_, scratch_.data(), measure);
      if (measure) pairs_ += static_cast<std::uint64_t>(std::accumulate(weights_.begin(), weights_.end(), 0.0f));
    }
  }

  // fastText's skip-gram step for step: the centre word's subword rows,
  // averaged, predict each word of the window in turn, against negatives drawn
  // for that pair (or the word's Huffman path); the rows change between pairs.
  // A CBOW step per pair, whose context is the centre word's n-grams.
  void train_skipgram_subwords_exact() {
    float** rows = target_rows_.data();  // one pair's worth, redrawn per pair
    for (std::size_t i = 0; i < sentence_.size(); ++i) {
      hidden_rows_.clear();
      append_subword_rows(sentence_[i]);
      const auto [lo, hi] = draw_window(i);
      for (std::size_t j = lo; j <= hi; ++j) {
        if (j == i) continue;
        Targets t{rows, nullptr, 0};
        if (run_.hs != nullptr)
          t = targets_at(j);
        else
          t.count = draw_targets(sentence_[j], rows);
        const bool measure = measure_loss_now();
        loss_ += sgns_step::cbow(run_.kernels, n_, hidden_rows_.data(), static_cast<int>(hidden_rows_.size()), t.rows,
                                 t.count, t.labels, lr_, sigmoid_, scratch_.data(), measure);
        if (measure) pairs_ += t.count;
      }
    }
  }

  // fastText's CBOW: the mean of every subword row of the window's words.
  void train_cbow_subwords() {
    prepare_targets();
    for (std::size_t i = 0; i < sentence_.size(); ++i) {
      const auto [lo, hi] = draw_window(i);
      hidden_rows_.clear();
      for (std::size_t j = lo; j <= hi; ++j)
        if (j != i) append_subword_rows(sentence_[j]);
      const bool measure = measure_loss_now();
      const Targets t = targets_at(i);
      if (scratch_.size() < n_ + static_cast<std::size_t>(t.count)) scratch_.resize(n_ + t.count);
      loss_ += sgns_step::cbow(run_.kernels, n_, hidden_rows_.data(), static_cast<int>(hidden_rows_.size()), t.rows,
                               t.count, t.labels, lr_, sigmoid_, scratch_.data(), measure);
      if (measure) pairs_ += t.count;
    }
  }

  // The merged targets of a subword skip-gram window: one entry per output
  // row, its label and weight summed over the pairs it stands for.
  void add_target(float* row, float label, float weight) {
    const std::int32_t slot = target_slot(row);
    if (slot >= 0) {
      labels_[static_cast<std::size_t>(slot)] += label;
      weights_[static_cast<std::size_t>(slot)] += weight;
      return;
    }
    target_slots_[output_index(row)] = static_cast<std::int32_t>(subword_targets_.size());
    subword_targets_.push_back(row);
    labels_.push_back(label);
    weights_.push_back(weight);
  }
  std::size_t output_index(const float* row) const {
    return static_cast<std::size_t>(row - run_.model.output.data()) / run_.model.output.stride();
  }
  std::int32_t target_slot(const float* row) const { return target_slots_[output_index(row)]; }
  void clear_target_slots() {
    for (float* row : subword_targets_) target_slots_[output_index(row)] = -1;
  }

  void append_subword_rows(std::int32_t word) {
    for (const std::int32_t r : run_.subwords->rows(word)) hidden_rows_.push_back(run_.model.input.row(static_cast<std::size_t>(r)));
  }

  const SgnsRun& run_;
  const unsigned index_;
  Rng rng_;
  const std::size_t n_;  // floats of each row the kernels process (Kernels::span: cols rounded up to 4)
  SigmoidTable sigmoid_;  // per thread: 32 KiB that stays in this core's cache
  const std::function<void()>* report_ = nullptr;
  std::vector<std::int32_t> sentence_;
  std::vector<float*> contexts_;
  Matrix frozen_copies_;  // one row per context slot, with --freeze-init
  std::vector<float*> target_rows_;  // negative + 1 slots per position of the sentence
  std::vector<int> target_counts_;   // the rows used of each position's slots
  std::vector<std::uint64_t> draws_;  // random numbers of the negatives being drawn
  NegativeDraws draw_plan_{0, 1, 1};  // the sentence's positions -> draws
  std::vector<float> scratch_;
  std::vector<float*> hidden_rows_;      // subwords: the rows averaged into the hidden vector
  std::vector<float*> subword_targets_;  // subword skip-gram: the window's words, then negatives
  std::vector<float> labels_, weights_;  // their positive and total pair counts
  std::optional<PrivateRows> busy_rows_;  // hierarchical softmax, several threads: the busy nodes' rows
  std::vector<float*> hs_rows_;           // a path, with the busy rows replaced by busy_rows_'s
  std::size_t positions_since_merge_ = 0;
  std::vector<std::int32_t> target_slots_;  // output row -> its entry in subword_targets_, or -1
  std::size_t cache_budget_;        // bytes this worker may keep its shard's IdStream in
  std::optional<IdStream> replay_;  // the recorded shard, once an epoch read it whole
  float lr_;
  double loss_ = 0;
  std::uint64_t pairs_ = 0;  // of the loss measured
  unsigned loss_countdown_ = 0;  // positions until the next loss measurement
  std::uint64_t unsynced_words_ = 0;
};

}  // namespace wordvec
