// Text normalisation before counting and training, one line at a time:
// Unicode compatibility normalisation (NFKC), lowercasing or case folding,
// punctuation split from words, numbers mapped to one token. Every mode is
// off by default: the corpus's bytes are then trained as they are.
// docs/cli.md ("Text normalisation") shows what each mode does, with examples.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "wordvec/core/settings.h"

namespace wordvec {

enum class LetterCase {
  Keep,   // as written
  Lower,  // Unicode lowercase mapping (root locale): "Straße ΟΔΟΣ" -> "straße οδος"
  Fold,   // Unicode case folding, for caseless matching: "Straße" -> "strasse"
};
const char* letter_case_name(LetterCase c);           // "keep", "lower", "fold"
LetterCase parse_letter_case(const std::string& name);  // throws Error naming the valid ones

struct NormalizeOptions {
  bool nfkc = false;  // compatibility forms unified first: "ﬁ" -> "fi", "①" -> "1", full-width "Ａ" -> "A"
  LetterCase letter_case = LetterCase::Keep;
  // Punctuation and symbols (Unicode categories P and S, except the connector
  // "_") become tokens of their own; a run of one character stays together
  // ("..."). Kept inside words: "." and "," between digits (3.14, 1,000),
  // and, unless split_intraword, apostrophes and hyphens between two letters
  // or digits (don't, l'homme, well-known).
  bool split_punctuation = false;
  bool split_intraword = false;  // with split_punctuation: split "don't" -> "don ' t" too
  // When not empty, every token of digits (with "." or "," between digits)
  // becomes this token: "1,000" "3.14" "١٢٣" -> "<num>".
  std::string number_token;

  bool any() const {
    return nfkc || letter_case != LetterCase::Keep || split_punctuation || !number_token.empty();
  }
  void validate() const;  // throws OptionError
  Settings to_settings() const;  // under "normalize."
  static NormalizeOptions from_settings(const Settings& s);  // defaults when absent (older files)
};

// Applies NormalizeOptions to lines. Not thread-safe: one per thread.
class TextNormalizer {
 public:
  explicit TextNormalizer(const NormalizeOptions& options);
  ~TextNormalizer();
  TextNormalizer(const TextNormalizer&) = delete;
  TextNormalizer& operator=(const TextNormalizer&) = delete;

  // Appends the normalised tokens of `text` (no line break in it) to `out`,
  // separated by single spaces; whitespace of any kind (Unicode White_Space)
  // separates tokens. Bytes that are not valid UTF-8 are kept as they are.
  void append(std::string_view text, std::string& out);
  std::string operator()(std::string_view text) {
    std::string out;
    append(text, out);
    return out;
  }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wordvec
