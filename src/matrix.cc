#include "wordvec/matrix.h"

#include <cstring>
#include <new>

namespace wordvec {

Matrix::Matrix(std::size_t rows, std::size_t cols) : rows_(rows), cols_(cols), stride_(padded(cols)) {
  const std::size_t bytes = std::max<std::size_t>(rows_ * stride_ * sizeof(float), 64);
  void* p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
  if (p == nullptr) throw std::bad_alloc();
  std::memset(p, 0, bytes);
  data_.reset(static_cast<float*>(p));
}

Matrix Matrix::clone() const {
  Matrix copy(rows_, cols_);
  if (rows_ > 0) std::memcpy(copy.data(), data(), rows_ * stride_ * sizeof(float));
  return copy;
}

}  // namespace wordvec
