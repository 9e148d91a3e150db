// wordvec --version: the release, the commit it was built from, the compiler,
// the SIMD kernels this CPU gets and the BLAS linked -- what a bug report needs.
#include <cblas.h>

#include <cstdio>
#include <string>

#include "cli.h"
#include "wordvec/core/version.h"
#include "wordvec/simd/kernels.h"

#ifndef WORDVEC_GIT_COMMIT
#define WORDVEC_GIT_COMMIT ""  // not built from a git checkout
#endif

namespace wordvec::cli {

std::string version_text() {
  std::string commit = WORDVEC_GIT_COMMIT;
#if defined(__clang__)
  const std::string compiler = std::string("clang++ ") + __clang_version__;
#elif defined(__GNUC__)
  const std::string compiler = std::string("g++ ") + __VERSION__;
#else
  const std::string compiler = "unknown";
#endif
  std::string text = std::string("wordvec ") + library_version();
  if (!commit.empty()) text += " (git " + commit + ")";
  text += "\ncompiler: " + compiler;
  text += std::string("\nSIMD kernels: ") + select_kernels().name + " (chosen for this CPU; WORDVEC_SIMD overrides)";
  text += std::string("\nBLAS: ") + openblas_get_config();
  return text + "\n";
}

}  // namespace wordvec::cli
