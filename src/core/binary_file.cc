#include "core/binary_file.h"

#include <cerrno>
#include <cstring>

#include "wordvec/core/files.h"
#include "wordvec/core/error.h"

namespace wordvec {

BinaryReader::BinaryReader(const std::string& path)
    : path_(path), file_(nullptr, std::fclose) {
  size_ = readable_file_size(path);  // before fopen: a FIFO must not block
  file_.reset(std::fopen(path.c_str(), "rb"));
  if (!file_) throw file_error(path, std::strerror(errno));
  if (size_ < 8) throw file_error(path, "truncated: too short to be a wordvec file");
}

void BinaryReader::get(void* data, std::size_t size, const char* what) {
  if (size > remaining() || std::fread(data, 1, size, file_.get()) != size)
    throw file_error(path_, std::string("truncated (reading ") + what + " at byte " + std::to_string(offset_) + ")");
  checksum_.add(data, size);
  offset_ += size;
}

std::string BinaryReader::get_string(const char* what, std::uint64_t max_size) {
  const auto size = get_value<std::uint64_t>(what);
  if (size > max_size || size > remaining())
    throw file_error(path_, std::string("bad length ") + std::to_string(size) + " of " + what + " at byte " +
                                std::to_string(offset_));
  std::string s(size, '\0');
  get(s.data(), size, what);
  return s;
}

void BinaryReader::verify_checksum() {
  if (remaining() != 0)
    throw file_error(path_, std::to_string(remaining()) + " unexpected bytes before the checksum");
  std::uint64_t stored = 0;
  if (std::fread(&stored, 1, sizeof stored, file_.get()) != sizeof stored)
    throw file_error(path_, "truncated (no checksum)");
  if (stored != checksum_.value()) throw file_error(path_, "checksum mismatch: the file is corrupt");
}

}  // namespace wordvec
