// Portable reference kernels (baseline x86-64: the compiler may use SSE2).
#include <cmath>

#include "fused.h"
#include "kernels_impl.h"

namespace wordvec::simd {
namespace {

// One float at a time: the reference the wider variants are tested against.
struct ScalarVec {
  using reg = float;
  using tail = ScalarVec;  // one float needs no narrower end
  static constexpr std::size_t width = 1;
  static float zero() { return 0.0f; }
  static float load(const float* p) { return *p; }
  static void store(float* p, float r) { *p = r; }
  static float set1(float f) { return f; }
  static float add(float a, float b) { return a + b; }
  static float sub(float a, float b) { return a - b; }
  static float mul(float a, float b) { return a * b; }
  static float recip(float x) { return 1.0f / x; }
  static float min(float a, float b) { return std::fmin(a, b); }
  static float max(float a, float b) { return std::fmax(a, b); }
  static float round(float x) { return std::nearbyint(x); }
  static float pow2(float n) { return std::ldexp(1.0f, static_cast<int>(n)); }
  static float fmadd(float a, float b, float c) { return a * b + c; }
  static float hsum(float r) { return r; }
  static float fold(float r) { return r; }
  static float fnmadd(float a, float b, float c) { return c - a * b; }
  static float rsqrt(float x) { return 1.0f / std::sqrt(x); }
  static float from_half(const std::uint16_t* p) { return float_from_half(*p); }
  static void to_half(std::uint16_t* p, float r) { *p = half_from_float(r); }
  static float from_int8(const std::int8_t* p) { return static_cast<float>(*p); }
  static void to_int8(std::int8_t* p, float r) { *p = static_cast<std::int8_t>(r); }
};

}  // namespace

Kernels scalar_kernels() { return make_kernels<ScalarVec>(SimdLevel::Scalar, "scalar"); }

}  // namespace wordvec::simd
