// A corpus shard as the trainer consumes it, kept compactly in memory: the
// vocabulary ids of its words in order (words outside the vocabulary already
// dropped) and its sentence ends, each with the file offset just past it.
// Epochs after the first replay it instead of tokenizing and hashing the text
// again; the replayed events are exactly the scanned ones, so training does
// not change by a bit. Ids are frequency ranks, so their LEB128 varints take
// 1 byte for the 127 most frequent words and 2 up to rank 16382: about 1.6
// bytes per word of English text. A stream that outgrows its memory budget
// goes on in an unlinked temporary file (gone with the process, whatever ends
// it) that is mapped for replay.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wordvec {

class IdStream {
 public:
  // Records from a shard starting at file offset `begin`, in at most
  // `max_bytes` of memory; `expected_bytes` is reserved up front. Beyond
  // max_bytes the stream spills to a file in `spill_folder` ("" = $TMPDIR or
  // /tmp), or, when `spill` is false or the file cannot be written (disk
  // full), is dropped (memory returned) and overflowed() is true.
  IdStream(std::uint64_t begin, std::size_t max_bytes, std::size_t expected_bytes, bool spill = false,
           std::string spill_folder = {});
  ~IdStream();
  IdStream(IdStream&&) noexcept;
  IdStream& operator=(IdStream&&) noexcept;

  // Recording.
  void add_word(std::int32_t id) {
    if (!overflowed_) put(static_cast<std::uint64_t>(id) + 1);
  }
  void end_sentence(std::uint64_t offset);
  // Ends recording: a spilled stream is written out and mapped. False when
  // the stream cannot be replayed (it overflowed).
  bool seal();

  bool overflowed() const { return overflowed_; }
  std::size_t bytes() const { return bytes_.size(); }  // held in memory
  std::uint64_t spilled_bytes() const;                  // in the file

  // Calls on_word(id) and on_sentence_end(offset) in the recorded order until
  // one of them returns false; returns false then, true at the end.
  template <class OnWord, class OnSentenceEnd>
  bool replay(OnWord&& on_word, OnSentenceEnd&& on_sentence_end) const;

 private:
  struct Spill;
  void put(std::uint64_t value);
  void outgrown();  // bytes_ passed limit_: spill it, or drop the stream
  static std::uint64_t get(const std::uint8_t*& p);

  std::vector<std::uint8_t> bytes_;  // words: varint(id + 1); sentence end: 0, varint(offset delta)
  std::uint64_t begin_, last_offset_;
  std::size_t limit_;  // bytes_ may hold this many before outgrown()
  bool spill_allowed_;
  std::string spill_folder_;
  std::unique_ptr<Spill> spill_;  // the file, once the stream outgrew memory
  bool overflowed_ = false;
};

inline std::uint64_t IdStream::get(const std::uint8_t*& p) {
  std::uint64_t value = 0;
  for (int shift = 0;; shift += 7) {
    const std::uint8_t byte = *p++;
    value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return value;
  }
}

// The mapped file of a spilled stream.
struct IdStream::Spill {
  int fd = -1;
  std::uint64_t size = 0;
  const std::uint8_t* map = nullptr;
  ~Spill();
};

template <class OnWord, class OnSentenceEnd>
bool IdStream::replay(OnWord&& on_word, OnSentenceEnd&& on_sentence_end) const {
  const std::uint8_t* p = spill_ ? spill_->map : bytes_.data();
  const std::uint8_t* const end = p + (spill_ ? spill_->size : bytes_.size());
  std::uint64_t offset = begin_;
  while (p < end) {
    if (*p == 0) {  // a varint of id + 1 >= 1 never starts with a zero byte
      ++p;
      offset += get(p);
      if (!on_sentence_end(offset)) return false;
    } else if (!on_word(static_cast<std::int32_t>(get(p) - 1))) {
      return false;
    }
  }
  return true;
}

}  // namespace wordvec
