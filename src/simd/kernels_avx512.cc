// AVX-512F kernels; this file alone is compiled with -mavx512f. Tails use masks.
// GCC 12's own intrinsics header trips -W(maybe-)uninitialized (its
// _mm512_undefined_ps idiom), not our code: silence it for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include "fused.h"
#include "kernels_impl.h"
#include "vec128.h"

namespace wordvec::simd {
namespace {

// Halves added twice: the same sum of lanes in a quarter of the floats (GCC
// 12's _mm512_reduce_add_ps trips -Wuninitialized).
__m128 fold_to_128(__m512 v) {
  const __m256 half = _mm256_add_ps(_mm512_castps512_ps256(v),
                                    _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
  return _mm_add_ps(_mm256_castps256_ps128(half), _mm256_extractf128_ps(half, 1));
}


__mmask16 tail_mask(std::size_t remaining) { return static_cast<__mmask16>((1u << remaining) - 1u); }

struct Avx512Vec {
  using reg = __m512;
  using tail = Vec128;
  static constexpr std::size_t width = 16;
  static reg zero() { return _mm512_setzero_ps(); }
  static reg load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, reg r) { _mm512_storeu_ps(p, r); }
  static reg set1(float f) { return _mm512_set1_ps(f); }
  static reg add(reg a, reg b) { return _mm512_add_ps(a, b); }
  static reg sub(reg a, reg b) { return _mm512_sub_ps(a, b); }
  static reg mul(reg a, reg b) { return _mm512_mul_ps(a, b); }
  // rcp14's estimate refined by one Newton step: full single precision.
  static reg recip(reg x) {
    const reg y = _mm512_rcp14_ps(x);
    return _mm512_mul_ps(y, _mm512_fnmadd_ps(x, y, _mm512_set1_ps(2.0f)));
  }
  static reg min(reg a, reg b) { return _mm512_min_ps(a, b); }
  static reg max(reg a, reg b) { return _mm512_max_ps(a, b); }
  static reg round(reg x) { return _mm512_roundscale_ps(x, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  // 2^n built in the exponent field.
  static reg pow2(reg n) {
    const __m512i e = _mm512_add_epi32(_mm512_cvtps_epi32(n), _mm512_set1_epi32(127));
    return _mm512_castsi512_ps(_mm512_slli_epi32(e, 23));
  }
  static reg fmadd(reg a, reg b, reg c) { return _mm512_fmadd_ps(a, b, c); }
  static reg load_partial(const float* p, std::size_t count) { return _mm512_maskz_loadu_ps(tail_mask(count), p); }
  static void store_partial(float* p, reg r, std::size_t count) { _mm512_mask_storeu_ps(p, tail_mask(count), r); }
  static Vec128::reg fold(reg r) { return fold_to_128(r); }
  static reg fnmadd(reg a, reg b, reg c) { return _mm512_fnmadd_ps(a, b, c); }
  // rsqrt14's estimate refined by one Newton step: full single precision.
  static reg rsqrt(reg x) {
    const reg y = _mm512_rsqrt14_ps(x);
    const reg half_x_y2 = _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5f), x), _mm512_mul_ps(y, y));
    return _mm512_mul_ps(y, _mm512_sub_ps(_mm512_set1_ps(1.5f), half_x_y2));
  }
  static reg from_half(const std::uint16_t* p) {
    return _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(p)));
  }
  static void to_half(std::uint16_t* p, reg r) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(p), _mm512_cvtps_ph(r, _MM_FROUND_TO_NEAREST_INT));
  }
  static reg from_int8(const std::int8_t* p) {
    return _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))));
  }
  // r holds whole numbers in [-127, 127].
  static void to_int8(std::int8_t* p, reg r) { _mm512_mask_cvtepi32_storeu_epi8(p, 0xffff, _mm512_cvtps_epi32(r)); }
};

}  // namespace

Kernels avx512_kernels() { return make_kernels<Avx512Vec>(SimdLevel::Avx512, "avx512"); }

}  // namespace wordvec::simd
