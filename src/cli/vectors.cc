// wordvec vectors: the vector of each word read from standard input (fastText's print-word-vectors).
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <unordered_map>

#include "cli.h"
#include "wordvec/core/error.h"

namespace wordvec::cli {
namespace {

const char* kVectorsUsage =
    "usage: wordvec vectors MODEL|VECTORS [WORD ...] < words.txt\n"
    "\n"
    "Prints 'WORD v1 v2 ...' for each WORD, or for each whitespace-separated word of\n"
    "standard input, one line per word in input order (fastText's print-word-vectors).\n"
    "A model trained with --subwords (train --subwords --save-model) gives every word\n"
    "a vector, built from its character n-grams when it is not in the vocabulary.\n"
    "A word without a vector prints zeros and a warning, so lines stay in step.";

}  // namespace

int run_vectors(const std::vector<std::string>& args) {
  std::string path;
  std::vector<std::string> words;
  po::options_description o("Options");
  o.add_options()("vectors", po::value(&path)->required(), "model file or vector file (also the first positional)")(
      "word", po::value(&words)->multitoken(), "words (also positional); none: read standard input");
  o.add(logging_options());
  po::positional_options_description positional;
  positional.add("vectors", 1).add("word", -1);
  po::variables_map vm;
  if (!parse_or_help(args, o, &positional, kVectorsUsage, vm)) return 0;
  configure_logging(vm);

  const WordVectors v = load_vectors(path);
  std::unordered_map<std::string_view, std::size_t> rows;
  for (std::size_t r = 0; r < v.size(); ++r) rows.emplace(v.words[r], r);  // a duplicate keeps the first
  std::vector<float> built(v.dim());
  std::size_t missing = 0;
  const auto print = [&](const std::string& word) {
    const float* vector = built.data();
    const auto row = rows.find(word);
    if (row != rows.end()) {
      vector = v.vectors.row(row->second);
    } else if (!v.subwords || !v.subwords->vector_of(word, built.data())) {
      std::fill(built.begin(), built.end(), 0.0f);
      if (missing++ == 0)
        spdlog::warn("'{}' has no vector in {} ({}): printed zeros", word, path,
                     v.subwords ? "not in the vocabulary and no n-grams" : "not in the vocabulary; a model trained "
                                                                            "with --subwords has a vector for any word");
    }
    std::printf("%s", word.c_str());
    for (std::size_t c = 0; c < v.dim(); ++c) std::printf(" %.5g", vector[c]);
    std::printf("\n");
  };
  if (!words.empty()) {
    for (const std::string& w : words) print(w);
  } else {
    std::string word;
    while (std::cin >> word) print(word);
  }
  if (missing > 1) spdlog::warn("{} words had no vector (zeros printed)", missing);
  return 0;
}

}  // namespace wordvec::cli
