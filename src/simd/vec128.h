// Internal: the 128-bit register (4 floats) that ends a row in the AVX2 and
// AVX-512 kernels, so a row of 100 floats costs 12 AVX2 registers and a quarter
// rather than 13 (and 6 AVX-512 registers and a quarter rather than 7). Include
// only from a translation unit compiled with -mfma: the anonymous namespace
// gives each one its own copy, built with that unit's flags.
#pragma once

#include <immintrin.h>

#include <cstddef>

namespace wordvec::simd {
namespace {

struct Vec128 {
  using reg = __m128;
  static constexpr std::size_t width = 4;
  static reg zero() { return _mm_setzero_ps(); }
  static reg load(const float* p) { return _mm_loadu_ps(p); }
  static void store(float* p, reg r) { _mm_storeu_ps(p, r); }
  static reg set1(float f) { return _mm_set1_ps(f); }
  static reg add(reg a, reg b) { return _mm_add_ps(a, b); }
  static reg mul(reg a, reg b) { return _mm_mul_ps(a, b); }
  static reg sub(reg a, reg b) { return _mm_sub_ps(a, b); }
  static reg fmadd(reg a, reg b, reg c) { return _mm_fmadd_ps(a, b, c); }
  static reg fnmadd(reg a, reg b, reg c) { return _mm_fnmadd_ps(a, b, c); }
  static float hsum(reg r) {
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
  }
  // rsqrt's 12-bit estimate refined by one Newton step: about 23 bits.
  static reg rsqrt(reg x) {
    const reg y = _mm_rsqrt_ps(x);
    const reg half_x_y2 = _mm_mul_ps(_mm_mul_ps(_mm_set1_ps(0.5f), x), _mm_mul_ps(y, y));
    return _mm_mul_ps(y, _mm_sub_ps(_mm_set1_ps(1.5f), half_x_y2));
  }
};

}  // namespace
}  // namespace wordvec::simd
