// AVX2 + FMA (+ F16C) kernels; this file alone is compiled with -mavx2 -mfma -mf16c.
#include <immintrin.h>

#include "fused.h"
#include "kernels_impl.h"
#include "vec128.h"

namespace wordvec::simd {
namespace {

// The two 128-bit halves added: the same sum of lanes in a quarter of the floats.
__m128 fold_to_128(__m256 v) { return _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1)); }


struct Avx2Vec {
  using reg = __m256;
  using tail = Vec128;
  static constexpr std::size_t width = 8;
  static reg zero() { return _mm256_setzero_ps(); }
  static reg load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, reg r) { _mm256_storeu_ps(p, r); }
  static reg set1(float f) { return _mm256_set1_ps(f); }
  static reg add(reg a, reg b) { return _mm256_add_ps(a, b); }
  static reg sub(reg a, reg b) { return _mm256_sub_ps(a, b); }
  static reg mul(reg a, reg b) { return _mm256_mul_ps(a, b); }
  // rcp's 12-bit estimate refined by one Newton step (a division is slow on some cores).
  static reg recip(reg x) {
    const reg y = _mm256_rcp_ps(x);
    return _mm256_mul_ps(y, _mm256_fnmadd_ps(x, y, _mm256_set1_ps(2.0f)));
  }
  static reg min(reg a, reg b) { return _mm256_min_ps(a, b); }
  static reg max(reg a, reg b) { return _mm256_max_ps(a, b); }
  static reg round(reg x) { return _mm256_round_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // 2^n built in the exponent field.
  static reg pow2(reg n) {
    const __m256i e = _mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127));
    return _mm256_castsi256_ps(_mm256_slli_epi32(e, 23));
  }
  static reg fmadd(reg a, reg b, reg c) { return _mm256_fmadd_ps(a, b, c); }
  static Vec128::reg fold(reg r) { return fold_to_128(r); }
  static reg fnmadd(reg a, reg b, reg c) { return _mm256_fnmadd_ps(a, b, c); }
  // rsqrt's 12-bit estimate refined by one Newton step: about 23 bits.
  static reg rsqrt(reg x) {
    const reg y = _mm256_rsqrt_ps(x);
    const reg half_x_y2 = _mm256_mul_ps(_mm256_mul_ps(_mm256_set1_ps(0.5f), x), _mm256_mul_ps(y, y));
    return _mm256_mul_ps(y, _mm256_sub_ps(_mm256_set1_ps(1.5f), half_x_y2));
  }
  static reg from_half(const std::uint16_t* p) {
    return _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
  }
  static void to_half(std::uint16_t* p, reg r) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), _mm256_cvtps_ph(r, _MM_FROUND_TO_NEAREST_INT));
  }
  static reg from_int8(const std::int8_t* p) {
    return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p))));
  }
  // r holds whole numbers in [-127, 127]: the packs saturate nothing.
  static void to_int8(std::int8_t* p, reg r) {
    const __m256i i32 = _mm256_cvtps_epi32(r);
    const __m128i i16 = _mm_packs_epi32(_mm256_castsi256_si128(i32), _mm256_extracti128_si256(i32, 1));
    _mm_storel_epi64(reinterpret_cast<__m128i*>(p), _mm_packs_epi16(i16, i16));
  }
};

}  // namespace

Kernels avx2_kernels() { return make_kernels<Avx2Vec>(SimdLevel::Avx2, "avx2"); }

}  // namespace wordvec::simd
