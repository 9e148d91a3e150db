#include <bzlib.h>
#include <gtest/gtest.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <sys/stat.h>

#include <filesystem>

#include "test_helpers.h"
#include "wordvec/core/error.h"
#include "wordvec/text/corpus.h"
#include "wordvec/text/corpus_input.h"
#include "wordvec/text/vocabulary.h"

namespace wordvec {
namespace {

using testing::error_of;
using testing::TempDir;

// The text compressed in one stream (gzip member, bzip2/xz stream, zstd frame)
// by the libraries themselves, so the tests need no command-line tools.
std::string compress(Compression c, const std::string& text) {
  std::string out;
  switch (c) {
    case Compression::None: return text;
    case Compression::Gzip: {
      z_stream z{};
      deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
      out.resize(deflateBound(&z, text.size()) + 64);
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
      z.avail_in = static_cast<uInt>(text.size());
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
      out.resize(z.total_out);
      deflateEnd(&z);
      return out;
    }
    case Compression::Bzip2: {
      unsigned size = static_cast<unsigned>(text.size() * 1.02 + 700);
      out.resize(size);
      EXPECT_EQ(BZ2_bzBuffToBuffCompress(out.data(), &size, const_cast<char*>(text.data()),
                                         static_cast<unsigned>(text.size()), 9, 0, 0),
                BZ_OK);
      out.resize(size);
      return out;
    }
    case Compression::Xz: {
      out.resize(lzma_stream_buffer_bound(text.size()));
      std::size_t size = 0;
      EXPECT_EQ(lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const uint8_t*>(text.data()),
                                        text.size(), reinterpret_cast<uint8_t*>(out.data()), &size, out.size()),
                LZMA_OK);
      out.resize(size);
      return out;
    }
    case Compression::Zstd: {
      out.resize(ZSTD_compressBound(text.size()));
      ZSTD_CCtx* cctx = ZSTD_createCCtx();
      ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
      const std::size_t size = ZSTD_compress2(cctx, out.data(), out.size(), text.data(), text.size());
      ZSTD_freeCCtx(cctx);
      EXPECT_FALSE(ZSTD_isError(size));
      out.resize(size);
      return out;
    }
  }
  return out;
}

std::string decoded(const std::string& path, InputReport* report = nullptr) {
  std::string text;
  const InputReport r = decode_input(path, [&](std::string_view chunk) { text.append(chunk); });
  if (report) *report = r;
  return text;
}

std::string some_text(int lines) {
  std::string text;
  for (int i = 0; i < lines; ++i) text += "line " + std::to_string(i) + " of some words, caf\xC3\xA9 \xCE\xB1\xCE\xB2\n";
  return text;
}

const Compression kCompressed[] = {Compression::Gzip, Compression::Bzip2, Compression::Xz, Compression::Zstd};

TEST(CorpusInput, EveryCompressionDecodesWhateverItsFileIsNamed) {
  TempDir dir;
  const std::string text = some_text(40000);  // about 1.7 MB: several read chunks
  for (const Compression c : kCompressed) {
    const std::string packed = compress(c, text);
    const std::string path = dir.write(std::string("corpus-") + compression_name(c) + ".txt", packed);
    EXPECT_EQ(detect_compression(packed), c);
    InputReport report;
    EXPECT_EQ(decoded(path, &report), text) << compression_name(c);
    EXPECT_EQ(report.compression, c);
    EXPECT_EQ(report.text_bytes, text.size());
    EXPECT_EQ(report.compressed_bytes, packed.size()) << "every byte read exactly once";
    // Two streams back to back (cat a.gz b.gz) are both read.
    const std::string twice = dir.write("twice", packed + compress(c, "and more\n"));
    EXPECT_EQ(decoded(twice), text + "and more\n") << compression_name(c);
  }
  EXPECT_EQ(detect_compression("plain text"), Compression::None);
}

TEST(CorpusInput, TruncatedOrCorruptCompressedDataIsAnErrorNamingTheFile) {
  TempDir dir;
  const std::string text = some_text(20000);
  for (const Compression c : kCompressed) {
    const std::string packed = compress(c, text);
    const std::string cut = dir.write("cut.z", packed.substr(0, packed.size() / 2));
    const std::string message = error_of([&] { decoded(cut); });
    EXPECT_NE(message.find("cut.z: truncated " + std::string(compression_name(c))), std::string::npos) << message;
    // A damaged byte in the middle: never a silently short or altered corpus.
    std::string damaged = packed;
    for (std::size_t i = packed.size() / 2; i < packed.size() / 2 + 8; ++i) damaged[i] = static_cast<char>(~damaged[i]);
    const std::string bad = dir.write("bad.z", damaged);
    const std::string why = error_of([&] { decoded(bad); });
    EXPECT_NE(why.find("bad.z: corrupt " + std::string(compression_name(c)) + " data near byte"), std::string::npos)
        << why;
  }
  // Garbage after a complete gzip member is not silently dropped either.
  const std::string trailing = dir.write("trail.gz", compress(Compression::Gzip, "a b\n") + "not gzip at all");
  EXPECT_NE(error_of([&] { decoded(trailing); }).find("trail.gz: corrupt gzip"), std::string::npos);
}

TEST(CorpusInput, ByteOrderMarkIsDroppedAndUtf16IsRefusedAlsoInsideCompression) {
  TempDir dir;
  EXPECT_EQ(decoded(dir.write("bom.txt", "\xEF\xBB\xBF" "alpha beta\n")), "alpha beta\n");
  EXPECT_EQ(decoded(dir.write("bom.gz", compress(Compression::Gzip, "\xEF\xBB\xBF" "alpha\n"))), "alpha\n");
  const std::string utf16 = dir.write("u16.gz", compress(Compression::Gzip, std::string("\xFF\xFE" "a\0 \0b\0", 8)));
  EXPECT_NE(error_of([&] { decoded(utf16); }).find("u16.gz: is UTF-16"), std::string::npos);
}

TEST(CorpusInput, InvalidUtf8IsKeptAsBytesAndCounted) {
  for (const char* valid : {"plain", "caf\xC3\xA9", "\xE6\x97\xA5\xE6\x9C\xAC", "\xF0\x9F\x98\x80", ""})
    EXPECT_TRUE(is_valid_utf8(valid)) << valid;
  for (const char* invalid : {"caf\xE9", "\x80", "\xC3", "\xC0\x80", "\xE0\x80\x80", "\xED\xA0\x80",
                              "\xF4\x90\x80\x80", "\xF0\x9F\x98", "a\xFF" "b"})
    EXPECT_FALSE(is_valid_utf8(invalid)) << invalid;
  TempDir dir;
  // Latin-1 text: "café" twice and "naïve" once are invalid UTF-8 tokens.
  const std::string path = dir.write("latin1.txt", "caf\xE9 ok caf\xE9\nna\xEFve ok\n");
  VocabStats stats;
  const Vocabulary vocab = Vocabulary::build(path, {1, 0}, &stats);
  EXPECT_EQ(stats.invalid_utf8_tokens, 3u);
  EXPECT_GE(vocab.id("caf\xE9"), 0) << "kept as bytes";
}

TEST(CorpusInput, FoldersAreWalkedInSortedOrderSkippingHiddenEntriesAndFilteredByGlob) {
  TempDir dir;
  namespace fs = std::filesystem;
  fs::create_directories(dir.file("shards/b"));
  fs::create_directories(dir.file("shards/.cache"));
  dir.write("shards/2.txt", "two\n");
  dir.write("shards/10.gz", compress(Compression::Gzip, "ten\n"));
  dir.write("shards/b/1.txt", "one\n");
  dir.write("shards/.hidden.txt", "hidden\n");
  dir.write("shards/.cache/x.txt", "cached\n");
  dir.write("single.txt", "single\n");
  const std::string root = dir.file("shards");
  EXPECT_EQ(expand_corpus_paths({root}),
            (std::vector<std::string>{root + "/10.gz", root + "/2.txt", root + "/b/1.txt"}));
  EXPECT_EQ(expand_corpus_paths({dir.file("single.txt"), root}, "*.gz"),
            (std::vector<std::string>{dir.file("single.txt"), root + "/10.gz"}))
      << "a file named on the command line is taken whatever the pattern";
  EXPECT_EQ(expand_corpus_paths({"-"}), std::vector<std::string>{"-"});
  EXPECT_NE(error_of([&] { expand_corpus_paths({root}, "*.bz2"); }).find("no files matching --glob '*.bz2'"),
            std::string::npos);
  fs::create_directories(dir.file("empty/.only-hidden"));
  EXPECT_NE(error_of([&] { expand_corpus_paths({dir.file("empty")}); }).find("empty: is a folder with no files"),
            std::string::npos);
  EXPECT_NE(error_of([&] { expand_corpus_paths({dir.file("missing")}); }).find("missing: No such file or directory"),
            std::string::npos);
  EXPECT_NE(error_of([&] { expand_corpus_paths({"-", "-"}); }).find("given twice"), std::string::npos);
  EXPECT_NE(error_of([&] { expand_corpus_paths({dir.file("single.txt")}, "*.gz"); }).find("no --input is a folder"),
            std::string::npos);
  // Only regular files are taken from folders: a FIFO there would block the read.
  ASSERT_EQ(::mkfifo(dir.file("shards/b/pipe").c_str(), 0600), 0);
  EXPECT_EQ(expand_corpus_paths({root}).size(), 3u);
}

CorpusInputOptions in_folder(const std::string& temp_dir) {
  CorpusInputOptions options;
  options.temp_dir = temp_dir;
  return options;
}

TEST(PreparedCorpus, OnePlainFileIsReadInPlaceAnythingElseOnceIntoACopyThatIsRemoved) {
  TempDir dir;
  const std::string plain = dir.write("plain.txt", "a b c\n");
  {
    const PreparedCorpus corpus({plain}, {});
    EXPECT_FALSE(corpus.is_copy());
    EXPECT_EQ(corpus.path(), plain);
  }
  // Files become one stream each: a last line without a line break is ended.
  const std::string unterminated = dir.write("one.txt", "x y");
  const std::string packed = dir.write("two.zst", compress(Compression::Zstd, "z w\n"));
  std::string copy_path;
  {
    const PreparedCorpus corpus({unterminated, packed}, in_folder(dir.path()));
    ASSERT_TRUE(corpus.is_copy());
    copy_path = corpus.path();
    EXPECT_EQ(decoded(copy_path), "x y\nz w\n");
    ASSERT_EQ(corpus.reports().size(), 2u);
    EXPECT_EQ(corpus.reports()[1].compression, Compression::Zstd);
  }
  EXPECT_FALSE(std::filesystem::exists(copy_path)) << "the copy goes with the object";
  // A failure part-way (the second file is damaged) leaves no temporary files.
  const std::string bad = dir.write("bad.gz", compress(Compression::Gzip, some_text(100)).substr(0, 50));
  const std::string temp = dir.file("temp");
  std::filesystem::create_directories(temp);
  EXPECT_THROW(PreparedCorpus({packed, bad}, in_folder(temp)), Error);
  EXPECT_TRUE(std::filesystem::is_empty(temp));
  // Nothing to train on is said, naming the input.
  const std::string empty = dir.write("empty.gz", compress(Compression::Gzip, ""));
  EXPECT_NE(error_of([&] { PreparedCorpus({empty}, in_folder(temp)); }).find("empty.gz: is empty (after decompression)"),
            std::string::npos);
  EXPECT_TRUE(std::filesystem::is_empty(temp));
}

}  // namespace
}  // namespace wordvec
