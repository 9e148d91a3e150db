// A temporary folder for spilled data (co-occurrence runs, shuffle buckets, a
// decoded corpus), removed with everything in it when it goes out of scope and
// on a fatal signal.
#pragma once

#include <errno.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <memory>
#include <string>

#include "core/pending_files.h"
#include "wordvec/core/error.h"

namespace wordvec {

// A temporary folder removed with everything in it when this goes out of scope.
class TempFolder {
 public:
  // In `parent` ("" = $TMPDIR or /tmp), named wordvec-PURPOSE-XXXXXX.
  explicit TempFolder(const std::string& parent, const std::string& purpose = "cooccur") {
    std::string base = parent;
    if (base.empty()) {
      const char* env = std::getenv("TMPDIR");
      base = env != nullptr && *env != '\0' ? env : "/tmp";
    }
    std::string pattern = base + "/wordvec-" + purpose + "-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)
      throw file_error(base, std::string("cannot create a temporary folder: ") + std::strerror(errno));
    path_ = pattern;
    pending_ = std::make_unique<detail::PendingPath>(path_, true);  // removed on a fatal signal too
  }
  ~TempFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::unique_ptr<detail::PendingPath> pending_;
};

}  // namespace wordvec
