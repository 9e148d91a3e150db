#include "wordvec/core/error.h"

#include <cstdio>

namespace wordvec {

Error file_error(const std::string& path, unsigned long long line, const std::string& message) {
  return Error(path + ":" + std::to_string(line) + ": " + message);
}

Error file_error(const std::string& path, const std::string& message) { return Error(path + ": " + message); }

std::string short_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

}  // namespace wordvec
