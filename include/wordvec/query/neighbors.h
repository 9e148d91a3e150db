// Nearest words by cosine similarity. The vectors are normalised once; a
// query scores every word with one OpenBLAS matrix-vector product and keeps
// the best k with a partial sort.
#pragma once

#include <span>
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

  // Whether the word is one of the vectors' rows.
  bool contains(std::string_view word) const;
  // Whether it has a vector: a row, or (a subword model) n-grams to build one from.
  bool has_vector(std::string_view word) const;
  // The word's unit vector, built from its n-grams outside the vocabulary of a
  // subword model; throws Error when it has none.
  std::vector<float> vector_of(std::string_view word) const;
  // The k words closest to `word`, excluding itself; throws Error if it has no vector.
  std::vector<Neighbor> nearest(std::string_view word, std::size_t k) const;
  // The k words closest to an arbitrary vector (normalised here), excluding ids
  // in `exclude`, among the first `limit` rows (0: all; gensim's restrict_vocab).
  std::vector<Neighbor> nearest_to(const float* vector, std::size_t k, const std::vector<int>& exclude,
                                   std::size_t limit = 0) const;
  // nearest_to for each row of `queries` (exclude[i] for row i; empty: none),
  // scored in blocks by one matrix product (sgemm) each.
  std::vector<std::vector<Neighbor>> nearest_to_many(const Matrix& queries, std::size_t k,
                                                     const std::vector<std::vector<int>>& exclude) const;
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
  std::vector<Neighbor> top_k(std::span<float> scores, std::size_t k, const std::vector<int>& exclude) const;
  // A query word: its row, or (id -1) a vector built from its subwords.
  struct Query {
    int id;
    std::vector<float> built;
    const float* vector(const WordVectors& v) const { return id >= 0 ? v.vectors.row(static_cast<std::size_t>(id)) : built.data(); }
  };
  Query query(std::string_view word) const;
  static std::vector<int> rows_of(std::initializer_list<const Query*> queries);
  WordVectors vectors_;  // rows normalised to unit length
  std::unordered_map<std::string, int> ids_;
};

}  // namespace wordvec
