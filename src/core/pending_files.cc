#include "core/pending_files.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "wordvec/core/atomic_file.h"

namespace wordvec {
namespace {

// Each entry is a malloc'ed "F<path>" (a file) or "D<path>" (a folder).
constexpr int kSlots = 64;
std::atomic<char*> g_pending[kSlots];

// Unlinks every entry of a folder: getdents64 and unlinkat, not
// opendir/readdir, which may allocate.
void empty_folder(const char* path) noexcept {
  const int fd = ::open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    alignas(8) char buffer[4096];
    long got;
    while ((got = ::syscall(SYS_getdents64, fd, buffer, sizeof buffer)) > 0) {
      for (long offset = 0; offset < got;) {
        struct Entry {
          unsigned long long inode;
          long long next;
          unsigned short length;
          unsigned char type;
          char name[1];
        };
        const auto* entry = reinterpret_cast<const Entry*>(buffer + offset);
        if (std::strcmp(entry->name, ".") != 0 && std::strcmp(entry->name, "..") != 0) ::unlinkat(fd, entry->name, 0);
        offset += entry->length;
      }
    }
    ::close(fd);
  }
}

// Other threads may still be adding files while the handler runs: empty and
// remove again until the folder is gone (a bounded number of times).
void remove_folder(const char* path) noexcept {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    empty_folder(path);
    if (::rmdir(path) == 0 || errno == ENOENT) return;
  }
}

}  // namespace

void remove_unfinished_files() noexcept {
  for (int pass = 0; pass < 2; ++pass)  // files first: a folder may hold one
    for (auto& slot : g_pending) {
      const char* entry = slot.load();
      if (entry == nullptr) continue;
      if (entry[0] == 'F' && pass == 0) ::unlink(entry + 1);
      if (entry[0] == 'D' && pass == 1) remove_folder(entry + 1);
    }
}

namespace detail {

PendingPath::PendingPath(const std::string& path, bool folder) {
  char* entry = static_cast<char*>(std::malloc(path.size() + 2));
  if (entry == nullptr) return;
  entry[0] = folder ? 'D' : 'F';
  std::memcpy(entry + 1, path.c_str(), path.size() + 1);
  for (int i = 0; i < kSlots; ++i) {
    char* expected = nullptr;
    if (g_pending[i].compare_exchange_strong(expected, entry)) {
      slot_ = i;
      return;
    }
  }
  std::free(entry);  // more than kSlots at once: this one is removed only by its owner
}

void PendingPath::release() {
  if (slot_ >= 0) std::free(g_pending[slot_].exchange(nullptr));
  slot_ = -1;
}

}  // namespace detail
}  // namespace wordvec
