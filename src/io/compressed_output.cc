#include "wordvec/io/compressed_output.h"

#include <bzlib.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <vector>

#include "wordvec/core/error.h"

namespace wordvec {

Compression compression_for_path(const std::string& path) {
  const auto ends_with = [&](std::string_view suffix) {
    return path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".gz")) return Compression::Gzip;
  if (ends_with(".bz2")) return Compression::Bzip2;
  if (ends_with(".xz")) return Compression::Xz;
  if (ends_with(".zst")) return Compression::Zstd;
  return Compression::None;
}

Compression parse_compression(const std::string& name) {
  if (name == "none" || name == "plain") return Compression::None;
  if (name == "gzip") return Compression::Gzip;
  if (name == "bzip2") return Compression::Bzip2;
  if (name == "xz") return Compression::Xz;
  if (name == "zstd") return Compression::Zstd;
  throw Error("unknown compression '" + name + "' (valid: none, gzip, bzip2, xz, zstd)");
}

namespace {
constexpr std::size_t kOutBytes = 1 << 18;
}

// One stream of one library; each step compresses `in` (finishing when
// `last`) and passes every filled output buffer to the sink.
struct CompressedWriter::Codec {
  explicit Codec(Sink s) : sink(std::move(s)), out(kOutBytes) {}
  virtual ~Codec() = default;
  virtual void step(std::string_view in, bool last) = 0;
  Sink sink;
  std::vector<char> out;
  bool finished = false;
};

namespace {

struct Plain : CompressedWriter::Codec {
  using Codec::Codec;
  void step(std::string_view in, bool) override {
    if (!in.empty()) sink(in.data(), in.size());
  }
};

struct Gzip : CompressedWriter::Codec {
  z_stream z{};
  explicit Gzip(CompressedWriter::Sink s) : Codec(std::move(s)) {
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
      throw Error("gzip: cannot start a stream (out of memory?)");
  }
  ~Gzip() override { deflateEnd(&z); }
  void step(std::string_view in, bool last) override {
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    z.avail_in = static_cast<uInt>(in.size());
    int rc;
    do {
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      rc = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) throw Error("gzip: compression failed");
      sink(out.data(), out.size() - z.avail_out);
    } while (z.avail_out == 0 || (last && rc != Z_STREAM_END));
  }
};

struct Bzip2 : CompressedWriter::Codec {
  bz_stream b{};
  explicit Bzip2(CompressedWriter::Sink s) : Codec(std::move(s)) {
    if (BZ2_bzCompressInit(&b, 9, 0, 0) != BZ_OK) throw Error("bzip2: cannot start a stream (out of memory?)");
  }
  ~Bzip2() override { BZ2_bzCompressEnd(&b); }
  void step(std::string_view in, bool last) override {
    b.next_in = const_cast<char*>(in.data());
    b.avail_in = static_cast<unsigned>(in.size());
    int rc;
    do {
      b.next_out = out.data();
      b.avail_out = static_cast<unsigned>(out.size());
      rc = BZ2_bzCompress(&b, last ? BZ_FINISH : BZ_RUN);
      if (rc < 0) throw Error("bzip2: compression failed (" + std::to_string(rc) + ")");
      sink(out.data(), out.size() - b.avail_out);
    } while (b.avail_in > 0 || b.avail_out == 0 || (last && rc != BZ_STREAM_END));
  }
};

struct Xz : CompressedWriter::Codec {
  lzma_stream x = LZMA_STREAM_INIT;
  explicit Xz(CompressedWriter::Sink s) : Codec(std::move(s)) {
    if (lzma_easy_encoder(&x, 6, LZMA_CHECK_CRC64) != LZMA_OK) throw Error("xz: cannot start a stream (out of memory?)");
  }
  ~Xz() override { lzma_end(&x); }
  void step(std::string_view in, bool last) override {
    x.next_in = reinterpret_cast<const std::uint8_t*>(in.data());
    x.avail_in = in.size();
    lzma_ret rc;
    do {
      x.next_out = reinterpret_cast<std::uint8_t*>(out.data());
      x.avail_out = out.size();
      rc = lzma_code(&x, last ? LZMA_FINISH : LZMA_RUN);
      if (rc != LZMA_OK && rc != LZMA_STREAM_END) throw Error("xz: compression failed (" + std::to_string(rc) + ")");
      sink(out.data(), out.size() - x.avail_out);
    } while (x.avail_in > 0 || x.avail_out == 0 || (last && rc != LZMA_STREAM_END));
  }
};

struct Zstd : CompressedWriter::Codec {
  ZSTD_CCtx* z = ZSTD_createCCtx();
  explicit Zstd(CompressedWriter::Sink s) : Codec(std::move(s)) {
    if (z == nullptr) throw Error("zstd: cannot start a stream (out of memory?)");
    ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, 3);
  }
  ~Zstd() override { ZSTD_freeCCtx(z); }
  void step(std::string_view in, bool last) override {
    ZSTD_inBuffer input{in.data(), in.size(), 0};
    std::size_t remaining;
    do {
      ZSTD_outBuffer output{out.data(), out.size(), 0};
      remaining = ZSTD_compressStream2(z, &output, &input, last ? ZSTD_e_end : ZSTD_e_continue);
      if (ZSTD_isError(remaining)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(remaining));
      sink(out.data(), output.pos);
    } while (input.pos < input.size || (last && remaining != 0));
  }
};

}  // namespace

CompressedWriter::CompressedWriter(Compression compression, Sink sink) {
  switch (compression) {
    case Compression::None: codec_ = std::make_unique<Plain>(std::move(sink)); break;
    case Compression::Gzip: codec_ = std::make_unique<Gzip>(std::move(sink)); break;
    case Compression::Bzip2: codec_ = std::make_unique<Bzip2>(std::move(sink)); break;
    case Compression::Xz: codec_ = std::make_unique<Xz>(std::move(sink)); break;
    case Compression::Zstd: codec_ = std::make_unique<Zstd>(std::move(sink)); break;
  }
}

CompressedWriter::~CompressedWriter() = default;

void CompressedWriter::write(std::string_view text) {
  if (codec_->finished) throw Error("CompressedWriter: write after finish");
  // The libraries count input in 32-bit sizes: hand over large texts in pieces.
  constexpr std::size_t kPiece = 1u << 30;
  for (std::size_t at = 0; at < text.size(); at += kPiece) codec_->step(text.substr(at, kPiece), false);
}

void CompressedWriter::finish() {
  if (codec_->finished) return;
  codec_->finished = true;
  codec_->step({}, true);
}

}  // namespace wordvec
