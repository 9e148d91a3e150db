// What the explorer page (wordvec serve) asks of a model beyond neighbours
// and analogies: a 2-D map of a word's neighbourhood and prefix completion.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "wordvec/query/neighbors.h"

namespace wordvec {

struct MapPoint {
  std::string word;
  float similarity;  // to the centre word (1 for itself)
  float x, y;        // coordinates on the first two principal components
};

// The word and its k nearest neighbours projected on the first two principal
// components of their unit vectors (PCA: the covariance's top eigenvectors,
// by LAPACK's ssyev). The centre word comes first. Each axis's sign is fixed
// so that the centre word has x >= 0 and y >= 0, and the map does not flip
// between identical requests. Throws Error when the word has no vector.
std::vector<MapPoint> neighbourhood_map(const NearestNeighbors& index, std::string_view word, std::size_t k);

// Answers concurrent nearest-neighbour queries together (a server's): a
// caller that finds no batch running takes every waiting query and scores
// them in one matrix product (nearest_to_many), so the vectors are read once
// per batch instead of once per query; the others wait for their answers.
// Alone, a query is its own batch. Thread-safe.
class BatchedNeighbors {
 public:
  explicit BatchedNeighbors(const NearestNeighbors& index) : index_(index) {}
  // As index.nearest(word, k); throws Error when the word has no vector.
  std::vector<Neighbor> nearest(std::string_view word, std::size_t k);

 private:
  struct Query;
  void answer(const std::vector<Query*>& batch) const;
  const NearestNeighbors& index_;
  std::mutex mutex_;
  std::condition_variable answered_;
  std::vector<Query*> waiting_;
  bool running_ = false;
};

// Words that start with a prefix (bytes), in the vocabulary's order (most
// frequent first in wordvec's files), at most `limit`.
class PrefixIndex {
 public:
  explicit PrefixIndex(const std::vector<std::string>& words);
  std::vector<std::string> complete(std::string_view prefix, std::size_t limit) const;

 private:
  const std::vector<std::string>* words_;
  std::vector<int> sorted_;  // row ids in byte order of their words
};

}  // namespace wordvec
