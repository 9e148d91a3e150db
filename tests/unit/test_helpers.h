// Shared helpers for the unit tests: temporary files and the bundled corpus.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <array>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "wordvec/core/error.h"
#include "wordvec/query/neighbors.h"

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

// The message of the Error `f` throws, or "" when it throws none.
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

// The unpacked bundled corpus (make sets WORDVEC_TEST_CORPUS), or "" if absent.
inline std::string bundled_corpus() {
  const char* p = std::getenv("WORDVEC_TEST_CORPUS");
  return p != nullptr && std::filesystem::exists(p) ? p : "";
}

// "w<i>", built piecewise: GCC 12 warns falsely (-Wrestrict) on "w" + std::to_string(i).
inline std::string numbered_word(long i) {
  std::string word = "w";
  word += std::to_string(i);
  return word;
}

// A synthetic corpus of `lines` lines of Zipf-like words "w0", "w1", ... in dir/random.txt.
inline std::string random_corpus(const TempDir& dir, int lines, unsigned seed) {
  std::mt19937 gen(seed);
  std::geometric_distribution<int> word(0.02);  // Zipf-like: a few frequent words, a long tail
  std::uniform_int_distribution<int> length(1, 30);
  std::string text;
  for (int l = 0; l < lines; ++l) {
    for (int i = length(gen); i > 0; --i) {
      text += numbered_word(word(gen));
      text += ' ';
    }
    text += "\n";
  }
  return dir.write("random.txt", text);
}

// Trained vectors must place related words closer than unrelated ones.
inline void expect_related_closer(const NearestNeighbors& nn) {
  // A country is closer to its capital, a singular to its plural, a number to
  // another number, than either is to an unrelated word.
  const std::vector<std::array<const char*, 3>> triples{
      {"france", "paris", "bacteria"}, {"germany", "berlin", "poetry"}, {"king", "queen", "carbon"},
      {"city", "cities", "enzyme"},    {"two", "three", "religion"},    {"war", "battle", "protein"},
      {"january", "february", "chemistry"}, {"river", "lake", "monarchy"}, {"father", "mother", "electron"}};
  int right = 0;
  for (const auto& [a, b, c] : triples) {
    ASSERT_TRUE(nn.contains(a) && nn.contains(b) && nn.contains(c)) << a << " " << b << " " << c;
    const bool ok = nn.similarity(a, b) > nn.similarity(a, c);
    right += ok;
    EXPECT_TRUE(ok) << a << "~" << b << " = " << nn.similarity(a, b) << " vs " << a << "~" << c << " = "
                    << nn.similarity(a, c);
  }
  EXPECT_EQ(right, static_cast<int>(triples.size()));
}

}  // namespace wordvec::testing
