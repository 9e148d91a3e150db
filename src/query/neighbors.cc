#include "wordvec/query/neighbors.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>

#include "wordvec/core/error.h"

namespace wordvec {
namespace {

void normalise(float* row, std::size_t dim) {
  const float norm = std::sqrt(cblas_sdot(static_cast<int>(dim), row, 1, row, 1));
  if (norm > 0) cblas_sscal(static_cast<int>(dim), 1.0f / norm, row, 1);
}

}  // namespace

NearestNeighbors::NearestNeighbors(WordVectors vectors) : vectors_(std::move(vectors)) {
  for (std::size_t r = 0; r < vectors_.size(); ++r) {
    normalise(vectors_.vectors.row(r), vectors_.dim());
    ids_.emplace(vectors_.words[r], static_cast<int>(r));  // a duplicate keeps the first
  }
}

bool NearestNeighbors::contains(std::string_view word) const { return id(word) >= 0; }

int NearestNeighbors::id(std::string_view word) const {
  const auto it = ids_.find(std::string(word));
  return it == ids_.end() ? -1 : it->second;
}

int NearestNeighbors::known_id(std::string_view word) const {
  const int w = id(word);
  if (w < 0) throw Error("'" + std::string(word) + "' is not in the vocabulary");
  return w;
}

bool NearestNeighbors::has_vector(std::string_view word) const {
  return contains(word) || (vectors_.subwords && vectors_.subwords->has_ngrams(word));
}

NearestNeighbors::Query NearestNeighbors::query(std::string_view word) const {
  const int w = id(word);
  if (w >= 0 || !vectors_.subwords) return {known_id(word), {}};
  Query q{-1, std::vector<float>(vectors_.dim())};
  if (!vectors_.subwords->vector_of(word, q.built.data()))
    throw Error("'" + std::string(word) + "' is not in the vocabulary and has no character n-grams");
  normalise(q.built.data(), vectors_.dim());
  return q;
}

std::vector<int> NearestNeighbors::rows_of(std::initializer_list<const Query*> queries) {
  std::vector<int> rows;
  for (const Query* q : queries)
    if (q->id >= 0) rows.push_back(q->id);
  return rows;
}

std::vector<float> NearestNeighbors::vector_of(std::string_view word) const {
  const Query q = query(word);
  const float* v = q.vector(vectors_);
  return {v, v + vectors_.dim()};
}

std::vector<Neighbor> NearestNeighbors::nearest(std::string_view word, std::size_t k) const {
  const Query q = query(word);
  return nearest_to(q.vector(vectors_), k, rows_of({&q}));
}

std::vector<Neighbor> NearestNeighbors::top_k(std::span<float> scores, std::size_t k,
                                              const std::vector<int>& exclude) const {
  for (int e : exclude)
    if (static_cast<std::size_t>(e) < scores.size()) scores[e] = -INFINITY;
  // One pass with the best k so far in a heap (ordered by `better`, so its
  // front is the worst of them): most scores lose against it at once (a
  // partial sort of every row is far slower on 100k words). Ties go to the
  // lower row, as before.
  const auto better = [&](int a, int b) { return scores[a] != scores[b] ? scores[a] > scores[b] : a < b; };
  std::vector<int> best;
  k = std::min(k, scores.size());  // more than there are words: all of them (a k of 10^11 asked for 400 GB)
  best.reserve(k + 1);
  for (std::size_t i = 0; i < scores.size() && k > 0; ++i) {
    if (scores[i] == -INFINITY) continue;
    if (best.size() < k) {
      best.push_back(static_cast<int>(i));
      std::push_heap(best.begin(), best.end(), better);
    } else if (scores[i] > scores[best.front()]) {  // a later row never wins a tie
      std::pop_heap(best.begin(), best.end(), better);
      best.back() = static_cast<int>(i);
      std::push_heap(best.begin(), best.end(), better);
    }
  }
  std::sort_heap(best.begin(), best.end(), better);
  std::vector<Neighbor> result;
  for (int i : best) result.push_back({vectors_.words[static_cast<std::size_t>(i)], scores[static_cast<std::size_t>(i)]});
  return result;
}

std::vector<Neighbor> NearestNeighbors::nearest_to(const float* vector, std::size_t k,
                                                   const std::vector<int>& exclude, std::size_t limit) const {
  const std::size_t dim = vectors_.dim();
  const std::size_t rows = limit == 0 ? vectors_.size() : std::min(limit, vectors_.size());
  std::vector<float> query(vector, vector + dim);
  normalise(query.data(), dim);
  std::vector<float> scores(rows);
  // scores = V q, V row-major with padded rows: one BLAS call for all words.
  cblas_sgemv(CblasRowMajor, CblasNoTrans, static_cast<int>(rows), static_cast<int>(dim), 1.0f,
              vectors_.vectors.data(), static_cast<int>(vectors_.vectors.stride()), query.data(), 1, 0.0f,
              scores.data(), 1);
  return top_k(scores, k, exclude);
}

std::vector<std::vector<Neighbor>> NearestNeighbors::nearest_to_many(
    const Matrix& queries, std::size_t k, const std::vector<std::vector<int>>& exclude) const {
  const std::size_t rows = vectors_.size(), dim = vectors_.dim();
  if (queries.cols() != dim) throw Error("queries of dimension " + std::to_string(queries.cols()) + ", vectors of " +
                                         std::to_string(dim));
  if (!exclude.empty() && exclude.size() != queries.rows()) throw Error("one exclusion list per query, or none");
  Matrix unit = queries.clone();
  for (std::size_t q = 0; q < unit.rows(); ++q) normalise(unit.row(q), dim);
  // 64 queries x 100k words of scores: 25 MB at a time.
  constexpr std::size_t kBlock = 64;
  std::vector<float> scores(std::min(kBlock, unit.rows()) * rows);
  std::vector<std::vector<Neighbor>> result(unit.rows());
  const std::vector<int> none;
  for (std::size_t b = 0; b < unit.rows(); b += kBlock) {
    const std::size_t n = std::min(kBlock, unit.rows() - b);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(n), static_cast<int>(rows),
                static_cast<int>(dim), 1.0f, unit.row(b), static_cast<int>(unit.stride()), vectors_.vectors.data(),
                static_cast<int>(vectors_.vectors.stride()), 0.0f, scores.data(), static_cast<int>(rows));
    for (std::size_t i = 0; i < n; ++i)
      result[b + i] = top_k(std::span<float>(scores.data() + i * rows, rows), k, exclude.empty() ? none : exclude[b + i]);
  }
  return result;
}

std::vector<Neighbor> NearestNeighbors::analogy(std::string_view a, std::string_view b, std::string_view c,
                                                std::size_t k, AnalogyMethod method) const {
  const Query qa = query(a), qb = query(b), qc = query(c);
  const float *va = qa.vector(vectors_), *vb = qb.vector(vectors_), *vc = qc.vector(vectors_);
  const std::vector<int> exclude = rows_of({&qa, &qb, &qc});
  const std::size_t rows = vectors_.size(), dim = vectors_.dim();
  if (method == AnalogyMethod::CosAdd) {
    std::vector<float> target(dim);
    for (std::size_t d = 0; d < dim; ++d) target[d] = vb[d] - va[d] + vc[d];
    return nearest_to(target.data(), k, exclude);
  }
  // CosMul: the cosines of every word with a, b and c in one sgemm (3 x rows).
  Matrix queries(3, dim);
  for (int q = 0; q < 3; ++q) std::copy_n(q == 0 ? va : q == 1 ? vb : vc, dim, queries.row(q));
  std::vector<float> cosines(3 * rows);
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, 3, static_cast<int>(rows), static_cast<int>(dim), 1.0f,
              queries.data(), static_cast<int>(queries.stride()), vectors_.vectors.data(),
              static_cast<int>(vectors_.vectors.stride()), 0.0f, cosines.data(), static_cast<int>(rows));
  std::vector<float> scores(rows);
  for (std::size_t r = 0; r < rows; ++r) {
    const float ca = (cosines[r] + 1) / 2, cb = (cosines[rows + r] + 1) / 2, cc = (cosines[2 * rows + r] + 1) / 2;
    scores[r] = cb * cc / (ca + 0.001f);
  }
  return top_k(scores, k, exclude);
}

float NearestNeighbors::similarity(std::string_view a, std::string_view b) const {
  const Query qa = query(a), qb = query(b);
  return cblas_sdot(static_cast<int>(vectors_.dim()), qa.vector(vectors_), 1, qb.vector(vectors_), 1);
}

}  // namespace wordvec
