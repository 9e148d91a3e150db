#include "text/id_stream.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

namespace wordvec {
namespace {

// Once spilled, bytes_ is a write buffer of this size.
constexpr std::size_t kSpillBuffer = 1 << 20;

bool write_all(int fd, const std::uint8_t* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

IdStream::Spill::~Spill() {
  if (map != nullptr) ::munmap(const_cast<std::uint8_t*>(map), size);
  if (fd >= 0) ::close(fd);
}

IdStream::IdStream(std::uint64_t begin, std::size_t max_bytes, std::size_t expected_bytes, bool spill,
                   std::string spill_folder)
    : begin_(begin), last_offset_(begin), limit_(max_bytes), spill_allowed_(spill),
      spill_folder_(std::move(spill_folder)) {
  bytes_.reserve(std::min(max_bytes, expected_bytes));
}

IdStream::~IdStream() = default;
IdStream::IdStream(IdStream&&) noexcept = default;
IdStream& IdStream::operator=(IdStream&&) noexcept = default;

std::uint64_t IdStream::spilled_bytes() const { return spill_ ? spill_->size : 0; }

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
  if (bytes_.size() > limit_) outgrown();
}

void IdStream::outgrown() {
  if (spill_allowed_ && !spill_) {
    std::string folder = spill_folder_;
    if (folder.empty()) {
      const char* env = std::getenv("TMPDIR");
      folder = env != nullptr && *env != '\0' ? env : "/tmp";
    }
    std::string name = folder + "/wordvec-ids-XXXXXX";
    const int fd = ::mkstemp(name.data());
    if (fd >= 0) {
      ::unlink(name.c_str());  // nameless: gone when closed, however the process ends
      spill_ = std::make_unique<Spill>();
      spill_->fd = fd;
    }
  }
  if (spill_ && spill_->fd >= 0 && spill_->map == nullptr && write_all(spill_->fd, bytes_.data(), bytes_.size())) {
    spill_->size += bytes_.size();
    bytes_.clear();
    if (limit_ != kSpillBuffer) {
      limit_ = kSpillBuffer;
      std::vector<std::uint8_t>().swap(bytes_);
      bytes_.reserve(kSpillBuffer + 16);
    }
    return;
  }
  overflowed_ = true;  // no file, or the disk is full: the text is re-read instead
  spill_.reset();
  std::vector<std::uint8_t>().swap(bytes_);
}

bool IdStream::seal() {
  if (overflowed_) return false;
  if (!spill_) return true;
  if (!bytes_.empty()) {
    limit_ = 0;
    outgrown();  // the buffer's rest goes to the file
    if (overflowed_) return false;
  }
  std::vector<std::uint8_t>().swap(bytes_);
  void* map = ::mmap(nullptr, spill_->size, PROT_READ, MAP_PRIVATE, spill_->fd, 0);
  if (map == MAP_FAILED) {
    overflowed_ = true;
    spill_.reset();
    return false;
  }
  ::madvise(map, spill_->size, MADV_SEQUENTIAL);
  spill_->map = static_cast<const std::uint8_t*>(map);
  return true;
}

}  // namespace wordvec
