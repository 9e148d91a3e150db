#include "wordvec/query/explorer.h"

#include <algorithm>
#include <cmath>
#include <exception>

#include "wordvec/core/error.h"

extern "C" void ssyev_(const char* jobz, const char* uplo, const int* n, float* a, const int* lda, float* w, float* work,
                       const int* lwork, int* info);

namespace wordvec {
namespace {

// The eigenvectors of a symmetric n x n matrix (overwritten), as columns of
// the result (column-major), their eigenvalues ascending in `values` (LAPACK's ssyev).
std::vector<float> symmetric_eigenvectors(std::vector<float>& matrix, int n, std::vector<float>& values) {
  values.assign(static_cast<std::size_t>(n), 0.0f);
  int lwork = -1, info = 0;
  float size = 0;
  ssyev_("V", "U", &n, matrix.data(), &n, values.data(), &size, &lwork, &info);
  lwork = static_cast<int>(size);
  std::vector<float> work(static_cast<std::size_t>(std::max(1, lwork)));
  ssyev_("V", "U", &n, matrix.data(), &n, values.data(), work.data(), &lwork, &info);
  if (info != 0) throw Error("the neighbourhood map's eigen-decomposition failed (LAPACK ssyev info " + std::to_string(info) + ")");
  return matrix;  // column-major eigenvectors (symmetric input: row-major is the same matrix)
}

}  // namespace

std::vector<MapPoint> neighbourhood_map(const NearestNeighbors& index, std::string_view word, std::size_t k) {
  const std::vector<Neighbor> neighbours = index.nearest(word, k);
  const WordVectors& v = index.normalized();
  const std::size_t dim = v.dim(), n = neighbours.size() + 1;
  std::vector<std::vector<float>> rows{index.vector_of(word)};
  for (const Neighbor& nb : neighbours) {
    const float* r = v.vectors.row(static_cast<std::size_t>(index.id(nb.word)));
    rows.emplace_back(r, r + dim);
  }
  std::vector<double> mean(dim, 0.0);
  for (const auto& r : rows)
    for (std::size_t j = 0; j < dim; ++j) mean[j] += r[j] / static_cast<double>(n);
  for (auto& r : rows)
    for (std::size_t j = 0; j < dim; ++j) r[j] -= static_cast<float>(mean[j]);
  // PCA through the Gram matrix of the centred rows (n x n, n = k + 1, whatever
  // the dimension): its top eigenvectors u, scaled by sqrt(eigenvalue), are
  // the points' coordinates on the principal components.
  const int size = static_cast<int>(n);
  std::vector<float> gram(n * n, 0.0f);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b <= a; ++b) {
      double s = 0;
      for (std::size_t j = 0; j < dim; ++j) s += static_cast<double>(rows[a][j]) * rows[b][j];
      gram[a * n + b] = gram[b * n + a] = static_cast<float>(s);
    }
  std::vector<float> values;
  const std::vector<float> vectors = symmetric_eigenvectors(gram, size, values);
  // ssyev: eigenvector i is column i (column-major), ascending: the last two are the top two.
  const auto coordinate = [&](std::size_t point, int component) {
    if (component < 0) return 0.0f;
    const float scale = std::sqrt(std::max(0.0f, values[static_cast<std::size_t>(component)]));
    return vectors[static_cast<std::size_t>(component) * n + point] * scale;
  };
  std::vector<MapPoint> map;
  for (std::size_t i = 0; i < n; ++i)
    map.push_back({i == 0 ? std::string(word) : neighbours[i - 1].word, i == 0 ? 1.0f : neighbours[i - 1].similarity,
                   coordinate(i, size - 1), coordinate(i, size - 2)});
  const bool flip_x = map[0].x < 0, flip_y = map[0].y < 0;
  for (MapPoint& p : map) {
    if (flip_x) p.x = -p.x;
    if (flip_y) p.y = -p.y;
  }
  return map;
}

struct BatchedNeighbors::Query {
  std::vector<float> vector;
  std::size_t k;
  std::vector<int> exclude;
  std::vector<Neighbor> result;
  std::exception_ptr error;
  bool done = false;
};

std::vector<Neighbor> BatchedNeighbors::nearest(std::string_view word, std::size_t k) {
  Query query{index_.vector_of(word), k, {}, {}, nullptr, false};
  if (const int id = index_.id(word); id >= 0) query.exclude.push_back(id);
  std::unique_lock lock(mutex_);
  waiting_.push_back(&query);
  while (!query.done) {
    if (running_) {
      answered_.wait(lock);
      continue;
    }
    running_ = true;  // this caller answers every query waiting now, its own included
    std::vector<Query*> batch;
    batch.swap(waiting_);
    lock.unlock();
    answer(batch);
    lock.lock();
    for (Query* q : batch) q->done = true;
    running_ = false;
    answered_.notify_all();
  }
  if (query.error) std::rethrow_exception(query.error);
  return std::move(query.result);
}

void BatchedNeighbors::answer(const std::vector<Query*>& batch) const {
  try {
    const std::size_t dim = index_.normalized().dim();
    Matrix vectors(batch.size(), dim);
    std::vector<std::vector<int>> exclude;
    std::size_t k = 0;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      std::copy(batch[i]->vector.begin(), batch[i]->vector.end(), vectors.row(i));
      exclude.push_back(batch[i]->exclude);
      k = std::max(k, batch[i]->k);
    }
    std::vector<std::vector<Neighbor>> results = index_.nearest_to_many(vectors, k, exclude);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      results[i].resize(std::min(results[i].size(), batch[i]->k));
      batch[i]->result = std::move(results[i]);
    }
  } catch (...) {
    for (Query* q : batch) q->error = std::current_exception();
  }
}

PrefixIndex::PrefixIndex(const std::vector<std::string>& words) : words_(&words), sorted_(words.size()) {
  for (std::size_t i = 0; i < words.size(); ++i) sorted_[i] = static_cast<int>(i);
  std::sort(sorted_.begin(), sorted_.end(), [&](int a, int b) { return words[static_cast<std::size_t>(a)] < words[static_cast<std::size_t>(b)]; });
}

std::vector<std::string> PrefixIndex::complete(std::string_view prefix, std::size_t limit) const {
  const std::vector<std::string>& words = *words_;
  const auto begin = std::lower_bound(sorted_.begin(), sorted_.end(), prefix,
                                      [&](int id, std::string_view p) { return std::string_view(words[static_cast<std::size_t>(id)]) < p; });
  std::vector<int> matches;
  for (auto it = begin; it != sorted_.end() && std::string_view(words[static_cast<std::size_t>(*it)]).starts_with(prefix); ++it)
    matches.push_back(*it);
  const std::size_t keep = std::min(limit, matches.size());
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(keep), matches.end());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < keep; ++i) out.push_back(words[static_cast<std::size_t>(matches[i])]);
  return out;
}

}  // namespace wordvec
