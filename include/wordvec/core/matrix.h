// Dense row-major float matrix whose rows start on 64-byte boundaries and are
// padded with zeros to a multiple of 16 floats (the widest SIMD register), so
// a kernel may run over a row's padding instead of masking. Every kernel keeps
// the padding at zero: axpy of zero-padded rows leaves zero padding.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>

namespace wordvec {

class Matrix {
 public:
  static constexpr std::size_t kRowAlignFloats = 16;

  Matrix() = default;
  Matrix(std::size_t rows, std::size_t cols);  // zero-initialised

  Matrix(Matrix&&) noexcept = default;
  Matrix& operator=(Matrix&&) noexcept = default;
  Matrix clone() const;

  std::size_t rows() const { return rows_; }
  std::size_t cols() const { return cols_; }
  // Floats between the starts of consecutive rows (cols rounded up).
  std::size_t stride() const { return stride_; }

  float* row(std::size_t r) { return data_.get() + r * stride_; }
  const float* row(std::size_t r) const { return data_.get() + r * stride_; }
  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }

  static std::size_t padded(std::size_t cols) {
    return (cols + kRowAlignFloats - 1) / kRowAlignFloats * kRowAlignFloats;
  }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float[], Free> data_;
  std::size_t rows_ = 0;
  std::size_t cols_ = 0;
  std::size_t stride_ = 0;
};

}  // namespace wordvec
