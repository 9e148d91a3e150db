// Chooses the kernel variant from the CPU's features (checked by libgcc,
// including the OS's support for the wider registers). The AVX2 and AVX-512
// kernels exist on x86-64 only (the Makefile builds them there); elsewhere the
// scalar kernels, which the compiler vectorises for the target, are the one
// variant.
#include <cstdlib>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#include "kernels_impl.h"
#include "wordvec/core/error.h"

namespace wordvec {
namespace {

#if defined(__x86_64__)
// F16C (the half-precision conversions of the AVX2 variant): CPUID leaf 1,
// ECX bit 29. Every AVX2 CPU made has it; clang 14's __builtin_cpu_supports
// does not know the name.
bool cpu_has_f16c() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  return __get_cpuid(1, &a, &b, &c, &d) != 0 && (c & bit_F16C) != 0;
}
#endif

}  // namespace

bool simd_supported(SimdLevel level) {
  switch (level) {
    case SimdLevel::Scalar:
      return true;
#if defined(__x86_64__)
    case SimdLevel::Avx2:
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && cpu_has_f16c();
    case SimdLevel::Avx512:
      return __builtin_cpu_supports("avx512f");
#else
    case SimdLevel::Avx2:
    case SimdLevel::Avx512:
      return false;
#endif
  }
  return false;
}

std::vector<SimdLevel> supported_simd_levels() {
  std::vector<SimdLevel> levels;
  for (SimdLevel level : {SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512})
    if (simd_supported(level)) levels.push_back(level);
  return levels;
}

SimdLevel parse_simd_level(const std::string& name) {
  if (name == "scalar") return SimdLevel::Scalar;
  if (name == "avx2") return SimdLevel::Avx2;
  if (name == "avx512") return SimdLevel::Avx512;
  throw Error("unknown SIMD variant '" + name + "' (valid: scalar, avx2, avx512)");
}

const char* simd_level_name(SimdLevel level) {
  switch (level) {
    case SimdLevel::Avx512:
      return "avx512";
    case SimdLevel::Avx2:
      return "avx2";
    case SimdLevel::Scalar:
      break;
  }
  return "scalar";
}

Kernels kernels_for(SimdLevel level) {
  if (!simd_supported(level))
    throw Error(std::string("this CPU cannot run the ") + simd_level_name(level) + " kernels");
#if defined(__x86_64__)
  switch (level) {
    case SimdLevel::Avx512:
      return simd::avx512_kernels();
    case SimdLevel::Avx2:
      return simd::avx2_kernels();
    case SimdLevel::Scalar:
      break;
  }
#endif
  return simd::scalar_kernels();
}

Kernels select_kernels() {
  if (const char* forced = std::getenv("WORDVEC_SIMD"); forced != nullptr && *forced != '\0')
    return kernels_for(parse_simd_level(forced));
  return kernels_for(supported_simd_levels().back());
}

}  // namespace wordvec
