// Tabulated logistic function and log-loss, clipped at |x| = kSigmoidRange.
// A table of 4096 steps over [-8, 8] (step 0.004, sigmoid error < 1e-3) is
// finer than word2vec's 1000 steps over [-6, 6]; beyond the range the values
// are those at the ends, so gradients there are (almost) the full 0 or 1 that
// word2vec uses. The exact functions are kept for tests and references.
#pragma once

#include <algorithm>
#include <cmath>
#include <vector>

namespace wordvec {

inline constexpr float kSigmoidRange = 8.0f;

class SigmoidTable {
 public:
  static constexpr int kSteps = 4096;

  SigmoidTable();
  float sigmoid(float x) const { return table_[index(clip(x))].sigmoid; }
  // -log sigmoid(x): the loss of a pair whose label is 1 and score x; NaN
  // for a NaN or infinite score (x - x), so a diverged run shows in the loss.
  float log_loss(float x) const {
    return table_[index(clip(x))].log_loss + std::max(0.0f, -kSigmoidRange - x) + (x - x);
  }

  // A pair with score x and label 1 (positive) or 0: returns label - sigmoid(x)
  // and adds the pair's loss -log sigmoid(+-x) to `loss`, from one lookup
  // (-log sigmoid(-x) = -log sigmoid(x) + x); linear tails beyond the range.
  float residual(float x, bool positive, float& loss) const {
    const float c = clip(x);
    const Entry& e = table_[index(c)];
    if (positive) {
      loss += e.log_loss + std::max(0.0f, -kSigmoidRange - x);
      return 1.0f - e.sigmoid;
    }
    loss += e.log_loss + c + std::max(0.0f, x - kSigmoidRange);
    return -e.sigmoid;
  }

  static float exact_sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
  static float exact_log_loss(float x) { return std::log1p(std::exp(-x)); }

 private:
  struct Entry {
    float sigmoid;
    float log_loss;  // -log sigmoid
  };
  // Into [-range, range], NaN included (it lands on range: each comparison
  // with NaN is false), so that index() is always inside the table.
  // std::clamp would pass NaN through, and casting NaN to int is undefined.
  static float clip(float x) {
    const float low = x > -kSigmoidRange ? x : -kSigmoidRange;
    return low < kSigmoidRange ? low : kSigmoidRange;
  }
  static int index(float clipped) {
    return static_cast<int>((clipped + kSigmoidRange) * (kSteps / (2 * kSigmoidRange)) + 0.5f);
  }
  std::vector<Entry> table_;  // interleaved: one cache line serves both values
};

}  // namespace wordvec
