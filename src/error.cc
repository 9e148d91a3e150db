#include "wordvec/error.h"

namespace wordvec {

Error file_error(const std::string& path, unsigned long long line, const std::string& message) {
  return Error(path + ":" + std::to_string(line) + ": " + message);
}

Error file_error(const std::string& path, const std::string& message) { return Error(path + ": " + message); }

}  // namespace wordvec
