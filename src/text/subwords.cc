#include "wordvec/text/subwords.h"

#include <charconv>

#include "wordvec/core/error.h"

namespace wordvec {

namespace {
constexpr int kMaxN = 32;  // characters; fastText's longest sensible n-gram is far shorter
bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

void SubwordOptions::validate() const {
  if (!enabled() && min_n == 0) return;
  if (min_n < 1 || max_n > kMaxN || min_n > max_n)
    throw OptionError("subwords", "must be MIN-MAX with 1 <= MIN <= MAX <= " + std::to_string(kMaxN) +
                                      " characters (or 0 for none), got " + std::to_string(min_n) + "-" +
                                      std::to_string(max_n));
  check_ranges(ranged_fields());
}

std::vector<RangedField> SubwordOptions::ranged_fields() const {
  // Row ids are int32: the vocabulary's rows come first.
  return {{"buckets", static_cast<double>(buckets), {1, 2e9, false, false, "rows the n-grams are hashed into"}}};
}

Settings SubwordOptions::to_settings() const {
  Settings s;
  s.set("subwords.min_n", min_n);
  s.set("subwords.max_n", max_n);
  s.set("subwords.buckets", buckets);
  return s;
}

SubwordOptions SubwordOptions::from_settings(const Settings& s) {
  SubwordOptions o;
  if (!s.has("subwords.max_n")) return o;
  o.min_n = s.small_integer("subwords.min_n");
  o.max_n = s.small_integer("subwords.max_n");
  o.buckets = static_cast<std::uint32_t>(s.integer("subwords.buckets", 4294967295u));
  s.validate_stored([&] { o.validate(); });
  return o;
}

SubwordOptions SubwordOptions::parse(const std::string& spec, std::uint32_t buckets) {
  const auto bad = [&] {
    return OptionError("subwords", "must be MIN-MAX n-gram lengths in characters (e.g. 3-6, fastText's), one length N, "
                                   "or 0 for none; got '" + spec + "'");
  };
  const auto number = [&](std::string_view text) {
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) throw bad();
    return value;
  };
  SubwordOptions o;
  o.buckets = buckets;
  const std::size_t dash = spec.find('-');
  if (dash == std::string::npos) {
    o.min_n = o.max_n = number(spec);
  } else {
    o.min_n = number(std::string_view(spec).substr(0, dash));
    o.max_n = number(std::string_view(spec).substr(dash + 1));
    if (o.max_n == 0) throw bad();
  }
  o.validate();
  return o;
}

std::string SubwordOptions::spec() const {
  return enabled() ? std::to_string(min_n) + "-" + std::to_string(max_n) : "off";
}

std::uint32_t subword_hash(std::string_view ngram) {
  std::uint32_t h = 2166136261u;
  for (const char c : ngram) {
    h ^= static_cast<std::uint32_t>(static_cast<std::int8_t>(c));
    h *= 16777619u;
  }
  return h;
}

void for_each_char_ngram(std::string_view word, int min_n, int max_n, const std::function<void(std::string_view)>& f) {
  if (max_n <= 0) return;
  std::string marked;
  marked.reserve(word.size() + 2);
  marked.append("<").append(word).append(">");
  const std::string_view text = marked;
  for (std::size_t start = 0; start < text.size(); ++start) {
    if (continuation_byte(text[start])) continue;
    std::size_t end = start;
    for (int n = 1; end < text.size() && n <= max_n; ++n) {
      ++end;  // one more character: its lead byte and continuation bytes
      while (end < text.size() && continuation_byte(text[end])) ++end;
      // The lone markers "<" and ">" are not n-grams.
      if (n >= min_n && !(n == 1 && (start == 0 || end == text.size()))) f(text.substr(start, end - start));
    }
  }
}

SubwordIndex::SubwordIndex(const Vocabulary& vocab, SubwordOptions options)
    : options_(options), words_(vocab.size()) {
  options_.validate();
  offsets_.reserve(words_ + 1);
  offsets_.push_back(0);
  for (std::size_t id = 0; id < words_; ++id) {
    rows_.push_back(static_cast<std::int32_t>(id));
    append_ngram_rows(vocab.word(static_cast<std::int32_t>(id)), rows_);
    offsets_.push_back(rows_.size());
  }
  rows_.shrink_to_fit();
}

void for_each_ngram_bucket(std::string_view word, const SubwordOptions& options,
                           const std::function<void(std::uint32_t)>& f) {
  for_each_char_ngram(word, options.min_n, options.max_n,
                      [&](std::string_view ngram) { f(subword_hash(ngram) % options.buckets); });
}

void SubwordIndex::append_ngram_rows(std::string_view word, std::vector<std::int32_t>& out) const {
  for_each_ngram_bucket(word, options_, [&](std::uint32_t bucket) { out.push_back(static_cast<std::int32_t>(words_ + bucket)); });
}

std::vector<std::int32_t> SubwordIndex::ngram_rows(std::string_view word) const {
  std::vector<std::int32_t> out;
  append_ngram_rows(word, out);
  return out;
}

double SubwordIndex::mean_rows_per_word() const {
  return words_ == 0 ? 0 : static_cast<double>(rows_.size()) / static_cast<double>(words_);
}

}  // namespace wordvec
