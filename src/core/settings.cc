#include "wordvec/core/settings.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "wordvec/core/error.h"

namespace wordvec {

std::string Settings::format(double value) {
  char text[32];
  const auto result = std::to_chars(text, text + sizeof text, value);  // shortest exact form
  return std::string(text, result.ptr);
}

void Settings::set(const std::string& name, const char* text) { values_[name] = std::string(text); }

void Settings::set(const std::string& name, bool value) { values_[name] = value ? std::string("1") : std::string("0"); }

void Settings::set(const std::string& name, std::uint64_t value) { values_[name] = std::to_string(value); }

void Settings::merge(const Settings& other) {
  for (const auto& [name, value] : other.values_) values_[name] = value;
}

const std::string& Settings::text(const std::string& name) const {
  const auto it = values_.find(name);
  if (it == values_.end()) throw Error(source_ + ": the setting '" + name + "' is missing");
  return it->second;
}

double Settings::number(const std::string& name) const {
  const std::string& value = text(name);
  double number = 0;
  const auto result = std::from_chars(value.data(), value.data() + value.size(), number);
  if (result.ec != std::errc() || result.ptr != value.data() + value.size() || !std::isfinite(number))
    throw Error(source_ + ": the setting " + name + " = '" + value + "' is not a number");
  return number;
}

std::uint64_t Settings::integer(const std::string& name, std::uint64_t max) const {
  const std::string& value = text(name);
  std::uint64_t number = 0;
  const auto result = std::from_chars(value.data(), value.data() + value.size(), number);
  if (result.ec != std::errc() || result.ptr != value.data() + value.size() || number > max)
    throw Error(source_ + ": the setting " + name + " = '" + value + "' is not a whole number up to " +
                std::to_string(max));
  return number;
}

bool Settings::flag(const std::string& name) const {
  const std::string& value = text(name);
  if (value != "0" && value != "1")
    throw Error(source_ + ": the setting " + name + " = '" + value + "' is not 0 or 1");
  return value == "1";
}

void Settings::require_version(const std::string& prefix, int version) const {
  const std::string name = prefix + ".version";
  if (!has(name) || text(name) != std::to_string(version))
    throw Error(source_ + ": its " + prefix + " settings are version " + (has(name) ? text(name) : "none") +
                "; this build reads version " + std::to_string(version));
}

void Settings::validate_stored(const std::function<void()>& validate) const {
  try {
    validate();
  } catch (const OptionError& e) {
    throw Error(source_ + ": the stored option " + e.what());
  }
}

}  // namespace wordvec
