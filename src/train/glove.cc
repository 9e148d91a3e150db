#include "wordvec/train/glove.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <stdexcept>

#include "wordvec/core/error.h"
#include "train/sampling.h"

namespace wordvec {

namespace {
constexpr float kFrozen = 1e30f;  // AdaGrad sum of a parameter that must not move
}  // namespace

std::vector<RangedField> GloveOptions::ranged_fields() const {
  return {{"dim", static_cast<double>(dim), {1, 10000}},
          {"epochs", static_cast<double>(epochs), {0, 100000, false, false, "0 = only count"}},
          {"x_max", x_max, {0, HUGE_VAL, false, true, "0 = auto"}},
          {"weighting_exponent", weighting_exponent, {0, 10}},
          {"learning_rate", learning_rate, {0, 10, true}},
          {"bias_learning_rate", bias_learning_rate, {0, 10, true}},
          {"threads", static_cast<double>(threads), {0, 1024, false, false, "0 = all cores"}}};
}

void GloveOptions::validate() const { check_ranges(ranged_fields()); }

namespace {
constexpr int kGloveSettingsVersion = 1;
}  // namespace

Settings GloveOptions::to_settings() const {
  Settings s;
  s.set("glove.version", kGloveSettingsVersion);
  s.set("glove.dim", dim);
  s.set("glove.epochs", epochs);
  s.set("glove.x_max", x_max);
  s.set("glove.weighting_exponent", weighting_exponent);
  s.set("glove.learning_rate", learning_rate);
  s.set("glove.bias_learning_rate", bias_learning_rate);
  s.set("glove.seed", seed);
  s.set("glove.output", glove_output_name(output));
  return s;
}

GloveOptions GloveOptions::from_settings(const Settings& s) {
  s.require_version("glove", kGloveSettingsVersion);
  GloveOptions o;
  o.dim = s.small_integer("glove.dim");
  o.epochs = s.small_integer("glove.epochs");
  o.x_max = s.number("glove.x_max");
  o.weighting_exponent = s.number("glove.weighting_exponent");
  o.learning_rate = s.number("glove.learning_rate");
  o.bias_learning_rate = s.number("glove.bias_learning_rate");
  o.seed = s.integer("glove.seed");
  o.output = parse_glove_output(s.text("glove.output"));
  s.validate_stored([&] { o.validate(); });
  return o;
}

double auto_x_max(std::uint64_t tokens) {
  constexpr double kSmallCorpus = 60e6, kSmallXMax = 10, kLargestXMax = 100;
  const double scaled = kSmallXMax * std::sqrt(static_cast<double>(tokens) / kSmallCorpus);
  return std::clamp(scaled, kSmallXMax, kLargestXMax);
}

GloveOutput parse_glove_output(const std::string& name) {
  if (name == "sum") return GloveOutput::Sum;
  if (name == "word") return GloveOutput::Word;
  if (name == "concat") return GloveOutput::Concat;
  throw OptionError("output", "must be sum, word or concat, got '" + name + "'");
}

const char* glove_output_name(GloveOutput output) {
  switch (output) {
    case GloveOutput::Sum: return "sum";
    case GloveOutput::Word: return "word";
    case GloveOutput::Concat: return "concat";
  }
  return "sum";
}

GloveModel::GloveModel(std::size_t vocab_size, std::size_t dim, std::uint64_t seed, float bias_sum_start)
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
    w[span_ + dim] = c[span_ + dim + 1] = bias_sum_start;
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

void GloveModel::freeze_vectors(std::size_t i) {
  for (const Side side : {Side::Word, Side::Context}) std::fill_n(vector_sums(side, i), dim_, kFrozen);
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
                           ? std::exp(static_cast<float>(options.weighting_exponent) *
                                      std::log(record.value / static_cast<float>(options.x_max)))
                           : 1.0f;
  const float weighted = weight * diff;
  kernels.adagrad_pair(w, w + span, c, c + span, static_cast<float>(options.learning_rate) * weighted, span);
  return 0.5f * weighted * diff;
}

GloveTrainer::GloveTrainer(std::size_t vocab_size, const GloveOptions& options, const Kernels& kernels)
    : options_((options.validate(), options)),
      kernels_(kernels),
      model_(vocab_size, options.dim, options.seed,
             static_cast<float>(std::pow(options.learning_rate / options.bias_learning_rate, 2))) {
  if (options_.x_max == 0) throw OptionError("x_max", "is 0 (auto): set it to auto_x_max(the corpus's tokens) first");
}

void GloveTrainer::restore(GloveModel model, int epochs_done) {
  if (model.vocab_size() != model_.vocab_size() || model.dim() != model_.dim())
    throw Error("the checkpoint's GloVe model does not match the vocabulary and dim");
  if (epochs_done < 0 || epochs_done > options_.epochs) throw Error("the checkpoint's epoch count is out of range");
  model_ = std::move(model);
  epochs_done_ = epochs_done;
}

GloveSummary GloveTrainer::train(std::span<const CooccurrenceRecord> records, const ProgressCallback& progress) {
  const unsigned threads = std::max<unsigned>(1, std::min<std::size_t>(options_.thread_count(), records.size()));
  const std::size_t n = records.size();
  const bool distributed = static_cast<bool>(exchanges_.exchange);
  const std::vector<std::size_t> round_ends = distributed ? exchanges_.round_ends : std::vector<std::size_t>{n};
  if (round_ends.empty() || round_ends.back() != n) throw std::logic_error("GloVe rounds must end at the last record");
  const std::size_t rounds = round_ends.size();
  // Progress counts the records of every process; this one's stand for theirs between exchanges.
  const std::uint64_t all_records = distributed ? exchanges_.all_records : n;
  const double scale = n > 0 ? static_cast<double>(all_records) / static_cast<double>(n) : 1.0;
  ProgressMeter meter("training GloVe", "records", all_records * options_.epochs,
                      threads * (distributed ? std::max(1u, exchanges_.processes) : 1u),
                      options_.progress_interval_seconds, all_records * epochs_done_);
  auto report = [&](std::uint64_t done, int epoch, double loss, bool finished) {
    if (!progress) return;
    TrainingProgress p = meter.at(done, finished);
    p.learning_rate = options_.learning_rate;
    p.loss = loss;
    p.epoch = epoch;
    progress(p);
  };

  GloveSummary summary;
  double last_snapshot = 0;
  for (int epoch = epochs_done_ + 1; epoch <= options_.epochs && !stop_.load(); ++epoch) {
    std::vector<double> losses(threads, 0.0);
    const std::uint64_t before = all_records * static_cast<std::uint64_t>(epoch - 1);
    bool snapshot = false;
    for (std::size_t round = 0; round < rounds && !stop_.load(); ++round) {
      const std::size_t first = round == 0 ? 0 : round_ends[round - 1], length = round_ends[round] - first;
      run_parallel(threads, [&](unsigned t) {
        const std::size_t begin = first + length * t / threads, end = first + length * (t + 1) / threads;
        const double loss_before = losses[t];
        losses[t] += train_slice(records.subspan(begin, end - begin), [&](std::size_t i, double loss) {
          if (t == 0 && meter.due())
            report(before + static_cast<std::uint64_t>(static_cast<double>(first + i * threads) * scale), epoch,
                   (loss_before + loss) / static_cast<double>(first / threads + i + 1), false);
        });
      });
      if (stop_.load()) break;
      if (!distributed) continue;
      const bool last = round + 1 == rounds;
      const bool want = last && save_snapshot_ && epoch < options_.epochs &&
                        meter.elapsed_seconds() - last_snapshot >= snapshot_interval_;
      snapshot = exchanges_.exchange(length, want, last && epoch == options_.epochs).snapshot;
    }
    if (stop_.load()) break;
    double totals[2] = {0, static_cast<double>(n)};  // loss, records
    for (double l : losses) totals[0] += l;
    if (distributed) exchanges_.sum(totals);
    const double loss = totals[0] / std::max(totals[1], 1.0);
    if (!std::isfinite(loss))
      throw DivergedError("learning_rate", "is too high: GloVe training diverged in epoch " + std::to_string(epoch) +
                                             " (the loss is not finite); no vectors written; lower it (now " +
                                             short_number(options_.learning_rate) + ")");
    summary.epoch_loss.push_back(loss);
    epochs_done_ = epoch;
    report(before + all_records, epoch, loss, epoch == options_.epochs);
    if (!distributed)
      snapshot = save_snapshot_ && epoch < options_.epochs && meter.elapsed_seconds() - last_snapshot >= snapshot_interval_;
    if (snapshot) {
      save_snapshot_(epoch);
      last_snapshot = meter.elapsed_seconds();
    }
  }
  summary.seconds = meter.elapsed_seconds();
  return summary;
}

double GloveTrainer::train_slice(std::span<const CooccurrenceRecord> slice,
                                 const std::function<void(std::size_t done, double loss)>& report) {
  constexpr std::size_t kPrefetchAhead = 8;
  const std::size_t row_bytes = 2 * model_.span() * sizeof(float);
  double loss = 0;
  for (std::size_t i = 0; i < slice.size(); ++i) {
    if (i + kPrefetchAhead < slice.size()) {
      // The rows of a record a few steps ahead: records are in random order, so
      // nearly every row is a cache miss otherwise.
      const CooccurrenceRecord& ahead = slice[i + kPrefetchAhead];
      const char* w = reinterpret_cast<const char*>(model_.word(ahead.row));
      const char* c = reinterpret_cast<const char*>(model_.context(ahead.col));
      for (std::size_t b = 0; b < row_bytes; b += 64) {
        __builtin_prefetch(w + b, 1);
        __builtin_prefetch(c + b, 1);
      }
    }
    loss += glove_step(model_, slice[i], options_, kernels_);
    if ((i & 0xFFFF) == 0xFFFF) {
      if (stop_.load(std::memory_order_relaxed)) break;
      report(i, loss);
    }
  }
  return loss;
}

}  // namespace wordvec
