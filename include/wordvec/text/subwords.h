// Subwords (fastText's model): a word is represented by its own row and the
// rows of its character n-grams, hashed into a fixed number of buckets, so
// that any word -- misspelt, rare, never seen -- gets a vector from the
// n-grams it shares with words that were trained.
//
// As fastText: the n-grams are those of "<word>" (boundary markers added),
// counted in UTF-8 characters, min_n..max_n long, without the lone markers;
// the whole "<word>" is one of them when it is short enough. Each n-gram's
// bucket is its 32-bit FNV-1a hash (bytes sign-extended, as fastText's
// `int8_t` cast does) modulo the bucket count, so the same word maps to the
// same buckets in both tools.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wordvec/core/error.h"
#include "wordvec/core/settings.h"
#include "wordvec/text/vocabulary.h"

namespace wordvec {

struct SubwordOptions {
  int min_n = 0;  // shortest n-gram, in characters; 0 with max_n = 0: no subwords
  int max_n = 0;  // longest
  std::uint32_t buckets = 2'000'000;  // rows the n-grams are hashed into (fastText's -bucket)

  bool enabled() const { return max_n > 0; }
  // Throws OptionError naming the field and its valid range.
  void validate() const;
  // The numeric fields with their values and valid ranges (what validate checks).
  std::vector<RangedField> ranged_fields() const;
  // "subwords.min_n", "subwords.max_n", "subwords.buckets"; from_settings
  // reads a model or checkpoint saved before subwords existed as "off".
  Settings to_settings() const;
  static SubwordOptions from_settings(const Settings& settings);
  // The --subwords value: "MIN-MAX" ("3-6"), "N" (N-N) or "0" (off).
  // Throws OptionError for anything else.
  static SubwordOptions parse(const std::string& spec, std::uint32_t buckets);
  std::string spec() const;  // "3-6", "off"
};

// fastText's hash of an n-gram: 32-bit FNV-1a over sign-extended bytes.
std::uint32_t subword_hash(std::string_view ngram);

// Calls f with each n-gram of "<word>" (see above), in fastText's order.
void for_each_char_ngram(std::string_view word, int min_n, int max_n, const std::function<void(std::string_view)>& f);

// Calls f with the bucket of each n-gram of the word.
void for_each_ngram_bucket(std::string_view word, const SubwordOptions& options,
                           const std::function<void(std::uint32_t)>& f);

// Every vocabulary word's input rows -- its own row (its id), then
// vocab.size() + bucket of each n-gram -- in one flat array, computed once:
// the trainer's hot loop only reads it.
class SubwordIndex {
 public:
  SubwordIndex(const Vocabulary& vocab, SubwordOptions options);

  std::span<const std::int32_t> rows(std::int32_t word) const {
    return {rows_.data() + offsets_[word], rows_.data() + offsets_[word + 1]};
  }
  // The rows of a word's n-grams alone: what a word outside the vocabulary
  // is made of (none for an empty string).
  std::vector<std::int32_t> ngram_rows(std::string_view word) const;
  // Rows of the input matrix: the vocabulary's, then the buckets.
  std::size_t input_rows() const { return words_ + options_.buckets; }
  std::size_t words() const { return words_; }
  const SubwordOptions& options() const { return options_; }
  // Rows per word, over the vocabulary (for logs and memory estimates).
  double mean_rows_per_word() const;

 private:
  void append_ngram_rows(std::string_view word, std::vector<std::int32_t>& out) const;
  SubwordOptions options_;
  std::size_t words_;
  std::vector<std::size_t> offsets_;  // words_ + 1
  std::vector<std::int32_t> rows_;
};

}  // namespace wordvec
