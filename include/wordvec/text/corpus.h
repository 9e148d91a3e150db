// Corpus reading: a corpus is a text file of whitespace-separated tokens whose
// bytes are kept as they are (UTF-8 passes through); each line break ends a
// sentence. The file is cut into byte ranges at token boundaries so that each
// thread (or, later, each process) streams its own shard.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wordvec {

// Tokens longer than this are cut to this many bytes (at a UTF-8 character
// boundary) and counted in TokenScanStats::truncated_tokens.
inline constexpr std::size_t kMaxTokenBytes = 1000;

struct ByteRange {
  std::uint64_t begin = 0;
  std::uint64_t end = 0;
};

struct TokenScanStats {
  std::uint64_t tokens = 0;
  std::uint64_t lines = 0;            // line breaks seen
  std::uint64_t truncated_tokens = 0;  // tokens longer than kMaxTokenBytes
};

// Size of a readable regular file; throws Error naming the path otherwise.
std::uint64_t corpus_file_size(const std::string& path);

// How many first bytes of a text decide its encoding.
inline constexpr std::size_t kEncodingHeadBytes = 4096;

// Where the text starting with `head` begins: 3 past a UTF-8 byte-order mark,
// else 0. Throws Error naming `path` and saying what was found for text that
// is not UTF-8: a UTF-16/32 byte-order mark or a NUL-heavy start (UTF-16
// without a mark). Invalid UTF-8 sequences are kept as bytes.
std::size_t utf8_text_start(std::string_view head, const std::string& path);

// Whether `text` is well-formed UTF-8 (no overlong forms, surrogates or code
// points above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// utf8_text_start of a plain file; compressed data (gzip, bzip2, xz, zstd) is
// refused too: read it through PreparedCorpus (corpus_input.h).
std::uint64_t corpus_text_start(const std::string& path);

// Splits the file into `parts` consecutive ranges covering it, each boundary
// moved forward to a whitespace byte so no token is split between two ranges.
std::vector<ByteRange> split_into_ranges(const std::string& path, unsigned parts);

// Splits `range` of the file into `parts` consecutive ranges, each boundary
// moved forward to a line break (or to the end of `range`), so no line is
// split: windows that stop at line breaks see the same words however the file
// is cut. A range may be empty when lines are longer than the parts.
std::vector<ByteRange> split_at_line_breaks(const std::string& path, ByteRange range, unsigned parts);

inline bool is_token_space(unsigned char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\0';
}

// Streams the tokens of one byte range in bounded memory (a fixed-size
// buffer, whatever the line lengths). Usage:
//   TokenScanner scan(path, range);
//   scan.run([&](std::string_view token) {...}, [&] { /* line break */ });
class TokenScanner {
 public:
  TokenScanner(const std::string& path, ByteRange range);
  ~TokenScanner();
  TokenScanner(const TokenScanner&) = delete;
  TokenScanner& operator=(const TokenScanner&) = delete;

  template <class OnToken, class OnLineBreak>
  void run(OnToken&& on_token, OnLineBreak&& on_line_break);

  const TokenScanStats& stats() const { return stats_; }

  // Inside a callback: the file offset just past the token or line break
  // being reported, where a later scan can continue with the same stream.
  std::uint64_t offset() const { return cursor_; }

 private:
  // Reads the next block after keeping `keep` bytes from the end of the
  // current one at the front; returns false at the end of the range.
  bool refill(std::size_t keep);
  static std::size_t utf8_cut(const char* token, std::size_t max_len);

  std::string path_;
  std::FILE* file_ = nullptr;
  std::uint64_t remaining_;
  std::unique_ptr<char[]> buffer_;  // a block, not zero-filled: only filled_ bytes are read
  std::size_t filled_ = 0;
  std::uint64_t buffer_offset_;  // file offset of buffer_[0]
  std::uint64_t cursor_;
  TokenScanStats stats_;
};

template <class OnToken, class OnLineBreak>
void TokenScanner::run(OnToken&& on_token, OnLineBreak&& on_line_break) {
  std::size_t pos = 0;
  bool in_overlong_tail = false;  // inside the cut-off rest of a too-long token
  auto emit = [&](std::size_t begin, std::size_t len) {
    if (in_overlong_tail || len == 0) return;
    ++stats_.tokens;
    cursor_ = buffer_offset_ + begin + len;
    on_token(std::string_view(buffer_.get() + begin, len));
  };
  while (true) {
    if (pos >= filled_) {
      if (!refill(0)) return;
      pos = 0;
    }
    const auto c = static_cast<unsigned char>(buffer_[pos]);
    if (is_token_space(c)) {
      if (c == '\n') {
        ++stats_.lines;
        cursor_ = buffer_offset_ + pos + 1;
        on_line_break();
      }
      in_overlong_tail = false;
      ++pos;
      continue;
    }
    // A token starts at pos. Scan at most kMaxTokenBytes + 1 bytes of it,
    // refilling (and keeping the partial token) when it crosses the block.
    std::size_t end = pos;
    while (true) {
      while (end < filled_ && end - pos <= kMaxTokenBytes &&
             !is_token_space(static_cast<unsigned char>(buffer_[end])))
        ++end;
      if (end < filled_ || end - pos > kMaxTokenBytes) break;
      const std::size_t len = end - pos;
      if (!refill(len)) {  // the range ends inside this token
        emit(0, len);
        return;
      }
      pos = 0;
      end = len;
    }
    const std::size_t len = end - pos;
    if (len > kMaxTokenBytes) {
      if (!in_overlong_tail) {
        ++stats_.truncated_tokens;
        emit(pos, utf8_cut(buffer_.get() + pos, kMaxTokenBytes));
      }
      in_overlong_tail = true;
    } else {
      emit(pos, len);
    }
    pos = end;
  }
}

}  // namespace wordvec
