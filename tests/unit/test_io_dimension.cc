#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <random>
#include <tuple>

#include "test_helpers.h"
#include "wordvec/core/atomic_file.h"
#include "wordvec/train/dimension.h"
#include "wordvec/core/error.h"
#include "wordvec/query/neighbors.h"
#include "wordvec/io/vectors_io.h"

namespace wordvec {
namespace {

using testing::TempDir;

WordVectors random_vectors(std::size_t words, std::size_t dim, unsigned seed) {
  std::mt19937 gen(seed);
  std::normal_distribution<float> u;
  WordVectors v{{}, Matrix(words, dim)};
  for (std::size_t r = 0; r < words; ++r) {
    v.words.push_back(testing::numbered_word(r) + (r % 7 == 0 ? "\xC3\xA9" : ""));
    for (std::size_t c = 0; c < dim; ++c) v.vectors.row(r)[c] = u(gen);
  }
  return v;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST(VectorIo, BinaryRoundTripIsExact) {
  TempDir dir;
  const WordVectors v = random_vectors(40, 13, 1);
  write_vectors(dir.file("v.bin"), v.words, v.vectors, VectorFormat::Word2VecBinary);
  const WordVectors back = read_vectors(dir.file("v.bin"));
  ASSERT_EQ(back.words, v.words);
  ASSERT_EQ(back.dim(), 13u);
  for (std::size_t r = 0; r < 40; ++r)
    for (std::size_t c = 0; c < 13; ++c) EXPECT_EQ(back.vectors.row(r)[c], v.vectors.row(r)[c]);
}

TEST(VectorIo, TextRoundTripToSixDecimals) {
  TempDir dir;
  const WordVectors v = random_vectors(40, 13, 2);
  write_vectors(dir.file("v.txt"), v.words, v.vectors, VectorFormat::Word2VecText);
  const WordVectors back = read_vectors(dir.file("v.txt"));
  ASSERT_EQ(back.words, v.words);
  for (std::size_t r = 0; r < 40; ++r)
    for (std::size_t c = 0; c < 13; ++c) EXPECT_NEAR(back.vectors.row(r)[c], v.vectors.row(r)[c], 5.1e-7);
}

class FormatPairTest : public ::testing::TestWithParam<std::tuple<VectorFormat, VectorFormat>> {};

// Write in one format, read, convert to another, read again: same words, same
// values (to the six decimals of the text formats).
TEST_P(FormatPairTest, RoundTripThroughBothFormats) {
  const auto [first, second] = GetParam();
  TempDir dir;
  const WordVectors v = random_vectors(30, 7, 11);
  write_vectors(dir.file("a.out"), v.words, v.vectors, first);
  const WordVectors a = read_vectors(dir.file("a.out"));
  EXPECT_EQ(a.format, first == VectorFormat::FastTextVec ? VectorFormat::Word2VecText : first);
  write_vectors(dir.file("b.out"), a.words, a.vectors, second);
  const WordVectors b = read_vectors(dir.file("b.out"));
  ASSERT_EQ(b.words, v.words);
  ASSERT_EQ(b.dim(), 7u);
  for (std::size_t r = 0; r < 30; ++r)
    for (std::size_t c = 0; c < 7; ++c) EXPECT_NEAR(b.vectors.row(r)[c], v.vectors.row(r)[c], 1.1e-6);
}

const auto kAllFormats = ::testing::Values(VectorFormat::Word2VecBinary, VectorFormat::Word2VecText,
                                           VectorFormat::FastTextVec, VectorFormat::GloveText, VectorFormat::Npy);
INSTANTIATE_TEST_SUITE_P(AllPairs, FormatPairTest, ::testing::Combine(kAllFormats, kAllFormats),
                         [](const auto& info) {
                           return std::string(vector_format_name(std::get<0>(info.param))) + "_to_" +
                                  vector_format_name(std::get<1>(info.param));
                         });

TEST(VectorIo, GloveAndNpyLayouts) {
  TempDir dir;
  WordVectors v{{"a", "bb"}, Matrix(2, 2)};
  v.vectors.row(0)[0] = 1.5f;
  v.vectors.row(1)[1] = -2.0f;
  write_vectors(dir.file("g.txt"), v.words, v.vectors, VectorFormat::GloveText);
  EXPECT_EQ(slurp(dir.file("g.txt")), "a 1.500000 0.000000\nbb 0.000000 -2.000000\n");
  write_vectors(dir.file("m.npy"), v.words, v.vectors, VectorFormat::Npy);
  const std::string npy = slurp(dir.file("m.npy"));
  ASSERT_EQ(npy.size(), 128u + 16u);  // header padded to a multiple of 64 bytes, then 4 floats
  EXPECT_EQ(npy.substr(0, 8), std::string("\x93NUMPY\x01\x00", 8));
  EXPECT_NE(npy.find("'shape': (2, 2)"), std::string::npos);
  EXPECT_EQ(npy[127], '\n');
  EXPECT_EQ(slurp(dir.file("m.words.txt")), "a\nbb\n");
  write_vectors(dir.file("few.txt"), v.words, v.vectors, VectorFormat::Word2VecText, 1);
  EXPECT_EQ(read_vectors(dir.file("few.txt")).size(), 1u);
}

TEST(VectorIo, DuplicateWordsKeepTheFirstAndAreReported) {
  TempDir dir;
  const WordVectors v = read_vectors(dir.write("d.txt", "3 2\na 1 2\nb 3 4\na 5 6\n"));
  ASSERT_EQ(v.words, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(v.vectors.row(0)[0], 1.0f);
  EXPECT_EQ(v.vectors.row(1)[1], 4.0f);
  EXPECT_EQ(v.duplicates_dropped, 1u);
  EXPECT_EQ(v.first_duplicate, dir.file("d.txt") + ":4: a");
}

TEST(VectorIo, LayoutIsWord2vecs) {
  TempDir dir;
  WordVectors v{{"a", "bb"}, Matrix(2, 2)};
  v.vectors.row(0)[0] = 1.5f;
  v.vectors.row(0)[1] = -0.25f;
  v.vectors.row(1)[0] = 0.0f;
  v.vectors.row(1)[1] = 2.0f;
  write_vectors(dir.file("v.txt"), v.words, v.vectors, VectorFormat::Word2VecText);
  EXPECT_EQ(slurp(dir.file("v.txt")), "2 2\na 1.500000 -0.250000 \nbb 0.000000 2.000000 \n");
  write_vectors(dir.file("v.bin"), v.words, v.vectors, VectorFormat::Word2VecBinary);
  const std::string bin = slurp(dir.file("v.bin"));
  ASSERT_EQ(bin.size(), 4u + 2 + 8 + 1 + 3 + 8 + 1);
  EXPECT_EQ(bin.substr(0, 6), "2 2\na ");
  float first;
  std::memcpy(&first, bin.data() + 6, 4);
  EXPECT_EQ(first, 1.5f);
  EXPECT_EQ(bin[14], '\n');
}

TEST(VectorIo, MalformedFilesGiveErrorsWithFileAndLine) {
  TempDir dir;
  auto expect_error = [&](const std::string& name, const std::string& content, const std::string& fragment) {
    const auto path = dir.write(name, content);
    try {
      read_vectors(path);
      ADD_FAILURE() << name << ": no error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << name << ": " << e.what();
    }
  };
  expect_error("short.txt", "2 3\na 1 2 3\nb 1 2\n", "short.txt:3: expected 3 values, found 2");
  expect_error("long.txt", "1 2\na 1 2 3\n", "long.txt:2: more than 2 values");
  expect_error("nan.txt", "1 2\na 1 nan\n", "nan.txt:2: value 2 is NaN");
  expect_error("word.txt", "1 2\na 1 x\n", "word.txt:2: value 2 is not a number");
  expect_error("rows.txt", "3 2\na 1 2\nb 3 4\n", "fewer rows than the header");
  expect_error("header.txt", "hello\n", "header.txt:1:");
  expect_error("huge.txt", "99999999999 100\na 1\n", "more than the file can hold");
  expect_error("empty.txt", "", "empty");
  expect_error("extra.txt", "1 2\na 1 2\nb 3 4\n", "extra.txt:3: more rows than the header's 1");
  expect_error("glove.txt", "a 1 2\nb 3\n", "glove.txt:2: expected 2 values, found 1");
  expect_error("glove2.txt", "a 1 2\nb 3 x\n", "glove2.txt:2: value 2 is not a number");
  expect_error("noval.txt", "justaword\n", "a word without values");
  expect_error("bad.npy", std::string("\x93NUMPY\x01\x00\x10\x00{'descr': '<f8'}  ", 26), "not '<f4'");
  auto binary_row = [](const std::string& word, std::vector<float> values) {
    return word + " " + std::string(reinterpret_cast<const char*>(values.data()), values.size() * 4) + "\n";
  };
  expect_error("nan.bin", "2 2\n" + binary_row("a", {1, 2}) + binary_row("b", {NAN, 1}),
               "nan.bin:3: value 1 is NaN or infinite");
  expect_error("inf.bin", "1 2\n" + binary_row("a", {1, INFINITY}), "inf.bin:2: value 2 is NaN or infinite");
  expect_error("noword.bin", "1 2\n" + binary_row("", {1, 2}), "noword.bin:2: expected a space after the word");
  expect_error("dim0.bin", "2 0\n", "dim0.bin:1: dimension 0 is out of range");
  std::string truncated = "1 4\na ";
  truncated += std::string(7, '\x01');
  expect_error("trunc.bin", truncated, "truncated");
}

TEST(VectorIo, NpyChecksItsShapeAndItsWordList) {
  TempDir dir;
  const WordVectors v = random_vectors(5, 3, 4);
  write_vectors(dir.file("m.npy"), v.words, v.vectors, VectorFormat::Npy);
  std::string npy = slurp(dir.file("m.npy"));
  dir.write("cut.npy", npy.substr(0, npy.size() - 4));
  dir.write("cut.words.txt", slurp(dir.file("m.words.txt")));
  try {
    read_vectors(dir.file("cut.npy"));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("the shape (5, 3) needs 60"), std::string::npos) << e.what();
  }
  dir.write("m.words.txt", "w0\nw1\n");
  try {
    read_vectors(dir.file("m.npy"));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("lists 2 words"), std::string::npos) << e.what();
  }
  std::filesystem::remove(dir.file("m.words.txt"));
  EXPECT_THROW(read_vectors(dir.file("m.npy")), Error);
}

TEST(NearestNeighbors, AnalogiesAgreeWithBruteForce) {
  const WordVectors v = random_vectors(200, 16, 8);
  const NearestNeighbors nn(WordVectors{v.words, v.vectors.clone()});
  const WordVectors& u = nn.normalized();
  auto cos = [&](std::size_t x, std::size_t y) {
    double d = 0;
    for (std::size_t c = 0; c < 16; ++c) d += double(u.vectors.row(x)[c]) * u.vectors.row(y)[c];
    return d;
  };
  const std::size_t a = 3, b = 50, c = 120;
  for (AnalogyMethod method : {AnalogyMethod::CosAdd, AnalogyMethod::CosMul}) {
    std::vector<std::pair<double, std::size_t>> all;
    for (std::size_t d = 0; d < 200; ++d) {
      if (d == a || d == b || d == c) continue;
      const double score = method == AnalogyMethod::CosAdd
                               ? cos(d, b) - cos(d, a) + cos(d, c)
                               : (cos(d, b) + 1) / 2 * ((cos(d, c) + 1) / 2) / ((cos(d, a) + 1) / 2 + 0.001);
      all.push_back({-score, d});
    }
    std::sort(all.begin(), all.end());
    const auto got = nn.analogy(v.words[a], v.words[b], v.words[c], 5, method);
    ASSERT_EQ(got.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(got[i].word, v.words[all[i].second]) << i;
  }
  EXPECT_THROW(nn.analogy("nope", v.words[b], v.words[c], 5), Error);
}

TEST(AtomicFile, FailedWriteLeavesNoFileAndKeepsTheOldOne) {
  TempDir dir;
  const auto path = dir.write("out.txt", "old");
  {
    AtomicFileWriter w(path);
    w.write(std::string("new but unfinished"));
  }  // no commit
  EXPECT_EQ(slurp(path), "old");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
  {
    AtomicFileWriter w(path);
    w.write(std::string("new"));
    w.commit();
  }
  EXPECT_EQ(slurp(path), "new");
}

TEST(AtomicFile, BadOutputPathsAreRejectedUpFront) {
  TempDir dir;
  EXPECT_THROW(check_output_path(dir.path()), Error);                      // a folder
  EXPECT_THROW(check_output_path(dir.file("missing/out.bin")), Error);     // no such folder
  EXPECT_THROW(check_output_path("/dev/null"), Error);                     // a device
  EXPECT_NO_THROW(check_output_path(dir.file("fine.bin")));
}

TEST(NearestNeighbors, AgreesWithBruteForceCosine) {
  const WordVectors v = random_vectors(300, 24, 5);
  auto cosine = [&](std::size_t a, std::size_t b) {
    double d = 0, na = 0, nb = 0;
    for (std::size_t c = 0; c < 24; ++c) {
      d += double(v.vectors.row(a)[c]) * v.vectors.row(b)[c];
      na += double(v.vectors.row(a)[c]) * v.vectors.row(a)[c];
      nb += double(v.vectors.row(b)[c]) * v.vectors.row(b)[c];
    }
    return d / std::sqrt(na * nb);
  };
  const NearestNeighbors nn(WordVectors{v.words, v.vectors.clone()});
  for (std::size_t q : {0u, 17u, 299u}) {
    std::vector<std::pair<double, std::size_t>> all;
    for (std::size_t r = 0; r < 300; ++r)
      if (r != q) all.push_back({-cosine(q, r), r});
    std::sort(all.begin(), all.end());
    const auto got = nn.nearest(v.words[q], 10);
    ASSERT_EQ(got.size(), 10u);
    for (std::size_t i = 0; i < 10; ++i) {
      EXPECT_EQ(got[i].word, v.words[all[i].second]);
      EXPECT_NEAR(got[i].similarity, -all[i].first, 1e-5);
    }
  }
  EXPECT_THROW(nn.nearest("not-a-word", 3), Error);
}

// ---------------------------------------------------------------- dimension

TEST(Dimension, ReferenceValues) {
  EXPECT_EQ(suggest_dimension(1e5).dimension, 96);
  EXPECT_EQ(suggest_dimension(5e6).dimension, 128);
  EXPECT_EQ(rule_of_thumb_dimension(1e5), 96);
  // H values computed independently with scipy's exponentially scaled Bessel functions.
  EXPECT_NEAR(dimension_entropy(96, 1e5), -0.14670842246977145, 1e-9);
  EXPECT_NEAR(dimension_entropy(95, 1e5), 0.09389265548244907, 1e-9);
  EXPECT_EQ(suggest_dimension(10).dimension, 19);
  EXPECT_EQ(suggest_dimension(2).dimension, 6);
  EXPECT_EQ(suggest_dimension(1e12).dimension, 230);
}

TEST(Dimension, QuadratureAndBesselFormsAgree) {
  for (double n : {2.0, 3.0, 5.0, 10.0, 50.0, 96.0, 128.0, 500.0, 2000.0, 10000.0}) {
    const SphereMoments b = sphere_moments_bessel(n, n), q = sphere_moments_quadrature(n, n);
    EXPECT_NEAR(b.log_mean_exp, q.log_mean_exp, 1e-9 * std::abs(b.log_mean_exp)) << "n=" << n;
    EXPECT_NEAR(b.mean_t_tilted, q.mean_t_tilted, 1e-9 * std::abs(b.mean_t_tilted)) << "n=" << n;
    const double hb = dimension_entropy(n, 1e6), hq = dimension_entropy_quadrature(n, 1e6);
    EXPECT_NEAR(hb, hq, 1e-9 * std::max(1.0, std::abs(hb))) << "n=" << n;
  }
}

TEST(Dimension, TiltedMeanMatchesTheClosedFormLimit) {
  // For large n the tilted mean of t tends to (sqrt(5) - 1) / 2.
  EXPECT_NEAR(sphere_moments_bessel(1e6, 1e6).mean_t_tilted, (std::sqrt(5.0) - 1) / 2, 1e-5);
}

TEST(Dimension, LargeNSlopeTendsTo02406) {
  const double c = -0.5 * std::log((std::sqrt(5.0) - 1) / 2);
  EXPECT_NEAR(c, 0.2406, 1e-4);
  const double slope = dimension_entropy(5000, 1e6) - dimension_entropy(5001, 1e6);
  EXPECT_NEAR(slope, c, 1e-4);
  const double slope_far = dimension_entropy(10000, 1e6) - dimension_entropy(10001, 1e6);
  EXPECT_LT(std::abs(slope_far - c), std::abs(slope - c) + 1e-12);
}

TEST(Dimension, MonotoneInVocabularySizeAndNearTheRuleOfThumb) {
  int previous = 0;
  for (double e = 0.31; e <= 12.0; e += 0.05) {
    const double N = std::pow(10.0, e);
    if (N < 2) continue;
    const DimensionSuggestion s = suggest_dimension(N);
    EXPECT_GE(s.dimension, previous) << "N=" << N;
    EXPECT_LT(s.entropy_at, 0);
    if (s.dimension > 2) {
      EXPECT_GE(s.entropy_before, 0);
    }
    EXPECT_LE(std::abs(s.dimension - s.rule_of_thumb), 2) << "N=" << N;
    previous = s.dimension;
  }
}

TEST(Dimension, HugeVocabulariesAreFiniteAndAgreeWithQuadrature) {
  const DimensionSuggestion s = suggest_dimension(1e12);
  EXPECT_TRUE(std::isfinite(s.entropy_at));
  EXPECT_NEAR(s.entropy_at, dimension_entropy_quadrature(230, 1e12), 1e-9);
  EXPECT_TRUE(std::isfinite(dimension_entropy(10000, 1e12)));
}

TEST(Dimension, TooSmallOrNonFiniteVocabularyIsAnError) {
  EXPECT_THROW(suggest_dimension(1), Error);
  EXPECT_THROW(suggest_dimension(0), Error);
  EXPECT_THROW(suggest_dimension(std::nan("")), Error);
  EXPECT_THROW(suggest_dimension(INFINITY), Error);
}

}  // namespace
}  // namespace wordvec
