#include "train/sampling.h"

#include <cmath>

#include "wordvec/core/error.h"

namespace wordvec {

double subsample_keep_probability(std::uint64_t count, std::uint64_t total, double sample) {
  if (sample <= 0 || count == 0 || total == 0) return 1.0;
  const double ratio = sample * static_cast<double>(total) / static_cast<double>(count);  // t / f
  return std::min(1.0, std::sqrt(ratio) + ratio);
}

Subsampler::Subsampler(const std::vector<std::uint64_t>& counts, double sample) {
  std::uint64_t total = 0;
  for (std::uint64_t c : counts) total += c;
  thresholds_.reserve(counts.size());
  for (std::uint64_t c : counts) {
    const double p = subsample_keep_probability(c, total, sample);
    thresholds_.push_back(static_cast<std::uint64_t>(std::llround(p * 4294967296.0)));
  }
}

double Subsampler::keep_probability(std::int32_t id) const {
  return static_cast<double>(thresholds_[id]) / 4294967296.0;
}

AliasSampler::AliasSampler(const std::vector<double>& weights) {
  const std::size_t n = weights.size();
  if (n == 0) throw Error("cannot sample from an empty distribution");
  double total = 0;
  for (double w : weights) total += w;
  if (!(total > 0)) throw Error("cannot sample from a distribution whose weights sum to zero");
  // Vose's construction: scaled probabilities, split into small and large.
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small, large;
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }
  entries_.assign(n, {0xFFFFFFFFu, 0});
  for (std::size_t i = 0; i < n; ++i) entries_[i].alias = static_cast<std::int32_t>(i);
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back(), l = large.back();
    small.pop_back();
    entries_[s].threshold = static_cast<std::uint32_t>(std::min(scaled[s] * 4294967296.0, 4294967295.0));
    entries_[s].alias = static_cast<std::int32_t>(l);
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // Leftovers are 1 up to rounding: they keep their own column always.
  size_ = n;
}

AliasSampler AliasSampler::unigram(const std::vector<std::uint64_t>& counts, double power) {
  std::vector<double> weights;
  weights.reserve(counts.size());
  for (std::uint64_t c : counts) weights.push_back(std::pow(static_cast<double>(c), power));
  return AliasSampler(weights);
}

double AliasSampler::probability(std::int32_t id) const {
  // Column id keeps with its threshold; every column aliasing to id adds the rest.
  double p = 0;
  for (std::size_t column = 0; column < size_; ++column) {
    const double keep = entries_[column].threshold == 0xFFFFFFFFu ? 1.0 : entries_[column].threshold / 4294967296.0;
    if (static_cast<std::int32_t>(column) == id) p += keep;
    if (entries_[column].alias == id && static_cast<std::int32_t>(column) != id) p += 1.0 - keep;
  }
  return p / static_cast<double>(size_);
}

}  // namespace wordvec
