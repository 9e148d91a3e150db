#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "test_helpers.h"
#include "cli/sweep_report.h"
#include "wordvec/query/dimension_sweep.h"
#include "wordvec/core/error.h"
#include "wordvec/query/evaluation.h"
#include "wordvec/text/vocabulary.h"
#include "wordvec/train/dimension.h"

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

// gensim's definition, computed the slow way in double precision: the answer is
// the candidate closest in cosine to unit(B) + unit(C) - unit(A), A/B/C excluded.
std::size_t brute_force_answer(const std::vector<std::vector<double>>& unit, std::size_t candidates, std::size_t a,
                               std::size_t b, std::size_t c) {
  std::size_t best = 0;
  double best_score = -1e300;
  for (std::size_t x = 0; x < candidates; ++x) {
    if (x == a || x == b || x == c) continue;
    double score = 0;
    for (std::size_t d = 0; d < unit[x].size(); ++d) score += unit[x][d] * (unit[b][d] + unit[c][d] - unit[a][d]);
    if (score > best_score) best_score = score, best = x;
  }
  return best;
}

TEST(Analogies, AgreeWithBruteForceOnRandomVectors) {
  // 700 questions over 150 random words (more than one block of questions);
  // even-numbered questions expect the brute-force answer, odd ones a word that is
  // not it, so the exact correct count checks every single prediction.
  const std::size_t words = 150, dim = 20, candidates = 120;
  std::mt19937 gen(3);
  std::normal_distribution<float> normal;
  WordVectors v{{}, Matrix(words, dim)};
  std::vector<std::vector<double>> unit(words, std::vector<double>(dim));
  for (std::size_t r = 0; r < words; ++r) {
    v.words.push_back(testing::numbered_word(r));
    double norm = 0;
    for (std::size_t c = 0; c < dim; ++c) norm += std::pow(v.vectors.row(r)[c] = normal(gen), 2);
    for (std::size_t c = 0; c < dim; ++c) unit[r][c] = v.vectors.row(r)[c] / std::sqrt(norm);
  }
  std::uniform_int_distribution<std::size_t> pick(0, candidates - 1);
  std::string questions = ": section\n";
  std::size_t expected_correct = 0;
  for (int q = 0; q < 700; ++q) {
    std::size_t a = pick(gen), b = pick(gen), c = pick(gen);
    if (a == b || b == c || a == c) continue;
    std::size_t d = brute_force_answer(unit, candidates, a, b, c);
    if (q % 2) d = (d + 1 + pick(gen) % (words - 1)) % words;  // any other word, maybe beyond the candidates
    expected_correct += q % 2 == 0;
    questions += v.words[a] + " " + v.words[b] + " " + v.words[c] + " " + v.words[d] + "\n";
  }
  TempDir dir;
  const AnalogyResult r = evaluate_analogies(NearestNeighbors(std::move(v)), dir.write("q.txt", questions),
                                             candidates);
  EXPECT_GT(expected_correct, 300u);
  EXPECT_EQ(r.overall.correct, expected_correct);
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

TEST(Sweep, PlanTrainsTheGivenDimsInAscendingOrder) {
  const Vocabulary vocab({{"a", 5}, {"b", 4}, {"c", 3}}, VocabOptions{0, 0, 0});
  SweepOptions options;
  options.dims = {200, 50, 100};
  const SweepPlan plan = plan_dimension_sweep(vocab, options);
  EXPECT_EQ(plan.dims, (std::vector<int>{50, 100, 200}));
  EXPECT_EQ(plan.suggested, suggest_dimension(3).dimension);
  options.dims.clear();
  EXPECT_EQ(plan_dimension_sweep(vocab, options).dims, default_sweep_dims(plan.suggested));
}

TEST(Sweep, CsvAndSvgDescribeThePoints) {
  using cli::sweep_csv;
  using cli::sweep_svg;
  SweepResult r;
  r.words = 1234;
  r.suggested = 50;
  r.metric_names = {"ws353.tsv (rho)", "analogy (acc)"};
  r.points = {{25, 1.5, {0.4}, 0.2}, {50, 2.5, {0.5}, 0.3}, {100, 4.0, {0.52}, 0.31}};
  EXPECT_EQ(sweep_csv(r),
            "dim,words,suggested,seconds,\"ws353.tsv (rho)\",\"analogy (acc)\"\n"
            "25,1234,0,1.50,0.4000,0.2000\n50,1234,1,2.50,0.5000,0.3000\n100,1234,0,4.00,0.5200,0.3100\n");
  const std::string svg = sweep_svg(r, "a <title>");
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("a &lt;title&gt;"), std::string::npos);
  EXPECT_NE(svg.find("suggested n = 50"), std::string::npos);
  std::size_t polylines = 0;
  for (std::size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++polylines;
  EXPECT_EQ(polylines, 2u);
}

// The knee: the smallest dimension within the tolerance of the best score,
// undefined scores skipped, relative to the best's magnitude.
TEST(Sweep, KneeIsTheSmallestDimensionNearTheBest) {
  EXPECT_EQ(knee_dimension({8, 16, 32, 64}, {0.3, 0.5, 0.505, 0.49}, 0.01), 16);
  EXPECT_EQ(knee_dimension({8, 16, 32, 64}, {0.3, 0.5, 0.6, 0.59}, 0.01), 32);
  EXPECT_EQ(knee_dimension({8, 16, 32}, {0.3, 0.5, 0.6}, 0.2), 16);
  EXPECT_EQ(knee_dimension({8, 16, 32}, {NAN, 0.5, 0.6}, 0.5), 16);
  EXPECT_EQ(knee_dimension({8, 16}, {NAN, NAN}, 0.01), 0);
  EXPECT_EQ(knee_dimension({8, 16}, {-0.2, -0.1}, 0.01), 16);  // negative scores: 1 % of |best|
}

// Sweeps of one N are averaged, curves come out by N, knees per metric; sweeps
// that cannot be compared are refused.
TEST(Sweep, TrendAveragesSeedsAndFindsKnees) {
  SweepResult small, big1, big2;
  small.words = 1000;
  big1.words = big2.words = 5000;
  for (SweepResult* r : {&small, &big1, &big2}) r->metric_names = {"ws353.tsv (rho)", "analogy (acc)"};
  small.points = {{8, 1, {0.3}, 0.1}, {16, 1, {0.5}, 0.2}, {32, 1, {0.505}, 0.3}};
  big1.points = {{32, 1, {0.6}, 0.3}, {8, 1, {0.2}, 0.1}, {16, 1, {0.4}, 0.3}};  // any order
  big2.points = {{8, 1, {0.4}, 0.1}, {16, 1, {0.6}, 0.3}, {32, 1, {0.6}, 0.3}};
  const SweepTrend t = summarise_sweeps({big1, small, big2}, 0.01);
  ASSERT_EQ(t.curves.size(), 2u);
  EXPECT_EQ(t.curves[0].words, 1000u);
  EXPECT_EQ(t.curves[1].runs, 2u);
  EXPECT_EQ(t.curves[1].dims, (std::vector<int>{8, 16, 32}));
  EXPECT_NEAR(t.curves[1].mean[0][0], 0.3, 1e-12);
  EXPECT_EQ(t.curves[0].knee, (std::vector<int>{16, 32}));
  EXPECT_EQ(t.curves[1].knee, (std::vector<int>{32, 16}));

  SweepResult other = big2;
  other.points.pop_back();
  EXPECT_THROW(summarise_sweeps({big1, other}), Error);  // one N, different dimensions
  other = small;
  other.metric_names = {"mturk771.tsv (rho)", "analogy (acc)"};
  EXPECT_THROW(summarise_sweeps({small, other}), Error);

  const std::string svg = cli::trend_svg(t);
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  std::size_t polylines = 0;
  for (std::size_t at = svg.find("<polyline"); at != std::string::npos; at = svg.find("<polyline", at + 1)) ++polylines;
  EXPECT_EQ(polylines, 3u);  // the suggestion and one knee line per metric
  EXPECT_NE(cli::trend_csv(t).find("5000,2,71,32,16\n"), std::string::npos);
}

// The CSV reads back into the sweep it was written from; malformed files are
// refused with the file and line.
TEST(Sweep, CsvRoundTripAndErrors) {
  SweepResult r;
  r.words = 1234;
  r.suggested = cli::parse_sweep_csv("dim,words,suggested,seconds,\"a (rho)\"\n8,1234,0,1,0.5\n", "x").suggested;
  r.metric_names = {"ws353.tsv (rho)", "questions-words.txt (acc)"};
  r.points = {{25, 1.5, {0.4}, 0.2}, {50, 2.5, {NAN}, 0.3}};
  const SweepResult back = cli::parse_sweep_csv(cli::sweep_csv(r), "s.csv");
  EXPECT_EQ(back.words, 1234u);
  EXPECT_EQ(back.suggested, r.suggested);
  EXPECT_EQ(back.metric_names, r.metric_names);
  ASSERT_EQ(back.points.size(), 2u);
  EXPECT_EQ(back.points[1].dim, 50);
  EXPECT_TRUE(std::isnan(back.points[1].similarity[0]));
  EXPECT_NEAR(back.points[1].analogy, 0.3, 1e-9);
  EXPECT_EQ(cli::sweep_csv(back), cli::sweep_csv(r));

  auto error_of = [](const std::string& text) {
    try {
      cli::parse_sweep_csv(text, "s.csv");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string header = "dim,words,suggested,seconds,\"a (rho)\"\n";
  EXPECT_EQ(error_of("dim,suggested,seconds\n").rfind("s.csv:1: not a dimension sweep CSV", 0), 0u);
  EXPECT_EQ(error_of(header), "s.csv: no rows below the header");
  EXPECT_EQ(error_of(header + "8,1000,0,1\n"), "s.csv:2: 4 fields, the header has 5");
  EXPECT_EQ(error_of(header + "8,1000,0,1,abc\n"), "s.csv:2: 'abc' is not a number");
  EXPECT_EQ(error_of(header + "0,1000,0,1,0.5\n"), "s.csv:2: dim must be a whole number >= 1 and words >= 2");
  EXPECT_EQ(error_of(header + "8,1000,0,1,0.5\n16,2000,0,1,0.5\n"),
            "s.csv:3: words changes within the file (2000 after 1000)");
}

// Batched queries (one sgemm per block) answer as the single ones do; a row
// limit (restrict_vocab) keeps the answers among the first rows.
TEST(NearestNeighborsQueries, BatchedEqualsSingleAndLimitRestricts) {
  const NearestNeighbors nn = toy_vectors();
  Matrix queries(70, 3);  // more than one block of 64
  for (std::size_t q = 0; q < queries.rows(); ++q)
    for (std::size_t c = 0; c < 3; ++c) queries.row(q)[c] = std::sin(static_cast<float>(q * 3 + c + 1));
  std::vector<std::vector<int>> exclude(queries.rows());
  exclude[5] = {0, 2};
  const auto batched = nn.nearest_to_many(queries, 4, exclude);
  ASSERT_EQ(batched.size(), queries.rows());
  for (std::size_t q = 0; q < queries.rows(); ++q) {
    const auto single = nn.nearest_to(queries.row(q), 4, exclude[q]);
    ASSERT_EQ(batched[q].size(), single.size());
    for (std::size_t i = 0; i < single.size(); ++i) {
      EXPECT_EQ(batched[q][i].word, single[i].word) << "query " << q;
      EXPECT_NEAR(batched[q][i].similarity, single[i].similarity, 1e-5);
    }
  }
  EXPECT_EQ(batched[5].size(), 4u);  // six words, two excluded
  const float king[3] = {1, 0, 1};
  const auto limited = nn.nearest_to(king, 10, {2}, 3);  // among man, woman, king; king excluded
  ASSERT_EQ(limited.size(), 2u);
  EXPECT_EQ(limited[0].word, "man");
  EXPECT_THROW(nn.nearest_to_many(Matrix(1, 4), 3, {}), Error);
}

}  // namespace
}  // namespace wordvec
