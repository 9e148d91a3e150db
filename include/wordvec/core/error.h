// Errors raised by the library. Every message is one line meant for the user:
// it names the file (and line or byte offset) when the problem is in a file.
#pragma once

#include <stdexcept>
#include <string>

namespace wordvec {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "PATH:LINE: message"
Error file_error(const std::string& path, unsigned long long line, const std::string& message);
// "PATH: message"
Error file_error(const std::string& path, const std::string& message);

// A number for a message: 3 significant digits ("0.025", "8.19e+28").
std::string short_number(double value);

}  // namespace wordvec
