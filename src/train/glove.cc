#include "wordvec/train/glove.h"

#include <chrono>
#include <cmath>
#include <exception>
#include <thread>

#include "wordvec/core/error.h"
#include "train/sampling.h"

namespace wordvec {

namespace {
constexpr float kFrozen = 1e30f;  // AdaGrad sum of a parameter that must not move
}  // namespace

unsigned GloveOptions::thread_count() const {
  return threads > 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
}

void GloveOptions::validate() const {
  auto fail = [](const std::string& m) { throw Error(m); };
  if (dim < 1 || dim > 10000) fail("--dim must be in 1..10000, got " + std::to_string(dim));
  if (epochs < 0 || epochs > 100000) fail("--epochs must be in 0..100000, got " + std::to_string(epochs));
  if (!(x_max > 0) || !std::isfinite(x_max)) fail("--x-max must be a positive number, got " + short_number(x_max));
  if (!(alpha >= 0) || alpha > 10) fail("--glove-alpha must be in 0..10, got " + short_number(alpha));
  if (!(learning_rate > 0) || learning_rate > 10)
    fail("--alpha (the GloVe learning rate) must be in (0, 10], got " + short_number(learning_rate));
  if (threads > 1024) fail("--threads must be in 0..1024, got " + std::to_string(threads));
}

GloveOutput parse_glove_output(const std::string& name) {
  if (name == "sum") return GloveOutput::Sum;
  if (name == "word") return GloveOutput::Word;
  if (name == "concat") return GloveOutput::Concat;
  throw Error("--glove-output must be sum, word or concat, got '" + name + "'");
}

GloveModel::GloveModel(std::size_t vocab_size, std::size_t dim, std::uint64_t seed)
    : dim_(dim), span_(Matrix::padded(dim + 2)), words_(vocab_size, 2 * span_), contexts_(vocab_size, 2 * span_) {
  const float scale = 1.0f / static_cast<float>(dim);
  for (std::size_t r = 0; r < vocab_size; ++r) {
    Rng rng(seed, r);
    float* w = words_.row(r);
    float* c = contexts_.row(r);
    for (std::size_t k = 0; k <= dim; ++k) w[k] = (rng.uniform() - 0.5f) * scale;  // vector and bias
    for (std::size_t k = 0; k < dim; ++k) c[k] = (rng.uniform() - 0.5f) * scale;
    c[dim + 1] = (rng.uniform() - 0.5f) * scale;  // context bias
    w[dim + 1] = c[dim] = 1;                      // the constants that add the other side's bias
    for (std::size_t k = 0; k < span_; ++k) w[span_ + k] = c[span_ + k] = 1;  // AdaGrad sums start at 1
    // A huge AdaGrad sum freezes the constants: their steps (g * bias / 1e15)
    // are far below half an ulp of 1, so they stay exactly 1.
    w[span_ + dim + 1] = c[span_ + dim] = kFrozen;
  }
}

GloveModel GloveModel::from_rows(std::size_t dim, Matrix words, Matrix contexts) {
  GloveModel m;
  m.dim_ = dim;
  m.span_ = Matrix::padded(dim + 2);
  if (words.cols() != 2 * m.span_ || contexts.cols() != 2 * m.span_ || words.rows() != contexts.rows())
    throw Error("the checkpoint's GloVe matrices do not match dimension " + std::to_string(dim));
  m.words_ = std::move(words);
  m.contexts_ = std::move(contexts);
  return m;
}

Matrix GloveModel::vectors(GloveOutput output) const {
  const std::size_t v = vocab_size();
  Matrix out(v, output == GloveOutput::Concat ? 2 * dim_ : dim_);
  for (std::size_t r = 0; r < v; ++r) {
    float* o = out.row(r);
    const float* w = words_.row(r);
    const float* c = contexts_.row(r);
    for (std::size_t k = 0; k < dim_; ++k) {
      switch (output) {
        case GloveOutput::Sum: o[k] = w[k] + c[k]; break;
        case GloveOutput::Word: o[k] = w[k]; break;
        case GloveOutput::Concat: o[k] = w[k], o[dim_ + k] = c[k]; break;
      }
    }
  }
  return out;
}

float glove_step(GloveModel& model, const CooccurrenceRecord& record, const GloveOptions& options,
                 const Kernels& kernels) {
  const std::size_t span = model.span();
  float* w = model.word(record.row);
  float* c = model.context(record.col);
  // dot over [w | b | 1] . [c | 1 | d] = w.c + b + d
  const float diff = kernels.dot(w, c, span) - std::log(record.value);
  const float weight = record.value < options.x_max
                           ? std::exp(static_cast<float>(options.alpha) *
                                      std::log(record.value / static_cast<float>(options.x_max)))
                           : 1.0f;
  const float weighted = weight * diff;
  kernels.adagrad_pair(w, w + span, c, c + span, static_cast<float>(options.learning_rate) * weighted, span);
  return 0.5f * weighted * diff;
}

GloveTrainer::GloveTrainer(std::size_t vocab_size, const GloveOptions& options, const Kernels& kernels)
    : options_(options), kernels_(kernels), model_(vocab_size, options.dim, options.seed) {
  options_.validate();
}

void GloveTrainer::restore(GloveModel model, int epochs_done) {
  if (model.vocab_size() != model_.vocab_size() || model.dim() != model_.dim())
    throw Error("the checkpoint's GloVe model does not match the vocabulary and --dim");
  if (epochs_done < 0 || epochs_done > options_.epochs) throw Error("the checkpoint's epoch count is out of range");
  model_ = std::move(model);
  epochs_done_ = epochs_done;
}

GloveSummary GloveTrainer::train(std::span<const CooccurrenceRecord> records, const ProgressCallback& progress) {
  const auto started = std::chrono::steady_clock::now();
  const unsigned threads = std::max<unsigned>(1, std::min<std::size_t>(options_.thread_count(), records.size()));
  const std::size_t n = records.size();
  const std::uint64_t total = static_cast<std::uint64_t>(n) * options_.epochs;
  GloveSummary summary;
  const std::uint64_t resumed_at = static_cast<std::uint64_t>(n) * epochs_done_;
  double last_report = -1e9;
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
  auto report = [&](std::uint64_t done, int epoch, double loss, bool finished) {
    if (!progress) return;
    const double seconds = elapsed();
    if (!finished && seconds - last_report < options_.progress_interval_seconds) return;
    last_report = seconds;
    TrainingProgress p;
    p.stage = "training GloVe";
    p.unit = "records";
    p.words_done = done;
    p.words_total = std::max<std::uint64_t>(total, 1);
    p.fraction = static_cast<double>(done) / p.words_total;
    p.elapsed_seconds = seconds;
    const double done_now = static_cast<double>(done - std::min<std::uint64_t>(done, resumed_at));
    p.words_per_second_per_thread = seconds > 0 ? done_now / seconds / threads : 0;
    p.learning_rate = options_.learning_rate;
    p.loss = loss;
    p.eta_seconds = done_now > 0 ? seconds * static_cast<double>(p.words_total - done) / done_now : 0;
    p.epoch = epoch;
    p.finished = finished;
    progress(p);
  };

  constexpr std::size_t kPrefetchAhead = 8;
  const std::size_t row_bytes = 2 * model_.span() * sizeof(float);
  double last_snapshot = 0;
  for (int epoch = epochs_done_ + 1; epoch <= options_.epochs && !stop_.load(); ++epoch) {
    std::vector<double> losses(threads, 0.0);
    std::vector<std::thread> pool;
    const std::uint64_t before = static_cast<std::uint64_t>(n) * (epoch - 1);
    auto work = [&](unsigned t) {
      const std::size_t begin = n * t / threads, end = n * (t + 1) / threads;
      double loss = 0;
      for (std::size_t i = begin; i < end; ++i) {
        if (i + kPrefetchAhead < end) {
          // The rows of a record a few steps ahead: records are in random order, so
          // nearly every row is a cache miss otherwise.
          const CooccurrenceRecord& ahead = records[i + kPrefetchAhead];
          const char* w = reinterpret_cast<const char*>(model_.word(ahead.row));
          const char* c = reinterpret_cast<const char*>(model_.context(ahead.col));
          for (std::size_t b = 0; b < row_bytes; b += 64) {
            __builtin_prefetch(w + b, 1);
            __builtin_prefetch(c + b, 1);
          }
        }
        loss += glove_step(model_, records[i], options_, kernels_);
        if (((i - begin) & 0xFFFF) == 0xFFFF) {
          if (stop_.load(std::memory_order_relaxed)) break;
          if (t == 0) report(before + (i - begin) * threads, epoch, loss / (i - begin + 1), false);
        }
      }
      losses[t] = loss;
    };
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work, t);
    work(0);
    for (auto& th : pool) th.join();
    if (stop_.load()) break;
    double loss = 0;
    for (double l : losses) loss += l;
    loss /= std::max<std::size_t>(n, 1);
    if (!std::isfinite(loss))
      throw Error("GloVe training diverged in epoch " + std::to_string(epoch) +
                  " (the loss is not finite); no vectors written. Lower the learning rate (--alpha, now " +
                  short_number(options_.learning_rate) + ")");
    summary.epoch_loss.push_back(loss);
    epochs_done_ = epoch;
    report(before + n, epoch, loss, epoch == options_.epochs);
    if (save_snapshot_ && epoch < options_.epochs && elapsed() - last_snapshot >= snapshot_interval_) {
      save_snapshot_(epoch);
      last_snapshot = elapsed();
    }
  }
  summary.seconds = elapsed();
  return summary;
}

}  // namespace wordvec
