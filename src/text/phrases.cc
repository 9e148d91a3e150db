#include "wordvec/text/phrases.h"

#include <algorithm>
#include <unordered_map>

#include "wordvec/core/error.h"
#include "wordvec/core/parallel.h"
#include "wordvec/text/corpus.h"
#include "wordvec/text/vocabulary.h"

namespace wordvec {

std::vector<RangedField> PhraseOptions::ranged_fields() const {
  return {{"passes", static_cast<double>(passes), {0, 10, false, false, "0 = no phrases"}},
          {"threshold", threshold, {0, 1e300, false, false}},
          {"min_count", static_cast<double>(min_count), {1, 1e18, false, false}},
          {"memory_gib", memory_gib, {0, 1e6, true, false, "GiB"}}};
}

void PhraseOptions::validate() const { check_ranges(ranged_fields()); }

Settings PhraseOptions::to_settings() const {
  Settings s;
  s.set("phrases.version", 1);
  s.set("phrases.passes", passes);
  s.set("phrases.threshold", threshold);
  s.set("phrases.min_count", min_count);
  s.set("phrases.memory_gib", memory_gib);
  return s;
}

PhraseOptions PhraseOptions::from_settings(const Settings& s) {
  PhraseOptions o;
  if (!s.has("phrases.version")) {
    o.passes = 0;
    return o;
  }
  s.require_version("phrases", 1);
  o.passes = static_cast<unsigned>(s.integer("phrases.passes", 10));
  o.threshold = s.number("phrases.threshold");
  o.min_count = s.integer("phrases.min_count");
  o.memory_gib = s.number("phrases.memory_gib");
  s.validate_stored([&] { o.validate(); });
  return o;
}

namespace {

std::uint64_t pair_key(std::int32_t a, std::int32_t b) {
  return (static_cast<std::uint64_t>(a) << 32) | static_cast<std::uint32_t>(b);
}

// Counts word pairs in an open-addressing table (12 bytes a slot, at most
// half full), dropping rare pairs when it holds more than max_pairs.
class PairCounter {
 public:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  static constexpr double kBytesPerPair = 48;  // 12-byte slots, a table half to a quarter full

  explicit PairCounter(std::size_t max_pairs) : max_pairs_(std::max<std::size_t>(max_pairs, 1024)) { resize(1024); }

  void add(std::uint64_t key, std::uint32_t n = 1) {
    std::size_t slot = find(key);
    if (keys_[slot] == kEmpty) {
      if ((size_ + 1) * 2 > keys_.size()) {
        resize(keys_.size() * 2);
        slot = find(key);
      }
      keys_[slot] = key;
      counts_[slot] = 0;
      ++size_;
    }
    counts_[slot] += n;
    if (size_ > max_pairs_) prune();
  }

  void merge(const PairCounter& other) {
    for (std::size_t i = 0; i < other.keys_.size(); ++i)
      if (other.keys_[i] != kEmpty) add(other.keys_[i], other.counts_[i]);
    pruned_ = std::max(pruned_, other.pruned_);
  }

  template <class F>
  void for_each(F&& f) const {
    for (std::size_t i = 0; i < keys_.size(); ++i)
      if (keys_[i] != kEmpty) f(keys_[i], counts_[i]);
  }
  std::size_t size() const { return size_; }
  std::uint64_t pruned() const { return pruned_; }

 private:
  std::size_t find(std::uint64_t key) const {
    const std::size_t mask = keys_.size() - 1;
    std::size_t slot = static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ull) >> 20) & mask;
    while (keys_[slot] != kEmpty && keys_[slot] != key) slot = (slot + 1) & mask;
    return slot;
  }
  void resize(std::size_t capacity) {
    std::vector<std::uint64_t> keys(capacity, kEmpty);
    std::vector<std::uint32_t> counts(capacity, 0);
    keys.swap(keys_);
    counts.swap(counts_);
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] != kEmpty) {
        const std::size_t slot = find(keys[i]);
        keys_[slot] = keys[i];
        counts_[slot] = counts[i];
      }
  }
  // word2phrase's ReduceVocab: drop the pairs seen at most k times, k rising.
  void prune() {
    while (size_ > max_pairs_ * 3 / 4) {
      ++pruned_;
      std::vector<std::uint64_t> keys(keys_.size(), kEmpty);
      std::vector<std::uint32_t> counts(keys_.size(), 0);
      keys.swap(keys_);
      counts.swap(counts_);
      size_ = 0;
      for (std::size_t i = 0; i < keys.size(); ++i)
        if (keys[i] != kEmpty && counts[i] > pruned_) {
          const std::size_t slot = find(keys[i]);
          keys_[slot] = keys[i];
          counts_[slot] = counts[i];
          ++size_;
        }
    }
  }

  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> counts_;
  std::size_t size_ = 0;
  std::size_t max_pairs_;
  std::uint64_t pruned_ = 0;
};

}  // namespace

struct PhraseTable::Impl {
  Vocabulary words;               // every word, by descending count
  std::int32_t frequent = 0;      // ids below this occur at least min_count times
  struct Join {
    float score;
    std::uint64_t count;
  };
  std::unordered_map<std::uint64_t, Join> joins;

  // The id of `word` when it may be part of a phrase, else -1.
  std::int32_t phrase_id(std::string_view word) const {
    const std::int32_t id = words.id(word);
    return id >= 0 && id < frequent ? id : -1;
  }
};

PhraseTable::PhraseTable() : impl_(std::make_unique<Impl>()) {}
PhraseTable::PhraseTable(PhraseTable&&) noexcept = default;
PhraseTable& PhraseTable::operator=(PhraseTable&&) noexcept = default;
PhraseTable::~PhraseTable() = default;

std::size_t PhraseTable::size() const { return impl_->joins.size(); }

PhraseTable PhraseTable::learn(const std::string& corpus_path, const PhraseOptions& options, unsigned threads,
                               PhrasePassReport* report) {
  options.validate();
  threads = std::max(1u, threads);
  PhraseTable table;
  Impl& t = *table.impl_;
  VocabStats stats;
  t.words = Vocabulary::build(corpus_path, VocabOptions{1, 0, VocabOptions{}.prune_at}, &stats, threads);
  const auto& counts = t.words.counts();
  t.frequent = static_cast<std::int32_t>(
      std::partition_point(counts.begin(), counts.end(), [&](std::uint64_t c) { return c >= options.min_count; }) -
      counts.begin());

  const std::vector<ByteRange> ranges =
      split_at_line_breaks(corpus_path, {0, corpus_file_size(corpus_path)}, threads);
  const double budget_pairs = options.memory_gib * 1073741824.0 / PairCounter::kBytesPerPair;
  std::vector<PairCounter> counters;
  for (std::size_t i = 0; i < ranges.size(); ++i)
    counters.emplace_back(static_cast<std::size_t>(budget_pairs / (ranges.size() + 1)));
  run_parallel(static_cast<unsigned>(ranges.size()), [&](unsigned i) {
    TokenScanner scanner(corpus_path, ranges[i]);
    std::int32_t previous = -1;
    scanner.run(
        [&](std::string_view token) {
          const std::int32_t id = t.phrase_id(token);
          if (previous >= 0 && id >= 0) counters[i].add(pair_key(previous, id));
          previous = id;
        },
        [&] { previous = -1; });
  });
  PairCounter& all = counters[0];
  for (std::size_t i = 1; i < counters.size(); ++i) {
    all.merge(counters[i]);
    counters[i] = PairCounter(0);  // memory back before the next merge
  }
  const double tokens = static_cast<double>(stats.scan.tokens);
  const double min_count = static_cast<double>(options.min_count);
  all.for_each([&](std::uint64_t key, std::uint32_t count) {
    const auto a = static_cast<std::int32_t>(key >> 32), b = static_cast<std::int32_t>(key & 0xffffffffu);
    const double score = (count - min_count) / static_cast<double>(counts[a]) / static_cast<double>(counts[b]) * tokens;
    if (score > options.threshold) t.joins.emplace(key, Impl::Join{static_cast<float>(score), count});
  });
  if (report != nullptr) {
    report->tokens = stats.scan.tokens;
    report->pairs = all.size();
    report->prune_count = all.pruned();
    report->phrases = t.joins.size();
  }
  return table;
}

void PhraseTable::apply(const std::string& corpus_path, const std::function<void(std::string_view)>& sink,
                        PhrasePassReport* report) const {
  const Impl& t = *impl_;
  std::string out;
  out.reserve(2 << 20);
  bool line_started = false;
  std::string pending;  // the last token, not written yet: it may join the next one
  std::int32_t pending_id = -1;
  bool has_pending = false;
  std::uint64_t joined = 0;
  const auto write = [&](std::string_view token) {
    if (line_started) out += ' ';
    out += token;
    line_started = true;
  };
  const auto end_line = [&] {
    if (has_pending) write(pending);
    has_pending = false;
    out += '\n';
    line_started = false;
    if (out.size() >= (1u << 20)) {
      sink(out);
      out.clear();
    }
  };
  TokenScanner scanner(corpus_path, {0, corpus_file_size(corpus_path)});
  scanner.run(
      [&](std::string_view token) {
        const std::int32_t id = t.phrase_id(token);
        if (has_pending && pending_id >= 0 && id >= 0 && t.joins.count(pair_key(pending_id, id)) != 0) {
          pending += '_';
          pending += token;
          write(pending);
          has_pending = false;
          ++joined;
          return;
        }
        if (has_pending) write(pending);
        pending.assign(token);
        pending_id = id;
        has_pending = true;
      },
      end_line);
  if (has_pending || line_started) end_line();
  if (!out.empty()) sink(out);
  if (report != nullptr) report->joined = joined;
}

std::vector<ScoredPhrase> PhraseTable::top(std::size_t k) const {
  std::vector<ScoredPhrase> all;
  all.reserve(impl_->joins.size());
  for (const auto& [key, join] : impl_->joins)
    all.push_back({impl_->words.word(static_cast<std::int32_t>(key >> 32)) + "_" +
                       impl_->words.word(static_cast<std::int32_t>(key & 0xffffffffu)),
                   join.score, join.count});
  std::sort(all.begin(), all.end(), [](const ScoredPhrase& a, const ScoredPhrase& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.count != b.count) return a.count > b.count;
    return a.phrase < b.phrase;
  });
  if (k > 0 && all.size() > k) all.resize(k);
  return all;
}

}  // namespace wordvec
