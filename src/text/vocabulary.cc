#include "wordvec/text/vocabulary.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <thread>

#include "wordvec/core/atomic_file.h"
#include "wordvec/core/error.h"
#include "wordvec/core/files.h"

namespace wordvec {

// ---------------------------------------------------------------- WordIndex

std::uint64_t WordIndex::hash(std::string_view word) {
  // 8 bytes at a time, multiply-xorshift mixing: fast on short tokens.
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ word.size();
  const char* p = word.data();
  std::size_t n = word.size();
  while (n >= 8) {
    std::uint64_t chunk;
    std::memcpy(&chunk, p, 8);
    h = (h ^ chunk) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  std::uint64_t tail = 0;
  std::memcpy(&tail, p, n);
  h = (h ^ tail) * 0xC4CEB9FE1A85EC53ull;
  return h ^ (h >> 29);
}

std::size_t WordIndex::slot_of(std::string_view word, std::uint64_t hash,
                               const std::vector<std::string>& words) const {
  const std::size_t mask = slots_.size() - 1;
  const auto tag = static_cast<std::uint32_t>(hash >> 32);
  std::size_t slot = hash & mask;
  while (slots_[slot].id >= 0 && (slots_[slot].tag != tag || words[slots_[slot].id] != word)) slot = (slot + 1) & mask;
  return slot;
}

std::int32_t WordIndex::find(std::string_view word, const std::vector<std::string>& words) const {
  if (slots_.empty()) return -1;
  return slots_[slot_of(word, hash(word), words)].id;
}

void WordIndex::grow(const std::vector<std::string>& words, std::size_t min_capacity) {
  std::size_t capacity = 64;
  while (capacity < min_capacity) capacity *= 2;
  slots_.assign(capacity, {-1, 0});
  for (std::size_t id = 0; id < words.size(); ++id) {
    const std::uint64_t h = hash(words[id]);
    slots_[slot_of(words[id], h, words)] = {static_cast<std::int32_t>(id), static_cast<std::uint32_t>(h >> 32)};
  }
}

void WordIndex::add_last(const std::vector<std::string>& words) {
  if (words.size() * 2 > slots_.size()) {
    grow(words, words.size() * 4);  // rehashes words.back() too
    return;
  }
  const std::uint64_t h = hash(words.back());
  slots_[slot_of(words.back(), h, words)] = {static_cast<std::int32_t>(words.size() - 1),
                                             static_cast<std::uint32_t>(h >> 32)};
}

void WordIndex::rebuild(const std::vector<std::string>& words) { grow(words, words.size() * 2 + 1); }

// ---------------------------------------------------------------- counting

namespace {

// Distinct words and their counts while a corpus is read, pruned when too many.
class WordCounter {
 public:
  explicit WordCounter(std::uint64_t prune_at) : prune_at_(prune_at) {}

  void add(std::string_view word, std::uint64_t count = 1) {
    const std::int32_t id = index_.find(word, words_);
    if (id >= 0) {
      counts_[id] += count;
      return;
    }
    words_.emplace_back(word);
    counts_.push_back(count);
    index_.add_last(words_);
    if (prune_at_ > 0 && words_.size() >= prune_at_) prune();
  }

  // Adds another counter's words and counts (it is left empty).
  void merge(WordCounter&& other) {
    for (std::size_t i = 0; i < other.words_.size(); ++i) add(other.words_[i], other.counts_[i]);
    threshold_ = std::max(threshold_, other.threshold_);
    other = WordCounter(prune_at_);
  }

  std::vector<std::pair<std::string, std::uint64_t>> take() {
    std::vector<std::pair<std::string, std::uint64_t>> out;
    out.reserve(words_.size());
    for (std::size_t i = 0; i < words_.size(); ++i) out.emplace_back(std::move(words_[i]), counts_[i]);
    return out;
  }
  std::uint64_t prune_threshold() const { return threshold_; }

 private:
  // word2vec's ReduceVocab: drop every word counted at most `threshold`, then
  // raise the threshold for next time.
  void prune() {
    ++threshold_;
    std::size_t kept = 0;
    for (std::size_t i = 0; i < words_.size(); ++i) {
      if (counts_[i] <= threshold_) continue;
      if (kept != i) {
        words_[kept] = std::move(words_[i]);
        counts_[kept] = counts_[i];
      }
      ++kept;
    }
    words_.resize(kept);
    counts_.resize(kept);
    index_.rebuild(words_);
  }

  std::uint64_t prune_at_;
  std::uint64_t threshold_ = 0;
  std::vector<std::string> words_;
  std::vector<std::uint64_t> counts_;
  WordIndex index_;
};

}  // namespace

// ---------------------------------------------------------------- Vocabulary

Vocabulary::Vocabulary(std::vector<std::pair<std::string, std::uint64_t>> counts, const VocabOptions& options,
                       VocabStats* stats) {
  const std::size_t distinct = counts.size();
  std::erase_if(counts, [&](const auto& wc) { return wc.second < options.min_count; });
  const std::size_t after_min_count = counts.size();
  std::sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (options.max_vocab > 0 && counts.size() > options.max_vocab) counts.resize(options.max_vocab);
  if (stats != nullptr) {
    stats->distinct_words = distinct;
    stats->dropped_min_count = distinct - after_min_count;
    stats->dropped_max_vocab = after_min_count - counts.size();
  }
  words_.reserve(counts.size());
  counts_.reserve(counts.size());
  for (auto& [word, count] : counts) {
    words_.push_back(std::move(word));
    counts_.push_back(count);
    total_ += count;
  }
  index_.rebuild(words_);
}

WordCounts count_words(const std::string& corpus_path, const std::vector<ByteRange>& ranges, std::uint64_t prune_at) {
  // Each thread counts its own byte range into its own table; then the tables merge.
  const std::size_t parts = std::max<std::size_t>(1, ranges.size());
  std::vector<WordCounter> counters(parts, WordCounter(prune_at / parts));
  std::vector<TokenScanStats> scans(parts);
  std::vector<std::exception_ptr> errors(parts);
  auto count_range = [&](std::size_t i) {
    if (i >= ranges.size()) return;
    try {
      TokenScanner scanner(corpus_path, ranges[i]);
      scanner.run([&](std::string_view token) { counters[i].add(token); }, [] {});
      scans[i] = scanner.stats();
    } catch (...) {
      errors[i] = std::current_exception();
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t i = 1; i < ranges.size(); ++i) pool.emplace_back(count_range, i);
  count_range(0);
  for (auto& t : pool) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  for (std::size_t i = 1; i < counters.size(); ++i) {
    counters[0].merge(std::move(counters[i]));
    scans[0].tokens += scans[i].tokens;
    scans[0].lines += scans[i].lines;
    scans[0].truncated_tokens += scans[i].truncated_tokens;
  }
  WordCounts result;
  result.prune_threshold = counters[0].prune_threshold();
  result.counts = counters[0].take();
  result.scan = scans[0];
  return result;
}

Vocabulary Vocabulary::from_counts(WordCounts counted, const std::string& corpus_path, const VocabOptions& options,
                                   VocabStats* stats) {
  if (counted.scan.tokens == 0) throw file_error(corpus_path, "the corpus has no words (only whitespace)");
  VocabStats local;
  VocabStats& s = stats != nullptr ? *stats : local;
  std::uint64_t invalid_utf8 = 0;  // each distinct word checked once, weighted by its count
  for (const auto& [word, count] : counted.counts)
    if (!is_valid_utf8(word)) invalid_utf8 += count;
  Vocabulary vocab(std::move(counted.counts), options, &s);
  s.invalid_utf8_tokens = invalid_utf8;
  s.scan = counted.scan;
  s.prune_threshold = counted.prune_threshold;
  if (vocab.empty())
    throw file_error(corpus_path, "no word occurs at least " + std::to_string(options.min_count) +
                                      " times (min-count); " + std::to_string(s.distinct_words) +
                                      " distinct words in " + std::to_string(s.scan.tokens) + " tokens");
  return vocab;
}

Vocabulary Vocabulary::build(const std::string& corpus_path, const VocabOptions& options, VocabStats* stats,
                             unsigned threads) {
  const std::uint64_t size = corpus_file_size(corpus_path);
  if (size == 0) throw file_error(corpus_path, "the corpus is empty");
  corpus_text_start(corpus_path);  // not UTF-8 text (compressed, UTF-16): say so before counting
  return from_counts(count_words(corpus_path, split_into_ranges(corpus_path, std::max(1u, threads)), options.prune_at),
                     corpus_path, options, stats);
}

Vocabulary Vocabulary::load(const std::string& path, const VocabOptions& options) {
  readable_file_size(path);  // a directory or FIFO is an error, not an empty file
  std::ifstream in(path);
  if (!in) throw file_error(path, std::strerror(errno));
  std::vector<std::pair<std::string, std::uint64_t>> counts;
  std::string line;
  unsigned long long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const std::size_t space = line.find(' ');
    if (space == std::string::npos || space == 0 || line.find(' ', space + 1) != std::string::npos)
      throw file_error(path, line_no, "expected 'word count'");
    char* end = nullptr;
    errno = 0;
    const unsigned long long count = std::strtoull(line.c_str() + space + 1, &end, 10);
    if (errno != 0 || *end != '\0' || line[space + 1] == '-' || end == line.c_str() + space + 1)
      throw file_error(path, line_no, "count is not a non-negative integer");
    counts.emplace_back(line.substr(0, space), count);
  }
  if (counts.empty()) throw file_error(path, "the vocabulary file is empty");
  Vocabulary vocab(std::move(counts), options);
  for (std::size_t i = 0; i < vocab.size(); ++i)
    if (vocab.id(vocab.words_[i]) != static_cast<std::int32_t>(i))
      throw file_error(path, "the word '" + vocab.words_[i] + "' is listed twice");
  return vocab;
}

void Vocabulary::save(const std::string& path) const {
  AtomicFileWriter out(path);  // buffered: one write per line is cheap
  for (std::size_t i = 0; i < words_.size(); ++i) out.write(words_[i] + ' ' + std::to_string(counts_[i]) + '\n');
  out.commit();
}

VocabularyUpdate update_vocabulary(const Vocabulary& old, const Vocabulary& added, std::uint64_t min_count) {
  std::vector<std::pair<std::string, std::uint64_t>> counts;
  counts.reserve(old.size() + added.size());
  std::size_t old_words_seen = 0;
  for (std::size_t i = 0; i < old.size(); ++i) {
    const std::string& word = old.word(static_cast<std::int32_t>(i));
    const std::int32_t in_added = added.id(word);
    old_words_seen += in_added >= 0;
    counts.emplace_back(word, old.count(static_cast<std::int32_t>(i)) + (in_added >= 0 ? added.count(in_added) : 0));
  }
  std::size_t words_added = 0;
  for (std::size_t i = 0; i < added.size(); ++i) {
    const std::string& word = added.word(static_cast<std::int32_t>(i));
    if (old.id(word) >= 0 || added.count(static_cast<std::int32_t>(i)) < min_count) continue;
    counts.emplace_back(word, added.count(static_cast<std::int32_t>(i)));
    ++words_added;
  }
  VocabularyUpdate update{Vocabulary(std::move(counts), VocabOptions{0, 0, 0}), {}, words_added, old_words_seen, 0};
  update.old_to_new.resize(old.size());
  for (std::size_t i = 0; i < old.size(); ++i) update.old_to_new[i] = update.vocab.id(old.word(static_cast<std::int32_t>(i)));
  for (std::size_t i = 0; i < added.size(); ++i)
    if (update.vocab.id(added.word(static_cast<std::int32_t>(i))) >= 0)
      update.new_text_words += added.count(static_cast<std::int32_t>(i));
  return update;
}

}  // namespace wordvec
