#include "wordvec/core/version.h"

namespace wordvec {

const char* library_version() { return WORDVEC_VERSION_STRING; }

}  // namespace wordvec
