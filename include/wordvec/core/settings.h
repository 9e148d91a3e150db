// Named values stored as text: how option structs write themselves into
// checkpoints (and, later, model files) and read themselves back. Each struct
// owns one schema under a prefix with a version ("sgns.version"), so a new
// field is one edit in one place.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace wordvec {

class Settings {
 public:
  Settings() = default;
  // `source` names where the settings came from, for errors ("run.ckpt").
  explicit Settings(std::string source) : source_(std::move(source)) {}

  void set(const std::string& name, const std::string& text) { values_[name] = text; }
  void set(const std::string& name, const char* text);
  // Numbers in their shortest form that reads back exactly.
  static std::string format(double value);
  void set(const std::string& name, double value) { values_[name] = format(value); }
  void set(const std::string& name, std::uint64_t value);
  void set(const std::string& name, int value) { set(name, static_cast<double>(value)); }
  void set(const std::string& name, unsigned value) { set(name, static_cast<std::uint64_t>(value)); }
  void set(const std::string& name, bool value);
  // Every entry of `other`, replacing those of the same name.
  void merge(const Settings& other);

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  // Each throws Error naming the source and the setting when it is missing or malformed.
  const std::string& text(const std::string& name) const;
  double number(const std::string& name) const;
  // A whole number no greater than `max` (for an int field: INT_MAX).
  std::uint64_t integer(const std::string& name, std::uint64_t max = UINT64_MAX) const;
  int small_integer(const std::string& name) const { return static_cast<int>(integer(name, 2147483647)); }
  bool flag(const std::string& name) const;
  // Throws unless `prefix.version` is `version`: a schema this build cannot read.
  void require_version(const std::string& prefix, int version) const;

  // Runs `validate` on options read from these settings: an OptionError it
  // throws becomes an Error naming the source ("run.ckpt: the stored option
  // window must be between 1 and 1000, got 0").
  void validate_stored(const std::function<void()>& validate) const;

  const std::map<std::string, std::string>& values() const { return values_; }
  std::map<std::string, std::string>& values() { return values_; }
  const std::string& source() const { return source_; }
  void set_source(std::string source) { source_ = std::move(source); }

 private:
  std::string source_;
  std::map<std::string, std::string> values_;
};

}  // namespace wordvec
