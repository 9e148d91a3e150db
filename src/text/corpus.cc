#include "wordvec/text/corpus.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "wordvec/core/error.h"
#include "wordvec/core/files.h"
#include "wordvec/text/corpus_input.h"

namespace wordvec {
namespace {

constexpr std::size_t kBlockBytes = 1 << 20;
static_assert(kBlockBytes > 2 * kMaxTokenBytes, "a block must hold a whole maximal token");

std::FILE* open_for_reading(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw file_error(path, std::strerror(errno));
  return f;
}

void seek(std::FILE* f, const std::string& path, std::uint64_t offset) {
  if (fseeko(f, static_cast<off_t>(offset), SEEK_SET) != 0) throw file_error(path, std::strerror(errno));
}

// Cuts `range` into `parts` consecutive ranges, each cut moved forward to a
// whitespace byte (or to a line break when `lines`), or to the range's end.
std::vector<ByteRange> split_range(const std::string& path, ByteRange range, unsigned parts, bool lines) {
  const std::uint64_t size = corpus_file_size(path);
  range.end = std::min(range.end, size);
  if (parts == 0) parts = 1;
  std::FILE* f = open_for_reading(path);
  std::vector<std::uint64_t> cuts{range.begin};
  const std::uint64_t length = range.end - range.begin;
  for (unsigned p = 1; p < parts; ++p) {
    std::uint64_t cut = std::max(range.begin + length * p / parts, cuts.back());
    seek(f, path, cut);
    int c;
    // Move forward to a whitespace byte: the token around the cut stays whole.
    while (cut < range.end && (c = std::fgetc(f)) != EOF &&
           !(lines ? c == '\n' : is_token_space(static_cast<unsigned char>(c))))
      ++cut;
    cuts.push_back(std::min(cut, range.end));
  }
  std::fclose(f);
  cuts.push_back(range.end);
  std::vector<ByteRange> ranges;
  for (unsigned p = 0; p < parts; ++p) ranges.push_back({cuts[p], cuts[p + 1]});
  return ranges;
}

}  // namespace

std::uint64_t corpus_file_size(const std::string& path) { return readable_file_size(path); }

std::size_t utf8_text_start(std::string_view head, const std::string& path) {
  auto starts_with = [&](std::initializer_list<unsigned char> magic) {
    return head.size() >= magic.size() &&
           std::equal(magic.begin(), magic.end(), reinterpret_cast<const unsigned char*>(head.data()));
  };
  auto refuse = [&](const std::string& what, const std::string& how) {
    throw file_error(path, "is " + what + ", not UTF-8 text; " + how);
  };
  const std::string convert = "convert it first: iconv -f ";
  if (starts_with({0xFF, 0xFE, 0x00, 0x00}) || starts_with({0x00, 0x00, 0xFE, 0xFF}))
    refuse("UTF-32 (byte-order mark)", convert + "UTF-32 -t UTF-8 FILE > FILE.txt");
  if (starts_with({0xFF, 0xFE}) || starts_with({0xFE, 0xFF}))
    refuse("UTF-16 (byte-order mark)", convert + "UTF-16 -t UTF-8 FILE > FILE.txt");
  if (head.size() >= 16 && std::count(head.begin(), head.end(), '\0') * 4 > static_cast<std::ptrdiff_t>(head.size()))
    refuse("mostly NUL bytes (UTF-16/32 without a byte-order mark, or binary data)",
           convert + "UTF-16 -t UTF-8 FILE > FILE.txt if it is UTF-16");
  return starts_with({0xEF, 0xBB, 0xBF}) ? 3 : 0;
}

bool is_valid_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    unsigned lowest;
    if (c >= 0xC2 && c <= 0xDF) extra = 1, lowest = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) extra = 2, lowest = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) extra = 3, lowest = 0x10000;
    else return false;
    if (end - p <= extra) return false;
    unsigned code = c & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
      if ((p[k] & 0xC0) != 0x80) return false;
      code = (code << 6) | (p[k] & 0x3F);
    }
    if (code < lowest || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    p += extra + 1;
  }
  return true;
}

std::uint64_t corpus_text_start(const std::string& path) {
  char head[kEncodingHeadBytes];
  std::FILE* f = open_for_reading(path);
  const std::size_t n = std::fread(head, 1, sizeof head, f);
  std::fclose(f);
  const Compression compression = detect_compression({head, n});
  if (compression != Compression::None)
    throw file_error(path, std::string("is ") + compression_name(compression) +
                               "-compressed: the token scanner reads plain text; open it through PreparedCorpus "
                               "(wordvec/text/corpus_input.h), as the command line does");
  return utf8_text_start({head, n}, path);
}

std::vector<ByteRange> split_into_ranges(const std::string& path, unsigned parts) {
  return split_range(path, {0, corpus_file_size(path)}, parts, false);
}

std::vector<ByteRange> split_at_line_breaks(const std::string& path, ByteRange range, unsigned parts) {
  return split_range(path, range, parts, true);
}

TokenScanner::TokenScanner(const std::string& path, ByteRange range)
    : path_(path),
      file_(open_for_reading(path)),
      remaining_(range.end - range.begin),
      buffer_(new char[kBlockBytes]),
      buffer_offset_(range.begin),
      cursor_(range.begin) {
  if (range.begin == 0 && range.end > 0) {  // a UTF-8 byte-order mark is not part of the first word
    const std::uint64_t skip = std::min(corpus_text_start(path), range.end);
    remaining_ -= skip;
    buffer_offset_ = cursor_ = skip;
  }
  seek(file_, path_, buffer_offset_);
}

TokenScanner::~TokenScanner() {
  if (file_ != nullptr) std::fclose(file_);
}

bool TokenScanner::refill(std::size_t keep) {
  // The kept bytes (a partial token) move to the front even at the end of
  // the range, so the caller finds them at offset 0 either way.
  if (keep > 0) std::memmove(buffer_.get(), buffer_.get() + filled_ - keep, keep);
  buffer_offset_ += filled_ - keep;
  filled_ = keep;
  if (remaining_ == 0) return false;
  const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(kBlockBytes - keep, remaining_));
  const std::size_t got = std::fread(buffer_.get() + keep, 1, want, file_);
  if (got == 0) {
    if (std::ferror(file_)) throw file_error(path_, std::string("read error: ") + std::strerror(errno));
    remaining_ = 0;  // the file shrank while being read: stop at its new end
    return false;
  }
  remaining_ -= got;
  filled_ = keep + got;
  return true;
}

std::size_t TokenScanner::utf8_cut(const char* token, std::size_t max_len) {
  // Step back over continuation bytes (10xxxxxx) so no character is split.
  std::size_t len = max_len;
  while (len > 0 && (static_cast<unsigned char>(token[len]) & 0xC0) == 0x80) --len;
  return len == 0 ? max_len : len;
}

}  // namespace wordvec
