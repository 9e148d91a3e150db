#include "wordvec/core/error.h"

#include <cmath>
#include <cstdio>

namespace wordvec {

FileError file_error(const std::string& path, unsigned long long line, const std::string& message) {
  return FileError(path + ":" + std::to_string(line) + ": " + message);
}

FileError file_error(const std::string& path, const std::string& message) { return FileError(path + ": " + message); }

std::string short_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

namespace {
// Whole numbers in full ("10000"), others to 3 significant digits.
std::string range_number(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<long long>(value));
  return short_number(value);
}
}  // namespace

std::string describe(const ValidRange& r) {
  const bool closed = !r.low_open && !r.high_open;
  std::string text = closed ? "between " + range_number(r.low) + " and " + range_number(r.high)
                            : std::string("in ") + (r.low_open ? "(" : "[") + range_number(r.low) + ", " +
                                  range_number(r.high) + (r.high_open ? ")" : "]");
  if (r.note) text += std::string(" (") + r.note + ")";
  return text;
}

void check_range(const char* field, double value, const ValidRange& r) {
  const bool above_low = r.low_open ? value > r.low : value >= r.low;
  const bool below_high = r.high_open ? value < r.high : value <= r.high;
  if (above_low && below_high) return;
  throw OptionError(field, "must be " + describe(r) + ", got " + range_number(value));
}

void check_ranges(const std::vector<RangedField>& fields) {
  for (const RangedField& f : fields) check_range(f.field, f.value, f.range);
}

}  // namespace wordvec
