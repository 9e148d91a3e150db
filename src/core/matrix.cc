#include "wordvec/core/matrix.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>
#include <new>

namespace wordvec {

namespace {
constexpr std::size_t kHugePage = 2 << 20;
}

Matrix::Matrix(std::size_t rows, std::size_t cols) : rows_(rows), cols_(cols), stride_(padded(cols)) {
  const std::size_t bytes = std::max<std::size_t>(rows_ * stride_ * sizeof(float), 64);
  // Training reads rows at random: with 4 KiB pages nearly every row access
  // misses the TLB. Large matrices ask for transparent huge pages.
  const bool huge = bytes >= kHugePage;
  const std::size_t align = huge ? kHugePage : 64;
  void* p = std::aligned_alloc(align, (bytes + align - 1) / align * align);
  if (p == nullptr) throw std::bad_alloc();
  if (huge) ::madvise(p, (bytes + align - 1) / align * align, MADV_HUGEPAGE);  // a hint: failure is harmless
  std::memset(p, 0, bytes);
  data_.reset(static_cast<float*>(p));
}

Matrix Matrix::clone() const {
  Matrix copy(rows_, cols_);
  if (rows_ > 0) std::memcpy(copy.data(), data(), rows_ * stride_ * sizeof(float));
  return copy;
}

}  // namespace wordvec
