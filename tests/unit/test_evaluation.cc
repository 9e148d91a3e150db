#include <gtest/gtest.h>

#include <cmath>

#include "test_helpers.h"
#include "wordvec/dimension_sweep.h"
#include "wordvec/error.h"
#include "wordvec/evaluation.h"

namespace wordvec {
namespace {

using testing::TempDir;

TEST(Statistics, SpearmanUsesAverageRanksForTies) {
  // Reference values from scipy.stats.spearmanr / pearsonr.
  const std::vector<double> x{1, 2, 2, 3, 4}, y{10, 20, 30, 30, 50};
  EXPECT_NEAR(spearman_rho(x, y), 0.9210526315789475, 1e-12);
  EXPECT_NEAR(pearson_r(x, y), 0.9460998335825321, 1e-12);
  EXPECT_NEAR(spearman_rho({1, 2, 3}, {3, 2, 1}), -1.0, 1e-12);
}

// Four words on the unit circle-ish plane, built so the analogy answers are known.
NearestNeighbors toy_vectors() {
  WordVectors v{{"man", "woman", "king", "queen", "apple", "Paris"}, Matrix(6, 3)};
  const float rows[6][3] = {{1, 0, 0}, {1, 1, 0}, {1, 0, 1}, {1, 1, 1}, {-1, -1, 0.1f}, {0, 0, -1}};
  for (int r = 0; r < 6; ++r)
    for (int c = 0; c < 3; ++c) v.vectors.row(r)[c] = rows[r][c];
  return NearestNeighbors(std::move(v));
}

TEST(Analogies, ThreeCosAddWithGensimsConventions) {
  TempDir dir;
  const auto path = dir.write("q.txt",
                              ": family\n"
                              "man woman king queen\n"    // right: king + woman - man = queen
                              "MAN KING woman queen\n"    // right, case-insensitive
                              "man woman king apple\n"    // wrong answer expected
                              "man woman king unicorn\n"  // skipped: unknown word
                              ": gram1-test\n"
                              "woman man queen king\n");
  const AnalogyResult r = evaluate_analogies(toy_vectors(), path);
  ASSERT_EQ(r.sections.size(), 2u);
  EXPECT_EQ(r.sections[0].total, 4u);
  EXPECT_EQ(r.sections[0].attempted, 3u);
  EXPECT_EQ(r.sections[0].correct, 2u);
  EXPECT_TRUE(r.sections[1].syntactic);
  EXPECT_EQ(r.syntactic.correct, 1u);
  EXPECT_EQ(r.overall.attempted, 4u);
  EXPECT_NEAR(r.accuracy(), 0.75, 1e-12);
  EXPECT_NEAR(r.coverage(), 0.8, 1e-12);
  // restrict_vocab = 3 leaves "queen" out: those questions are skipped.
  EXPECT_EQ(evaluate_analogies(toy_vectors(), path, 3).overall.attempted, 0u);
}

TEST(Analogies, MalformedQuestionNamesFileAndLine) {
  TempDir dir;
  try {
    evaluate_analogies(toy_vectors(), dir.write("bad.txt", ": s\nman woman king\n"));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.txt:2:"), std::string::npos) << e.what();
  }
}

TEST(Similarity, SpearmanOverKnownPairsAndSkipsTheRest) {
  TempDir dir;
  const auto path = dir.write("s.tsv", "king\tqueen\t9\nman\tapple\t1\nking\tman\t6\nunicorn\tman\t5\n");
  const NearestNeighbors nn = toy_vectors();
  const SimilarityResult r = evaluate_similarity(nn, path);
  EXPECT_EQ(r.pairs, 4u);
  EXPECT_EQ(r.skipped, 1u);
  const std::vector<double> gold{9, 1, 6};
  const std::vector<double> cos{nn.similarity("king", "queen"), nn.similarity("man", "apple"),
                                nn.similarity("king", "man")};
  EXPECT_NEAR(r.spearman, spearman_rho(gold, cos), 1e-12);
  EXPECT_NEAR(r.spearman, 1.0, 1e-12);
  EXPECT_THROW(evaluate_similarity(nn, dir.write("b.tsv", "a\tb\tlots\n")), Error);
}

TEST(Sweep, DefaultDimsAroundTheSuggestion) {
  EXPECT_EQ(default_sweep_dims(96), (std::vector<int>{24, 48, 96, 192, 384}));
  EXPECT_EQ(default_sweep_dims(4), (std::vector<int>{2, 4, 8, 16}));
}

TEST(Sweep, CsvAndSvgDescribeThePoints) {
  SweepResult r;
  r.suggested = 50;
  r.metric_names = {"ws353.tsv (rho)", "analogy (acc)"};
  r.points = {{25, 1.5, {0.4}, 0.2}, {50, 2.5, {0.5}, 0.3}, {100, 4.0, {0.52}, 0.31}};
  EXPECT_EQ(sweep_csv(r),
            "dim,suggested,seconds,\"ws353.tsv (rho)\",\"analogy (acc)\"\n"
            "25,0,1.50,0.4000,0.2000\n50,1,2.50,0.5000,0.3000\n100,0,4.00,0.5200,0.3100\n");
  const std::string svg = sweep_svg(r, "a <title>");
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("a &lt;title&gt;"), std::string::npos);
  EXPECT_NE(svg.find("suggested n = 50"), std::string::npos);
  std::size_t polylines = 0;
  for (std::size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++polylines;
  EXPECT_EQ(polylines, 2u);
}

}  // namespace
}  // namespace wordvec
