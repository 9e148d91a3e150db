// Text preparation: normalisation, phrases, compressed output, and how
// PreparedCorpus applies them.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "test_helpers.h"
#include "wordvec/core/error.h"
#include "wordvec/io/compressed_output.h"
#include "wordvec/text/corpus_input.h"
#include "wordvec/text/normalize.h"
#include "wordvec/text/phrases.h"

namespace wordvec {
namespace {

using testing::error_of;
using testing::TempDir;

std::string normalized(const std::string& text, NormalizeOptions o) { return TextNormalizer(o)(text); }

NormalizeOptions lower() {
  NormalizeOptions o;
  o.letter_case = LetterCase::Lower;
  return o;
}

NormalizeOptions split(bool intraword = false) {
  NormalizeOptions o;
  o.split_punctuation = true;
  o.split_intraword = intraword;
  return o;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(Normalize, CaseMappingIsUnicodeAwareInEveryScript) {
  EXPECT_EQ(normalized("ÉCOLE Ünïcode ÇA", lower()), "école ünïcode ça");
  EXPECT_EQ(normalized("ΟΔΟΣ ΣΊΣΥΦΟΣ", lower()), "οδος σίσυφος") << "final sigma in context";
  EXPECT_EQ(normalized("ПРИВЕТ Мир", lower()), "привет мир");
  EXPECT_EQ(normalized("東京タワー ＡＢＣ", lower()), "東京タワー ａｂｃ") << "CJK unchanged, unsegmented";
  NormalizeOptions fold;
  fold.letter_case = LetterCase::Fold;
  EXPECT_EQ(normalized("Straße ΟΔΟΣ İstanbul", fold), "strasse οδοσ i̇stanbul");
  EXPECT_EQ(normalized("plain ascii TEXT", fold), "plain ascii text");
}

TEST(Normalize, NfkcUnifiesCompatibilityForms) {
  NormalizeOptions o;
  o.nfkc = true;
  EXPECT_EQ(normalized("ﬁne ＡＢＣ① x² Å", o), "fine ABC1 x2 Å");
  o.letter_case = LetterCase::Lower;
  EXPECT_EQ(normalized("ＡＢＣ", o), "abc") << "NFKC first, then the case";
}

TEST(Normalize, PunctuationSplitsOffWordsButStaysInsideThem) {
  EXPECT_EQ(normalized("Hello, world! (yes) \"q\" end.", split()), "Hello , world ! ( yes ) \" q \" end .");
  EXPECT_EQ(normalized("don't l'homme well-known it’s", split()), "don't l'homme well-known it’s");
  EXPECT_EQ(normalized("3.14 1,000 2.5.", split()), "3.14 1,000 2.5 .");
  EXPECT_EQ(normalized("wait... what?!", split()), "wait ... what ? !") << "a run of one character stays whole";
  EXPECT_EQ(normalized("$100 a+b 'quoted' -dash", split()), "$ 100 a + b ' quoted ' - dash");
  EXPECT_EQ(normalized("snake_case", split()), "snake_case") << "the connector _ is part of words";
  EXPECT_EQ(normalized("«Привет», мир. 日本。「東京」", split()), "« Привет » , мир . 日本 。 「 東京 」");
  EXPECT_EQ(normalized("don't well-known", split(true)), "don ' t well - known");
  EXPECT_EQ(normalized("no,split here", NormalizeOptions{}), "no,split here") << "off by default";
}

TEST(Normalize, NumbersBecomeOneTokenWhenAsked) {
  NormalizeOptions o;
  o.number_token = "<num>";
  EXPECT_EQ(normalized("1,000 3.14 ١٢٣ 10th 2.5. 7", o), "<num> <num> <num> 10th 2.5. <num>");
  o.split_punctuation = true;
  EXPECT_EQ(normalized("in 1999, 42.", o), "in <num> , <num> .");
}

TEST(Normalize, WhitespaceOfAnyKindSeparatesAndInvalidBytesAreKept) {
  NormalizeOptions o = lower();
  EXPECT_EQ(normalized("  A\tB\u00a0C\u3000D  ", o), "a b c d");
  EXPECT_EQ(normalized("\xff" "ABC DÉF", o), "\xff" "abc déf") << "the bad token gets ASCII's mapping only";
  EXPECT_EQ(normalized("", o), "");
}

TEST(Normalize, OptionsValidateAndRoundTripThroughSettings) {
  NormalizeOptions bad;
  bad.number_token = "two words";
  EXPECT_THROW(bad.validate(), OptionError);
  NormalizeOptions orphan;
  orphan.split_intraword = true;
  EXPECT_THROW(orphan.validate(), OptionError);
  NormalizeOptions o = split();
  o.nfkc = true;
  o.letter_case = LetterCase::Fold;
  o.number_token = "<n>";
  const NormalizeOptions back = NormalizeOptions::from_settings(o.to_settings());
  EXPECT_EQ(back.to_settings().values(), o.to_settings().values());
  EXPECT_FALSE(NormalizeOptions::from_settings(Settings{}).any()) << "older checkpoints: no normalisation";
}

// Lines of filler words w0..w199 with the pairs "new york" and "san x" planted.
std::string phrase_corpus() {
  std::string text;
  std::uint32_t state = 7;
  for (int line = 0; line < 400; ++line) {
    for (int k = 0; k < 20; ++k) {
      state = state * 1103515245u + 12345u;
      text += testing::numbered_word((state >> 16) % 200);
      text += ' ';
      if (k == 10 && line % 4 == 0) text += "new york ";
    }
    text += line % 50 == 0 ? "san\nx\n" : "\n";  // "san" ends a line; "x" starts the next: never a pair
  }
  return text;
}

TEST(Phrases, ScoreIsWord2phrasesAndPairsNeverCrossALine) {
  TempDir dir;
  const std::string path = dir.write("c.txt", phrase_corpus());
  PhraseOptions o;
  o.threshold = 10;
  o.min_count = 3;
  PhrasePassReport report;
  const PhraseTable table = PhraseTable::learn(path, o, 2, &report);
  const auto top = table.top();
  ASSERT_FALSE(top.empty());
  EXPECT_EQ(top[0].phrase, "new_york");
  // count(new) = count(york) = count(new york) = 100, tokens = 400*20 + 200 + 8*2.
  const double tokens = 400 * 20 + 100 * 2 + 8 * 2;
  EXPECT_EQ(report.tokens, tokens);
  EXPECT_NEAR(top[0].score, (100.0 - 3) / 100 / 100 * tokens, 1e-3);
  EXPECT_EQ(top[0].count, 100u);
  for (const ScoredPhrase& p : top) EXPECT_NE(p.phrase, "san_x");
  EXPECT_EQ(report.phrases, top.size());

  std::string out;
  table.apply(path, [&](std::string_view s) { out += s; }, &report);
  EXPECT_NE(out.find(" new_york "), std::string::npos);
  EXPECT_EQ(out.find("new york"), std::string::npos);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 408) << "every line kept";
  EXPECT_GE(report.joined, 100u);
}

TEST(Phrases, JoiningIsGreedyFromTheLeftAndASecondPassMakesLongerPhrases) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 50; ++i) {
    text += "a b c d filler";
    text += std::to_string(i) + "\n";
  }
  const std::string path = dir.write("c.txt", text);
  PhraseOptions o;
  o.threshold = 1;
  o.min_count = 1;
  const PhraseTable first = PhraseTable::learn(path, o, 1);
  std::string once;
  first.apply(path, [&](std::string_view s) { once += s; });
  // a_b, b_c and c_d all score; from the left: a_b, then c_d.
  EXPECT_EQ(once.substr(0, once.find('\n')), "a_b c_d filler0");
  const std::string again = dir.write("again.txt", once);
  const PhraseTable second = PhraseTable::learn(again, o, 1);
  std::string twice;
  second.apply(again, [&](std::string_view s) { twice += s; });
  EXPECT_EQ(twice.substr(0, twice.find('\n')), "a_b_c_d filler0");
}

TEST(Phrases, ThreadsGiveTheSameTableAndATinyBudgetPrunesRarePairsOnly) {
  TempDir dir;
  const std::string path = dir.write("c.txt", phrase_corpus());
  PhraseOptions o;
  o.threshold = 10;
  o.min_count = 3;
  const auto one = PhraseTable::learn(path, o, 1).top();
  const auto three = PhraseTable::learn(path, o, 3).top();
  ASSERT_EQ(one.size(), three.size());
  for (std::size_t i = 0; i < one.size(); ++i) EXPECT_EQ(one[i].phrase, three[i].phrase);
  o.memory_gib = 1e-6;  // ~1000 pairs (the table's floor) for ~8000 distinct pairs
  PhrasePassReport report;
  const auto pruned = PhraseTable::learn(path, o, 1, &report).top();
  EXPECT_GT(report.prune_count, 0u);
  ASSERT_FALSE(pruned.empty());
  EXPECT_EQ(pruned[0].phrase, "new_york");
}

TEST(Phrases, OptionsValidateAndRoundTripThroughSettings) {
  PhraseOptions o;
  o.passes = 11;
  EXPECT_THROW(o.validate(), OptionError);
  o = PhraseOptions{};
  o.threshold = -1;
  EXPECT_THROW(o.validate(), OptionError);
  o = PhraseOptions{};
  o.min_count = 0;
  EXPECT_THROW(o.validate(), OptionError);
  o = PhraseOptions{2, 50, 7, 0.5};
  const PhraseOptions back = PhraseOptions::from_settings(o.to_settings());
  EXPECT_EQ(back.to_settings().values(), o.to_settings().values());
  EXPECT_EQ(PhraseOptions::from_settings(Settings{}).passes, 0u) << "older checkpoints: no phrases";
}

TEST(CompressedOutput, EveryFormatRoundTripsThroughTheReader) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 200000; ++i) text += "line " + std::to_string(i * 7919 % 100003) + " of text\n";
  for (Compression c : {Compression::None, Compression::Gzip, Compression::Bzip2, Compression::Xz, Compression::Zstd}) {
    for (const std::string& content : {text, std::string()}) {
      const std::string path = dir.file(std::string("out.") + compression_name(c));
      {
        std::ofstream out(path, std::ios::binary);
        CompressedWriter writer(c, [&](const char* data, std::size_t n) { out.write(data, n); });
        writer.write(content.substr(0, 12345));  // in pieces, as the commands write
        writer.write(content.size() > 12345 ? content.substr(12345) : "");
        writer.finish();
      }
      std::string back;
      const InputReport report = decode_input(path, [&](std::string_view s) { back += s; });
      EXPECT_EQ(report.compression, c) << compression_name(c);
      EXPECT_EQ(back, content) << compression_name(c);
      if (c != Compression::None && !content.empty()) {
        EXPECT_LT(report.compressed_bytes * 3, content.size()) << compression_name(c) << " compresses";
      }
    }
  }
  EXPECT_EQ(compression_for_path("a/b.txt.gz"), Compression::Gzip);
  EXPECT_EQ(compression_for_path("b.bz2"), Compression::Bzip2);
  EXPECT_EQ(compression_for_path("b.xz"), Compression::Xz);
  EXPECT_EQ(compression_for_path("b.zst"), Compression::Zstd);
  EXPECT_EQ(compression_for_path("b.gz.txt"), Compression::None);
  EXPECT_EQ(parse_compression("zstd"), Compression::Zstd);
  EXPECT_NE(error_of([] { parse_compression("lz4"); }).find("valid: none, gzip"), std::string::npos);
}

TEST(PreparedCorpus, NormalisesEachLineAndRunsThePhrasePassesInItsCopy) {
  TempDir dir;
  const std::string first = dir.write("a.txt", "Hello, World\nNEW");  // unterminated: the file ends its line
  const std::string second = dir.write("b.txt", "YORK again\n");
  CorpusInputOptions io;
  io.temp_dir = dir.path();
  io.normalize = lower();
  io.normalize.split_punctuation = true;
  std::string copy;
  {
    const PreparedCorpus corpus({first, second}, io);
    ASSERT_TRUE(corpus.is_copy());
    EXPECT_EQ(read_all(corpus.path()), "hello , world\nnew\nyork again\n");
    copy = corpus.path();
  }
  EXPECT_FALSE(std::filesystem::exists(copy));
  // One plain file is copied too when a transformation is asked for.
  const std::string phrased = dir.write("p.txt", phrase_corpus());
  CorpusInputOptions po;
  po.temp_dir = dir.path();
  po.phrases = PhraseOptions{1, 10, 3, 1};
  po.threads = 2;
  int passes_seen = 0;
  po.on_phrase_pass = [&](const PhrasePassReport& r, const PhraseTable& t) {
    ++passes_seen;
    EXPECT_EQ(r.pass, 1u);
    EXPECT_EQ(t.top(1)[0].phrase, "new_york");
  };
  {
    const PreparedCorpus corpus({phrased}, po);
    ASSERT_TRUE(corpus.is_copy());
    EXPECT_NE(read_all(corpus.path()).find("new_york"), std::string::npos);
    ASSERT_EQ(corpus.phrase_reports().size(), 1u);
  }
  EXPECT_EQ(passes_seen, 1);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path()))
    EXPECT_FALSE(entry.is_directory()) << "temporary folder left: " << entry.path();
}

TEST(PreparedCorpus, ALineOfMegabytesIsNormalisedInPiecesWithoutSplittingAWord) {
  TempDir dir;
  std::string line;
  while (line.size() < (3u << 20)) line += "Word" + std::to_string(line.size() % 977) + ", ";
  const std::string path = dir.write("long.txt", line + "\nEND\n");
  CorpusInputOptions io;
  io.temp_dir = dir.path();
  io.normalize = lower();
  io.normalize.split_punctuation = true;
  const PreparedCorpus corpus({path}, io);
  const std::string out = read_all(corpus.path());
  EXPECT_EQ(out, TextNormalizer(io.normalize)(line) + "\nend\n");
}

}  // namespace
}  // namespace wordvec
