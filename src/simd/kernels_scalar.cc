// Portable reference kernels (baseline x86-64: the compiler may use SSE2).
#include "kernels_impl.h"

namespace wordvec::simd {
namespace {

float dot(const float* a, const float* b, std::size_t n) {
  float sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += a[i] * b[i];
  return sum;
}

void axpy(float alpha, const float* x, float* y, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) y[i] += alpha * x[i];
}

void scale(float alpha, float* x, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) x[i] *= alpha;
}

}  // namespace

Kernels scalar_kernels() { return {SimdLevel::Scalar, "scalar", dot, axpy, scale}; }

}  // namespace wordvec::simd
