#include "wordvec/sigmoid.h"

namespace wordvec {

SigmoidTable::SigmoidTable() : sigmoid_(kSteps + 1), log_loss_(kSteps + 1) {
  for (int i = 0; i <= kSteps; ++i) {
    const double x = -kSigmoidRange + 2.0 * kSigmoidRange * i / kSteps;
    sigmoid_[i] = static_cast<float>(1.0 / (1.0 + std::exp(-x)));
    log_loss_[i] = static_cast<float>(std::log1p(std::exp(-x)));
  }
}

}  // namespace wordvec
