// Shared helpers for the unit tests: temporary files and the bundled corpus.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace wordvec::testing {

// A fresh folder removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "wordvec-test-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name) const { return path_ + "/" + name; }
  std::string write(const std::string& name, const std::string& content) const {
    std::ofstream(file(name), std::ios::binary) << content;
    return file(name);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The unpacked bundled corpus (make sets WORDVEC_TEST_CORPUS), or "" if absent.
inline std::string bundled_corpus() {
  const char* p = std::getenv("WORDVEC_TEST_CORPUS");
  return p != nullptr && std::filesystem::exists(p) ? p : "";
}

}  // namespace wordvec::testing
