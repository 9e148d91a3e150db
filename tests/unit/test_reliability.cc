// The library's share of "nothing a user owns is destroyed, no crash in an
// accepted range, nothing silently wrong": file identity, readers that refuse
// what is not a regular file, NaN-safe lookups, divergence as an error.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <cstring>
#include <future>
#include <memory>
#include <limits>

#include "test_helpers.h"
#include "wordvec/core/atomic_file.h"
#include "wordvec/text/corpus.h"
#include "wordvec/core/error.h"
#include "wordvec/query/evaluation.h"
#include "wordvec/core/files.h"
#include "wordvec/train/glove.h"
#include "wordvec/train/sgns.h"
#include "train/sigmoid.h"
#include "wordvec/io/vectors_io.h"
#include "wordvec/text/vocabulary.h"

namespace wordvec {
namespace {

using testing::error_of;
using testing::TempDir;

TEST(FilePlan, EverySpellingOfOneFileIsTheSameFile) {
  TempDir dir;
  const std::string in = dir.write("in.txt", "words\n");
  std::filesystem::create_directory(dir.file("sub"));
  std::filesystem::create_symlink(in, dir.file("link.txt"));
  std::filesystem::create_hard_link(in, dir.file("hard.txt"));
  const std::string cwd = std::filesystem::current_path();
  std::filesystem::current_path(dir.path());
  for (const std::string& other : {in, std::string("in.txt"), std::string("./in.txt"), std::string("sub/../in.txt"),
                                   std::string("link.txt"), std::string("hard.txt"), dir.path() + "//in.txt"}) {
    FilePlan plan;
    plan.input("in.txt", "--input");
    plan.output(other, "--output");
    const std::string message = error_of([&] { plan.check(); });
    EXPECT_NE(message.find("--output is the same file as --input"), std::string::npos) << other << ": " << message;
  }
  // Two outputs that do not exist yet: the same canonical path.
  FilePlan outputs;
  outputs.output("new.bin", "--output");
  outputs.output("sub/../new.bin", "--save-vocab");
  EXPECT_NE(error_of([&] { outputs.check(); }).find("--save-vocab and --output are the same file"), std::string::npos);
  // Different files pass.
  FilePlan fine;
  fine.input("in.txt", "--input");
  fine.output("out.bin", "--output");
  fine.output("sub/out.bin", "--save-vocab");
  EXPECT_EQ(error_of([&] { fine.check(); }), "");
  EXPECT_FALSE(std::filesystem::exists("out.bin"));  // check() writes nothing
  std::filesystem::current_path(cwd);
}

TEST(FilePlan, VectorCompanionsAreDeclared) {
  TempDir dir;
  EXPECT_EQ(vector_files_written(dir.file("v.npy"), VectorFormat::Npy),
            (std::vector<std::string>{dir.file("v.npy"), dir.file("v.words.txt")}));
  EXPECT_EQ(vector_files_written(dir.file("v.bin"), VectorFormat::Word2VecBinary),
            std::vector<std::string>{dir.file("v.bin")});
  Matrix m(1, 2);
  write_vectors(dir.file("x.npy"), {"a"}, m, VectorFormat::Npy);
  EXPECT_EQ(vector_files_read(dir.file("x.npy")).size(), 2u);
  write_vectors(dir.file("x.txt"), {"a"}, m, VectorFormat::Word2VecText);
  EXPECT_EQ(vector_files_read(dir.file("x.txt")).size(), 1u);
}

TEST(Readers, RefuseFoldersAndFifosWithoutBlocking) {
  TempDir dir;
  ASSERT_EQ(::mkfifo(dir.file("fifo").c_str(), 0600), 0);
  // Each reader, on a FIFO nobody writes to: an error at once, not a hang.
  const std::vector<std::function<void()>> readers = {
      [&] { read_vectors(dir.file("fifo")); },
      [&] { Vocabulary::build(dir.file("fifo"), {1, 0}); },
      [&] { corpus_file_size(dir.file("fifo")); },
      [&] { Vocabulary::load(dir.file("fifo"), {1, 0}); },
  };
  for (const auto& read : readers) {
    auto result = std::async(std::launch::async, [&] { return error_of(read); });
    ASSERT_EQ(result.wait_for(std::chrono::seconds(10)), std::future_status::ready) << "a reader blocked on a FIFO";
    EXPECT_NE(result.get().find("not a regular file"), std::string::npos);
  }
  EXPECT_NE(error_of([&] { read_vectors(dir.path()); }).find("is a directory"), std::string::npos);
  EXPECT_NE(error_of([&] { corpus_file_size(dir.path()); }).find("is a directory"), std::string::npos);
}

TEST(Sigmoid, NanAndInfinitiesStayInsideTheTable) {
  const SigmoidTable t;
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  for (float x : {nan, -nan, inf, -inf, 1e30f, -1e30f}) {
    const float s = t.sigmoid(x);
    EXPECT_TRUE(s >= 0 && s <= 1) << x << " -> " << s;
    float loss = 0;
    const float r = t.residual(x, true, loss);
    EXPECT_TRUE(r >= 0 && r <= 1) << x;
  }
  // The measured loss shows a broken score instead of hiding it.
  EXPECT_TRUE(std::isnan(t.log_loss(nan)));
  EXPECT_TRUE(std::isnan(t.log_loss(inf)));
  EXPECT_TRUE(std::isfinite(t.log_loss(40.0f)));
}

TEST(Divergence, TooHighALearningRateIsAnErrorInEveryModel) {
  TempDir dir;
  const std::string corpus = testing::random_corpus(dir, 3000, 5);
  const Vocabulary vocab = Vocabulary::build(corpus, {1, 0});
  for (Model model : {Model::SkipGram, Model::Cbow}) {
    SgnsOptions o;
    o.model = model;
    o.dim = 16;
    o.epochs = 2;
    o.threads = 2;
    o.learning_rate = 10;  // the top of the accepted range
    SgnsTrainer trainer(vocab, o, select_kernels());
    const std::string message = error_of([&] { trainer.train(corpus); });
    EXPECT_NE(message.find("training diverged"), std::string::npos) << model_name(model) << ": " << message;
    // The library names the field to lower; the CLI turns it into --alpha.
    EXPECT_EQ(message.rfind("learning_rate is too high", 0), 0u) << message;
  }
  SgnsOptions sane;
  sane.dim = 16;
  sane.epochs = 1;
  SgnsTrainer trainer(vocab, sane, select_kernels());
  EXPECT_EQ(error_of([&] { trainer.train(corpus); }), "");
}

TEST(Correlation, UndefinedIsNanNotZero) {
  EXPECT_TRUE(std::isnan(spearman_rho({1}, {2})));
  EXPECT_TRUE(std::isnan(pearson_r({}, {})));
  EXPECT_TRUE(std::isnan(spearman_rho({1, 2, 3}, {5, 5, 5})));
  EXPECT_NEAR(spearman_rho({1, 2, 3}, {1, 2, 4}), 1.0, 1e-12);
}

TEST(CorpusEncoding, ByteOrderMarksAndCompressionAreRecognised) {
  TempDir dir;
  EXPECT_EQ(corpus_text_start(dir.write("plain.txt", "a b\n")), 0u);
  EXPECT_EQ(corpus_text_start(dir.write("bom.txt", "\xEF\xBB\xBF" "a b\n")), 3u);
  const std::vector<std::pair<std::string, std::string>> refused = {
      {std::string("\x1F\x8B\x08\x00", 4), "gzip"},       {"BZh91AY", "bzip2"},
      {std::string("\xFD" "7zXZ\x00", 6), "xz"},           {"\x28\xB5\x2F\xFD", "zstd"},
      {"\xFF\xFE" "a\x00 \x00", "UTF-16"},                 {std::string("\xFF\xFE\x00\x00", 4), "UTF-32"},
      {std::string("a\0b\0c\0 \0d\0e\0f\0\n\0a\0b\0c\0", 22), "NUL bytes"}};
  for (const auto& entry : refused) {
    const std::string& bytes = entry.first;  // a named reference: clang 14 cannot capture a structured binding
    const std::string& what = entry.second;
    const std::string message = error_of([&] { corpus_text_start(dir.write("x", bytes)); });
    EXPECT_NE(message.find(what), std::string::npos) << what << ": " << message;
  }
  // The BOM is not part of the first word, in the vocabulary and in training.
  const std::string bom = dir.write("bom2.txt", "\xEF\xBB\xBF" "alpha beta\nalpha beta\n");
  const Vocabulary vocab = Vocabulary::build(bom, {1, 0});
  EXPECT_GE(vocab.id("alpha"), 0);
  EXPECT_EQ(vocab.size(), 2u);
}

TEST(AtomicFile, SignalCleanupRemovesUnfinishedFilesAndStaleOnesGo) {
  TempDir dir;
  {
    AtomicFileWriter writer(dir.file("out.bin"));
    writer.write("partial");
    remove_unfinished_files();  // what the signal handler does before _exit
    std::size_t temps = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path()))
      temps += e.path().filename().string().find(".tmp.") != std::string::npos;
    EXPECT_EQ(temps, 0u);
  }
  // A temp file of a process that no longer exists is removed by the next writer of the target.
  pid_t dead = 4194303;
  while (::kill(dead, 0) == 0 || errno != ESRCH) --dead;
  const std::string stale = dir.write("out.bin.tmp." + std::to_string(dead) + ".42", "old");
  const std::string live = dir.write("out.bin.tmp." + std::to_string(::getppid()) + ".42", "live");
  AtomicFileWriter writer(dir.file("out.bin"));
  writer.write("new");
  writer.commit();
  EXPECT_FALSE(std::filesystem::exists(stale));
  EXPECT_TRUE(std::filesystem::exists(live));
}

TEST(VectorIo, WordsWithControlBytesRoundTripInEveryFormat) {
  TempDir dir;
  const std::vector<std::string> words = {"a\x01" "b", "c\x1F" "d", "e\x7F" "f", std::string("g\x1B") + "h"};
  Matrix m(words.size(), 3);
  for (std::size_t r = 0; r < words.size(); ++r)
    for (std::size_t c = 0; c < 3; ++c) m.row(r)[c] = 0.25f * static_cast<float>(r + c) - 0.5f;
  for (VectorFormat f : {VectorFormat::Word2VecBinary, VectorFormat::Word2VecText, VectorFormat::FastTextVec,
                         VectorFormat::GloveText, VectorFormat::Npy}) {
    const std::string path = dir.file(std::string("v.") + vector_format_name(f));
    write_vectors(path, words, m, f);
    const WordVectors back = read_vectors(path);
    EXPECT_EQ(back.words, words) << vector_format_name(f);
    ASSERT_EQ(back.vectors.rows(), m.rows());
    for (std::size_t r = 0; r < m.rows(); ++r)
      for (std::size_t c = 0; c < 3; ++c) EXPECT_NEAR(back.vectors.row(r)[c], m.row(r)[c], 1e-6);
  }
}

}  // namespace
}  // namespace wordvec

namespace wordvec {
namespace {

// Rows start random: not zero, not equal to each other, a function of the seed.
template <class RowOf>
void expect_random_rows(std::size_t rows, std::size_t dim, RowOf row_of_seed_1, RowOf row_of_seed_2,
                        RowOf row_of_seed_1_again) {
  bool any_nonzero = false, rows_differ = false, seeds_differ = false;
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t i = 0; i < dim; ++i) {
      any_nonzero |= row_of_seed_1(r)[i] != 0.0f;
      if (r > 0) rows_differ |= row_of_seed_1(r)[i] != row_of_seed_1(0)[i];
      seeds_differ |= row_of_seed_1(r)[i] != row_of_seed_2(r)[i];
      ASSERT_EQ(row_of_seed_1(r)[i], row_of_seed_1_again(r)[i]) << "the same seed must give the same rows";
    }
  EXPECT_TRUE(any_nonzero) << "all rows are zero";
  EXPECT_TRUE(rows_differ) << "every row is the same";
  EXPECT_TRUE(seeds_differ) << "the seed is ignored";
}

TEST(Initialisation, SgnsInputRowsAreRandomAndSeeded) {
  const SgnsModel a = SgnsModel::initialise(50, 20, 1), b = SgnsModel::initialise(50, 20, 2),
                  c = SgnsModel::initialise(50, 20, 1);
  using RowOf = std::function<const float*(std::size_t)>;
  expect_random_rows<RowOf>(50, 20, [&](std::size_t r) { return a.input.row(r); },
                            [&](std::size_t r) { return b.input.row(r); }, [&](std::size_t r) { return c.input.row(r); });
}

TEST(Initialisation, GloveRowsAreRandomAndSeeded) {
  const GloveModel a(50, 20, 1), b(50, 20, 2), c(50, 20, 1);
  using RowOf = std::function<const float*(std::size_t)>;
  expect_random_rows<RowOf>(50, 20, [&](std::size_t r) { return a.word_rows().row(r); },
                            [&](std::size_t r) { return b.word_rows().row(r); },
                            [&](std::size_t r) { return c.word_rows().row(r); });
  expect_random_rows<RowOf>(50, 20, [&](std::size_t r) { return a.context_rows().row(r); },
                            [&](std::size_t r) { return b.context_rows().row(r); },
                            [&](std::size_t r) { return c.context_rows().row(r); });
}

TEST(ByteOrder, BigEndianNpyIsRefused) {
  testing::TempDir dir;
  std::string dict = "{'descr': '>f4', 'fortran_order': False, 'shape': (1, 2), }";
  dict.resize(118, ' ');
  dict += '\n';
  std::string file = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(dict.size()) + '\0' + dict +
                     std::string(8, '\0');
  const std::string path = dir.write("big.npy", file);
  dir.write("big.words.txt", "a\n");
  const std::string message = error_of([&] { read_vectors(path); });
  EXPECT_NE(message.find("'<f4'"), std::string::npos) << message;
}

}  // namespace
}  // namespace wordvec

namespace wordvec {
namespace {

// The .npy shape tuple running to the end of the data: the parser once read
// the byte after it. On an exact-size heap buffer, AddressSanitizer (make
// sanitize) reports such a read; here the answer must be a clean Error.
TEST(VectorIo, NpyShapeRunningToTheEndIsAnErrorNotAnOverRead) {
  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 12";
  const std::string file = std::string("\x93NUMPY\x01\x00", 8) + static_cast<char>(dict.size()) + '\0' + dict;
  std::unique_ptr<char[]> exact(new char[file.size()]);
  std::memcpy(exact.get(), file.data(), file.size());
  const std::string message = error_of([&] { parse_vectors("x.npy", {exact.get(), file.size()}); });
  EXPECT_NE(message.find("shape is not (rows, columns)"), std::string::npos) << message;
}

}  // namespace
}  // namespace wordvec
