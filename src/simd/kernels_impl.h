// Internal: the kernel tables, one per translation unit (each built with its own -m flags).
#pragma once

#include "wordvec/simd/kernels.h"

namespace wordvec::simd {
Kernels scalar_kernels();
#if defined(__x86_64__)  // kernels_avx2.cc and kernels_avx512.cc are built for x86-64 only
Kernels avx2_kernels();
Kernels avx512_kernels();
#endif
}  // namespace wordvec::simd
