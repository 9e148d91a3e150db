#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "wordvec/core/error.h"
#include "wordvec/core/matrix.h"
#include "train/sampling.h"
#include "train/sigmoid.h"
#include "wordvec/simd/kernels.h"

namespace wordvec {
namespace {

TEST(Subsampling, KeepProbabilityIsWord2vecFormula) {
  // f = 0.01, t = 1e-4: sqrt(0.01) + 0.01 = 0.11
  EXPECT_NEAR(subsample_keep_probability(1000, 100000, 1e-4), 0.11, 1e-12);
  // rare words are always kept
  EXPECT_EQ(subsample_keep_probability(1, 100000, 1e-4), 1.0);
  // sample 0 disables
  EXPECT_EQ(subsample_keep_probability(50000, 100000, 0), 1.0);
}

TEST(Subsampling, EmpiricalKeepRateMatches) {
  const Subsampler s({1000, 99000}, 1e-4);
  Rng rng(7);
  int kept = 0;
  const int draws = 200000;
  for (int i = 0; i < draws; ++i) kept += s.keep(0, rng);
  const double p = subsample_keep_probability(1000, 100000, 1e-4);
  EXPECT_NEAR(kept / double(draws), p, 4 * std::sqrt(p * (1 - p) / draws));
}

TEST(AliasSampler, ExactProbabilitiesAreUnigramToThe075) {
  const std::vector<std::uint64_t> counts{1000, 300, 50, 7, 1};
  const AliasSampler s = AliasSampler::unigram(counts, 0.75);
  double z = 0;
  for (auto c : counts) z += std::pow(c, 0.75);
  for (std::size_t i = 0; i < counts.size(); ++i)
    EXPECT_NEAR(s.probability(static_cast<int>(i)), std::pow(counts[i], 0.75) / z, 1e-7);
}

TEST(AliasSampler, EmpiricalDistributionPassesChiSquare) {
  std::vector<std::uint64_t> counts;
  for (int i = 1; i <= 50; ++i) counts.push_back(100000 / i);  // Zipf-like
  const AliasSampler s = AliasSampler::unigram(counts, 0.75);
  double z = 0;
  for (auto c : counts) z += std::pow(static_cast<double>(c), 0.75);
  Rng rng(42);
  const int draws = 1'000'000;
  std::vector<int> seen(counts.size());
  for (int i = 0; i < draws; ++i) ++seen[s.sample(rng)];
  double chi2 = 0;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    const double expected = draws * std::pow(static_cast<double>(counts[i]), 0.75) / z;
    chi2 += (seen[i] - expected) * (seen[i] - expected) / expected;
  }
  // 49 degrees of freedom: the 99.9% quantile is 85.4.
  EXPECT_LT(chi2, 85.4);
}

TEST(AliasSampler, EmptyDistributionIsAnError) { EXPECT_THROW(AliasSampler(std::vector<double>{}), Error); }

TEST(Sigmoid, TableIsCloseToExactAndClipped) {
  const SigmoidTable t;
  for (float x = -12; x <= 12; x += 0.0137f) {
    EXPECT_NEAR(t.sigmoid(x), SigmoidTable::exact_sigmoid(x), 1e-3) << x;
    EXPECT_NEAR(t.log_loss(x), SigmoidTable::exact_log_loss(x), 2e-3) << x;
  }
}

TEST(Sigmoid, ResidualAndLossOfBothLabelsMatchTheExactFunctions) {
  const SigmoidTable t;
  for (float x = -20; x <= 20; x += 0.0113f) {
    float loss_positive = 0.5f, loss_negative = 0.5f;  // adds to what is there
    EXPECT_NEAR(t.residual(x, true, loss_positive), 1 - SigmoidTable::exact_sigmoid(x), 1e-3) << x;
    EXPECT_NEAR(t.residual(x, false, loss_negative), -SigmoidTable::exact_sigmoid(x), 1e-3) << x;
    EXPECT_NEAR(loss_positive, 0.5 + SigmoidTable::exact_log_loss(x), 2e-3) << x;
    EXPECT_NEAR(loss_negative, 0.5 + SigmoidTable::exact_log_loss(-x), 2e-3) << x;
  }
}

TEST(Matrix, RowsAreAlignedPaddedAndZeroed) {
  Matrix m(3, 100);
  EXPECT_EQ(m.stride(), 112u);
  for (std::size_t r = 0; r < 3; ++r) {
    EXPECT_EQ(reinterpret_cast<std::uintptr_t>(m.row(r)) % 64, 0u);
    for (std::size_t c = 0; c < m.stride(); ++c) EXPECT_EQ(m.row(r)[c], 0.0f);
  }
}

class KernelTest : public ::testing::TestWithParam<SimdLevel> {};

TEST_P(KernelTest, MatchesScalarReferenceForEveryLength) {
  if (!simd_supported(GetParam())) GTEST_SKIP() << "this CPU cannot run this variant";
  const Kernels k = kernels_for(GetParam());
  std::mt19937 gen(3);
  std::uniform_real_distribution<float> u(-1, 1);
  for (std::size_t n : {1u, 3u, 7u, 8u, 15u, 16u, 17u, 31u, 32u, 33u, 100u, 112u, 300u}) {
    std::vector<float> a(n), b(n), y(n), y_ref(n);
    for (std::size_t i = 0; i < n; ++i) {
      a[i] = u(gen);
      b[i] = u(gen);
      y[i] = y_ref[i] = u(gen);
    }
    double dot_ref = 0;
    for (std::size_t i = 0; i < n; ++i) dot_ref += double(a[i]) * b[i];
    EXPECT_NEAR(k.dot(a.data(), b.data(), n), dot_ref, 1e-5 * n) << k.name << " n=" << n;
    k.axpy(0.3f, a.data(), y.data(), n);
    for (std::size_t i = 0; i < n; ++i) EXPECT_NEAR(y[i], y_ref[i] + 0.3f * a[i], 1e-6) << k.name << " n=" << n;
  }
}

// Rows of random values; pointers to each for the kernels' row lists.
struct RowSet {
  RowSet(int count, std::size_t n, std::mt19937& gen) : values(count, std::vector<float>(n)) {
    std::uniform_real_distribution<float> u(-1, 1);
    for (auto& row : values)
      for (float& x : row) x = u(gen);
    refresh();
  }
  void refresh() {
    rows.clear();
    for (auto& row : values) rows.push_back(row.data());
  }
  std::vector<std::vector<float>> values;
  std::vector<float*> rows;
};

void expect_rows_near(const RowSet& got, const RowSet& want, const char* what, const Kernels& k, std::size_t n) {
  for (std::size_t r = 0; r < got.values.size(); ++r)
    for (std::size_t j = 0; j < n; ++j)
      ASSERT_NEAR(got.values[r][j], want.values[r][j], 1e-5f) << what << " " << k.name << " n=" << n << " row " << r;
}

// The fused kernels against the scalar variant for row lengths that end in
// whole registers and in the narrower tail register, and for target counts
// kept in registers (3) and not (9).
TEST_P(KernelTest, FusedKernelsMatchTheScalarVariantForEveryRowEnd) {
  if (!simd_supported(GetParam())) GTEST_SKIP() << "this CPU cannot run this variant";
  const Kernels k = kernels_for(GetParam()), ref = kernels_for(SimdLevel::Scalar);
  for (std::size_t n : {4u, 8u, 12u, 16u, 20u, 52u, 100u, 300u}) {
    ASSERT_EQ(k.span(n), n);
    for (int nt : {3, 9}) {
      std::mt19937 gen(static_cast<unsigned>(n * 10 + nt));
      const int nc = 5;
      RowSet contexts(nc, n, gen), targets(nt, n, gen), g(1, static_cast<std::size_t>(nc * nt), gen);
      RowSet contexts_ref = contexts, targets_ref = targets;
      contexts_ref.refresh(), targets_ref.refresh();

      std::vector<float> scores(nc * nt), scores_ref(nc * nt);
      k.scores(contexts.rows.data(), nc, targets.rows.data(), nt, n, scores.data());
      ref.scores(contexts.rows.data(), nc, targets.rows.data(), nt, n, scores_ref.data());
      for (int i = 0; i < nc * nt; ++i) EXPECT_NEAR(scores[i], scores_ref[i], 1e-4f) << k.name << " n=" << n;

      k.hogbatch_update(contexts.rows.data(), nc, targets.rows.data(), nt, g.rows[0], n);
      ref.hogbatch_update(contexts_ref.rows.data(), nc, targets_ref.rows.data(), nt, g.rows[0], n);
      expect_rows_near(contexts, contexts_ref, "hogbatch contexts", k, n);
      expect_rows_near(targets, targets_ref, "hogbatch targets", k, n);

      std::vector<float> mean(n), mean_ref(n);
      k.mean_rows(contexts.rows.data(), nc, n, mean.data());
      ref.mean_rows(contexts.rows.data(), nc, n, mean_ref.data());
      for (std::size_t j = 0; j < n; ++j) ASSERT_NEAR(mean[j], mean_ref[j], 1e-6f) << k.name << " n=" << n;

      k.cbow_update(contexts.rows.data(), nc, targets.rows.data(), nt, g.rows[0], mean.data(), n);
      ref.cbow_update(contexts_ref.rows.data(), nc, targets_ref.rows.data(), nt, g.rows[0], mean.data(), n);
      expect_rows_near(contexts, contexts_ref, "cbow contexts", k, n);
      expect_rows_near(targets, targets_ref, "cbow targets", k, n);
    }
    // AdaGrad sums are positive: the squares of the random rows plus one.
    std::mt19937 gen(static_cast<unsigned>(n));
    RowSet rows(4, n, gen);
    for (int r : {1, 3})
      for (float& x : rows.values[r]) x = 1.0f + x * x;
    RowSet rows_ref = rows;
    rows.refresh(), rows_ref.refresh();
    k.adagrad_pair(rows.rows[0], rows.rows[1], rows.rows[2], rows.rows[3], 0.3f, n);
    ref.adagrad_pair(rows_ref.rows[0], rows_ref.rows[1], rows_ref.rows[2], rows_ref.rows[3], 0.3f, n);
    expect_rows_near(rows, rows_ref, "adagrad", k, n);
  }
}

TEST_P(KernelTest, ScaledSigmoidMatchesTheExactFunctionAndClips) {
  if (!simd_supported(GetParam())) GTEST_SKIP() << "this CPU cannot run this variant";
  const Kernels k = kernels_for(GetParam());
  // Every count up to three registers (the tails), scores across [-20, 20].
  for (std::size_t count = 1; count <= 48; ++count) {
    std::vector<float> x(count), expected(count);
    for (std::size_t i = 0; i < count; ++i) {
      x[i] = -20.0f + 40.0f * static_cast<float>(i * 37 % count) / static_cast<float>(count) + 0.013f * i;
      const float clipped = std::clamp(x[i], -8.0f, 8.0f);
      expected[i] = -0.25f / (1.0f + std::exp(-clipped));
    }
    k.scaled_sigmoid(x.data(), count, -0.25f, 8.0f);
    for (std::size_t i = 0; i < count; ++i)
      EXPECT_NEAR(x[i], expected[i], 1e-6f * 0.25f + 1e-6f * std::fabs(expected[i])) << k.name << " count=" << count;
  }
  float big[2] = {1e30f, -1e30f};  // clipped, not overflowed
  k.scaled_sigmoid(big, 2, 1.0f, 8.0f);
  EXPECT_NEAR(big[0], 1.0f / (1.0f + std::exp(-8.0f)), 1e-6f) << k.name;
  EXPECT_NEAR(big[1], 1.0f / (1.0f + std::exp(8.0f)), 1e-7f) << k.name;
}

INSTANTIATE_TEST_SUITE_P(AllVariants, KernelTest,
                         ::testing::Values(SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512),
                         [](const auto& info) { return std::string(simd_level_name(info.param)); });

TEST(KernelSelection, EnvironmentVariableForcesAVariant) {
  ::setenv("WORDVEC_SIMD", "scalar", 1);
  EXPECT_EQ(select_kernels().level, SimdLevel::Scalar);
  ::setenv("WORDVEC_SIMD", "bogus", 1);
  EXPECT_THROW(select_kernels(), Error);
  ::unsetenv("WORDVEC_SIMD");
  EXPECT_EQ(select_kernels().level, supported_simd_levels().back());
}

}  // namespace
}  // namespace wordvec
