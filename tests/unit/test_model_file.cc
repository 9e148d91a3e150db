// Model files: round trips of both model kinds, the refusals of damaged or
// foreign files, the vocabulary update of --continue, merged co-occurrences,
// and frozen rows.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <cstring>
#include <fstream>

#include "test_helpers.h"
#include "wordvec/core/error.h"
#include "wordvec/io/checkpoint.h"
#include "wordvec/io/model_file.h"
#include "wordvec/io/vectors_io.h"

namespace wordvec {
namespace {

using testing::error_of;
using testing::TempDir;

Vocabulary small_vocab() { return Vocabulary({{"the", 50}, {"cat", 20}, {"sat", 20}, {"mat", 7}}, {1, 0, 0}); }

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The bytes with the trailing XXH3 checksum recomputed, as a valid writer would.
std::string with_checksum(std::string bytes) {
  const std::uint64_t sum = XXH3_64bits(bytes.data(), bytes.size() - 8);
  std::memcpy(bytes.data() + bytes.size() - 8, &sum, 8);
  return bytes;
}

SgnsModel numbered_sgns(std::size_t words, std::size_t dim) {
  SgnsModel m = SgnsModel::initialise(words, dim, 7);
  for (std::size_t r = 0; r < words; ++r)
    for (std::size_t c = 0; c < dim; ++c) m.output.row(r)[c] = static_cast<float>(r * 100 + c) / 1000;
  return m;
}

TEST(ModelFile, SkipGramRoundTripGivesTheSameVectorsAsTheVectorFile) {
  TempDir dir;
  const Vocabulary vocab = small_vocab();
  SgnsOptions o;
  o.dim = 6;
  o.window = 3;
  const SgnsModel model = numbered_sgns(vocab.size(), 6);
  Settings extra;
  extra.set("run.inputs", "/corpus with \"quotes\"\nand a newline");
  save_sgns_model(dir.file("m.wvm"), o, vocab, model, extra);

  const ModelFile f = ModelFile::open(dir.file("m.wvm"));
  EXPECT_EQ(f.kind(), "sgns");
  EXPECT_EQ(f.version(), kModelFormatVersion);
  EXPECT_EQ(f.vocab().words(), vocab.words());
  EXPECT_EQ(f.vocab().counts(), vocab.counts());
  EXPECT_EQ(f.settings().text("run.inputs"), extra.text("run.inputs"));
  EXPECT_EQ(SgnsOptions::from_settings(f.settings()).window, 3);
  SgnsModel back = SgnsModel::initialise(vocab.size(), 6, 99);
  std::vector<std::int32_t> identity = {0, 1, 2, 3};
  load_sgns_rows(f, back, identity);
  for (std::size_t r = 0; r < vocab.size(); ++r)
    for (std::size_t c = 0; c < 6; ++c) {
      EXPECT_EQ(back.input.row(r)[c], model.input.row(r)[c]);
      EXPECT_EQ(back.output.row(r)[c], model.output.row(r)[c]);
    }

  write_vectors(dir.file("v.bin"), vocab.words(), model.input, VectorFormat::Word2VecBinary);
  const WordVectors from_model = read_vectors(dir.file("m.wvm"));
  const WordVectors from_vectors = read_vectors(dir.file("v.bin"));
  EXPECT_EQ(from_model.format, VectorFormat::Model);
  EXPECT_EQ(from_model.words, from_vectors.words);
  for (std::size_t r = 0; r < vocab.size(); ++r)
    EXPECT_EQ(std::memcmp(from_model.vectors.row(r), from_vectors.vectors.row(r), 6 * sizeof(float)), 0);
  // The same parser over bytes in memory (the fuzzer's way in).
  const std::string bytes = read_bytes(dir.file("m.wvm"));
  EXPECT_EQ(parse_vectors("m.wvm", bytes).words, vocab.words());
}

TEST(ModelFile, GloveRoundTripKeepsVectorsBiasesAndAdagradSums) {
  TempDir dir;
  const Vocabulary vocab = small_vocab();
  GloveOptions go;
  go.dim = 5;
  go.x_max = 10;
  go.output = GloveOutput::Concat;
  GloveModel model(vocab.size(), 5, 3, 0.25f);
  using Side = GloveModel::Side;
  for (std::size_t r = 0; r < vocab.size(); ++r)  // sums that differ from the fresh ones
    for (const Side side : {Side::Word, Side::Context}) {
      model.vector_sums(side, r)[2] = 3.5f + r;
      model.bias_sum(side, r) = 9.0f + r;
      model.bias(side, r) = -0.5f * r;
    }
  save_glove_model(dir.file("g.wvm"), go, CooccurrenceOptions{}, vocab, model, {});
  const ModelFile f = ModelFile::open(dir.file("g.wvm"));
  GloveModel back(vocab.size(), 5, 11, 1.0f);
  const std::vector<std::int32_t> identity = {0, 1, 2, 3};
  load_glove_rows(f, back, identity);
  for (std::size_t r = 0; r < vocab.size(); ++r)
    for (const Matrix* m : {&model.word_rows(), &model.context_rows()}) {
      const Matrix& b = m == &model.word_rows() ? back.word_rows() : back.context_rows();
      EXPECT_EQ(std::memcmp(m->row(r), b.row(r), m->cols() * sizeof(float)), 0) << "row " << r;
    }
  const WordVectors v = read_vectors(dir.file("g.wvm"));
  const Matrix expected = model.vectors(GloveOutput::Concat);
  ASSERT_EQ(v.dim(), 10u);
  for (std::size_t r = 0; r < vocab.size(); ++r)
    EXPECT_EQ(std::memcmp(v.vectors.row(r), expected.row(r), 10 * sizeof(float)), 0);
}

TEST(ModelFile, RowsMoveToTheirPlacesInAGrownVocabulary) {
  TempDir dir;
  const Vocabulary vocab = small_vocab();
  SgnsOptions o;
  o.dim = 4;
  const SgnsModel model = numbered_sgns(vocab.size(), 4);
  save_sgns_model(dir.file("m.wvm"), o, vocab, model, {});
  SgnsModel grown = SgnsModel::initialise(6, 4, 1);
  const float untouched = grown.input.row(2)[1];
  const std::vector<std::int32_t> destination = {5, -1, 0, 3};  // "cat" dropped
  load_sgns_rows(ModelFile::open(dir.file("m.wvm")), grown, destination);
  EXPECT_EQ(grown.input.row(5)[3], model.input.row(0)[3]);
  EXPECT_EQ(grown.output.row(0)[2], model.output.row(2)[2]);
  EXPECT_EQ(grown.output.row(3)[1], model.output.row(3)[1]);
  EXPECT_EQ(grown.input.row(2)[1], untouched);
}

TEST(ModelFile, DamagedAndForeignFilesAreRefusedWithTheReason) {
  TempDir dir;
  SgnsOptions o;
  o.dim = 4;
  save_sgns_model(dir.file("m.wvm"), o, small_vocab(), numbered_sgns(4, 4), {});
  const std::string good = read_bytes(dir.file("m.wvm"));
  const auto refusal = [&](const std::string& bytes) {
    return error_of([&] { ModelFile::open(dir.write("bad.wvm", bytes)); });
  };
  EXPECT_NE(refusal(good.substr(0, good.size() - 20)).find("bad.wvm: truncated"), std::string::npos);
  EXPECT_NE(refusal(good.substr(0, 5)).find("too short to be a wordvec model file"), std::string::npos);
  EXPECT_NE(refusal(good + "extra").find("unexpected bytes after the matrices"), std::string::npos);
  std::string flipped = good;
  flipped[flipped.size() - 30] ^= 0x10;  // inside the output matrix
  EXPECT_NE(refusal(flipped).find("checksum mismatch"), std::string::npos);
  std::string newer = good;
  newer[8] = 2;
  EXPECT_NE(refusal(newer).find("model format version 2 is newer than this wordvec reads (up to 1)"), std::string::npos);
  EXPECT_NE(refusal("the cat sat on the mat\n").find("not a wordvec model file"), std::string::npos);
  // A kind this build does not know, with a valid checksum: refused by name.
  std::string kind = good;
  const std::size_t at = kind.find("sgns");
  kind.replace(at, 4, "hsmx");
  EXPECT_NE(refusal(with_checksum(kind)).find("unknown model kind 'hsmx'"), std::string::npos);
  // Words out of the vocabulary's order would put rows under the wrong words.
  std::string order = good;
  order.replace(order.find("cat"), 3, "zzz");
  EXPECT_NE(refusal(with_checksum(order)).find("not in descending count order"), std::string::npos);

  Checkpoint c;
  c.kind = "sgns";
  c.vocab = small_vocab();
  write_checkpoint(dir.file("run.ckpt"), c);
  EXPECT_NE(error_of([&] { ModelFile::open(dir.file("run.ckpt")); }).find("is a training checkpoint"), std::string::npos);
  EXPECT_TRUE(is_model_file(dir.file("m.wvm")));
  EXPECT_FALSE(is_model_file(dir.file("run.ckpt")));
  EXPECT_FALSE(is_model_file(dir.file("missing")));
}

TEST(ModelFile, HistoryAddsEachRun) {
  const ModelHistory first = ModelHistory{}.after_run(1000, 5);
  const ModelHistory second = first.after_run(300, 2);
  EXPECT_EQ(second.trained_words, 1300u);
  EXPECT_EQ(second.epochs, 7u);
  EXPECT_EQ(second.runs, 2u);
  Settings s = second.to_settings();
  EXPECT_EQ(ModelHistory::from_settings(s).trained_words, 1300u);
  s.set("model.version", 9);
  EXPECT_NE(error_of([&] { ModelHistory::from_settings(s); }), "");
}

TEST(VocabularyUpdate, KeepsOldWordsAddsThoseReachingMinCountAndCountsTheNewText) {
  const Vocabulary old = small_vocab();  // the 50, cat 20, sat 20, mat 7
  const Vocabulary added({{"the", 30}, {"dog", 40}, {"ran", 4}, {"mat", 1}, {"cat", 1}}, {1, 0, 0});
  const VocabularyUpdate u = update_vocabulary(old, added, 5);
  EXPECT_EQ(u.vocab.words(), (std::vector<std::string>{"the", "dog", "cat", "sat", "mat"}));
  EXPECT_EQ(u.vocab.count(u.vocab.id("the")), 80u);
  EXPECT_EQ(u.vocab.count(u.vocab.id("cat")), 21u);
  EXPECT_EQ(u.vocab.id("ran"), -1);  // 4 < min-count 5
  EXPECT_EQ(u.words_added, 1u);
  EXPECT_EQ(u.old_words_seen, 3u);  // the, mat, cat; not sat
  EXPECT_EQ(u.new_text_words, 30u + 40 + 1 + 1);  // "ran" is not trained on
  ASSERT_EQ(u.old_to_new.size(), 4u);
  for (std::size_t i = 0; i < old.size(); ++i)
    EXPECT_EQ(u.vocab.word(u.old_to_new[i]), old.word(static_cast<std::int32_t>(i)));
  // No new words: the vocabulary keeps its words; only new words: old ones stay.
  EXPECT_EQ(update_vocabulary(old, Vocabulary({{"sat", 9}}, {1, 0, 0}), 5).vocab.size(), 4u);
  const VocabularyUpdate only_new = update_vocabulary(old, Vocabulary({{"zz", 9}}, {1, 0, 0}), 5);
  EXPECT_EQ(only_new.vocab.size(), 5u);
  EXPECT_EQ(only_new.new_text_words, 9u);
  EXPECT_EQ(only_new.old_words_seen, 0u);
}

TEST(MergeCooccurrences, SumsEachCellOnce) {
  std::vector<CooccurrenceRecord> old = {{0, 1, 1.5f}, {2, 0, 1.0f}, {1, 1, 0.5f}};
  const std::vector<CooccurrenceRecord> more = {{2, 0, 2.0f}, {3, 3, 1.0f}, {0, 1, 0.25f}};
  const auto merged = merge_cooccurrences(old, more);
  ASSERT_EQ(merged.size(), 4u);
  const auto value = [&](std::uint32_t r, std::uint32_t c) {
    for (const auto& m : merged)
      if (m.row == r && m.col == c) return m.value;
    return -1.0f;
  };
  EXPECT_EQ(value(0, 1), 1.75f);
  EXPECT_EQ(value(2, 0), 3.0f);
  EXPECT_EQ(value(1, 1), 0.5f);
  EXPECT_EQ(value(3, 3), 1.0f);
}

TEST(GloveModel, FrozenVectorsDoNotMoveButBiasesLearn) {
  GloveOptions o;
  o.dim = 8;
  o.x_max = 10;
  GloveModel model(3, 8, 1, 1.0f);
  model.freeze_vectors(0);
  using Side = GloveModel::Side;
  std::vector<float> before(model.vector(Side::Word, 0), model.vector(Side::Word, 0) + 8);
  const float bias_before = model.bias(Side::Word, 0);
  const float other_before = model.vector(Side::Word, 1)[0];
  const Kernels k = select_kernels();
  for (int i = 0; i < 50; ++i) {
    glove_step(model, {0, 1, 30.0f}, o, k);
    glove_step(model, {1, 0, 30.0f}, o, k);
  }
  for (std::size_t c = 0; c < 8; ++c) EXPECT_EQ(model.vector(Side::Word, 0)[c], before[c]);
  EXPECT_NE(model.bias(Side::Word, 0), bias_before);
  EXPECT_NE(model.vector(Side::Word, 1)[0], other_before);
}

TEST(SgnsTrainer, FrozenInputRowsStayAndTheScheduleFollowsTheWordsPerEpoch) {
  const std::string corpus = testing::bundled_corpus();
  if (corpus.empty()) GTEST_SKIP() << "WORDVEC_TEST_CORPUS not set (run through 'make test')";
  const Vocabulary vocab = Vocabulary::build(corpus, {5, 0});
  SgnsOptions o;
  o.dim = 16;
  o.epochs = 1;
  o.threads = 2;
  SgnsTrainer trainer(vocab, o, select_kernels());
  std::vector<std::uint8_t> frozen(vocab.size(), 0);
  for (std::size_t i = 0; i < vocab.size(); i += 2) frozen[i] = 1;
  const Matrix start = trainer.model().input.clone();
  trainer.freeze_input_rows(frozen);
  trainer.set_words_per_epoch(vocab.total_count() * 2);  // as if the corpus were twice as long
  double last_fraction = 0;
  const TrainingSummary summary = trainer.train(corpus, [&](const TrainingProgress& p) { last_fraction = p.fraction; });
  EXPECT_EQ(summary.words, vocab.total_count());
  EXPECT_NEAR(last_fraction, 0.5, 0.01);  // the progress counts the words per epoch given
  std::size_t moved = 0;
  for (std::size_t r = 0; r < vocab.size(); ++r) {
    const bool same = std::memcmp(start.row(r), trainer.model().input.row(r), 16 * sizeof(float)) == 0;
    if (frozen[r]) {
      EXPECT_TRUE(same) << "frozen row " << r << " moved";
    }
    moved += !same;
  }
  EXPECT_GT(moved, vocab.size() / 3);
  EXPECT_NE(error_of([&] { trainer.freeze_input_rows(std::vector<std::uint8_t>(3)); }), "");
}

}  // namespace
}  // namespace wordvec
