// Distributed training's pieces over threads of one process (InProcessGroup):
// the collectives, the shared vocabulary and co-occurrences, the model
// exchange, and whole two-process skip-gram and GloVe runs. The MPI build runs the same code under mpirun
// (tests/cli/mpi.sh).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>
#include <random>
#include <thread>

#include "test_helpers.h"
#include "wordvec/dist/communicator.h"
#include "wordvec/dist/model_sync.h"
#include "wordvec/dist/shared_cooccurrence.h"
#include "wordvec/dist/shared_corpus.h"
#include "wordvec/query/neighbors.h"
#include "wordvec/simd/kernels.h"
#include "wordvec/train/glove.h"
#include "wordvec/train/shuffled_records.h"

namespace wordvec {
namespace {

// Runs f(communicator) on `size` threads, one per participant.
void run_group(int size, const std::function<void(Communicator&)>& f) {
  InProcessGroup group(size);
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(size));
  for (int r = 0; r < size; ++r)
    threads.emplace_back([&, r] {
      try {
        f(group.communicator(r));
      } catch (...) {
        errors[static_cast<std::size_t>(r)] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
}

TEST(InProcessGroup, SumsBroadcastsAndGathersInRankOrder) {
  std::vector<std::vector<float>> sums(3);
  std::vector<std::vector<char>> received(3);
  std::vector<std::vector<std::vector<char>>> gathered(3);
  run_group(3, [&](Communicator& c) {
    const auto r = static_cast<std::size_t>(c.rank());
    std::vector<float> v{1.0f * static_cast<float>(r), 10.0f};
    c.sum(v);
    sums[r] = v;
    std::vector<char> bytes = r == 1 ? std::vector<char>{'h', 'i'} : std::vector<char>{};
    c.broadcast(bytes, 1);
    received[r] = bytes;
    const std::string mine(r + 1, static_cast<char>('a' + r));
    gathered[r] = c.gather(std::span<const char>(mine.data(), mine.size()), 0);
  });
  for (int r = 0; r < 3; ++r) {
    EXPECT_EQ(sums[r], (std::vector<float>{3.0f, 30.0f}));
    EXPECT_EQ(std::string(received[r].begin(), received[r].end()), "hi");
  }
  ASSERT_EQ(gathered[0].size(), 3u);
  EXPECT_EQ(std::string(gathered[0][2].begin(), gathered[0][2].end()), "ccc");
  EXPECT_TRUE(gathered[1].empty());
}

TEST(InProcessGroup, AllToAllDeliversEachPartToItsParticipantInRankOrder) {
  std::vector<std::vector<std::vector<char>>> received(3);
  run_group(3, [&](Communicator& c) {
    std::vector<std::vector<char>> to_each(3);
    for (int to = 0; to < 3; ++to)  // "from>to", one byte more per sender
      to_each[static_cast<std::size_t>(to)] = std::vector<char>(static_cast<std::size_t>(c.rank() + 1), static_cast<char>('0' + 3 * c.rank() + to));
    received[static_cast<std::size_t>(c.rank())] = c.all_to_all(to_each);
  });
  for (int to = 0; to < 3; ++to)
    for (int from = 0; from < 3; ++from)
      EXPECT_EQ(received[static_cast<std::size_t>(to)][static_cast<std::size_t>(from)],
                std::vector<char>(static_cast<std::size_t>(from + 1), static_cast<char>('0' + 3 * from + to)));
}

TEST(ProcessShards, CoverTheFileInRankOrderWithoutSplittingWords) {
  testing::TempDir dir;
  const std::string corpus = testing::random_corpus(dir, 2000, 7);
  const std::uint64_t size = corpus_file_size(corpus);
  for (int processes : {1, 2, 3}) {
    std::uint64_t next = 0;
    for (int r = 0; r < processes; ++r) {
      run_group(processes, [&](Communicator& c) {
        if (c.rank() != r) return;
        for (const ByteRange& shard : process_shards(corpus, c, 2)) {
          EXPECT_EQ(shard.begin, next);
          next = shard.end;
        }
      });
    }
    EXPECT_EQ(next, size);
  }
}

TEST(SharedVocabulary, IsTheSingleProcessVocabularyOnEveryProcess) {
  testing::TempDir dir;
  const std::string corpus = testing::random_corpus(dir, 3000, 11);
  const VocabOptions options{3, 150};  // min_count and max_vocab both cut
  VocabStats alone_stats;
  const Vocabulary alone = Vocabulary::build(corpus, options, &alone_stats, 1);
  for (int processes : {2, 3}) {
    std::vector<Vocabulary> vocabs(static_cast<std::size_t>(processes));
    std::vector<VocabStats> stats(vocabs.size());
    run_group(processes, [&](Communicator& c) {
      const auto r = static_cast<std::size_t>(c.rank());
      vocabs[r] = shared_vocabulary(c, corpus, process_shards(corpus, c, 2), options, &stats[r]);
    });
    for (std::size_t r = 0; r < vocabs.size(); ++r) {
      EXPECT_EQ(vocabs[r].words(), alone.words()) << processes << " processes, rank " << r;
      EXPECT_EQ(vocabs[r].counts(), alone.counts());
      EXPECT_EQ(vocabs[r].id(alone.word(7)), 7);
      EXPECT_EQ(stats[r].scan.tokens, alone_stats.scan.tokens);
      EXPECT_EQ(stats[r].scan.lines, alone_stats.scan.lines);
      EXPECT_EQ(stats[r].distinct_words, alone_stats.distinct_words);
      EXPECT_EQ(stats[r].dropped_max_vocab, alone_stats.dropped_max_vocab);
    }
  }
}

namespace {
std::vector<CooccurrenceRecord> count_all(const Vocabulary& vocab, const CooccurrenceOptions& co, const std::string& corpus,
                                          std::optional<ByteRange> part = std::nullopt) {
  std::vector<CooccurrenceRecord> records;
  CooccurrenceCounter counter(vocab, co);
  const RecordSink keep = [&](std::span<const CooccurrenceRecord> b) { records.insert(records.end(), b.begin(), b.end()); };
  if (part)
    counter.count(corpus, *part, keep);
  else
    counter.count(corpus, keep);
  return records;
}
}  // namespace

// Each process counts its lines and receives the records of its rows: put
// together, the single process's counts, bit for bit (integer units; with 1/d
// weights the sums of two floats may round differently, so within 1e-6).
TEST(SharedCooccurrences, EachProcessOwnsItsRowsWithTheSingleProcessCounts) {
  testing::TempDir dir;
  const std::string corpus = testing::random_corpus(dir, 3000, 5);
  const Vocabulary vocab = Vocabulary::build(corpus, {2, 0}, nullptr, 1);
  for (const bool weighted : {false, true}) {
    CooccurrenceOptions co;
    co.window = 4;
    co.distance_weighting = weighted;
    co.threads = 2;
    co.progress_interval_seconds = 0;
    const std::vector<CooccurrenceRecord> alone = count_all(vocab, co, corpus);
    for (int processes : {2, 3}) {
      std::vector<std::vector<CooccurrenceRecord>> owned(static_cast<std::size_t>(processes));
      // Weighted, rank 1 hands its records over reversed: the parts are then sorted, not merged.
      run_group(processes, [&](Communicator& c) {
        std::vector<CooccurrenceRecord> counted = count_all(vocab, co, corpus, process_lines(corpus, c));
        if (weighted && c.rank() == 1) std::reverse(counted.begin(), counted.end());
        owned[static_cast<std::size_t>(c.rank())] = owned_cooccurrences(c, std::move(counted));
      });
      const auto cell = [](const CooccurrenceRecord& r) { return std::uint64_t{r.row} << 32 | r.col; };
      for (const auto& mine : owned)
        ASSERT_TRUE(std::adjacent_find(mine.begin(), mine.end(), [&](const auto& a, const auto& b) {
                      return cell(a) >= cell(b);
                    }) == mine.end())
            << "each process's records in (row, col) order, a cell once";
      std::vector<CooccurrenceRecord> together;
      for (int r = 0; r < processes; ++r) {
        for (const CooccurrenceRecord& rec : owned[static_cast<std::size_t>(r)])
          ASSERT_EQ(row_owner(rec.row, processes), r) << "row " << rec.row;
        together.insert(together.end(), owned[static_cast<std::size_t>(r)].begin(), owned[static_cast<std::size_t>(r)].end());
        EXPECT_GT(owned[static_cast<std::size_t>(r)].size(), alone.size() / (2 * static_cast<std::size_t>(processes)));
      }
      together = merge_cooccurrences(std::move(together), {});  // in (row, col) order
      ASSERT_EQ(together.size(), alone.size()) << processes << " processes, weighted " << weighted;
      for (std::size_t i = 0; i < alone.size(); ++i) {
        ASSERT_EQ(together[i].row, alone[i].row);
        ASSERT_EQ(together[i].col, alone[i].col);
        if (weighted)
          ASSERT_NEAR(together[i].value, alone[i].value, 1e-6 * alone[i].value);
        else
          ASSERT_EQ(together[i].value, alone[i].value);
      }
    }
  }
}

TEST(SharedCooccurrences, OwnedRecordsOfAFileAreThoseOfTheProcesssRows) {
  const std::vector<CooccurrenceRecord> all{{0, 1, 1}, {1, 0, 1}, {2, 5, 2}, {3, 3, 1}, {4, 0, 1}};
  run_group(2, [&](Communicator& c) {
    const std::vector<CooccurrenceRecord> mine = owned_records(c, all);
    ASSERT_EQ(mine.size(), c.rank() == 0 ? 3u : 2u);
    for (const CooccurrenceRecord& r : mine) EXPECT_EQ(static_cast<int>(r.row % 2), c.rank());
  });
}

// In each round the processes train disjoint word rows and disjoint context
// rows; every record is in exactly one round.
TEST(SharedCooccurrences, RoundsGiveTheProcessesDisjointContextRows) {
  std::vector<CooccurrenceRecord> all;
  for (std::uint32_t row = 0; row < 30; ++row)
    for (std::uint32_t col = 0; col < 30; col += 1 + row % 4) all.push_back({row, col, 1.0f + static_cast<float>(col)});
  for (int processes : {2, 3}) {
    std::vector<std::vector<CooccurrenceRecord>> mine(static_cast<std::size_t>(processes));
    std::vector<std::vector<std::size_t>> ends(mine.size());
    run_group(processes, [&](Communicator& c) {
      const auto r = static_cast<std::size_t>(c.rank());
      mine[r] = owned_records(c, all);
      ends[r] = arrange_rounds(c, mine[r], 7);
    });
    std::size_t total = 0;
    for (int round = 0; round < processes; ++round) {
      std::vector<int> context_user(30, -1);
      for (int p = 0; p < processes; ++p) {
        const auto& e = ends[static_cast<std::size_t>(p)];
        ASSERT_EQ(e.size(), static_cast<std::size_t>(processes));
        const std::size_t begin = round == 0 ? 0 : e[static_cast<std::size_t>(round) - 1];
        for (std::size_t i = begin; i < e[static_cast<std::size_t>(round)]; ++i) {
          const CooccurrenceRecord& rec = mine[static_cast<std::size_t>(p)][i];
          EXPECT_EQ(row_owner(rec.row, processes), p);
          int& user = context_user[rec.col];
          EXPECT_TRUE(user == -1 || user == p) << "context " << rec.col << " in round " << round;
          user = p;
          ++total;
        }
      }
    }
    EXPECT_EQ(total, all.size());
  }
}

TEST(ModelSync, AppliesEveryProcesssChangeOrTheirMeanAndCountsWords) {
  // The changes are halves, so both precisions give the same models.
  for (SyncPrecision precision : {SyncPrecision::Float, SyncPrecision::Half})
  for (SyncCombine combine : {SyncCombine::Sum, SyncCombine::Mean}) {
    std::vector<Matrix> models;
    for (int r = 0; r < 2; ++r) {
      models.emplace_back(3, 2);
      models.back().row(1)[0] = 1.0f;  // the common start
    }
    std::vector<ExchangeResult> first(2), second(2), third(2);
    // Chunks of 5 floats: the exchange crosses rows and padding.
    run_group(2, [&](Communicator& c) {
      const auto r = static_cast<std::size_t>(c.rank());
      Matrix& m = models[r];
      ModelSync sync(c, {&m}, {combine, precision, /*chunk_values=*/5});
      m.row(r)[1] += 2.0f;         // a row only this process changed
      m.row(1)[0] += 0.5f + static_cast<float>(r);  // a row both changed: +0.5 and +1.5
      first[r] = sync.exchange(100 + 10 * r, false, r == 1);
      second[r] = sync.exchange(5, r == 0, true);
      third[r] = sync.exchange(0, true, false);
      EXPECT_EQ(sync.stats().exchanges, 3u);
      EXPECT_EQ(sync.stats().bytes_per_exchange,
                3 * m.stride() * (precision == SyncPrecision::Half ? sizeof(std::uint16_t) : sizeof(float)));
    });
    const float scale = combine == SyncCombine::Mean ? 0.5f : 1.0f;
    for (const Matrix& m : models) {
      EXPECT_FLOAT_EQ(m.row(0)[1], 2.0f * scale);
      EXPECT_FLOAT_EQ(m.row(1)[1], 2.0f * scale);
      EXPECT_FLOAT_EQ(m.row(1)[0], 1.0f + 2.0f * scale);
      EXPECT_FLOAT_EQ(m.row(2)[0], 0.0f);
      EXPECT_EQ(m.row(0)[m.cols()], 0.0f) << "the padding stays zero";
    }
    for (int r = 0; r < 2; ++r) {
      EXPECT_EQ(first[r].words_done, 210u);
      EXPECT_FALSE(first[r].all_finished);
      EXPECT_TRUE(first[r].snapshot) << "rank 1 wants one: every process takes it";
      EXPECT_EQ(second[r].words_done, 220u);
      EXPECT_FALSE(second[r].all_finished) << "rank 1 had not finished";
      EXPECT_FALSE(second[r].snapshot) << "rank 0 has finished: no snapshot";
      EXPECT_TRUE(third[r].all_finished);
    }
  }
}

// Changes that are not halves arrive rounded: within 2^-11 of each process's
// change, and the same everywhere, so the models stay identical.
TEST(ModelSync, HalfPrecisionRoundsEachChangeAndKeepsTheModelsIdentical) {
  std::vector<Matrix> models;
  for (int r = 0; r < 3; ++r) models.emplace_back(40, 10);
  std::vector<std::vector<float>> changes(3);
  run_group(3, [&](Communicator& c) {
    const auto r = static_cast<std::size_t>(c.rank());
    Matrix& m = models[r];
    for (std::size_t row = 0; row < m.rows(); ++row)
      for (std::size_t i = 0; i < m.cols(); ++i) m.row(row)[i] = 0.25f * static_cast<float>(i);  // the common start
    ModelSync sync(c, {&m}, {SyncCombine::Sum, SyncPrecision::Half, /*chunk_values=*/64});
    std::mt19937 gen(static_cast<unsigned>(r) + 1);
    std::uniform_real_distribution<float> change(-0.1f, 0.1f);
    for (std::size_t row = 0; row < m.rows(); ++row)
      for (std::size_t i = 0; i < m.cols(); ++i) {
        const float d = change(gen) * (row % 4 == 0 ? 1e-3f : 1.0f);  // rare words' small changes too
        m.row(row)[i] += d;
        changes[r].push_back(d);
      }
    sync.exchange(0, true);
  });
  double largest_error = 0;
  for (std::size_t row = 0; row < 40; ++row)
    for (std::size_t i = 0; i < 10; ++i) {
      const std::size_t k = row * 10 + i;
      const double total = double{changes[0][k]} + changes[1][k] + changes[2][k];
      double bound = 0;  // each change's rounding and the two additions' (of at most the total so far)
      for (const auto& c : changes) bound += std::ldexp(std::fabs(c[k]), -11) + std::ldexp(1.0, -25);
      bound += 2 * std::ldexp(std::fabs(total) + bound, -11);
      const double got = models[0].row(row)[i] - 0.25 * static_cast<double>(i);
      ASSERT_NEAR(got, total, bound + 3e-7) << "row " << row << " lane " << i;
      largest_error = std::max(largest_error, std::fabs(got - total));
      ASSERT_EQ(models[1].row(row)[i], models[0].row(row)[i]);
      ASSERT_EQ(models[2].row(row)[i], models[0].row(row)[i]);
    }
  EXPECT_GT(largest_error, 0) << "the changes were rounded";
  EXPECT_EQ(models[0].row(0)[10], 0.0f) << "the padding stays zero";
}

// 8-bit changes arrive within the bound of their rows' scales (each
// process's rounding, then two requantised additions on 3 processes), the
// same everywhere; a row no process changed stays exact; pieces of 4 rows.
TEST(ModelSync, Int8ChangesStayWithinTheirRowsScalesAndKeepTheModelsIdentical) {
  constexpr std::size_t kRows = 40, kCols = 10, kUnchanged = 5;
  std::vector<Matrix> models;
  for (int r = 0; r < 3; ++r) models.emplace_back(kRows, kCols);
  std::vector<std::vector<float>> changes(3);
  std::vector<std::uint64_t> bytes(3);
  run_group(3, [&](Communicator& c) {
    const auto r = static_cast<std::size_t>(c.rank());
    Matrix& m = models[r];
    for (std::size_t row = 0; row < kRows; ++row)
      for (std::size_t i = 0; i < kCols; ++i) m.row(row)[i] = 0.25f * static_cast<float>(i);  // the common start
    ModelSync sync(c, {&m}, {SyncCombine::Sum, SyncPrecision::Int8, /*chunk_values=*/64});
    std::mt19937 gen(static_cast<unsigned>(r) + 1);
    std::uniform_real_distribution<float> change(-0.1f, 0.1f);
    for (std::size_t row = 0; row < kRows; ++row)
      for (std::size_t i = 0; i < kCols; ++i) {
        const float d = row == kUnchanged ? 0.0f : change(gen) * (row % 4 == 0 ? 1e-3f : 1.0f);
        m.row(row)[i] += d;
        changes[r].push_back(m.row(row)[i] - 0.25f * static_cast<float>(i));  // the change as the model holds it
      }
    sync.exchange(0, true);
    bytes[r] = sync.stats().bytes_per_exchange;
  });
  EXPECT_EQ(bytes[0], kRows * (sizeof(float) + kCols)) << "a scale and a byte a value, no padding";
  double largest_error = 0;
  for (std::size_t row = 0; row < kRows; ++row) {
    double scales = 0;  // the processes' largest changes in this row, summed
    for (const auto& c : changes)
      scales += std::fabs(*std::max_element(c.begin() + row * kCols, c.begin() + (row + 1) * kCols,
                                            [](float a, float b) { return std::fabs(a) < std::fabs(b); }));
    for (std::size_t i = 0; i < kCols; ++i) {
      const std::size_t k = row * kCols + i;
      const double total = double{changes[0][k]} + changes[1][k] + changes[2][k];
      const double got = models[0].row(row)[i] - 0.25 * static_cast<double>(i);
      ASSERT_NEAR(got, total, 3.05 * scales / 254 + 1e-7) << "row " << row << " lane " << i;
      if (row == kUnchanged) {
        ASSERT_EQ(models[0].row(row)[i], 0.25f * static_cast<float>(i));
      }
      largest_error = std::max(largest_error, std::fabs(got - total));
      ASSERT_EQ(models[1].row(row)[i], models[0].row(row)[i]);
      ASSERT_EQ(models[2].row(row)[i], models[0].row(row)[i]);
    }
  }
  EXPECT_GT(largest_error, 0) << "the changes were rounded";
  EXPECT_EQ(models[0].row(0)[kCols], 0.0f) << "the padding stays zero";
}

TEST(ModelSync, DefaultIntervalKeepsTheWordsBetweenExchangesAndTheirNumberInBounds) {
  EXPECT_EQ(default_sync_every(175'000'000, 2), 875'000u);    // the benchmark corpus, 5 epochs: 100 exchanges
  EXPECT_EQ(default_sync_every(10'000'000'000, 2), 1'000'000u);  // 2M words in all between exchanges
  EXPECT_EQ(default_sync_every(10'000'000'000, 64), 31'250u);
  EXPECT_EQ(default_sync_every(6'000'000, 3), 20'000u);
  EXPECT_EQ(default_sync_every(1000, 2), 1000u);  // the floor
}

TEST(GatherRunStates, PutsEveryProcesssWorkersAtRankZeroInRankOrder) {
  std::vector<std::optional<SgnsRunState>> gathered(3);
  run_group(3, [&](Communicator& c) {
    SgnsRunState mine;
    mine.words_done = 1234;
    const auto r = static_cast<std::uint64_t>(c.rank());
    mine.workers.push_back({100 * r, 100 * r + 100, 100 * r + 7, 2, r, 0, 0.01f});
    gathered[r] = gather_run_states(c, mine);
  });
  ASSERT_TRUE(gathered[0].has_value());
  EXPECT_FALSE(gathered[1].has_value());
  ASSERT_EQ(gathered[0]->workers.size(), 3u);
  EXPECT_EQ(gathered[0]->words_done, 1234u);
  for (std::uint64_t r = 0; r < 3; ++r) {
    EXPECT_EQ(gathered[0]->workers[r].shard_begin, 100 * r);
    EXPECT_EQ(gathered[0]->workers[r].position, 100 * r + 7);
    EXPECT_EQ(gathered[0]->workers[r].rng_state, r);
  }
}

// Two processes of one thread each train skip-gram on their halves of the
// corpus, exchanging every 100k words: they end with the same model, trained
// on every word, that places related words closer.
TEST(DistributedTraining, PlacesRelatedWordsCloserOnTheBundledCorpus) {
  const std::string corpus = testing::bundled_corpus();
  if (corpus.empty()) GTEST_SKIP() << "WORDVEC_TEST_CORPUS not set (run through 'make test')";
  SgnsOptions o;
  o.dim = 50;
  o.epochs = 2;
  o.threads = 1;
  o.progress_interval_seconds = 0;
  std::vector<Matrix> vectors(2);
  std::vector<std::uint64_t> words(2), expected(2), exchanges(2);
  std::vector<Vocabulary> vocabs(2);
  run_group(2, [&](Communicator& c) {
    const auto r = static_cast<std::size_t>(c.rank());
    const std::vector<ByteRange> shards = process_shards(corpus, c, o.threads);
    vocabs[r] = shared_vocabulary(c, corpus, shards, {5, 0});
    SgnsTrainer trainer(vocabs[r], o, select_kernels());
    ModelSync sync(c, {&trainer.model().input, &trainer.model().output}, SyncOptions{});
    trainer.set_exchanges({100000, [&](std::uint64_t since, bool finished, bool snapshot) { return sync.exchange(since, finished, snapshot); },
                           r * o.threads, 2});
    words[r] = trainer.train_shards(corpus, shards).words;
    expected[r] = vocabs[r].total_count() * 2;
    exchanges[r] = sync.stats().exchanges;
    vectors[r] = trainer.model().input.clone();
  });
  for (std::size_t r = 0; r < 2; ++r) {
    EXPECT_EQ(words[r], expected[r]) << "rank " << r << " follows every process's words";
    EXPECT_GT(exchanges[r], 10u);
  }
  EXPECT_EQ(exchanges[0], exchanges[1]);
  ASSERT_EQ(0, std::memcmp(vectors[0].data(), vectors[1].data(), vectors[0].rows() * vectors[0].stride() * sizeof(float)))
      << "the processes end with the same model";
  testing::expect_related_closer(NearestNeighbors(WordVectors{vocabs[0].words(), std::move(vectors[0])}));
}

// Two processes of one thread each count their halves, trade records by row
// and train GloVe in two rounds an epoch: the same model on both,
// the loss of a single process's run, related words closer.
TEST(DistributedTraining, GlovePlacesRelatedWordsCloserOnTheBundledCorpus) {
  const std::string corpus = testing::bundled_corpus();
  if (corpus.empty()) GTEST_SKIP() << "WORDVEC_TEST_CORPUS not set (run through 'make test')";
  GloveOptions go;
  go.dim = 30;
  go.epochs = 6;
  go.threads = 1;
  go.x_max = 10;
  go.progress_interval_seconds = 0;
  CooccurrenceOptions co;
  co.threads = 1;
  co.memory_gib = 0.25;  // the default (half the RAM) would allocate GiBs of dense tables three times
  co.progress_interval_seconds = 0;
  const Vocabulary vocab = Vocabulary::build(corpus, {10, 0}, nullptr, 1);
  std::vector<CooccurrenceRecord> alone_records = count_all(vocab, co, corpus);
  shuffle_records(alone_records, 1);
  GloveTrainer alone(vocab.size(), go, select_kernels());
  const double alone_loss = alone.train(alone_records).epoch_loss.back();

  std::vector<Matrix> vectors(2);
  std::vector<double> losses(2);
  std::vector<std::uint64_t> exchanges(2);
  run_group(2, [&](Communicator& c) {
    const auto r = static_cast<std::size_t>(c.rank());
    std::vector<CooccurrenceRecord> mine = owned_cooccurrences(c, count_all(vocab, co, corpus, process_lines(corpus, c)));
    std::vector<std::size_t> round_ends = arrange_rounds(c, mine, 1 + r);
    std::vector<double> all{static_cast<double>(mine.size())};
    c.sum(all);
    GloveTrainer trainer(vocab.size(), go, select_kernels());
    ModelSync contexts(c, {&trainer.model().context_rows()}, SyncOptions{});
    ModelSync words(c, {&trainer.model().word_rows()}, SyncOptions{});
    trainer.set_exchanges({round_ends,
                           [&](std::uint64_t since, bool snapshot, bool complete) {
                             const ExchangeResult result = contexts.exchange(since, false, snapshot);
                             if (complete) words.exchange(0, false);
                             return result;
                           },
                           [&](std::span<double> v) { c.sum(v); }, static_cast<std::uint64_t>(all[0]), 2});
    losses[r] = trainer.train(mine).epoch_loss.back();
    exchanges[r] = contexts.stats().exchanges + 1000 * words.stats().exchanges;
    vectors[r] = trainer.model().vectors(GloveOutput::Sum);
  });
  EXPECT_EQ(exchanges[0], 1012u) << "contexts after each of 2 rounds an epoch, words once at the end";
  EXPECT_EQ(exchanges[1], 1012u);
  EXPECT_EQ(losses[0], losses[1]) << "the loss is the run's, the same on every process";
  EXPECT_NEAR(losses[0], alone_loss, 0.1 * alone_loss);
  ASSERT_EQ(0, std::memcmp(vectors[0].data(), vectors[1].data(), vectors[0].rows() * vectors[0].stride() * sizeof(float)))
      << "the processes end with the same model";
  testing::expect_related_closer(NearestNeighbors(WordVectors{vocab.words(), std::move(vectors[0])}));
}

}  // namespace
}  // namespace wordvec
