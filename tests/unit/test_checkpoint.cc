#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "test_helpers.h"
#include "wordvec/io/checkpoint.h"
#include "wordvec/train/cooccurrence.h"
#include "wordvec/train/shuffled_records.h"
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
  c.settings.set("model", "skipgram");
  c.settings.set("input", "/some/corpus.txt");
  c.vocab = Vocabulary({{"the", 10}, {"cat", 3}}, {1, 0});
  Matrix m(2, 5);
  for (int i = 0; i < 10; ++i) m.row(i / 5)[i % 5] = 0.5f * i;
  c.matrices.push_back(m.clone());
  c.state = {1, 2, 3, 0xFFFFFFFFFFFFFFFFull};
  const auto path = dir.file("run.ckpt");
  write_checkpoint(path, c);
  const Checkpoint back = read_checkpoint(path);
  EXPECT_EQ(back.kind, "sgns");
  EXPECT_EQ(back.settings.values(), c.settings.values());
  EXPECT_EQ(back.settings.source(), path);
  EXPECT_EQ(back.vocab.words(), c.vocab.words());
  EXPECT_EQ(back.vocab.counts(), c.vocab.counts());
  ASSERT_EQ(back.matrices.size(), 1u);
  EXPECT_TRUE(same_matrix(back.matrices[0], m));
  EXPECT_EQ(back.state, c.state);
  EXPECT_EQ(back.settings.text("model"), "skipgram");
  EXPECT_THROW(back.settings.text("nope"), Error);

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

    // The snapshot goes through the library's checkpoint file and back.
    const auto path = dir.file(std::string(model_name(model)) + ".ckpt");
    std::optional<SgnsRunState> snapshot;
    o.progress_interval_seconds = 0;  // a report at every sync, so the stop below lands at a fixed word
    SgnsTrainer first(vocab, o, select_kernels());
    first.set_snapshots({3600.0, [&](const SgnsRunState& s) {
                           snapshot = s;
                           write_checkpoint(path, make_sgns_checkpoint(o, vocab, first.model(), s));
                         }});
    // A stop in the second epoch, during a replay of the recorded IdStream,
    // leaves a last snapshot at the next sentence end, however threads are timed.
    first.train(corpus, [&](const TrainingProgress& p) {
      if (p.words_done >= vocab.total_count() + 1000) first.request_stop();
    });
    ASSERT_TRUE(snapshot.has_value());
    EXPECT_GE(snapshot->workers[0].epoch, 1u);
    EXPECT_LT(snapshot->workers[0].position, snapshot->workers[0].shard_end);

    Checkpoint checkpoint = read_checkpoint(path);
    SgnsResume back = sgns_resume(checkpoint);
    EXPECT_EQ(back.options.to_settings().values(), o.to_settings().values());
    EXPECT_EQ(back.options.max_sentence_words, 7u);
    EXPECT_EQ(back.state.to_numbers(), snapshot->to_numbers());
    EXPECT_THROW(glove_resume(checkpoint), Error);  // the wrong kind is named, not misread
    SgnsTrainer resumed(checkpoint.vocab, back.options, select_kernels());
    resumed.restore(std::move(back.model), back.state);
    const TrainingSummary rest = resumed.train(corpus);
    EXPECT_EQ(rest.words, vocab.total_count() * 4);
    EXPECT_TRUE(same_matrix(resumed.model().input, whole.model().input)) << model_name(model);
    EXPECT_TRUE(same_matrix(resumed.model().output, whole.model().output)) << model_name(model);
  }
}

TEST(Checkpoint, StoredOptionsAreValidatedAndVersioned) {
  SgnsOptions o;
  o.window = 9;
  Settings s = o.to_settings();
  s.set_source("x.ckpt");
  EXPECT_EQ(SgnsOptions::from_settings(s).window, 9);
  Settings bad = s;
  bad.set("sgns.window", 0);
  try {
    SgnsOptions::from_settings(bad);
    ADD_FAILURE() << "window 0 accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("x.ckpt: the stored option window must be between 1 and 1000"),
              std::string::npos) << e.what();
  }
  bad = s;
  bad.set("sgns.version", 7);
  EXPECT_THROW(SgnsOptions::from_settings(bad), Error);
  bad = s;
  bad.set("sgns.dim", "4294967301");  // would wrap to 5 as an int
  EXPECT_THROW(SgnsOptions::from_settings(bad), Error);
  bad = s;
  bad.values().erase("sgns.sample");
  EXPECT_THROW(SgnsOptions::from_settings(bad), Error);
  GloveOptions g;
  g.weighting_exponent = 0.5;
  g.output = GloveOutput::Concat;
  const GloveOptions g_back = GloveOptions::from_settings(g.to_settings());
  EXPECT_EQ(g_back.weighting_exponent, 0.5);
  EXPECT_EQ(g_back.output, GloveOutput::Concat);
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
  o.x_max = 10;
  GloveTrainer whole(vocab.size(), o, select_kernels());
  whole.train(records);

  CooccurrenceOptions counting;
  counting.window = 7;
  GloveTrainer first(vocab.size(), o, select_kernels());
  const auto path = dir.file("glove.ckpt");
  first.set_snapshots(0, [&](int epochs_done) {
    if (epochs_done != 2) return;
    write_checkpoint(path, make_glove_checkpoint(o, counting, vocab, first.model(), epochs_done));
    first.request_stop();
  });
  first.train(records);
  Checkpoint checkpoint = read_checkpoint(path);
  GloveResume back = glove_resume(checkpoint);
  EXPECT_EQ(back.epochs_done, 2);
  EXPECT_EQ(back.options.to_settings().values(), o.to_settings().values());
  EXPECT_EQ(back.counting.window, 7);
  EXPECT_EQ(checkpoint.vocab.words(), vocab.words());
  back.options.threads = o.threads;  // the machine's choice, not stored; one thread is reproducible
  GloveTrainer resumed(vocab.size(), back.options, select_kernels());
  resumed.restore(std::move(back.model), back.epochs_done);
  EXPECT_EQ(resumed.train(records).epoch_loss.size(), 3u);
  EXPECT_TRUE(same_matrix(resumed.model().word_rows(), whole.model().word_rows()));
  EXPECT_TRUE(same_matrix(resumed.model().context_rows(), whole.model().context_rows()));
}

}  // namespace
}  // namespace wordvec
