// Units shared by every layer's options.
#pragma once

namespace wordvec {

// Memory budgets (--memory, --cache-memory) are given in GiB.
inline constexpr double kBytesPerGiB = 1073741824.0;

}  // namespace wordvec
