// Internal: the kernel tables, one per translation unit (each built with its own -m flags).
#pragma once

#include "wordvec/simd/kernels.h"

namespace wordvec::simd {
Kernels scalar_kernels();
Kernels avx2_kernels();
Kernels avx512_kernels();
}  // namespace wordvec::simd
