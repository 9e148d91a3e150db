// The explorer's queries (wordvec serve): the neighbourhood map, prefix
// completion, batched neighbour queries, and the top-k they rest on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include "wordvec/core/error.h"
#include "wordvec/query/explorer.h"

namespace wordvec {
namespace {

// "w12" (g++ 12 warns, wrongly, about "w" + std::to_string(12) inlined at -O3: -Wrestrict).
std::string name(char prefix, std::size_t i) {
  std::string s(1, prefix);
  s += std::to_string(i);
  return s;
}

WordVectors vectors_of(std::vector<std::string> words, const std::vector<std::vector<float>>& rows) {
  Matrix m(rows.size(), rows.front().size());
  for (std::size_t r = 0; r < rows.size(); ++r) std::copy(rows[r].begin(), rows[r].end(), m.row(r));
  return WordVectors{std::move(words), std::move(m)};
}

WordVectors random_vectors(std::size_t words, std::size_t dim, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> normal;
  std::vector<std::string> names;
  std::vector<std::vector<float>> rows;
  for (std::size_t w = 0; w < words; ++w) {
    names.push_back(name('w', w));
    rows.emplace_back(dim);
    for (float& x : rows.back()) x = normal(rng);
  }
  return vectors_of(std::move(names), rows);
}

// Points that lie in a plane of R^6 keep their distances on the map: PCA of
// planar points is a rotation of that plane.
TEST(NeighbourhoodMap, KeepsTheDistancesOfPointsInAPlane) {
  std::vector<std::string> words;
  std::vector<std::vector<float>> rows;
  for (int i = 0; i < 12; ++i) {
    const float angle = 0.15f * static_cast<float>(i);  // on the unit circle of the (e1, e2) plane
    words.push_back(name('p', static_cast<std::size_t>(i)));
    rows.push_back({std::cos(angle), std::sin(angle), 0, 0, 0, 0});
  }
  words.push_back("far");
  rows.push_back({0, 0, 0, 0, 0, 1});
  const NearestNeighbors index(vectors_of(words, rows));
  const std::vector<MapPoint> map = neighbourhood_map(index, "p0", 8);
  ASSERT_EQ(map.size(), 9u);
  EXPECT_EQ(map[0].word, "p0");
  EXPECT_FLOAT_EQ(map[0].similarity, 1.0f);
  EXPECT_GE(map[0].x, 0.0f);
  EXPECT_GE(map[0].y, 0.0f);
  for (const MapPoint& p : map) EXPECT_NE(p.word, "far");
  for (const MapPoint& a : map)
    for (const MapPoint& b : map) {
      const int i = std::stoi(a.word.substr(1)), j = std::stoi(b.word.substr(1));
      const double chord = 2 * std::sin(0.15 * std::abs(i - j) / 2);  // distance of unit vectors
      EXPECT_NEAR(std::hypot(a.x - b.x, a.y - b.y), chord, 1e-4) << a.word << " " << b.word;
    }
  EXPECT_THROW(neighbourhood_map(index, "nowhere", 5), Error);
}

TEST(NeighbourhoodMap, IsTheSameForTheSameRequest) {
  const NearestNeighbors index(random_vectors(500, 40, 3));
  const auto a = neighbourhood_map(index, "w7", 30), b = neighbourhood_map(index, "w7", 30);
  ASSERT_EQ(a.size(), 31u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].word, b[i].word);
    EXPECT_EQ(a[i].x, b[i].x);
    EXPECT_EQ(a[i].y, b[i].y);
  }
  EXPECT_EQ(neighbourhood_map(index, "w7", 0).size(), 1u);  // the word alone, at the origin's side
}

TEST(PrefixIndex, CompletesInVocabularyOrder) {
  const std::vector<std::string> words{"the", "then", "a", "they", "other", "th", "théâtre", "zebra"};
  const PrefixIndex index(words);
  EXPECT_EQ(index.complete("th", 10), (std::vector<std::string>{"the", "then", "they", "th", "théâtre"}));
  EXPECT_EQ(index.complete("th", 2), (std::vector<std::string>{"the", "then"}));
  EXPECT_EQ(index.complete("thé", 10), (std::vector<std::string>{"théâtre"}));
  EXPECT_EQ(index.complete("", 3), (std::vector<std::string>{"the", "then", "a"}));
  EXPECT_TRUE(index.complete("zz", 10).empty());
  EXPECT_TRUE(index.complete("the", 0).empty());
}

// The heap top-k gives what sorting every score gives, ties to the lower row.
TEST(NearestNeighbors, TopKMatchesAFullSortWithTiesToTheLowerRow) {
  WordVectors v = random_vectors(300, 8, 5);
  for (std::size_t r = 100; r < 110; ++r) std::copy_n(v.vectors.row(3), 8, v.vectors.row(r));  // ties with w3
  const NearestNeighbors index(std::move(v));
  const std::vector<float> q = index.vector_of("w3");
  std::vector<std::pair<float, int>> all;
  for (std::size_t r = 0; r < index.size(); ++r) {
    float s = 0;
    for (std::size_t d = 0; d < 8; ++d) s += q[d] * index.normalized().vectors.row(r)[d];
    if (r != 3) all.push_back({-s, static_cast<int>(r)});
  }
  std::sort(all.begin(), all.end());
  const std::vector<Neighbor> got = index.nearest("w3", 25);
  ASSERT_EQ(got.size(), 25u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].word, name('w', static_cast<std::size_t>(all[i].second))) << i;
    EXPECT_NEAR(got[i].similarity, -all[i].first, 1e-5);
  }
  EXPECT_EQ(got[0].word, "w100");  // the ten copies first, in row order
  EXPECT_EQ(got[9].word, "w109");
  EXPECT_EQ(index.nearest("w3", 1000).size(), 299u);  // every other word, no more
  // A k beyond any vocabulary (nn -k 99999999999) is every word, not an allocation of k rows.
  EXPECT_EQ(index.nearest("w3", std::size_t{1} << 50).size(), 299u);
  EXPECT_EQ(index.analogy("w1", "w2", "w3", std::size_t{1} << 50).size(), 297u);
}

// Eight threads at once get what each would alone.
TEST(BatchedNeighbors, AnswersConcurrentQueriesAsSingleOnes) {
  const NearestNeighbors index(random_vectors(2000, 32, 9));
  BatchedNeighbors batched(index);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(8, 0);
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 40; ++i) {
        const std::string word = name('w', static_cast<std::size_t>((t * 97 + i * 13) % 2000));
        const std::size_t k = 1 + static_cast<std::size_t>(i % 12);
        const auto got = batched.nearest(word, k), alone = index.nearest(word, k);
        if (got.size() != alone.size()) ++mismatches[t];
        for (std::size_t j = 0; j < std::min(got.size(), alone.size()); ++j)
          if (got[j].word != alone[j].word || std::abs(got[j].similarity - alone[j].similarity) > 1e-5) ++mismatches[t];
      }
    });
  for (auto& t : threads) t.join();
  for (int t = 0; t < 8; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  EXPECT_THROW(batched.nearest("nowhere", 3), Error);
}

}  // namespace
}  // namespace wordvec
