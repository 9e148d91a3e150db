// `wordvec prepare` and `wordvec phrases`: the corpus as training would read
// it (inputs decoded, normalised, phrases joined), written out as text.
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "cli.h"
#include "text_flags.h"
#include "wordvec/core/atomic_file.h"
#include "wordvec/core/error.h"
#include "wordvec/core/parallel.h"
#include "wordvec/io/compressed_output.h"

namespace wordvec::cli {
namespace {

const char* kPrepareUsage =
    "usage: wordvec prepare --input CORPUS... --output FILE [options]\n"
    "\n"
    "Writes the corpus as 'wordvec train' reads it: every input (files, folders, -; plain or gzip, bzip2,\n"
    "xz, zstd) decoded and concatenated, each file ending its last line, each line normalised as the\n"
    "flags say. The output is compressed when its name ends in .gz, .bz2, .xz or .zst (or as --compress\n"
    "says); --output - writes to standard output.\n"
    "\n"
    "example: wordvec prepare --input dump/ --glob '*.bz2' --lowercase --split-punctuation --output clean.txt.gz\n";

const char* kPhrasesUsage =
    "usage: wordvec phrases --input CORPUS... --output FILE [options]\n"
    "\n"
    "Joins word pairs that occur together more often than chance into one token (new york -> new_york),\n"
    "with word2phrase's score: (count(a b) - min-count) / (count(a) count(b)) * tokens > threshold.\n"
    "A second pass (--passes 2) joins the joined text again, giving phrases of up to 4 words.\n"
    "Input and output as 'wordvec prepare' (normalisation flags included); 'wordvec train --phrases N'\n"
    "does the same inline.\n"
    "\n"
    "example: wordvec phrases --input corpus.txt.gz --lowercase --passes 2 --output phrased.txt.zst --top 30\n";

// Hands the compressed bytes to an atomic file, or to standard output.
class TextOutput {
 public:
  TextOutput(const std::string& path, Compression compression)
      : path_(path),
        file_(path == "-" ? nullptr : std::make_unique<AtomicFileWriter>(path)),
        writer_(compression, [this](const char* data, std::size_t n) { put(data, n); }) {}
  void write(std::string_view text) { writer_.write(text); }
  void commit() {
    writer_.finish();
    if (file_) file_->commit();
    else if (std::fflush(stdout) != 0) throw file_error("standard output", std::strerror(errno));
  }
  std::uint64_t bytes() const { return bytes_; }

 private:
  void put(const char* data, std::size_t n) {
    bytes_ += n;
    if (file_) file_->write(data, n);
    else if (std::fwrite(data, 1, n, stdout) != n) throw file_error("standard output", std::strerror(errno));
  }
  std::string path_;
  std::unique_ptr<AtomicFileWriter> file_;
  std::uint64_t bytes_ = 0;
  CompressedWriter writer_;
};

void copy_text(const std::string& from, TextOutput& to) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(from.c_str(), "rb"), std::fclose);
  if (!in) throw file_error(from, std::strerror(errno));
  std::vector<char> block(1 << 20);
  while (const std::size_t n = std::fread(block.data(), 1, block.size(), in.get())) to.write({block.data(), n});
  if (std::ferror(in.get())) throw file_error(from, std::string("read error: ") + std::strerror(errno));
}

int run_text_command(const std::vector<std::string>& args, bool phrases) {
  std::vector<std::string> inputs;
  CorpusInputOptions io;
  TextFlags text;
  std::string output, compress = "auto";
  unsigned threads = 0;
  std::size_t top = 0;
  po::options_description o("Input and output");
  o.add_options()("input,i", po::value(&inputs)->multitoken()->composing(),
                  "files, folders (their files, recursively, sorted; hidden ones skipped) or - for standard input; "
                  "plain UTF-8 or gzip, bzip2, xz, zstd (recognised by content)")(
      "glob", po::value(&io.glob), "only files whose name matches this shell pattern in --input folders")(
      "output,o", po::value(&output), "the text to write (replaced atomically), or - for standard output")(
      "compress", po::value(&compress)->default_value(compress),
      "auto (by the output's extension: .gz .bz2 .xz .zst), none, gzip, bzip2, xz or zstd")(
      "temp-dir", po::value(&io.temp_dir), "folder for the working copy (default $TMPDIR or /tmp)")(
      "threads,t", po::value(&threads)->default_value(0, "all cores"), "threads for counting phrases");
  if (phrases)
    o.add_options()("top", po::value(&top)->default_value(0),
                    "also print the N best-scoring phrases of each pass ('phrase score count') to standard error");
  o.add(text.normalize_options());
  if (phrases) o.add(text.phrase_command_options());
  o.add(logging_options());
  po::variables_map vm;
  const FlagRanges phrase_ranges = [](const std::string& flag, const po::parsed_options&) {
    return flag_range(PhraseOptions{}.ranged_fields(), flag);
  };
  if (!parse_or_help(args, o, nullptr, phrases ? kPhrasesUsage : kPrepareUsage, vm, phrase_ranges)) return 0;
  configure_logging(vm);
  if (inputs.empty()) throw UsageError("--input is required");
  if (output.empty()) throw UsageError("--output is required (- for standard output)");
  text.resolve(false);
  const Compression compression = compress == "auto" ? compression_for_path(output) : parse_compression(compress);

  FilePlan plan;
  for (const std::string& file : expand_corpus_paths(inputs, io.glob))
    if (file != "-") plan.stream_input(file, "--input");
  if (output != "-") plan.output(output, "--output");
  plan.check();

  io.normalize = text.normalize;
  io.phrases = text.phrases;
  io.threads = resolve_threads(threads);
  io.always_copy = true;
  log_phrase_passes(io, vm.count("quiet") > 0);
  io.on_phrase_pass = [&](const PhrasePassReport& report, const PhraseTable& table) {
    if (vm.count("quiet") == 0) log_phrase_pass(report, table);
    for (const ScoredPhrase& p : table.top(top)) {
      if (top == 0) break;
      std::fprintf(stderr, "%s %.6g %llu\n", p.phrase.c_str(), p.score, static_cast<unsigned long long>(p.count));
    }
  };
  const PreparedCorpus corpus(inputs, io);
  std::uint64_t read = 0, decoded = 0;
  for (const InputReport& r : corpus.reports()) read += r.compressed_bytes, decoded += r.text_bytes;
  TextOutput out(output, compression);
  copy_text(corpus.path(), out);
  out.commit();
  spdlog::info("{} input file(s), {:.1f} MB read ({:.1f} MB of text) -> {}: {:.1f} MB{}", corpus.reports().size(),
               read / 1e6, decoded / 1e6, output == "-" ? "standard output" : output, out.bytes() / 1e6,
               compression == Compression::None ? "" : std::string(" (") + compression_name(compression) + ")");
  return 0;
}

}  // namespace

int run_prepare(const std::vector<std::string>& args) { return run_text_command(args, false); }
int run_phrases(const std::vector<std::string>& args) { return run_text_command(args, true); }

}  // namespace wordvec::cli
