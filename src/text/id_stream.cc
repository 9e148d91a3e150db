#include "text/id_stream.h"

#include <algorithm>

namespace wordvec {

IdStream::IdStream(std::uint64_t begin, std::size_t max_bytes, std::size_t expected_bytes)
    : begin_(begin), last_offset_(begin), max_bytes_(max_bytes) {
  bytes_.reserve(std::min(max_bytes, expected_bytes));
}

void IdStream::end_sentence(std::uint64_t offset) {
  if (overflowed_) return;
  bytes_.push_back(0);
  put(offset - last_offset_);
  last_offset_ = offset;
}

void IdStream::put(std::uint64_t value) {
  do {
    const auto low = static_cast<std::uint8_t>(value & 0x7f);
    value >>= 7;
    bytes_.push_back(value != 0 ? static_cast<std::uint8_t>(low | 0x80) : low);
  } while (value != 0);
  if (bytes_.size() > max_bytes_) {
    overflowed_ = true;
    std::vector<std::uint8_t>().swap(bytes_);
  }
}

}  // namespace wordvec
