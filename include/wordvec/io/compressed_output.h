// Compressed text output (gzip, bzip2, xz, zstd), for the text that
// `wordvec prepare` and `wordvec phrases` write; decode_input reads it back.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "wordvec/text/corpus_input.h"

namespace wordvec {

// The compression a file name asks for: .gz, .bz2, .xz, .zst; else None.
Compression compression_for_path(const std::string& path);
// "none"/"plain", "gzip", "bzip2", "xz", "zstd"; throws Error naming the valid ones.
Compression parse_compression(const std::string& name);

// Compresses what is written to it and hands the compressed bytes to `sink`.
// Levels are the tools' defaults (gzip 6, bzip2 9, xz 6, zstd 3).
class CompressedWriter {
 public:
  using Sink = std::function<void(const char* data, std::size_t size)>;
  CompressedWriter(Compression compression, Sink sink);
  ~CompressedWriter();
  CompressedWriter(const CompressedWriter&) = delete;
  CompressedWriter& operator=(const CompressedWriter&) = delete;

  void write(std::string_view text);
  void finish();  // ends the stream; nothing may be written after it

  struct Codec;  // one library's stream (defined in the .cc)

 private:
  std::unique_ptr<Codec> codec_;
};

}  // namespace wordvec
