// wordvec convert: vectors from one format to another.
#include <spdlog/spdlog.h>

#include <filesystem>

#include "cli.h"
#include "json_output.h"
#include "wordvec/core/error.h"
#include "wordvec/io/vectors_io.h"

namespace wordvec::cli {
namespace {

const char* kConvertUsage =
    "usage: wordvec convert --input FILE --output FILE --to bin|text|vec|glove|npy|projector [--normalize] [--max-words N]\n"
    "\n"
    "Reads word2vec binary or text, fastText .vec, GloVe text or .npy (+ its .words.txt),\n"
    "telling the format from the content, and writes it in another. Row order is kept.\n"
    "--to projector writes the folder --output names (created if missing) with vectors.tsv and\n"
    "metadata.tsv for TensorBoard's projector (projector.tensorflow.org: Load, then pick both).";

// The size of what was written (the .npy alone for npy, whose words go beside it).
std::uintmax_t written_bytes(const std::string& path) {
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  return error ? 0 : size;
}

}  // namespace

int run_convert(const std::vector<std::string>& args) {
  std::string input, output, to;
  std::size_t max_words = 0;
  po::options_description o("Options");
  o.add_options()("input,i", po::value(&input)->required(), "vector file to read (any supported format)")(
      "output,o", po::value(&output)->required(), "file to write (replaced atomically)")(
      "to", po::value(&to)->required(), "output format: bin, text, vec, glove, npy, or projector (--output is then a folder: TensorBoard's "
                                                "vectors.tsv and metadata.tsv)")(
      "normalize", "scale every vector to unit length")(
      "max-words", po::value(&max_words)->default_value(0), "write only the first N words (0 = all)")(
      "json", "print what was written as one JSON object: input, input_format, output, format, words, dimension, "
              "bytes");
  o.add(logging_options());
  po::variables_map vm;
  if (!parse_or_help(args, o, nullptr, kConvertUsage, vm)) return 0;
  configure_logging(vm);
  const VectorFormat format = format_flag(to);
  FilePlan plan;
  plan_vector_input(plan, input, "--input");
  plan_vector_output(plan, output, format, "--output");
  plan.check();
  WordVectors v = load_vectors(input);
  if (vm.count("normalize")) normalize_rows(v.vectors);
  write_vectors(output, v.words, v.vectors, format, max_words);
  const std::size_t written = max_words > 0 ? std::min<std::size_t>(max_words, v.size()) : v.size();
  spdlog::info("{} ({}, {} x {}) -> {} ({}, {} x {})", input, vector_format_name(v.format), v.size(), v.dim(), output,
               to, written, v.dim());
  if (vm.count("json"))
    print_json({{"input", input},
                {"input_format", vector_format_name(v.format)},
                {"output", output},
                {"format", vector_format_name(format)},
                {"words", written},
                {"dimension", v.dim()},
                {"bytes", written_bytes(output)}});
  return 0;
}

}  // namespace wordvec::cli
