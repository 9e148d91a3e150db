#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>

#include "test_helpers.h"
#include "wordvec/io/cooccurrence_file.h"
#include "wordvec/train/cooccurrence.h"
#include "wordvec/train/shuffled_records.h"
#include "wordvec/core/error.h"
#include "wordvec/train/glove.h"
#include "wordvec/query/neighbors.h"

namespace wordvec {
namespace {

using testing::TempDir;

std::vector<CooccurrenceRecord> count_all(const std::string& corpus, const Vocabulary& vocab,
                                          const CooccurrenceOptions& o, CooccurrenceStats* stats = nullptr) {
  std::vector<CooccurrenceRecord> records;
  CooccurrenceCounter counter(vocab, o);
  const CooccurrenceStats s = counter.count(corpus, [&](std::span<const CooccurrenceRecord> batch) {
    records.insert(records.end(), batch.begin(), batch.end());
  });
  if (stats != nullptr) *stats = s;
  return records;
}

// X as a map from (word, word) to count, for readable expectations.
std::map<std::pair<std::string, std::string>, double> as_map(const std::vector<CooccurrenceRecord>& records,
                                                             const Vocabulary& vocab) {
  std::map<std::pair<std::string, std::string>, double> x;
  for (const auto& r : records) x[{vocab.word(r.row), vocab.word(r.col)}] = r.value;
  return x;
}

std::pair<std::string, std::string> key(const char* a, const char* b) { return {a, b}; }

bool same_records(const std::vector<CooccurrenceRecord>& a, const std::vector<CooccurrenceRecord>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(CooccurrenceRecord)) == 0;
}

TEST(Cooccurrence, HandCheckedCountsWithDistanceWeightsSymmetryAndLineEnds) {
  TempDir dir;
  // Counts: a 3, b 3, c 2, z 1 (below min-count 2: skipped, takes no place in the window).
  const auto corpus = dir.write("c.txt", "a b c\nb a\nc z a b\n");
  const Vocabulary vocab = Vocabulary::build(corpus, {2, 0});
  ASSERT_EQ(vocab.size(), 3u);
  CooccurrenceOptions o;
  o.window = 2;
  o.threads = 2;
  auto x = as_map(count_all(corpus, vocab, o), vocab);
  // Line 1: a-b (d1), b-c (d1), a-c (d2). Line 2: b-a (d1). Line 3 (z skipped): c-a (d1), a-b (d1), c-b (d2).
  // Nothing pairs across line ends (line 1's c with line 2's b).
  EXPECT_DOUBLE_EQ(x[key("a", "b")], 3.0);
  EXPECT_DOUBLE_EQ(x[key("b", "a")], 3.0);
  EXPECT_DOUBLE_EQ(x[key("b", "c")], 1.5);
  EXPECT_DOUBLE_EQ(x[key("c", "b")], 1.5);
  EXPECT_DOUBLE_EQ(x[key("a", "c")], 1.5);
  EXPECT_DOUBLE_EQ(x[key("c", "a")], 1.5);
  EXPECT_EQ(x.size(), 6u);  // no self pairs, nothing else
  // Window 1: the distance-2 pairs fall off the edge.
  o.window = 1;
  x = as_map(count_all(corpus, vocab, o), vocab);
  EXPECT_DOUBLE_EQ(x[key("a", "c")], 1.0);
  EXPECT_DOUBLE_EQ(x[key("b", "c")], 1.0);
  // Without distance weighting every pair in the window counts 1.
  o.window = 2;
  o.distance_weighting = false;
  x = as_map(count_all(corpus, vocab, o), vocab);
  EXPECT_DOUBLE_EQ(x[key("a", "c")], 2.0);
  EXPECT_DOUBLE_EQ(x[key("b", "c")], 2.0);
}

TEST(Cooccurrence, SpillingAndThreadCountsGiveExactlyTheSameCounts) {
  TempDir dir, spill;
  const auto corpus = testing::random_corpus(dir, 20000, 7);
  const Vocabulary vocab = Vocabulary::build(corpus, {1, 0});
  CooccurrenceOptions big;
  big.threads = 1;
  CooccurrenceStats in_memory, spilled;
  const auto reference = count_all(corpus, vocab, big, &in_memory);
  EXPECT_EQ(in_memory.runs_spilled, 0u);
  ASSERT_GT(reference.size(), 10000u);
  for (std::size_t i = 1; i < reference.size(); ++i)
    ASSERT_LT((std::uint64_t(reference[i - 1].row) << 32) | reference[i - 1].col,
              (std::uint64_t(reference[i].row) << 32) | reference[i].col)
        << "records must come in (row, col) order, each pair once";

  CooccurrenceOptions tiny;  // 64 KiB: a few dense cells, many runs, most of them on disk
  tiny.memory_gib = 64.0 / (1 << 20);
  tiny.threads = 3;
  tiny.temp_dir = spill.path();
  EXPECT_TRUE(same_records(count_all(corpus, vocab, tiny, &spilled), reference));
  EXPECT_GT(spilled.runs_spilled, 100u);  // more than one merge of spilled runs per thread
  EXPECT_GT(spilled.bytes_spilled, 0u);
  EXPECT_TRUE(std::filesystem::is_empty(spill.path())) << "temporary runs must be removed";

  // What --dry-run extrapolates: the dense cells and the kept runs account for
  // every record, and only touched pages of the tables count as memory.
  for (const CooccurrenceStats* s : {&in_memory, &spilled}) {
    EXPECT_GT(s->dense_nonzero, 0u);
    EXPECT_LE(s->dense_nonzero, s->dense_entries);
    EXPECT_GE(s->dense_resident_bytes, 4096u);
    EXPECT_LE(s->dense_resident_bytes, (s->dense_entries * 8 / 4096 + 3) * 4096);
  }
  EXPECT_EQ(in_memory.run_bytes_in_memory, (in_memory.records - in_memory.dense_nonzero) * 16)
      << "in memory, the runs hold exactly the sparse records (one run per thread, nothing spilled)";
  EXPECT_LT(spilled.run_bytes_in_memory, 64u << 10);
}

// A budget's worth of dense cells on a small text would be mostly zeros that
// cost page faults and a scan (the bundled corpus: 1.6 GB, 9 s); the tables
// hold at most a third as many cells as the text adds pairs.
TEST(Cooccurrence, DenseTablesOfASmallTextAreSizedByItsPairsNotByTheBudget) {
  TempDir dir;
  const auto corpus = testing::random_corpus(dir, 200, 11);
  const Vocabulary vocab = Vocabulary::build(corpus, {1, 0});
  CooccurrenceOptions o;  // the default budget: 201M cells at most
  o.threads = 2;
  CooccurrenceStats stats;
  const auto records = count_all(corpus, vocab, o, &stats);
  const std::uint64_t pairs = 2 * static_cast<std::uint64_t>(o.window) * vocab.total_count();
  ASSERT_GT(vocab.size() * vocab.size(), pairs / 3) << "the cap must bind for this test to mean anything";
  EXPECT_LE(stats.dense_entries, pairs / 3);
  EXPECT_GT(stats.dense_nonzero, 0u);
  EXPECT_EQ(stats.records, records.size());
}

TEST(Cooccurrence, TemporaryFilesAreRemovedWhenCountingFails) {
  TempDir dir, spill;
  const auto corpus = testing::random_corpus(dir, 5000, 3);
  const Vocabulary vocab = Vocabulary::build(corpus, {1, 0});
  CooccurrenceOptions o;
  o.memory_gib = 64.0 / (1 << 20);
  o.temp_dir = spill.path();
  CooccurrenceCounter counter(vocab, o);
  EXPECT_THROW(counter.count(corpus, [](std::span<const CooccurrenceRecord>) { throw Error("disk full"); }), Error);
  EXPECT_TRUE(std::filesystem::is_empty(spill.path()));
  o.temp_dir = dir.file("missing-folder");
  EXPECT_THROW(CooccurrenceCounter(vocab, o).count(corpus, [](auto) {}), Error);
}

TEST(Cooccurrence, OptionsAreValidated) {
  CooccurrenceOptions o;
  o.window = 0;
  EXPECT_THROW(o.validate(), Error);
  o.window = 21;
  EXPECT_THROW(o.validate(), Error);
  o.window = 10;
  o.memory_gib = -1;
  EXPECT_THROW(o.validate(), Error);
}

TEST(Cooccurrence, FileRoundTripAndCorruptionIsDetected) {
  TempDir dir;
  const auto corpus = testing::random_corpus(dir, 2000, 5);
  const Vocabulary vocab = Vocabulary::build(corpus, {2, 0});
  const auto records = count_all(corpus, vocab, {});
  const auto path = dir.file("x.cooc");
  {
    CooccurrenceWriter writer(path, vocab, {10, true});
    writer.write(std::span(records).first(records.size() / 2));
    writer.write(std::span(records).subspan(records.size() / 2));
    EXPECT_FALSE(std::filesystem::exists(path)) << "nothing at the path before commit";
    writer.commit();
  }
  const CooccurrenceFile back = read_cooccurrences(path);
  EXPECT_EQ(back.header.window, 10);
  EXPECT_EQ(back.vocab.words(), vocab.words());
  EXPECT_EQ(back.vocab.counts(), vocab.counts());
  EXPECT_TRUE(same_records(back.records, records));

  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto expect_error = [&](const std::string& content, const std::string& fragment) {
    const auto bad = dir.write("bad.cooc", content);
    try {
      read_cooccurrences(bad);
      ADD_FAILURE() << "no error for " << fragment;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("bad.cooc"), std::string::npos) << e.what();
    }
  };
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x40;
  expect_error(flipped, "checksum");
  expect_error(bytes.substr(0, bytes.size() - 20), "truncated");
  expect_error("not a co-occurrence file at all", "magic");
  expect_error(bytes.substr(0, 30), "more than the file can hold");
}

TEST(Cooccurrence, ShuffleIsAPermutationFixedByTheSeed) {
  std::vector<CooccurrenceRecord> a;
  for (std::uint32_t i = 0; i < 1000; ++i) a.push_back({i, i + 1, 1.0f});
  auto b = a, c = a;
  shuffle_records(b, 1);
  shuffle_records(c, 1);
  EXPECT_TRUE(same_records(b, c));
  EXPECT_FALSE(same_records(a, b));
  std::sort(b.begin(), b.end(), [](auto& x, auto& y) { return x.row < y.row; });
  EXPECT_TRUE(same_records(a, b));
}

TEST(Cooccurrence, OutOfCoreShuffleIsAPermutationFixedByTheSeedAndCleansUp) {
  TempDir dir, temp;
  const auto corpus = testing::random_corpus(dir, 3000, 9);
  const Vocabulary vocab = Vocabulary::build(corpus, {1, 0});
  const auto records = count_all(corpus, vocab, {});
  auto shuffle = [&](std::uint64_t memory_bytes, std::uint64_t seed, bool expect_out_of_core) {
    ShuffledRecords shuffled(memory_bytes, temp.path(), seed);
    for (std::size_t i = 0; i < records.size(); i += 1000)
      shuffled.add(std::span(records).subspan(i, std::min<std::size_t>(1000, records.size() - i)));
    shuffled.finish();
    EXPECT_EQ(shuffled.out_of_core(), expect_out_of_core);
    std::vector<CooccurrenceRecord> out(shuffled.records().begin(), shuffled.records().end());
    return out;
  };
  const auto in_memory = shuffle(1ull << 30, 5, false);
  std::vector<CooccurrenceRecord> expected = records;
  shuffle_records(expected, 5);
  EXPECT_TRUE(same_records(in_memory, expected)) << "in memory it is shuffle_records";
  const auto out_a = shuffle(20000, 5, true), out_b = shuffle(20000, 5, true), out_c = shuffle(20000, 6, true);
  EXPECT_TRUE(same_records(out_a, out_b));
  EXPECT_FALSE(same_records(out_a, out_c));
  EXPECT_FALSE(same_records(out_a, records));
  auto sorted = out_a;
  std::sort(sorted.begin(), sorted.end(),
            [](auto& x, auto& y) { return std::pair(x.row, x.col) < std::pair(y.row, y.col); });
  EXPECT_TRUE(same_records(sorted, records)) << "a permutation of the records";
  EXPECT_TRUE(std::filesystem::is_empty(temp.path())) << "temporary buckets and the mapped file removed";
}

// ------------------------------------------------------------------ training

// The loss of one record in double precision, from the model's current values.
double record_loss(const GloveModel& m, const CooccurrenceRecord& r, const GloveOptions& o) {
  const float* w = m.word(r.row);
  const float* c = m.context(r.col);
  double dot = m.word_bias(r.row) + m.context_bias(r.col);
  for (std::size_t k = 0; k < m.dim(); ++k) dot += double(w[k]) * c[k];
  const double diff = dot - std::log(double(r.value));
  const double weight = r.value < o.x_max ? std::pow(r.value / o.x_max, o.weighting_exponent) : 1.0;
  return 0.5 * weight * diff * diff;
}

class GloveStep : public ::testing::TestWithParam<SimdLevel> {};

// With AdaGrad sums at their initial 1, the first step moves every parameter by
// exactly -learning_rate * dLoss/dparameter: compare with central differences.
TEST_P(GloveStep, FirstStepIsTheGradientByFiniteDifferences) {
  if (!simd_supported(GetParam())) GTEST_SKIP() << simd_level_name(GetParam()) << " not supported here";
  const Kernels kernels = kernels_for(GetParam());
  GloveOptions o;
  o.dim = 37;  // not a multiple of any vector width
  const std::size_t dim = 37;
  o.x_max = 10;
  o.learning_rate = 0.01;
  for (const CooccurrenceRecord record : {CooccurrenceRecord{1, 2, 3.5f}, CooccurrenceRecord{2, 2, 40.0f}}) {
    GloveModel model(4, o.dim, 9);
    // Larger values than the initialisation so the loss is far from flat.
    for (std::size_t k = 0; k <= dim; ++k) model.word(record.row)[k] *= 40;  // vector and bias
    for (std::size_t k = 0; k < dim; ++k) model.context(record.col)[k] *= 40;
    model.context(record.col)[dim + 1] = 0.3f;

    // Parameters: the word vector and bias, the context vector and bias.
    std::vector<float*> params;
    for (std::size_t k = 0; k <= dim; ++k) params.push_back(model.word(record.row) + k);
    for (std::size_t k = 0; k < dim; ++k) params.push_back(model.context(record.col) + k);
    params.push_back(model.context(record.col) + dim + 1);
    std::vector<double> numeric;
    for (float* p : params) {
      const float saved = *p, h = 1e-2f;
      *p = saved + h;
      const double up = record_loss(model, record, o);
      *p = saved - h;
      const double down = record_loss(model, record, o);
      *p = saved;
      numeric.push_back((up - down) / (2.0 * h));
    }
    std::vector<float> before;
    for (float* p : params) before.push_back(*p);
    const double loss = record_loss(model, record, o);
    EXPECT_NEAR(glove_step(model, record, o, kernels), loss, 1e-4 * loss);
    for (std::size_t i = 0; i < params.size(); ++i) {
      const double analytic = (before[i] - *params[i]) / o.learning_rate;
      EXPECT_NEAR(analytic, numeric[i], 2e-3 * (1 + std::abs(numeric[i]))) << "parameter " << i;
    }
    // The constant columns that carry the biases are intact; AdaGrad sums grew.
    EXPECT_EQ(model.word(record.row)[dim + 1], 1.0f);
    EXPECT_EQ(model.context(record.col)[dim], 1.0f);
    EXPECT_GT(model.word(record.row)[model.span()], 1.0f);
  }
}

INSTANTIATE_TEST_SUITE_P(AllKernels, GloveStep,
                         ::testing::Values(SimdLevel::Scalar, SimdLevel::Avx2, SimdLevel::Avx512),
                         [](const auto& info) { return std::string(simd_level_name(info.param)); });

// Stanford GloVe's update, in double precision: vectors step by eta * f * other
// / sqrt(sum), biases by bias_rate * f / sqrt(sum), each sum starting at 1 and
// growing by the square of its step's numerator.
struct ReferenceGlovePair {
  std::vector<double> w, c, gw, gc;  // [vector | bias]
  void step(double log_value, double weight, double eta, double bias_rate) {
    const std::size_t dim = w.size() - 1;
    double dot = w[dim] + c[dim];
    for (std::size_t k = 0; k < dim; ++k) dot += w[k] * c[k];
    const double f = weight * (dot - log_value);
    for (std::size_t k = 0; k < dim; ++k) {
      const double tw = eta * f * c[k], tc = eta * f * w[k];
      w[k] -= tw / std::sqrt(gw[k]);
      c[k] -= tc / std::sqrt(gc[k]);
      gw[k] += tw * tw;
      gc[k] += tc * tc;
    }
    const double tb = bias_rate * f;
    w[dim] -= tb / std::sqrt(gw[dim]);
    c[dim] -= tb / std::sqrt(gc[dim]);
    gw[dim] += tb * tb;
    gc[dim] += tb * tb;
  }
};

// The trainer gives the biases their own rate: over four epochs of one record
// it follows the reference update for rates 1 (Stanford's) and 0.05 (the
// vectors' own), and the two end apart.
TEST(GloveTrainer, BiasesLearnAtTheirOwnRateAsStanfordGlove) {
  const std::size_t dim = 11;
  const std::vector<CooccurrenceRecord> records{{0, 1, 2.5f}};
  std::vector<double> final_bias;
  for (const double bias_rate : {1.0, 0.05}) {
    GloveOptions o;
    o.dim = static_cast<int>(dim);
    o.epochs = 4;
    o.threads = 1;
    o.x_max = 10;
    o.bias_learning_rate = bias_rate;
    GloveTrainer trainer(3, o, select_kernels());
    const GloveModel& model = trainer.model();
    ReferenceGlovePair ref;
    for (std::size_t k = 0; k < dim; ++k) ref.w.push_back(model.word(0)[k]), ref.c.push_back(model.context(1)[k]);
    ref.w.push_back(model.word_bias(0));
    ref.c.push_back(model.context_bias(1));
    ref.gw.assign(dim + 1, 1.0);
    ref.gc.assign(dim + 1, 1.0);
    trainer.train(records);
    for (int step = 0; step < o.epochs; ++step)
      ref.step(std::log(2.5), std::pow(2.5 / 10, 0.75), o.learning_rate, bias_rate);
    for (std::size_t k = 0; k < dim; ++k) {
      EXPECT_NEAR(model.word(0)[k], ref.w[k], 1e-6) << k;
      EXPECT_NEAR(model.context(1)[k], ref.c[k], 1e-6) << k;
    }
    EXPECT_NEAR(model.word_bias(0), ref.w[dim], 1e-5) << bias_rate;
    EXPECT_NEAR(model.context_bias(1), ref.c[dim], 1e-5) << bias_rate;
    final_bias.push_back(model.word_bias(0));
  }
  EXPECT_GT(std::abs(final_bias[0] - final_bias[1]), 0.1) << "the bias rate makes a difference";
}

TEST(GloveTrainer, LossFallsAndDivergenceIsReported) {
  TempDir dir;
  const auto corpus = testing::random_corpus(dir, 3000, 11);
  const Vocabulary vocab = Vocabulary::build(corpus, {2, 0});
  auto records = count_all(corpus, vocab, {});
  shuffle_records(records, 1);
  GloveOptions o;
  o.dim = 16;
  o.epochs = 6;
  o.threads = 2;
  o.x_max = 10;
  GloveTrainer trainer(vocab.size(), o, select_kernels());
  double untrained = 0;
  for (const auto& r : records) untrained += record_loss(trainer.model(), r, o);
  untrained /= static_cast<double>(records.size());
  const GloveSummary s = trainer.train(records);
  ASSERT_EQ(s.epoch_loss.size(), 6u);
  for (std::size_t e = 1; e < s.epoch_loss.size(); ++e) EXPECT_LT(s.epoch_loss[e], s.epoch_loss[e - 1]);
  EXPECT_LT(s.epoch_loss.back(), 0.8 * s.epoch_loss.front());
  EXPECT_LT(s.epoch_loss.back(), 0.1 * untrained);

  o.learning_rate = 10;  // the largest accepted
  GloveTrainer diverging(vocab.size(), o, select_kernels());
  try {
    diverging.train(records);
    FAIL() << "no error for a diverging run";
  } catch (const OptionError& e) {
    EXPECT_EQ(e.field(), "learning_rate");
    EXPECT_NE(std::string(e.what()).find("diverged in epoch 1"), std::string::npos) << e.what();
  }
}

TEST(GloveTrainer, OneThreadIsReproducible) {
  TempDir dir;
  const auto corpus = testing::random_corpus(dir, 1000, 2);
  const Vocabulary vocab = Vocabulary::build(corpus, {2, 0});
  const auto records = count_all(corpus, vocab, {});
  GloveOptions o;
  o.dim = 8;
  o.epochs = 2;
  o.threads = 1;
  o.x_max = 10;
  auto run = [&] {
    GloveTrainer t(vocab.size(), o, select_kernels());
    t.train(records);
    return t.model().vectors(GloveOutput::Sum);
  };
  const Matrix a = run(), b = run();
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.rows() * a.stride() * sizeof(float)), 0);
}

TEST(GloveTrainer, AutoXMaxIsTenForSmallCorporaAndGrowsToTheGlovePapersHundred) {
  EXPECT_EQ(auto_x_max(2'000'000), 10);
  EXPECT_EQ(auto_x_max(35'000'000), 10);
  EXPECT_EQ(auto_x_max(60'000'000), 10);
  EXPECT_NEAR(auto_x_max(600'000'000), 10 * std::sqrt(10.0), 1e-9);
  EXPECT_NEAR(auto_x_max(6'000'000'000), 100, 1e-9);
  EXPECT_EQ(auto_x_max(840'000'000'000), 100);  // never above the paper's value
  double previous = 0;
  for (std::uint64_t tokens = 1; tokens < 1'000'000'000'000; tokens *= 3) {
    EXPECT_GE(auto_x_max(tokens), previous);
    previous = auto_x_max(tokens);
  }
}

TEST(GloveTrainer, OptionsAreValidated) {
  GloveOptions o;
  o.x_max = -1;
  EXPECT_THROW(o.validate(), Error);
  o.x_max = 0;  // auto: valid, but a trainer needs it resolved
  EXPECT_NO_THROW(o.validate());
  EXPECT_THROW(GloveTrainer(10, o, select_kernels()), OptionError);
  o = {};
  o.learning_rate = -1;
  EXPECT_THROW(o.validate(), Error);
  o = {};
  o.bias_learning_rate = 0;
  EXPECT_THROW(o.validate(), OptionError);
  o.bias_learning_rate = 10.5;
  EXPECT_THROW(o.validate(), OptionError);
  o = {};
  o.dim = 0;
  EXPECT_THROW(o.validate(), Error);
  EXPECT_THROW(parse_glove_output("both"), Error);
}

TEST(GloveModel, OutputsSumWordOrConcatenation) {
  GloveModel m(3, 4, 1);
  const Matrix sum = m.vectors(GloveOutput::Sum), word = m.vectors(GloveOutput::Word),
               both = m.vectors(GloveOutput::Concat);
  ASSERT_EQ(both.cols(), 8u);
  for (std::size_t r = 0; r < 3; ++r)
    for (std::size_t k = 0; k < 4; ++k) {
      EXPECT_EQ(word.row(r)[k], m.word(r)[k]);
      EXPECT_EQ(sum.row(r)[k], m.word(r)[k] + m.context(r)[k]);
      EXPECT_EQ(both.row(r)[4 + k], m.context(r)[k]);
    }
}

TEST(GloveTrainer, PlacesRelatedWordsCloserOnTheBundledCorpus) {
  const std::string corpus = testing::bundled_corpus();
  if (corpus.empty()) GTEST_SKIP() << "WORDVEC_TEST_CORPUS not set (run through 'make test')";
  const Vocabulary vocab = Vocabulary::build(corpus, {5, 0}, nullptr, 2);
  CooccurrenceOptions co;
  co.threads = 2;
  auto records = count_all(corpus, vocab, co);
  shuffle_records(records, 1);
  GloveOptions o;
  o.dim = 50;
  o.epochs = 10;
  o.threads = 2;
  o.x_max = 10;
  GloveTrainer trainer(vocab.size(), o, select_kernels());
  trainer.train(records);
  testing::expect_related_closer(
      NearestNeighbors(WordVectors{vocab.words(), trainer.model().vectors(GloveOutput::Sum)}));
}

}  // namespace
}  // namespace wordvec
