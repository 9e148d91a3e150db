// wordvec's release (semantic versioning), for code built against these headers.
#pragma once

#define WORDVEC_VERSION_MAJOR 0
#define WORDVEC_VERSION_MINOR 3
#define WORDVEC_VERSION_PATCH 0
#define WORDVEC_VERSION_STRING "0.3.0"

namespace wordvec {

// The release of the library linked: differs from WORDVEC_VERSION_STRING when
// a program runs against another build than the headers it was compiled with.
const char* library_version();

}  // namespace wordvec
