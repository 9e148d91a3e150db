// wordvec nn: nearest neighbours by cosine similarity.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>

#include "cli.h"
#include "json_output.h"
#include "wordvec/core/error.h"
#include "wordvec/query/neighbors.h"

namespace wordvec::cli {
namespace {

const char* kNnUsage =
    "usage: wordvec nn --vectors FILE [WORD ...] [-k 10]\n"
    "\n"
    "Prints the k words closest to each WORD by cosine similarity. With no words,\n"
    "reads one word per line from standard input (works in a pipe). A model file\n"
    "trained with --subwords answers for any word, seen or not, from its n-grams.\n"
    "--json prints one JSON object per word, one per line. Exits 1 when no word had\n"
    "a vector (as grep when nothing matched), after printing what it could.";

// Prints one word's neighbours; returns whether the word had a vector.
bool print_neighbors(const NearestNeighbors& index, const std::string& word, std::size_t k, bool json) {
  const bool known = index.has_vector(word);
  const std::vector<Neighbor> found = known ? index.nearest(word, k) : std::vector<Neighbor>{};
  if (json) {
    print_json({{"word", word},
                {"in_vocabulary", index.contains(word)},
                {"built_from_subwords", known && !index.contains(word)},
                {"neighbors", known ? neighbors_json(found) : Json()}});
    return known;
  }
  if (!known) {
    std::printf("%s: not in the vocabulary\n", word.c_str());
    return false;
  }
  std::printf(index.contains(word) ? "%s:\n" : "%s (not in the vocabulary: built from its n-grams):\n", word.c_str());
  for (const Neighbor& n : found) std::printf("  %-20s %.4f\n", n.word.c_str(), n.similarity);
  return true;
}

}  // namespace

int run_nn(const std::vector<std::string>& args) {
  std::string vectors_path;
  std::vector<std::string> words;
  std::size_t k = 10;
  po::options_description o("Options");
  o.add_options()("vectors", po::value(&vectors_path)->required(), "vector file (any supported format)")(
      "word", po::value(&words)->multitoken(), "query words (also positional)")(
      ",k", po::value(&k)->default_value(k), "neighbours per word")(
      "json", "one JSON object per word and line: word, in_vocabulary, built_from_subwords, neighbors "
              "(word, similarity; null for a word without a vector)");
  o.add(logging_options());
  po::positional_options_description positional;
  positional.add("word", -1);
  po::variables_map vm;
  if (!parse_or_help(args, o, &positional, kNnUsage, vm)) return 0;
  configure_logging(vm);

  const NearestNeighbors index(load_vectors(vectors_path));
  spdlog::debug("loaded {} vectors from {}", index.size(), vectors_path);
  const bool json = vm.count("json") > 0;
  std::size_t asked = 0, answered = 0;
  const auto query = [&](const std::string& word) {
    ++asked;
    answered += print_neighbors(index, word, k, json) ? 1 : 0;
    std::fflush(stdout);
  };
  for (const auto& w : words) query(w);
  std::string line;
  while (words.empty() && std::getline(std::cin, line))
    if (!line.empty()) query(line);
  return asked > 0 && answered == 0 ? 1 : 0;
}

}  // namespace wordvec::cli
