#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "test_helpers.h"
#include "wordvec/io/checkpoint.h"
#include "wordvec/train/cooccurrence.h"
#include "wordvec/core/error.h"
#include "wordvec/train/glove.h"
#include "wordvec/train/sgns.h"

namespace wordvec {
namespace {

using testing::TempDir;

bool same_matrix(const Matrix& a, const Matrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), a.rows() * a.stride() * sizeof(float)) == 0;
}

TEST(Checkpoint, RoundTripAndDamageIsRefused) {
  TempDir dir;
  Checkpoint c;
  c.kind = "sgns";
  c.settings = {{"model", "skipgram"}, {"input", "/some/corpus.txt"}};
  c.vocab = Vocabulary({{"the", 10}, {"cat", 3}}, {1, 0});
  Matrix m(2, 5);
  for (int i = 0; i < 10; ++i) m.row(i / 5)[i % 5] = 0.5f * i;
  c.matrices.push_back(m.clone());
  c.state = {1, 2, 3, 0xFFFFFFFFFFFFFFFFull};
  const auto path = dir.file("run.ckpt");
  write_checkpoint(path, c);
  const Checkpoint back = read_checkpoint(path);
  EXPECT_EQ(back.kind, "sgns");
  EXPECT_EQ(back.settings, c.settings);
  EXPECT_EQ(back.vocab.words(), c.vocab.words());
  EXPECT_EQ(back.vocab.counts(), c.vocab.counts());
  ASSERT_EQ(back.matrices.size(), 1u);
  EXPECT_TRUE(same_matrix(back.matrices[0], m));
  EXPECT_EQ(back.state, c.state);
  EXPECT_EQ(back.setting("model"), "skipgram");
  EXPECT_THROW(back.setting("nope"), Error);

  std::string bytes;
  {
    std::ifstream in(path, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto expect_error = [&](std::string content, const std::string& fragment) {
    const auto bad = dir.write("bad.ckpt", content);
    try {
      read_checkpoint(bad);
      ADD_FAILURE() << "no error for " << fragment;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(fragment), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("bad.ckpt"), std::string::npos) << e.what();
    }
  };
  std::string flipped = bytes;
  flipped[bytes.size() - 20] ^= 1;
  expect_error(flipped, "checksum mismatch");
  expect_error(bytes.substr(0, bytes.size() - 30), "truncated");
  std::string other_version = bytes;
  other_version[8] = 7;
  expect_error(other_version, "version 7 is not supported");
  expect_error("WVCOOC01 and more bytes", "not a wordvec checkpoint");
}

// A run snapshotted mid-way and continued in a new trainer ends with exactly
// the vectors of the uninterrupted run (one thread: no Hogwild nondeterminism).
TEST(Checkpoint, SkipGramResumedFromASnapshotIsBitIdentical) {
  TempDir dir;
  const auto corpus = testing::random_corpus(dir, 6000, 21);
  const Vocabulary vocab = Vocabulary::build(corpus, {2, 0});
  for (Model model : {Model::SkipGram, Model::Cbow}) {
    SgnsOptions o;
    o.model = model;
    o.dim = 16;
    o.epochs = 4;
    o.threads = 1;
    o.max_sentence_words = 7;  // also pause inside long lines
    SgnsTrainer whole(vocab, o, select_kernels());
    whole.train(corpus);

    std::optional<SgnsRunState> snapshot;
    Matrix input, output;
    SgnsTrainer first(vocab, o, select_kernels());
    first.set_snapshots({0.0, [&](const SgnsRunState& s) {
                           // Take one after the first epoch, mid-way through a replay of the
                           // recorded IdStream (how soon depends on thread timing), then stop.
                           if (snapshot || s.workers[0].epoch < 1 || s.workers[0].position < 1000) return;
                           snapshot = s;
                           input = first.model().input.clone();
                           output = first.model().output.clone();
                           first.request_stop();
                         }});
    first.train(corpus);
    ASSERT_TRUE(snapshot.has_value());
    EXPECT_GE(snapshot->workers[0].epoch, 1u);
    EXPECT_LT(snapshot->workers[0].position, snapshot->workers[0].shard_end);

    SgnsTrainer resumed(vocab, o, select_kernels());
    const SgnsRunState through_numbers = SgnsRunState::from_numbers(snapshot->to_numbers());
    resumed.restore(SgnsModel{std::move(input), std::move(output)}, through_numbers);
    const TrainingSummary rest = resumed.train(corpus);
    EXPECT_EQ(rest.words, vocab.total_count() * 4);
    EXPECT_TRUE(same_matrix(resumed.model().input, whole.model().input)) << model_name(model);
    EXPECT_TRUE(same_matrix(resumed.model().output, whole.model().output)) << model_name(model);
  }
}

TEST(Checkpoint, MalformedRunStatesAreRefused) {
  EXPECT_THROW(SgnsRunState::from_numbers({}), Error);
  EXPECT_THROW(SgnsRunState::from_numbers({5, 1, 0, 10, 11, 0, 1, 0, 0}), Error);  // position past the shard
  EXPECT_NO_THROW(SgnsRunState::from_numbers({5, 1, 0, 10, 4, 0, 1, 0, 0}));
}

TEST(Checkpoint, GloveResumedAfterAnEpochIsBitIdentical) {
  TempDir dir;
  const auto corpus = testing::random_corpus(dir, 3000, 4);
  const Vocabulary vocab = Vocabulary::build(corpus, {2, 0});
  std::vector<CooccurrenceRecord> records;
  CooccurrenceCounter(vocab, {}).count(corpus, [&](auto batch) { records.insert(records.end(), batch.begin(), batch.end()); });
  shuffle_records(records, 1);
  GloveOptions o;
  o.dim = 12;
  o.epochs = 5;
  o.threads = 1;
  GloveTrainer whole(vocab.size(), o, select_kernels());
  whole.train(records);

  GloveTrainer first(vocab.size(), o, select_kernels());
  std::optional<GloveModel> saved;
  int saved_epochs = 0;
  first.set_snapshots(0, [&](int epochs_done) {
    if (epochs_done != 2) return;
    saved = GloveModel::from_rows(o.dim, first.model().word_rows().clone(), first.model().context_rows().clone());
    saved_epochs = epochs_done;
    first.request_stop();
  });
  first.train(records);
  ASSERT_TRUE(saved.has_value());
  GloveTrainer resumed(vocab.size(), o, select_kernels());
  resumed.restore(std::move(*saved), saved_epochs);
  EXPECT_EQ(resumed.train(records).epoch_loss.size(), 3u);
  EXPECT_TRUE(same_matrix(resumed.model().word_rows(), whole.model().word_rows()));
  EXPECT_TRUE(same_matrix(resumed.model().context_rows(), whole.model().context_rows()));
}

}  // namespace
}  // namespace wordvec
