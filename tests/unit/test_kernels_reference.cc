// Every SIMD variant against a naive plain-loop reference written once here,
// at odd dimensions and target counts, with the lanes past each row's span
// checked untouched. (test_sampling_simd.cc compares the variants with the
// scalar instantiation of the same templates; this does not trust them.)
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "wordvec/simd/half.h"
#include "wordvec/simd/kernels.h"

namespace wordvec {
namespace {

constexpr float kSentinel = 12345.0f;
constexpr std::size_t kGuard = 16;  // sentinel lanes after each row's span

// Rows of `span` floats (values in [0, dim), zeros in [dim, span)) each
// followed by kGuard sentinel lanes.
struct Rows {
  Rows(int count, std::size_t dim, std::size_t span, std::mt19937& gen) : dim(dim), span(span), stride(span + kGuard) {
    std::uniform_real_distribution<float> value(-1.0f, 1.0f);
    data.assign(count * stride, kSentinel);
    for (int r = 0; r < count; ++r) {
      for (std::size_t i = 0; i < span; ++i) data[r * stride + i] = i < dim ? value(gen) : 0.0f;
      pointers.push_back(data.data() + r * stride);
    }
  }
  float* row(int r) { return pointers[r]; }
  // Lanes past the span hold the sentinel; lanes of the padding keep `padding`.
  bool guards_intact() const {
    for (std::size_t r = 0; r < pointers.size(); ++r) {
      for (std::size_t i = dim; i < span; ++i)
        if (data[r * stride + i] != padding) return false;
      for (std::size_t i = span; i < stride; ++i)
        if (data[r * stride + i] != kSentinel) return false;
    }
    return true;
  }
  // As GloVe's squared-gradient sums, whose padding is 1 (never divided by 0).
  void fill_padding(float value) {
    padding = value;
    for (std::size_t r = 0; r < pointers.size(); ++r)
      for (std::size_t i = dim; i < span; ++i) data[r * stride + i] = value;
  }
  std::size_t dim, span, stride;
  float padding = 0.0f;
  std::vector<float> data;
  std::vector<float*> pointers;
};

void expect_rows_near(Rows& got, const std::vector<std::vector<double>>& want, const std::string& what) {
  for (std::size_t r = 0; r < want.size(); ++r)
    for (std::size_t i = 0; i < got.dim; ++i)
      ASSERT_NEAR(got.row(static_cast<int>(r))[i], want[r][i], 1e-4 * (1 + std::fabs(want[r][i])))
          << what << " row " << r << " lane " << i;
  EXPECT_TRUE(got.guards_intact()) << what << ": a lane past the row was written";
}

std::vector<std::vector<double>> copy_of(Rows& rows, int count) {
  std::vector<std::vector<double>> out(count);
  for (int r = 0; r < count; ++r) out[r].assign(rows.row(r), rows.row(r) + rows.dim);
  return out;
}

double naive_dot(const float* a, const float* b, std::size_t dim) {
  double s = 0;
  for (std::size_t i = 0; i < dim; ++i) s += static_cast<double>(a[i]) * b[i];
  return s;
}

class KernelReference : public ::testing::TestWithParam<SimdLevel> {};

TEST_P(KernelReference, EveryKernelMatchesAPlainLoop) {
  if (!simd_supported(GetParam())) GTEST_SKIP() << "this CPU cannot run " << simd_level_name(GetParam());
  const Kernels k = kernels_for(GetParam());
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> coefficient(-0.3f, 0.3f);
  for (std::size_t dim : {1, 3, 17, 100, 129, 300}) {
    const std::size_t n = k.span(dim);
    for (int nt : {1, 2, 3, 4, 5, 6, 7, 8, 9, 13, 65}) {
      const std::string at = std::string(k.name) + " dim " + std::to_string(dim) + " targets " + std::to_string(nt);
      // Up to 4 contexts; with 13 targets also 12 and 70 (the grouped update, and its chunks of 64).
      for (const int nc : nt == 13 ? std::vector<int>{3, 12, 70} : std::vector<int>{1 + nt % 4}) {
      Rows a(nc, dim, n, gen), b(nt, dim, n, gen);

      // dot, axpy, scale
      ASSERT_NEAR(k.dot(a.row(0), b.row(0), n), naive_dot(a.row(0), b.row(0), dim), 1e-4) << at;
      {
        auto want = copy_of(b, 1);
        for (std::size_t i = 0; i < dim; ++i) want[0][i] += 0.5 * a.row(0)[i];
        k.axpy(0.5f, a.row(0), b.row(0), n);
        expect_rows_near(b, {want[0]}, at + " axpy");
      }

      // scores
      std::vector<float> scores(nc * nt, kSentinel);
      k.scores(a.pointers.data(), nc, b.pointers.data(), nt, n, scores.data());
      for (int c = 0; c < nc; ++c)
        for (int t = 0; t < nt; ++t)
          ASSERT_NEAR(scores[c * nt + t], naive_dot(a.row(c), b.row(t), dim), 1e-4) << at << " scores";

      // hogbatch_update, from the rows as they were
      std::vector<float> g(nc * nt);
      for (float& x : g) x = coefficient(gen);
      {
        auto contexts = copy_of(a, nc), targets = copy_of(b, nt);
        auto new_contexts = contexts, new_targets = targets;
        for (int c = 0; c < nc; ++c)
          for (int t = 0; t < nt; ++t)
            for (std::size_t i = 0; i < dim; ++i) {
              new_contexts[c][i] += g[c * nt + t] * targets[t][i];
              new_targets[t][i] += g[c * nt + t] * contexts[c][i];
            }
        k.hogbatch_update(a.pointers.data(), nc, b.pointers.data(), nt, g.data(), n);
        expect_rows_near(a, new_contexts, at + " hogbatch contexts");
        expect_rows_near(b, new_targets, at + " hogbatch targets");
      }

      // mean_rows and cbow_update
      {
        std::vector<float> mean(n + kGuard, kSentinel);
        k.mean_rows(a.pointers.data(), nc, n, mean.data());
        for (std::size_t i = 0; i < dim; ++i) {
          double m = 0;
          for (int c = 0; c < nc; ++c) m += a.row(c)[i];
          ASSERT_NEAR(mean[i], m / nc, 1e-5) << at << " mean";
        }
        for (std::size_t i = n; i < mean.size(); ++i) ASSERT_EQ(mean[i], kSentinel) << at << " mean wrote past n";
        auto contexts = copy_of(a, nc), targets = copy_of(b, nt);
        std::vector<double> e(dim, 0.0);
        for (int t = 0; t < nt; ++t)
          for (std::size_t i = 0; i < dim; ++i) e[i] += g[t] * targets[t][i];
        for (int t = 0; t < nt; ++t)
          for (std::size_t i = 0; i < dim; ++i) targets[t][i] += g[t] * mean[i];
        for (int c = 0; c < nc; ++c)
          for (std::size_t i = 0; i < dim; ++i) contexts[c][i] += e[i];
        k.cbow_update(a.pointers.data(), nc, b.pointers.data(), nt, g.data(), mean.data(), n);
        expect_rows_near(a, contexts, at + " cbow contexts");
        expect_rows_near(b, targets, at + " cbow targets");
      }
      }
    }

    // adagrad_pair
    {
      const std::string at = std::string(k.name) + " dim " + std::to_string(dim);
      Rows w(1, dim, n, gen), c(1, dim, n, gen), gw(1, dim, n, gen), gc(1, dim, n, gen);
      for (std::size_t i = 0; i < dim; ++i) {
        gw.row(0)[i] = 1.0f + std::fabs(gw.row(0)[i]);
        gc.row(0)[i] = 1.0f + std::fabs(gc.row(0)[i]);
      }
      gw.fill_padding(1.0f);
      gc.fill_padding(1.0f);
      auto W = copy_of(w, 1), C = copy_of(c, 1), GW = copy_of(gw, 1), GC = copy_of(gc, 1);
      const double step = 0.05;
      auto nW = W, nC = C, nGW = GW, nGC = GC;
      for (std::size_t i = 0; i < dim; ++i) {
        nW[0][i] -= step * C[0][i] / std::sqrt(GW[0][i]);
        nC[0][i] -= step * W[0][i] / std::sqrt(GC[0][i]);
        nGW[0][i] += (step * C[0][i]) * (step * C[0][i]);
        nGC[0][i] += (step * W[0][i]) * (step * W[0][i]);
      }
      k.adagrad_pair(w.row(0), gw.row(0), c.row(0), gc.row(0), static_cast<float>(step), n);
      // The steps themselves to 1e-5 relative: the wide kernels' refined
      // reciprocal square root is good to ~1e-7, an unrefined one only to ~1e-4.
      for (std::size_t i = 0; i < dim; ++i) {
        const double want_w = nW[0][i] - W[0][i], got_w = w.row(0)[i] - W[0][i];
        const double want_c = nC[0][i] - C[0][i], got_c = c.row(0)[i] - C[0][i];
        ASSERT_NEAR(got_w, want_w, 1e-5 * std::fabs(want_w) + 1e-7) << at << " adagrad w step, lane " << i;
        ASSERT_NEAR(got_c, want_c, 1e-5 * std::fabs(want_c) + 1e-7) << at << " adagrad c step, lane " << i;
      }
      expect_rows_near(w, nW, at + " adagrad w");
      expect_rows_near(c, nC, at + " adagrad c");
      expect_rows_near(gw, nGW, at + " adagrad gw");
      expect_rows_near(gc, nGC, at + " adagrad gc");
    }

    // scaled_sigmoid over counts that are not multiples of any width
    for (std::size_t count : {1, 3, 17, 65, 130}) {
      std::vector<float> x(count + kGuard, kSentinel);
      std::uniform_real_distribution<float> score(-12.0f, 12.0f);
      for (std::size_t i = 0; i < count; ++i) x[i] = score(gen);
      const std::vector<float> before = x;
      k.scaled_sigmoid(x.data(), count, -0.025f, 8.0f);
      for (std::size_t i = 0; i < count; ++i) {
        const double clipped = std::fmin(8.0, std::fmax(-8.0, before[i]));
        ASSERT_NEAR(x[i], -0.025 / (1 + std::exp(-clipped)), 1e-7) << k.name << " sigmoid of " << before[i];
      }
      for (std::size_t i = count; i < x.size(); ++i) ASSERT_EQ(x[i], kSentinel) << k.name << " sigmoid wrote past count";
    }
  }
}

// Halves pinned from IEEE 754's definition (binary16: 1 sign, 5 exponent, 10
// fraction bits, bias 15), ties to even.
TEST(Half, ConversionsMatchTheStandardsEncoding) {
  // Values that are halves: encoded, and decoded back exactly.
  const std::vector<std::pair<float, std::uint16_t>> exact = {
      {0.0f, 0x0000}, {-0.0f, 0x8000}, {1.0f, 0x3c00}, {-2.0f, 0xc000}, {0.5f, 0x3800}, {65504.0f, 0x7bff},
      {std::ldexp(1.0f, -14), 0x0400},      // the smallest normal
      {std::ldexp(1.0f, -24), 0x0001},      // the smallest subnormal
      {std::ldexp(1023.0f, -24), 0x03ff}};  // the largest subnormal
  for (const auto& [value, bits] : exact) {
    EXPECT_EQ(half_from_float(value), bits) << value;
    EXPECT_EQ(float_from_half(bits), value) << std::hex << bits;
  }
  // Values that are not: the nearest half.
  const std::vector<std::pair<float, std::uint16_t>> rounded = {
      {0.1f, 0x2e66}, {1.0f / 3, 0x3555}, {-1e-5f, 0x80a8} /* 167.77 x 2^-24 */};
  for (const auto& [value, bits] : rounded) EXPECT_EQ(half_from_float(value), bits) << value;
  // Ties go to the even neighbour.
  EXPECT_EQ(half_from_float(1.0f + std::ldexp(1.0f, -11)), 0x3c00);      // tie: down to even
  EXPECT_EQ(half_from_float(1.0f + 3 * std::ldexp(1.0f, -11)), 0x3c02);  // tie: up to even
  EXPECT_EQ(half_from_float(std::ldexp(1.0f, -25)), 0x0000);             // tie between 0 and 2^-24
  EXPECT_EQ(half_from_float(std::ldexp(3.0f, -25)), 0x0002);
  EXPECT_EQ(half_from_float(std::ldexp(2047.0f, -11 - 14)), 0x0400) << "rounds up into the normals";
  EXPECT_EQ(half_from_float(65519.0f), 0x7bff);
  EXPECT_EQ(half_from_float(65520.0f), 0x7c00) << "the tie above the largest half is infinity";
  EXPECT_EQ(half_from_float(1e30f), 0x7c00);
  EXPECT_EQ(half_from_float(-INFINITY), 0xfc00);
  EXPECT_TRUE(std::isnan(float_from_half(half_from_float(NAN))));
  EXPECT_EQ(float_from_half(0xfc00), -INFINITY);
  // Every half that is not NaN survives the round trip.
  for (std::uint32_t bits = 0; bits < 0x10000; ++bits) {
    const auto h = static_cast<std::uint16_t>(bits);
    if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff) != 0) continue;
    ASSERT_EQ(half_from_float(float_from_half(h)), h) << std::hex << bits;
  }
}

// Every variant's exchange kernels give the portable conversions' bits, at
// lengths that end inside a register, and write nothing past n.
TEST_P(KernelReference, HalfPrecisionExchangeKernelsMatchThePortableConversions) {
  if (!simd_supported(GetParam())) GTEST_SKIP() << "this CPU cannot run " << simd_level_name(GetParam());
  const Kernels k = kernels_for(GetParam());
  std::mt19937 gen(5);
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  std::uniform_real_distribution<float> change(-0.05f, 0.05f);
  for (std::size_t n : {1, 7, 8, 15, 16, 17, 33, 100}) {
    std::vector<float> base(n), now(n);
    for (std::size_t i = 0; i < n; ++i) {
      base[i] = value(gen);
      now[i] = base[i] + change(gen) * (i % 5 == 0 ? 1e-4f : 1.0f);  // some changes among the subnormals
    }
    std::vector<std::uint16_t> delta(n + kGuard, 0xabcd);
    k.delta_to_half(now.data(), base.data(), delta.data(), n);
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(delta[i], half_from_float(now[i] - base[i])) << k.name << " n " << n;
    for (std::size_t i = n; i < delta.size(); ++i) ASSERT_EQ(delta[i], 0xabcd) << k.name << " wrote past n";

    std::vector<std::uint16_t> other(n), sum(delta);
    for (std::size_t i = 0; i < n; ++i) other[i] = half_from_float(change(gen));
    k.add_halves(other.data(), sum.data(), n);
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_EQ(sum[i], half_from_float(float_from_half(delta[i]) + float_from_half(other[i]))) << k.name;
    for (std::size_t i = n; i < sum.size(); ++i) ASSERT_EQ(sum[i], 0xabcd) << k.name << " wrote past n";

    std::vector<float> base_after(base), model(n + kGuard, kSentinel);
    k.apply_half_delta(sum.data(), 0.5f, base_after.data(), model.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      ASSERT_NEAR(base_after[i], base[i] + 0.5f * float_from_half(sum[i]), 1e-7f) << k.name;
      ASSERT_EQ(model[i], base_after[i]) << k.name;
    }
    for (std::size_t i = n; i < model.size(); ++i) ASSERT_EQ(model[i], kSentinel) << k.name << " wrote past n";
  }
}

// The 8-bit rows as the comment in kernels.h describes them, computed here
// from that description: the row's scale, then each value's code.
std::vector<char> int8_rows_by_definition(const std::vector<std::vector<float>>& rows) {
  std::vector<char> out;
  for (const auto& values : rows) {
    float largest = 0;
    for (float v : values) largest = std::max(largest, std::fabs(v));
    const float scale = largest / 127.0f, inverse = largest > 0 ? 127.0f / largest : 0.0f;
    const std::size_t at = out.size();
    out.resize(at + int8_row_bytes(values.size()));
    std::memcpy(out.data() + at, &scale, sizeof scale);
    for (std::size_t i = 0; i < values.size(); ++i)
      out[at + sizeof scale + i] = static_cast<char>(static_cast<std::int8_t>(std::nearbyint(values[i] * inverse)));
  }
  return out;
}

std::vector<std::vector<float>> values_of_int8_rows(const std::vector<char>& bytes, std::size_t rows, std::size_t cols) {
  std::vector<std::vector<float>> values(rows, std::vector<float>(cols));
  for (std::size_t r = 0; r < rows; ++r) {
    float scale;
    std::memcpy(&scale, bytes.data() + r * int8_row_bytes(cols), sizeof scale);
    for (std::size_t i = 0; i < cols; ++i)
      values[r][i] = scale * static_cast<float>(static_cast<std::int8_t>(bytes[r * int8_row_bytes(cols) + sizeof scale + i]));
  }
  return values;
}

// Every variant's 8-bit exchange kernels give the definition's bytes (row
// lengths that end inside a register, a row of zeros, rows of very different
// sizes), each value within half its row's scale, and write nothing past the rows.
TEST_P(KernelReference, Int8ExchangeKernelsMatchTheirDefinition) {
  if (!simd_supported(GetParam())) GTEST_SKIP() << "this CPU cannot run " << simd_level_name(GetParam());
  const Kernels k = kernels_for(GetParam());
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> value(-2.0f, 2.0f);
  std::uniform_real_distribution<float> change(-0.05f, 0.05f);
  constexpr std::size_t rows = 4;
  for (std::size_t cols : {1, 7, 8, 15, 16, 17, 33, 100}) {
    const std::size_t stride = (cols + 15) / 16 * 16;
    std::vector<float> base(rows * stride, 0.0f), now(rows * stride, 0.0f);
    std::vector<std::vector<float>> delta(rows, std::vector<float>(cols));
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t i = 0; i < cols; ++i) {
        base[r * stride + i] = value(gen);
        const float size = r == 1 ? 0.0f : r == 2 ? 1e-6f : 1.0f;  // a row unchanged, a rare word's small change
        now[r * stride + i] = base[r * stride + i] + size * change(gen);
        delta[r][i] = now[r * stride + i] - base[r * stride + i];
      }
    const std::size_t bytes = rows * int8_row_bytes(cols);
    std::vector<char> packed(bytes + kGuard, '\x5a');
    k.delta_to_int8(now.data(), base.data(), stride, rows, cols, packed.data());
    const std::vector<char> expected = int8_rows_by_definition(delta);
    ASSERT_TRUE(std::equal(expected.begin(), expected.end(), packed.begin())) << k.name << " cols " << cols;
    for (std::size_t i = bytes; i < packed.size(); ++i) ASSERT_EQ(packed[i], '\x5a') << k.name << " wrote past the rows";
    const auto decoded = values_of_int8_rows(packed, rows, cols);
    for (std::size_t r = 0; r < rows; ++r) {
      const float largest = *std::max_element(delta[r].begin(), delta[r].end(), [](float a, float b) { return std::fabs(a) < std::fabs(b); });
      for (std::size_t i = 0; i < cols; ++i)
        ASSERT_LE(std::fabs(decoded[r][i] - delta[r][i]), std::fabs(largest) / 254.0f * 1.0001f) << k.name << " row " << r;
    }

    // The sum of two processes' rows, requantised.
    std::vector<std::vector<float>> other(rows, std::vector<float>(cols)), total(rows, std::vector<float>(cols));
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t i = 0; i < cols; ++i) other[r][i] = change(gen) * (r == 3 ? 10.0f : 1.0f);
    const std::vector<char> other_packed = int8_rows_by_definition(other);
    const auto other_decoded = values_of_int8_rows(other_packed, rows, cols);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t i = 0; i < cols; ++i) total[r][i] = other_decoded[r][i] + decoded[r][i];
    std::vector<char> sum(packed);
    k.add_int8_rows(other_packed.data(), sum.data(), rows, cols);
    // A compiler may fuse the sum's multiply and add (the wide variants'
    // units, and every unit on aarch64), which moves a value at a rounding
    // boundary to the next code: within one step of the definition's.
    const std::vector<char> expected_sum = int8_rows_by_definition(total);
    const auto expected_decoded = values_of_int8_rows(expected_sum, rows, cols), got_decoded = values_of_int8_rows(sum, rows, cols);
    for (std::size_t r = 0; r < rows; ++r) {
      float step;
      std::memcpy(&step, expected_sum.data() + r * int8_row_bytes(cols), sizeof step);
      for (std::size_t i = 0; i < cols; ++i)
        ASSERT_NEAR(got_decoded[r][i], expected_decoded[r][i], step * 1.001f + 1e-12f) << k.name << " cols " << cols << " row " << r;
    }
    for (std::size_t i = bytes; i < sum.size(); ++i) ASSERT_EQ(sum[i], '\x5a') << k.name << " wrote past the rows";

    std::vector<float> base_after(base), model(rows * stride, kSentinel);
    k.apply_int8_delta(sum.data(), 0.5f, base_after.data(), model.data(), stride, rows, cols);
    const auto sum_decoded = values_of_int8_rows(sum, rows, cols);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t i = 0; i < cols; ++i) {
        ASSERT_NEAR(base_after[r * stride + i], base[r * stride + i] + 0.5f * sum_decoded[r][i], 1e-6f) << k.name;
        ASSERT_EQ(model[r * stride + i], base_after[r * stride + i]) << k.name;
      }
      for (std::size_t i = cols; i < stride; ++i) {
        ASSERT_EQ(model[r * stride + i], kSentinel) << k.name << " wrote into the padding";
        ASSERT_EQ(base_after[r * stride + i], 0.0f) << k.name << " wrote into the padding";
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(AllVariants, KernelReference,
                         ::testing::Values(SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512),
                         [](const auto& info) { return std::string(simd_level_name(info.param)); });

}  // namespace
}  // namespace wordvec
