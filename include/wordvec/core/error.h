// Errors raised by the library. Every message is one line meant for the user:
// it names the file (and line or byte offset) when the problem is in a file.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace wordvec {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// An Error about a file: missing, unreadable, malformed, or not writable (the
// Python module raises OSError for these, ValueError for the others).
class FileError : public Error {
 public:
  using Error::Error;
};

// "PATH:LINE: message"
FileError file_error(const std::string& path, unsigned long long line, const std::string& message);
// "PATH: message"
FileError file_error(const std::string& path, const std::string& message);

// An option value that cannot work. The library names the option by its
// field ("window"), not by a front end's spelling of it; the CLI maps the
// field to its flag ("--window") when it prints the message.
class OptionError : public Error {
 public:
  OptionError(std::string field, std::string requirement)
      : Error(field + " " + requirement), field_(std::move(field)), requirement_(std::move(requirement)) {}
  const std::string& field() const { return field_; }
  // "must be between 1 and 1000, got 0"
  const std::string& requirement() const { return requirement_; }

 private:
  std::string field_, requirement_;
};

// An option value that passed validation but made the run fail (a learning
// rate so high that training diverged): found at run time, not at parse time.
class DivergedError : public OptionError {
 public:
  using OptionError::OptionError;
};

// The values an option accepts. Closed ranges read "between LOW and HIGH",
// others in interval notation ("in (0, 10]"); `note` explains a special value
// ("0 = all cores").
struct ValidRange {
  double low, high;
  bool low_open = false, high_open = false;
  const char* note = nullptr;
};

// Throws OptionError "FIELD must be between LOW and HIGH (NOTE), got VALUE"
// unless value lies in the range (NaN never does).
void check_range(const char* field, double value, const ValidRange& range);

// "between 1 and 1000" or "in (0, 1]", then " (NOTE)".
std::string describe(const ValidRange& range);

// A numeric option of an options struct with its value and range: the struct
// lists them once, for its validation and for front ends that must say the
// range of a value too malformed to reach it ("--epochs -1").
struct RangedField {
  const char* field;
  double value;
  ValidRange range;
};
// check_range on each, in order.
void check_ranges(const std::vector<RangedField>& fields);

// A number for a message: 3 significant digits ("0.025", "8.19e+28").
std::string short_number(double value);

}  // namespace wordvec
