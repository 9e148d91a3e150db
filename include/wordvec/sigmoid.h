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
  float sigmoid(float x) const { return sigmoid_[index(x)]; }
  // -log sigmoid(x): the loss of a pair whose label is 1 and score x.
  float log_loss(float x) const {
    if (x < -kSigmoidRange) return -x;  // linear tail, exact to 3e-4
    return log_loss_[index(x)];
  }

  static float exact_sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }
  static float exact_log_loss(float x) { return std::log1p(std::exp(-x)); }

 private:
  static int index(float x) {
    const float clipped = std::clamp(x, -kSigmoidRange, kSigmoidRange);
    return static_cast<int>((clipped + kSigmoidRange) * (kSteps / (2 * kSigmoidRange)) + 0.5f);
  }
  std::vector<float> sigmoid_;
  std::vector<float> log_loss_;
};

}  // namespace wordvec
