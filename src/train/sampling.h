// Random numbers and the two samplers of word2vec training: frequent-word
// subsampling and negative sampling from the unigram distribution ^ 0.75.
#pragma once

#include <cstdint>
#include <vector>

namespace wordvec {

// splitmix64: turns any seed (and a stream number) into well-mixed state.
inline std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// xorshift64*: a few cycles a draw, plenty for sampling; one per thread.
class Rng {
 public:
  explicit Rng(std::uint64_t seed, std::uint64_t stream = 0)
      : state_(splitmix64(seed ^ splitmix64(stream + 1)) | 1) {}
  // The whole state, to save and restore a generator (checkpoints).
  std::uint64_t state() const { return state_; }
  static Rng from_state(std::uint64_t state) {
    Rng r(0);
    r.state_ = state;
    return r;
  }

  std::uint64_t next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1Dull;
  }
  std::uint32_t next32() { return static_cast<std::uint32_t>(next() >> 32); }
  // Uniform in [0, 1).
  float uniform() { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }
  // Uniform integer in [0, n), n > 0 (multiply-shift, no modulo bias worth noting).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next32()) * n) >> 32);
  }

 private:
  std::uint64_t state_;
};

// word2vec's keep probability for a word of relative frequency f:
// sqrt(t/f) + t/f, capped at 1; sample t <= 0 disables subsampling.
double subsample_keep_probability(std::uint64_t count, std::uint64_t total, double sample);

// Keep decisions for every word id, as 32-bit thresholds compared with one draw.
class Subsampler {
 public:
  Subsampler(const std::vector<std::uint64_t>& counts, double sample);
  bool keep(std::int32_t id, Rng& rng) const { return rng.next32() < thresholds_[id]; }
  double keep_probability(std::int32_t id) const;

 private:
  std::vector<std::uint64_t> thresholds_;  // keep iff draw < threshold (2^32 = always)
};

// Walker's alias method: O(1) draws from a discrete distribution with two
// small arrays (8 bytes per word) instead of word2vec's 400 MB table.
class AliasSampler {
 public:
  AliasSampler() = default;
  explicit AliasSampler(const std::vector<double>& weights);
  // Unigram counts raised to `power` (0.75 for word2vec's negatives).
  static AliasSampler unigram(const std::vector<std::uint64_t>& counts, double power = 0.75);

  std::int32_t sample(Rng& rng) const { return sample_of(rng.next()); }
  // The same draw in two steps, for drawing many at once: prefetch(r) for
  // every r = rng.next() first, then sample_of(r) finds the entries in cache.
  void prefetch(std::uint64_t r) const { __builtin_prefetch(&entries_[column_of(r)]); }
  std::int32_t sample_of(std::uint64_t r) const {
    const std::uint32_t column = column_of(r);
    const Entry e = entries_[column];
    // Branch-free: a mispredicted branch on a cache-missing entry would also
    // discard the loads of the draws after it.
    const std::int32_t keep = -static_cast<std::int32_t>(static_cast<std::uint32_t>(r) < e.threshold);
    return (static_cast<std::int32_t>(column) & keep) | (e.alias & ~keep);
  }
  std::size_t size() const { return size_; }
  // The exact probability the sampler gives to id (for tests).
  double probability(std::int32_t id) const;

 private:
  struct Entry {
    std::uint32_t threshold;  // keep the column iff low 32 bits < threshold
    std::int32_t alias;
  };
  // The high 32 bits of r pick the column, the low 32 bits keep it or take its alias.
  std::uint32_t column_of(std::uint64_t r) const { return static_cast<std::uint32_t>(((r >> 32) * size_) >> 32); }

  std::vector<Entry> entries_;
  std::uint64_t size_ = 0;
};

}  // namespace wordvec
