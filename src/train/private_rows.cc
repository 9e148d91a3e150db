#include "train/private_rows.h"

#include <cstring>

namespace wordvec {

PrivateRows::PrivateRows(Matrix& shared, std::size_t first, std::size_t count, std::mutex& merge_lock)
    : shared_begin_(shared.row(first)),
      shared_end_(shared.row(first + count)),
      floats_(count * shared.stride()),
      copy_(count, shared.cols()),
      base_(count, shared.cols()),
      copy_begin_(copy_.data()),
      merge_lock_(merge_lock) {
  std::lock_guard lock(merge_lock_);
  std::memcpy(copy_.data(), shared_begin_, floats_ * sizeof(float));
  std::memcpy(base_.data(), shared_begin_, floats_ * sizeof(float));
}

void PrivateRows::merge() {
  float* copy = copy_.data();
  float* base = base_.data();
  std::lock_guard lock(merge_lock_);
  for (std::size_t i = 0; i < floats_; ++i) {
    const float merged = shared_begin_[i] + (copy[i] - base[i]);
    shared_begin_[i] = merged;
    copy[i] = merged;
    base[i] = merged;
  }
}

}  // namespace wordvec
