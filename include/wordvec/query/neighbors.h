// Nearest words by cosine similarity. The vectors are normalised once; a
// query scores every word with one OpenBLAS matrix-vector product and keeps
// the best k with a partial sort.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "wordvec/io/vectors_io.h"

namespace wordvec {

struct Neighbor {
  std::string word;
  float similarity;
};

// A is to B as C is to ?:
//  CosAdd: argmax cos(d, B) - cos(d, A) + cos(d, C) (Mikolov et al.; reported as the
//          cosine with B - A + C, as gensim does)
//  CosMul: argmax cos'(d, B) cos'(d, C) / (cos'(d, A) + 0.001), cos' = (cos + 1) / 2 (Levy & Goldberg)
enum class AnalogyMethod { CosAdd, CosMul };

class NearestNeighbors {
 public:
  explicit NearestNeighbors(WordVectors vectors);

  bool contains(std::string_view word) const;
  // The k words closest to `word`, excluding itself; throws Error if unknown.
  std::vector<Neighbor> nearest(std::string_view word, std::size_t k) const;
  // The k words closest to an arbitrary vector (normalised here), excluding ids in `exclude`.
  std::vector<Neighbor> nearest_to(const float* vector, std::size_t k, const std::vector<int>& exclude) const;
  float similarity(std::string_view a, std::string_view b) const;
  // The k best answers to "a is to b as c is to ?", excluding a, b and c; throws Error for an unknown word.
  std::vector<Neighbor> analogy(std::string_view a, std::string_view b, std::string_view c, std::size_t k,
                                AnalogyMethod method = AnalogyMethod::CosAdd) const;
  std::size_t size() const { return vectors_.size(); }
  // Row of `word` (the first if listed twice), -1 if absent.
  int id(std::string_view word) const;
  // id(), or Error naming the word.
  int known_id(std::string_view word) const;
  // The unit-length vectors, rows in the file's order.
  const WordVectors& normalized() const { return vectors_; }

 private:
  std::vector<Neighbor> top_k(std::vector<float>& scores, std::size_t k, const std::vector<int>& exclude) const;
  WordVectors vectors_;  // rows normalised to unit length
  std::unordered_map<std::string, int> ids_;
};

}  // namespace wordvec
