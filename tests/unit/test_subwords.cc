#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "test_helpers.h"
#include "wordvec/core/error.h"
#include "wordvec/io/model_file.h"
#include "wordvec/io/vectors_io.h"
#include "wordvec/text/subwords.h"
#include "wordvec/train/sgns.h"

namespace wordvec {
namespace {

std::vector<std::string> ngrams(std::string_view word, int min_n, int max_n) {
  std::vector<std::string> out;
  for_each_char_ngram(word, min_n, max_n, [&](std::string_view g) { out.emplace_back(g); });
  return out;
}

TEST(Subwords, NgramsAreThoseOfTheMarkedWordAsInFastTextsPaper) {
  // Bojanowski et al.'s example: "where", n = 3.
  EXPECT_EQ(ngrams("where", 3, 3), (std::vector<std::string>{"<wh", "whe", "her", "ere", "re>"}));
  // Short words: the whole "<go>" is an n-gram; the lone markers never are.
  EXPECT_EQ(ngrams("go", 1, 6), (std::vector<std::string>{"<g", "<go", "<go>", "g", "go", "go>", "o", "o>"}));
  EXPECT_TRUE(ngrams("a", 5, 6).empty());  // "<a>" is 3 characters
  EXPECT_TRUE(ngrams("where", 0, 0).empty());
}

TEST(Subwords, NgramsCountCharactersNotBytes) {
  // "né" is 3 bytes, 2 characters: its 3-grams are "<né" and "né>".
  EXPECT_EQ(ngrams("n\xC3\xA9", 3, 3), (std::vector<std::string>{"<n\xC3\xA9", "n\xC3\xA9>"}));
}

TEST(Subwords, HashIsFastTextsFnv1aWithSignExtendedBytes) {
  EXPECT_EQ(subword_hash(""), 2166136261u);
  EXPECT_EQ(subword_hash("<wh"), 0x3e79c4e4u);  // plain FNV-1a for ASCII
  // A byte >= 0x80 is xor-ed sign-extended (fastText's int8_t cast): "né>"
  // hashes to 0x525feac9 where textbook FNV-1a gives 0x4d8ec0c9.
  EXPECT_EQ(subword_hash("n\xC3\xA9>"), 0x525feac9u);
}

// Bucket ids pinned from fastText's algorithm (computed independently, in
// Python, as docs/model-format.md gives it), 3-6 n-grams, 2M buckets.
TEST(Subwords, BucketsOfMultiByteWordsAreFastTexts) {
  const SubwordOptions o = SubwordOptions::parse("3-6", 2000000);
  const auto buckets = [&](std::string_view word) {
    std::vector<std::uint32_t> out;
    for_each_ngram_bucket(word, o, [&](std::uint32_t b) { out.push_back(b); });
    return out;
  };
  EXPECT_EQ(buckets("n\xC3\xA9"), (std::vector<std::uint32_t>{65143, 1226091, 17737}));
  // 日本語: three 3-byte characters.
  EXPECT_EQ(buckets("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"),
            (std::vector<std::uint32_t>{758587, 4581, 524609, 35559, 928923, 1674355}));
}

TEST(SubwordOptions, ParsesRangesAndRejectsTheRestWithTheValidForm) {
  const SubwordOptions o = SubwordOptions::parse("3-6", 1000);
  EXPECT_EQ(o.min_n, 3);
  EXPECT_EQ(o.max_n, 6);
  EXPECT_EQ(o.buckets, 1000u);
  EXPECT_EQ(o.spec(), "3-6");
  EXPECT_EQ(SubwordOptions::parse("4", 10).spec(), "4-4");
  EXPECT_FALSE(SubwordOptions::parse("0", 10).enabled());
  for (const char* bad : {"6-3", "x", "3-", "-3", "3-6-9", "0-5", "3-0", "3-99", " 3-6", ""})
    EXPECT_THROW(SubwordOptions::parse(bad, 10), OptionError) << bad;
  EXPECT_THROW(SubwordOptions::parse("3-6", 0), OptionError);
}

TEST(SubwordOptions, SettingsRoundTripAndOldFilesReadAsOff) {
  const SubwordOptions o = SubwordOptions::parse("2-5", 777);
  const SubwordOptions back = SubwordOptions::from_settings(o.to_settings());
  EXPECT_EQ(back.spec(), "2-5");
  EXPECT_EQ(back.buckets, 777u);
  EXPECT_FALSE(SubwordOptions::from_settings(Settings{}).enabled());
  SgnsOptions s;
  s.subwords = o;
  EXPECT_EQ(SgnsOptions::from_settings(s.to_settings()).subwords.spec(), "2-5");
}

TEST(SubwordIndex, RowsAreTheWordThenItsBucketsAfterTheVocabulary) {
  const Vocabulary vocab({{"where", 9}, {"here", 5}}, {1, 0, 0});
  const SubwordOptions o = SubwordOptions::parse("3-3", 50);
  const SubwordIndex index(vocab, o);
  EXPECT_EQ(index.input_rows(), 52u);
  const auto rows = index.rows(vocab.id("where"));
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0], vocab.id("where"));
  std::vector<std::int32_t> expected;
  for (const std::string& g : ngrams("where", 3, 3)) expected.push_back(static_cast<std::int32_t>(2 + subword_hash(g) % 50));
  EXPECT_EQ(std::vector<std::int32_t>(rows.begin() + 1, rows.end()), expected);
  EXPECT_EQ(index.ngram_rows("where"), expected);  // an unseen word: its n-grams alone
  EXPECT_TRUE(index.ngram_rows("").empty());  // "<>" is 2 characters: no 3-grams
}

// The largest |value| of the first `rows` input rows.
float largest_start(const Vocabulary& vocab, const SgnsOptions& o, std::size_t rows) {
  const SgnsTrainer trainer(vocab, o, select_kernels());
  float largest = 0;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < trainer.model().input.cols(); ++c)
      largest = std::max(largest, std::abs(trainer.model().input.row(r)[c]));
  return largest;
}

TEST(SubwordTraining, SkipGramStartsAndDrawsNegativesAsFastTextTheRestAsWord2Vec) {
  const Vocabulary vocab({{"where", 9}, {"here", 5}, {"there", 4}}, {1, 0, 0});
  SgnsOptions o;
  o.dim = 4;  // 3 words x 4 values: the largest of 12 uniform draws is near the edge
  EXPECT_LE(largest_start(vocab, o, 3), 0.5f / 4);
  EXPECT_DOUBLE_EQ(o.negative_power(), 0.75);

  o.subwords = SubwordOptions::parse("3-4", 1000);
  const float largest = largest_start(vocab, o, 3 + 1000);  // words and buckets alike
  EXPECT_GT(largest, 0.9f / 4);
  EXPECT_LE(largest, 1.0f / 4);
  EXPECT_DOUBLE_EQ(o.negative_power(), 0.5);

  o.model = Model::Cbow;
  EXPECT_LE(largest_start(vocab, o, 3 + 1000), 0.5f / 4);
  EXPECT_DOUBLE_EQ(o.negative_power(), 0.75);
}

TEST(SubwordModelFile, RoundTripGivesTheTrainedWordVectorsAndVectorsForUnseenWords) {
  testing::TempDir dir;
  const Vocabulary vocab({{"where", 9}, {"here", 5}, {"there", 4}}, {1, 0, 0});
  SgnsOptions o;
  o.dim = 5;
  o.subwords = SubwordOptions::parse("3-4", 40);
  const SubwordIndex index(vocab, o.subwords);
  SgnsModel model = SgnsModel::initialise(vocab.size(), 5, 3, index.input_rows());
  save_sgns_model(dir.file("m.wvm"), o, vocab, model, Settings{});

  const WordVectors v = read_vectors(dir.file("m.wvm"));
  const Matrix expected = word_vectors(model, &index);
  ASSERT_EQ(v.size(), 3u);
  for (std::size_t w = 0; w < 3; ++w)
    for (std::size_t c = 0; c < 5; ++c) EXPECT_FLOAT_EQ(v.vectors.row(w)[c], expected.row(w)[c]);
  ASSERT_TRUE(v.subwords);
  std::vector<float> built(5), reference(5);
  ASSERT_TRUE(v.subwords->vector_of("wherever", built.data()));
  mean_of_rows(model.input, index.ngram_rows("wherever"), reference.data());
  for (std::size_t c = 0; c < 5; ++c) EXPECT_FLOAT_EQ(built[c], reference[c]);

  // Continuing: the bucket rows follow the grown vocabulary's rows.
  SgnsModel grown = SgnsModel::initialise(4, 5, 9, 4 + 40);
  load_sgns_rows(ModelFile::open(dir.file("m.wvm")), grown, std::vector<std::int32_t>{1, 2, 3});
  for (std::size_t b = 0; b < 40; ++b)
    for (std::size_t c = 0; c < 5; ++c) EXPECT_EQ(grown.input.row(4 + b)[c], model.input.row(3 + b)[c]);
  for (std::size_t c = 0; c < 5; ++c) EXPECT_EQ(grown.input.row(1)[c], model.input.row(0)[c]);
}

}  // namespace
}  // namespace wordvec
