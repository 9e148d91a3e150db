#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <map>

#include "test_helpers.h"
#include "wordvec/text/corpus.h"
#include "wordvec/core/error.h"
#include "text/id_stream.h"
#include "wordvec/text/vocabulary.h"

namespace wordvec {
namespace {

using testing::TempDir;

std::vector<std::string> tokens_of(const std::string& path, ByteRange range, std::size_t* lines = nullptr) {
  std::vector<std::string> out;
  TokenScanner scan(path, range);
  scan.run([&](std::string_view t) { out.emplace_back(t); }, [&] { out.push_back("\n"); });
  if (lines) *lines = scan.stats().lines;
  return out;
}

TEST(TokenScanner, SplitsOnWhitespaceAndReportsLineBreaks) {
  TempDir dir;
  const auto path = dir.write("c.txt", "the cat\tsat\r\n  on the mat\n\nend");
  std::size_t lines = 0;
  const auto tokens = tokens_of(path, {0, corpus_file_size(path)}, &lines);
  const std::vector<std::string> expected{"the", "cat", "sat", "\n", "on", "the", "mat", "\n", "\n", "end"};
  EXPECT_EQ(tokens, expected);
  EXPECT_EQ(lines, 3u);
}

TEST(TokenScanner, KeepsUtf8BytesAsTheyAre) {
  TempDir dir;
  const auto path = dir.write("c.txt", "caf\xC3\xA9 na\xC3\xAFve \xE6\x97\xA5\xE6\x9C\xAC");
  const auto tokens = tokens_of(path, {0, corpus_file_size(path)});
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[0], "caf\xC3\xA9");
  EXPECT_EQ(tokens[2], "\xE6\x97\xA5\xE6\x9C\xAC");
}

TEST(TokenScanner, CutsOverlongTokensAtACharacterBoundaryAndCountsThem) {
  TempDir dir;
  // 999 ASCII bytes then a 2-byte character straddling the 1000-byte limit.
  std::string longword(999, 'a');
  longword += "\xC3\xA9";
  longword += std::string(5000, 'b');
  const auto path = dir.write("c.txt", "x " + longword + " y");
  TokenScanner scan(path, {0, corpus_file_size(path)});
  std::vector<std::string> tokens;
  scan.run([&](std::string_view t) { tokens.emplace_back(t); }, [] {});
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[1], std::string(999, 'a'));  // the 2-byte character is not split
  EXPECT_EQ(tokens[2], "y");
  EXPECT_EQ(scan.stats().truncated_tokens, 1u);
}

TEST(TokenScanner, ALineLongerThanTheBufferLosesNoToken) {
  TempDir dir;
  std::string line;
  for (int i = 0; i < 400000; ++i) line += testing::numbered_word(i % 1000) + " ";  // ~2.3 MB, one line
  const auto path = dir.write("c.txt", line + "\nlast\n");
  const auto tokens = tokens_of(path, {0, corpus_file_size(path)});
  ASSERT_EQ(tokens.size(), 400000u + 3u);
  EXPECT_EQ(tokens[123456], "w456");
  EXPECT_EQ(tokens[400001], "last");
}

TEST(TokenScanner, ATenMegabyteTokenIsCutNotKept) {
  TempDir dir;
  const auto path = dir.write("c.txt", "a " + std::string(10 << 20, 'x') + " b\n");
  TokenScanner scanner(path, {0, corpus_file_size(path)});
  std::vector<std::string> tokens;
  scanner.run([&](std::string_view t) { tokens.emplace_back(t); }, [] {});
  ASSERT_EQ(tokens.size(), 3u);
  EXPECT_EQ(tokens[1], std::string(kMaxTokenBytes, 'x'));
  EXPECT_EQ(tokens[2], "b");
  EXPECT_EQ(scanner.stats().truncated_tokens, 1u);
}

TEST(TokenScanner, AFileThatShrinksOrGrowsWhileReadIsReadSafely) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += testing::numbered_word(i) + " ";
  const auto path = dir.write("c.txt", text);
  const std::uint64_t size = corpus_file_size(path);
  {
    TokenScanner scanner(path, {0, size});
    std::filesystem::resize_file(path, size / 2);  // shrinks after the scan was set up
    std::size_t count = 0;
    scanner.run([&](std::string_view) { ++count; }, [] {});
    EXPECT_GT(count, 5000u);
    EXPECT_LT(count, 12000u);
  }
  dir.write("c.txt", text);
  {
    TokenScanner scanner(path, {0, size});
    std::ofstream(path, std::ios::app) << "late words appended\n";  // grows: read to the first size
    std::size_t count = 0;
    scanner.run([&](std::string_view) { ++count; }, [] {});
    EXPECT_EQ(count, 20000u);
  }
}

TEST(SplitIntoRanges, RangesCoverTheFileAndNeverSplitAToken) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 5000; ++i) text += "token" + std::to_string(i) + (i % 17 ? " " : "\n");
  const auto path = dir.write("c.txt", text);
  const auto whole = tokens_of(path, {0, corpus_file_size(path)});
  for (unsigned parts : {1u, 2u, 3u, 7u, 64u}) {
    const auto ranges = split_into_ranges(path, parts);
    ASSERT_EQ(ranges.size(), parts);
    EXPECT_EQ(ranges.front().begin, 0u);
    EXPECT_EQ(ranges.back().end, text.size());
    std::vector<std::string> joined;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
      if (i > 0) {
        EXPECT_EQ(ranges[i].begin, ranges[i - 1].end);
      }
      for (auto& t : tokens_of(path, ranges[i])) joined.push_back(t);
    }
    EXPECT_EQ(joined, whole) << parts << " parts";
  }
}

TEST(SplitAtLineBreaks, EveryCutIsALineBreakInsideTheRange) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "token" + std::to_string(i) + (i % 13 ? " " : "\n");
  const auto path = dir.write("c.txt", text);
  const ByteRange within{100, text.size() - 50};
  for (unsigned parts : {1u, 2u, 5u, 40u}) {
    const auto ranges = split_at_line_breaks(path, within, parts);
    ASSERT_EQ(ranges.size(), parts);
    EXPECT_EQ(ranges.front().begin, within.begin);
    EXPECT_EQ(ranges.back().end, within.end);
    for (std::size_t i = 1; i < ranges.size(); ++i) {
      EXPECT_EQ(ranges[i].begin, ranges[i - 1].end);
      const std::uint64_t cut = ranges[i].begin;
      EXPECT_TRUE(cut == within.end || text[cut] == '\n') << parts << " parts, cut at " << cut;
    }
  }
}

// What an IdStream replays: words as ids, sentence ends as "|offset".
std::vector<std::string> replayed(const IdStream& s, std::size_t stop_after = SIZE_MAX) {
  std::vector<std::string> events;
  auto more = [&] { return events.size() < stop_after; };
  s.replay([&](std::int32_t id) { events.push_back(std::to_string(id)); return more(); },
           [&](std::uint64_t offset) { events.push_back("|" + std::to_string(offset)); return more(); });
  return events;
}

TEST(IdStream, ReplaysWordsAndSentenceEndsExactlyAsRecorded) {
  IdStream s(1000, 1 << 20, 16);
  const std::vector<std::int32_t> ids = {0, 126, 127, 128, 16382, 16383, 2097151, 2147483646};
  std::vector<std::string> expected;
  std::uint64_t offset = 1000;
  for (std::int32_t id : ids) {
    s.add_word(id);
    expected.push_back(std::to_string(id));
    offset += 1 + static_cast<std::uint64_t>(id) % 300000;  // gaps of 1 byte up to ~300 kB
    s.end_sentence(offset);
    expected.push_back("|" + std::to_string(offset));
  }
  s.add_word(7);  // a shard may end without a sentence end
  expected.push_back("7");
  EXPECT_EQ(replayed(s), expected);
  EXPECT_FALSE(s.overflowed());
  // Frequent ids take one byte: 8 ids + their ends, the last word.
  EXPECT_LT(s.bytes(), 60u);
  // A callback returning false stops the replay there.
  EXPECT_EQ(replayed(s, 3), std::vector<std::string>(expected.begin(), expected.begin() + 3));
}

TEST(IdStream, OutgrowingTheBudgetDropsItAndReportsOverflow) {
  IdStream s(0, 100, 100);
  for (int i = 0; i < 100; ++i) s.add_word(5);
  EXPECT_FALSE(s.overflowed());
  s.add_word(300);  // two more bytes: over the budget
  EXPECT_TRUE(s.overflowed());
  EXPECT_EQ(s.bytes(), 0u);
  s.add_word(1);
  s.end_sentence(10);
  EXPECT_TRUE(replayed(s).empty());
}

TEST(IdStream, BeyondTheBudgetItSpillsToANamelessFileAndReplaysTheSame) {
  TempDir dir;
  IdStream memory(0, 1 << 24, 16), spilled(0, 1000, 16, true, dir.path());
  std::uint64_t offset = 0;
  for (std::int64_t i = 0; i < 700000; ++i) {  // ~1.9 MB: the file and more than one flush of the buffer
    const auto id = static_cast<std::int32_t>((i * 7919) % 40000);
    memory.add_word(id);
    spilled.add_word(id);
    if (i % 17 == 0) {
      offset += 1 + i % 1000;
      memory.end_sentence(offset);
      spilled.end_sentence(offset);
    }
  }
  ASSERT_TRUE(memory.seal());
  ASSERT_TRUE(spilled.seal());
  EXPECT_GT(spilled.spilled_bytes(), 1'500'000u);
  EXPECT_EQ(spilled.bytes(), 0u) << "nothing left in memory";
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "the file has no name: nothing to clean up";
  EXPECT_EQ(replayed(spilled), replayed(memory));
  const IdStream moved = std::move(spilled);
  EXPECT_EQ(replayed(moved).size(), replayed(memory).size());
  // No folder to spill to: the stream is dropped, and the text read again.
  IdStream nowhere(0, 100, 100, true, dir.file("missing"));
  for (int i = 0; i < 200; ++i) nowhere.add_word(5);
  EXPECT_TRUE(nowhere.overflowed());
  EXPECT_FALSE(nowhere.seal());
}

TEST(CorpusFile, MissingFileOrDirectoryIsAClearError) {
  TempDir dir;
  EXPECT_THROW(corpus_file_size(dir.file("nope.txt")), Error);
  try {
    corpus_file_size(dir.path());
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is a directory"), std::string::npos);
  }
}

TEST(Vocabulary, CountsSortsByFrequencyAndAppliesMinCount) {
  TempDir dir;
  const auto path = dir.write("c.txt", "b a c a b a\nd b a e\n");
  VocabStats stats;
  const Vocabulary v = Vocabulary::build(path, {2, 0}, &stats);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v.word(0), "a");
  EXPECT_EQ(v.count(0), 4u);
  EXPECT_EQ(v.word(1), "b");
  EXPECT_EQ(v.count(1), 3u);
  EXPECT_EQ(v.id("c"), -1);
  EXPECT_EQ(v.id("b"), 1);
  EXPECT_EQ(v.total_count(), 7u);
  EXPECT_EQ(stats.scan.tokens, 10u);
  EXPECT_EQ(stats.distinct_words, 5u);
  EXPECT_EQ(stats.dropped_min_count, 3u);
}

TEST(Vocabulary, CountingInParallelGivesTheSameVocabulary) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += testing::numbered_word(i * 7919 % 613) + (i % 11 ? " " : "\n");
  const auto path = dir.write("c.txt", text);
  const Vocabulary one = Vocabulary::build(path, {2, 0}, nullptr, 1);
  for (unsigned threads : {2u, 3u, 8u}) {
    VocabStats stats;
    const Vocabulary many = Vocabulary::build(path, {2, 0}, &stats, threads);
    EXPECT_EQ(many.words(), one.words()) << threads;
    EXPECT_EQ(many.counts(), one.counts()) << threads;
    EXPECT_EQ(stats.scan.tokens, 20000u);
  }
}

TEST(Vocabulary, TiesAreBrokenByTheWordSoIdsAreDeterministic) {
  const Vocabulary v({{"zeta", 3}, {"alpha", 3}, {"mid", 5}, {"beta", 3}}, {1, 0});
  EXPECT_EQ(v.words(), (std::vector<std::string>{"mid", "alpha", "beta", "zeta"}));
}

TEST(Vocabulary, MaxVocabKeepsTheMostFrequent) {
  VocabStats stats;
  const Vocabulary v({{"a", 1}, {"b", 9}, {"c", 5}, {"d", 7}}, {1, 2}, &stats);
  EXPECT_EQ(v.words(), (std::vector<std::string>{"b", "d"}));
  EXPECT_EQ(stats.dropped_max_vocab, 2u);
}

TEST(Vocabulary, PruningWhileCountingBoundsTheTableAndKeepsFrequentWords) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 2000; ++i) text += "common rare" + std::to_string(i) + " ";
  const auto path = dir.write("c.txt", text);
  VocabOptions options{1, 0, 100};  // prune whenever 100 distinct words are held
  VocabStats stats;
  const Vocabulary v = Vocabulary::build(path, options, &stats);
  EXPECT_GT(stats.prune_threshold, 0u);
  EXPECT_LT(v.size(), 100u);
  EXPECT_EQ(v.word(0), "common");
  EXPECT_EQ(v.count(0), 2000u);  // never pruned, so counted exactly
}

TEST(Vocabulary, SaveAndLoadRoundTrip) {
  TempDir dir;
  const Vocabulary v({{"x", 4}, {"y", 9}, {"caf\xC3\xA9", 4}}, {1, 0});
  v.save(dir.file("vocab.txt"));
  const Vocabulary back = Vocabulary::load(dir.file("vocab.txt"));
  EXPECT_EQ(back.words(), v.words());
  EXPECT_EQ(back.counts(), v.counts());
}

TEST(Vocabulary, LoadRejectsMalformedLinesWithFileAndLine) {
  TempDir dir;
  const auto path = dir.write("v.txt", "a 3\nb three\n");
  try {
    Vocabulary::load(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("v.txt:2:"), std::string::npos) << e.what();
  }
  EXPECT_THROW(Vocabulary::load(dir.write("d.txt", "a 3\na 4\n")), Error);
}

TEST(Vocabulary, EmptyCorpusAndNoWordAtMinCountAreErrors) {
  TempDir dir;
  EXPECT_THROW(Vocabulary::build(dir.write("empty.txt", ""), {}), Error);
  EXPECT_THROW(Vocabulary::build(dir.write("ws.txt", " \n\t\n"), {}), Error);
  try {
    Vocabulary::build(dir.write("rare.txt", "a b c d\n"), {5, 0});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("min-count"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace wordvec
