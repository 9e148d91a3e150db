// Vocabulary: word <-> id, with corpus counts, ids in descending frequency.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wordvec/text/corpus.h"

namespace wordvec {

struct VocabOptions {
  // Words seen fewer times are dropped.
  std::uint64_t min_count = 5;
  // Keep at most this many words (the most frequent); 0 = no limit.
  std::uint64_t max_vocab = 0;
  // While counting, when the table holds this many distinct words, words with
  // a count at or below a rising threshold are pruned (as word2vec does), so
  // memory stays bounded on huge corpora. The final counts of words that
  // survive pruning may then be lower than their true counts.
  std::uint64_t prune_at = 21'000'000;
};

struct VocabStats {
  TokenScanStats scan;               // tokens, lines, truncated tokens
  std::uint64_t distinct_words = 0;  // distinct tokens seen (after pruning)
  std::uint64_t prune_threshold = 0; // highest count pruned while counting (0: none)
  std::uint64_t dropped_min_count = 0;  // distinct words below min_count
  std::uint64_t dropped_max_vocab = 0;  // distinct words beyond max_vocab
  std::uint64_t invalid_utf8_tokens = 0;  // tokens that are not valid UTF-8 (kept as bytes)
};

// Open-addressing hash from a word to its index in a word list it does not own.
class WordIndex {
 public:
  // -1 when absent.
  std::int32_t find(std::string_view word, const std::vector<std::string>& words) const;
  // Adds words.back() (which must not be present yet) under id words.size()-1.
  void add_last(const std::vector<std::string>& words);
  void rebuild(const std::vector<std::string>& words);
  static std::uint64_t hash(std::string_view word);

 private:
  struct Slot {
    std::int32_t id;   // -1 = empty
    std::uint32_t tag; // high bits of the word's hash: most mismatches never touch the word
  };
  std::size_t slot_of(std::string_view word, std::uint64_t hash, const std::vector<std::string>& words) const;
  void grow(const std::vector<std::string>& words, std::size_t min_capacity);
  std::vector<Slot> slots_;
};

// Raw counts of some byte ranges of a corpus (no min_count or max_vocab
// applied yet): what one process of a distributed run counts of its share,
// before the shares are merged.
struct WordCounts {
  std::vector<std::pair<std::string, std::uint64_t>> counts;
  TokenScanStats scan;
  std::uint64_t prune_threshold = 0;  // highest count pruned while counting (0: none)
};
// Counts the ranges, one thread each, pruning as VocabOptions::prune_at says.
WordCounts count_words(const std::string& corpus_path, const std::vector<ByteRange>& ranges, std::uint64_t prune_at);

class Vocabulary {
 public:
  Vocabulary() = default;
  // Builds from word counts (any order): applies the options, sorts by
  // descending count, ties by the bytes of the word, so ids are deterministic.
  Vocabulary(std::vector<std::pair<std::string, std::uint64_t>> counts, const VocabOptions& options,
             VocabStats* stats = nullptr);

  // Counts the corpus in one streaming pass, `threads` byte ranges at once
  // (the result does not depend on the thread count unless pruning kicks in).
  // Throws Error for an unreadable or empty corpus, or when no word reaches min_count.
  static Vocabulary build(const std::string& corpus_path, const VocabOptions& options,
                          VocabStats* stats = nullptr, unsigned threads = 1);
  // The vocabulary of counted words (build's second half); throws Error
  // naming corpus_path when there are no tokens or no word reaches min_count.
  static Vocabulary from_counts(WordCounts counted, const std::string& corpus_path, const VocabOptions& options,
                                VocabStats* stats = nullptr);
  // "word count" per line, as written by save(); options apply again.
  static Vocabulary load(const std::string& path, const VocabOptions& options = {1, 0, 0});
  void save(const std::string& path) const;

  std::size_t size() const { return words_.size(); }
  bool empty() const { return words_.empty(); }
  std::int32_t id(std::string_view word) const { return index_.find(word, words_); }
  const std::string& word(std::int32_t id) const { return words_[id]; }
  std::uint64_t count(std::int32_t id) const { return counts_[id]; }
  const std::vector<std::string>& words() const { return words_; }
  const std::vector<std::uint64_t>& counts() const { return counts_; }
  // Sum of the counts of all kept words: the corpus words training sees.
  std::uint64_t total_count() const { return total_; }

 private:
  std::vector<std::string> words_;
  std::vector<std::uint64_t> counts_;
  WordIndex index_;
  std::uint64_t total_ = 0;
};

// A vocabulary grown by more text, as gensim's build_vocab(update=True): every
// word of `old` stays (its count grows by the new text's), a word of the new
// text joins when its old + new count reaches min_count; then the usual order.
struct VocabularyUpdate {
  Vocabulary vocab;
  std::vector<std::int32_t> old_to_new;  // old id -> id in vocab
  std::size_t words_added = 0;           // words that were not in `old`
  std::size_t old_words_seen = 0;        // words of `old` that the new text holds
  std::uint64_t new_text_words = 0;      // tokens of the new text that vocab knows: one epoch over it
};
// `added` counts the new text with min_count 1 (every word).
VocabularyUpdate update_vocabulary(const Vocabulary& old, const Vocabulary& added, std::uint64_t min_count);

}  // namespace wordvec
