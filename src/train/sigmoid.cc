#include "train/sigmoid.h"

namespace wordvec {

SigmoidTable::SigmoidTable() : table_(kSteps + 1) {
  for (int i = 0; i <= kSteps; ++i) {
    const double x = -kSigmoidRange + 2.0 * kSigmoidRange * i / kSteps;
    table_[i] = {static_cast<float>(1.0 / (1.0 + std::exp(-x))), static_cast<float>(std::log1p(std::exp(-x)))};
  }
}

}  // namespace wordvec
