#include "wordvec/dist/shared_corpus.h"

#include <cstring>
#include <unordered_map>

#include "wordvec/core/error.h"

namespace wordvec {
namespace {

// Word counts as bytes: a header of numbers, then (length, bytes, count) per word.
class Packer {
 public:
  void number(std::uint64_t n) { append(&n, sizeof n); }
  void word(const std::string& w, std::uint64_t count) {
    number(w.size());
    append(w.data(), w.size());
    number(count);
  }
  std::vector<char>& bytes() { return bytes_; }

 private:
  void append(const void* p, std::size_t n) {
    const char* c = static_cast<const char*>(p);
    bytes_.insert(bytes_.end(), c, c + n);
  }
  std::vector<char> bytes_;
};

class Unpacker {
 public:
  explicit Unpacker(const std::vector<char>& bytes) : bytes_(bytes) {}
  std::uint64_t number() {
    std::uint64_t n;
    take(&n, sizeof n);
    return n;
  }
  std::string word() {
    std::string w(number(), '\0');
    take(w.data(), w.size());
    return w;
  }
  bool done() const { return at_ == bytes_.size(); }

 private:
  void take(void* p, std::size_t n) {
    if (bytes_.size() - at_ < n) throw Error("a process sent malformed word counts");
    std::memcpy(p, bytes_.data() + at_, n);
    at_ += n;
  }
  const std::vector<char>& bytes_;
  std::size_t at_ = 0;
};

constexpr int kRoot = 0;

}  // namespace

std::vector<ByteRange> process_shards(const std::string& corpus_path, const Communicator& comm, unsigned threads) {
  const auto size = static_cast<unsigned>(comm.size());
  const std::vector<ByteRange> all = split_into_ranges(corpus_path, size * threads);
  const auto first = all.begin() + static_cast<std::ptrdiff_t>(comm.rank()) * threads;
  return {first, first + threads};
}

Vocabulary shared_vocabulary(Communicator& comm, const std::string& corpus_path, const std::vector<ByteRange>& shards,
                             const VocabOptions& options, VocabStats* stats) {
  const std::uint64_t size = corpus_file_size(corpus_path);
  if (size == 0) throw file_error(corpus_path, "the corpus is empty");
  corpus_text_start(corpus_path);
  // Each process prunes at its share of the bound, as each thread does.
  WordCounts mine = count_words(corpus_path, shards, options.prune_at / static_cast<std::uint64_t>(comm.size()));
  Packer packed;
  for (std::uint64_t n : {mine.scan.tokens, mine.scan.lines, mine.scan.truncated_tokens, mine.prune_threshold})
    packed.number(n);
  for (const auto& [word, count] : mine.counts) packed.word(word, count);
  mine.counts = {};
  const std::vector<std::vector<char>> all = comm.gather(packed.bytes(), kRoot);
  packed = {};

  // Rank 0 merges and decides; the vocabulary and its statistics go to all.
  std::vector<char> decided;
  if (comm.rank() == kRoot) {
    WordCounts merged;
    std::unordered_map<std::string, std::uint64_t> counts;
    for (const std::vector<char>& bytes : all) {
      Unpacker in(bytes);
      merged.scan.tokens += in.number();
      merged.scan.lines += in.number();
      merged.scan.truncated_tokens += in.number();
      merged.prune_threshold = std::max(merged.prune_threshold, in.number());
      while (!in.done()) {
        std::string word = in.word();
        counts[std::move(word)] += in.number();
      }
    }
    merged.counts.assign(counts.begin(), counts.end());
    counts = {};
    VocabStats s;
    const Vocabulary vocab = Vocabulary::from_counts(std::move(merged), corpus_path, options, &s);
    Packer out;
    for (std::uint64_t n : {s.scan.tokens, s.scan.lines, s.scan.truncated_tokens, s.distinct_words, s.prune_threshold,
                            s.dropped_min_count, s.dropped_max_vocab, s.invalid_utf8_tokens, std::uint64_t{vocab.size()}})
      out.number(n);
    for (std::size_t id = 0; id < vocab.size(); ++id)
      out.word(vocab.word(static_cast<std::int32_t>(id)), vocab.count(static_cast<std::int32_t>(id)));
    decided = std::move(out.bytes());
  }
  comm.broadcast(decided, kRoot);
  Unpacker in(decided);
  VocabStats s;
  s.scan.tokens = in.number();
  s.scan.lines = in.number();
  s.scan.truncated_tokens = in.number();
  s.distinct_words = in.number();
  s.prune_threshold = in.number();
  s.dropped_min_count = in.number();
  s.dropped_max_vocab = in.number();
  s.invalid_utf8_tokens = in.number();
  std::vector<std::pair<std::string, std::uint64_t>> kept(in.number());
  for (auto& [word, count] : kept) {
    word = in.word();
    count = in.number();
  }
  if (stats != nullptr) *stats = s;
  // Already filtered and ordered: the constructor keeps all and the order.
  return Vocabulary(std::move(kept), VocabOptions{1, 0, 0});
}

}  // namespace wordvec
