// wordvec nn: nearest neighbours by cosine similarity.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "cli.h"
#include "wordvec/core/error.h"
#include "wordvec/query/neighbors.h"

namespace wordvec::cli {
namespace {

const char* kNnUsage =
    "usage: wordvec nn --vectors FILE [WORD ...] [-k 10]\n"
    "\n"
    "Prints the k words closest to each WORD by cosine similarity. With no words,\n"
    "reads one word per line from standard input (works in a pipe). A model file\n"
    "trained with --subwords answers for any word, seen or not, from its n-grams.";

void print_neighbors(const NearestNeighbors& index, const std::string& word, std::size_t k) {
  if (!index.has_vector(word)) {
    std::printf("%s: not in the vocabulary\n", word.c_str());
    return;
  }
  std::printf(index.contains(word) ? "%s:\n" : "%s (not in the vocabulary: built from its n-grams):\n", word.c_str());
  for (const Neighbor& n : index.nearest(word, k)) std::printf("  %-20s %.4f\n", n.word.c_str(), n.similarity);
}

}  // namespace

int run_nn(const std::vector<std::string>& args) {
  std::string vectors_path;
  std::vector<std::string> words;
  std::size_t k = 10;
  po::options_description o("Options");
  o.add_options()("vectors", po::value(&vectors_path)->required(), "vector file (any supported format)")(
      "word", po::value(&words)->multitoken(), "query words (also positional)")(
      ",k", po::value(&k)->default_value(k), "neighbours per word");
  o.add(logging_options());
  po::positional_options_description positional;
  positional.add("word", -1);
  po::variables_map vm;
  if (!parse_or_help(args, o, &positional, kNnUsage, vm)) return 0;
  configure_logging(vm);

  const NearestNeighbors index(load_vectors(vectors_path));
  spdlog::debug("loaded {} vectors from {}", index.size(), vectors_path);
  if (!words.empty()) {
    for (const auto& w : words) print_neighbors(index, w, k);
    return 0;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    print_neighbors(index, line, k);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace wordvec::cli
