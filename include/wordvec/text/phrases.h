// Phrases: word2phrase's (and gensim Phrases') model. Two words a b that
// follow each other on a line are joined into one token "a_b" when
//   score(a, b) = (count(a b) - min_count) / (count(a) count(b)) * tokens
// is above the threshold and both words occur at least min_count times.
// Joining is greedy from the left, and a joined pair is not joined again in
// the same pass; a second pass over the joined text forms longer phrases.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wordvec/core/error.h"
#include "wordvec/core/settings.h"

namespace wordvec {

struct PhraseOptions {
  unsigned passes = 1;       // phrase passes; 0 = none (2 gives up to 4-word phrases)
  double threshold = 100;    // word2phrase's default; higher, fewer phrases
  std::uint64_t min_count = 5;
  // Budget for the table of word pairs while counting, GiB. When a thread's
  // table outgrows its share, pairs seen at most k times are dropped, k = 1,
  // 2, ... (word2phrase prunes the same way); the counts of frequent pairs
  // stay exact unless the budget is far too small.
  double memory_gib = 2;

  void validate() const;  // throws OptionError
  // The numeric fields with their values and valid ranges (what validate checks).
  std::vector<RangedField> ranged_fields() const;
  Settings to_settings() const;  // under "phrases."
  static PhraseOptions from_settings(const Settings& s);  // passes 0 when absent (older files)
};

// One pass, counted and applied.
struct PhrasePassReport {
  unsigned pass = 0;              // 1-based
  std::uint64_t tokens = 0;       // tokens read
  std::uint64_t pairs = 0;        // distinct word pairs counted (both words frequent enough)
  std::uint64_t prune_count = 0;  // highest pair count pruned for memory (0: none)
  std::uint64_t phrases = 0;      // distinct pairs scoring above the threshold
  std::uint64_t joined = 0;       // occurrences joined in the text
};

struct ScoredPhrase {
  std::string phrase;  // "new_york"
  double score = 0;
  std::uint64_t count = 0;
};

// The pairs of one pass that score above the threshold.
class PhraseTable {
 public:
  // Counts `corpus_path` (a plain text file) with `threads` threads.
  static PhraseTable learn(const std::string& corpus_path, const PhraseOptions& options, unsigned threads,
                           PhrasePassReport* report = nullptr);
  PhraseTable(PhraseTable&&) noexcept;
  PhraseTable& operator=(PhraseTable&&) noexcept;
  ~PhraseTable();

  // Streams the corpus with the phrases joined to `sink`: tokens separated by
  // one space, every line kept (empty ones too).
  void apply(const std::string& corpus_path, const std::function<void(std::string_view)>& sink,
             PhrasePassReport* report = nullptr) const;

  std::size_t size() const;
  // The phrases by descending score (ties: by count, then text); all for k = 0.
  std::vector<ScoredPhrase> top(std::size_t k = 0) const;

 private:
  PhraseTable();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wordvec
