// IEEE 754 binary16 ("half") conversions in portable C++: what the scalar
// kernels use, and the reference the F16C / AVX-512 conversions are tested
// against. Distributed training sends model changes as halves (half the
// bytes); a change's absolute error is at most 2^-11 of it, or 2^-25 below 2^-14.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>

namespace wordvec {

// The nearest half (ties to even), as the hardware conversions round;
// beyond the largest half (65504) infinity; NaN stays NaN.
inline std::uint16_t half_from_float(float value) {
  std::uint32_t bits = std::bit_cast<std::uint32_t>(value);
  const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
  bits &= 0x7fffffffu;
  if (bits >= 0x7f800000u) return sign | 0x7c00u | (bits > 0x7f800000u ? 0x200u : 0u);
  if (bits >= 0x477ff000u) return sign | 0x7c00u;  // 65520 and above round to infinity
  if (bits < 0x38800000u) {
    // Below 2^-14 halves are subnormal: multiples of 2^-24. Scaling by 2^24
    // is exact, and nearbyint rounds to even in the default rounding mode.
    const float units = std::nearbyint(std::bit_cast<float>(bits) * 16777216.0f);
    return sign | static_cast<std::uint16_t>(units);
  }
  // Rebias the exponent (127 -> 15) and round the 23-bit fraction to 10 bits,
  // ties to even; a carry moves into the exponent, as it should.
  bits += 0xfffu + ((bits >> 13) & 1u);
  return sign | static_cast<std::uint16_t>((bits - (112u << 23)) >> 13);
}

// Exact: every half is a float.
inline float float_from_half(std::uint16_t half) {
  const std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000u) << 16;
  const std::uint32_t exponent = (half >> 10) & 0x1fu, fraction = half & 0x3ffu;
  if (exponent == 0) {
    const float magnitude = static_cast<float>(fraction) * 5.9604644775390625e-8f;  // 2^-24
    return std::bit_cast<float>(std::bit_cast<std::uint32_t>(magnitude) | sign);
  }
  const std::uint32_t biased = exponent == 31 ? 0xffu : exponent + 112u;
  return std::bit_cast<float>(sign | (biased << 23) | (fraction << 13));
}

}  // namespace wordvec
