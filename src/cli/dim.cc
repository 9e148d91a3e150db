// wordvec dim: the minimum-entropy dimension for a vocabulary size.
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>

#include "cli.h"
#include "wordvec/dimension.h"
#include "wordvec/error.h"
#include "wordvec/vocabulary.h"

namespace wordvec::cli {
namespace {

const char* kDimUsage =
    "usage: wordvec dim --vocab-size N [N ...] | --input CORPUS [--min-count 5] [--max-vocab M] | --table\n"
    "\n"
    "Suggests the embedding dimension n for a vocabulary of N words: the smallest n\n"
    "whose minimum-entropy estimate H(n, N) of a skip-gram model with word vectors on\n"
    "the sphere of radius sqrt(n) turns negative, where\n"
    "  H(n, N) = 2 ln N + ln E[exp(n t)] - n E[t exp(n t)] / E[exp(n t)]\n"
    "and t is the cosine between two uniformly random directions in R^n.\n"
    "For large N this is n > 8.31 ln N; the rule of thumb ceil(8.33 ln N) is shown beside it.";

double parse_vocab_size(const std::string& text) {
  char* end = nullptr;
  const double n = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !std::isfinite(n) || n < 2 || n != std::floor(n))
    throw UsageError("--vocab-size takes whole numbers >= 2 (e.g. 100000 or 1e6), got '" + text + "'");
  return n;
}

void print_explanation(const DimensionSuggestion& s) {
  std::printf("N = %.0f: H(n, N) = 2 ln N + ln E[exp(n t)] - n E[t exp(n t)]/E[exp(n t)], "
              "E[exp(k t)] = Gamma(n/2) (2/k)^(n/2-1) I_(n/2-1)(k)\n",
              s.vocab_size);
  for (int n = std::max(2, s.dimension - 3); n <= s.dimension + 3; ++n)
    std::printf("  n = %4d  H = %+.6f%s\n", n, dimension_entropy(n, s.vocab_size),
                n == s.dimension ? "  <- smallest n with H < 0" : "");
}

}  // namespace

int run_dim(const std::vector<std::string>& args) {
  std::vector<std::string> sizes;
  std::string input;
  VocabOptions vo;
  po::options_description o("Options");
  o.add_options()("vocab-size,N", po::value(&sizes)->multitoken(), "vocabulary sizes to size for")(
      "input,i", po::value(&input), "count the vocabulary of this corpus first (as 'train' does)")(
      "min-count", po::value(&vo.min_count)->default_value(vo.min_count), "with --input: drop rarer words")(
      "max-vocab", po::value(&vo.max_vocab)->default_value(0), "with --input: keep at most this many words")(
      "table", "print N -> n for N = 10^1 ... 10^12")("explain", "print H(n, N) around the threshold")(
      "json", "machine-readable output");
  o.add(logging_options());
  po::positional_options_description positional;
  positional.add("vocab-size", -1);
  po::variables_map vm;
  if (!parse_or_help(args, o, &positional, kDimUsage, vm)) return 0;
  configure_logging(vm);

  std::vector<double> vocab_sizes;
  for (const auto& s : sizes) vocab_sizes.push_back(parse_vocab_size(s));
  if (!input.empty()) {
    VocabStats stats;
    const Vocabulary vocab = Vocabulary::build(input, vo, &stats);
    spdlog::info("{}: {} tokens, {} distinct words, {} with count >= {}", input, stats.scan.tokens,
                 stats.distinct_words, vocab.size(), vo.min_count);
    if (vocab.size() < 2) throw Error(input + ": fewer than 2 words reach min-count; nothing to size");
    vocab_sizes.push_back(static_cast<double>(vocab.size()));
  }
  if (vm.count("table"))
    for (int e = 1; e <= 12; ++e) vocab_sizes.push_back(std::pow(10.0, e));
  if (vocab_sizes.empty()) throw UsageError("give --vocab-size N, --input CORPUS or --table");

  const bool json = vm.count("json") > 0;
  if (json) std::printf("[");
  for (std::size_t i = 0; i < vocab_sizes.size(); ++i) {
    const DimensionSuggestion s = suggest_dimension(vocab_sizes[i]);
    if (json) {
      std::printf("%s\n  {\"vocab_size\": %.0f, \"dimension\": %d, \"entropy_at\": %.9g, \"entropy_before\": %.9g, "
                  "\"rule_of_thumb\": %d}",
                  i ? "," : "", s.vocab_size, s.dimension, s.entropy_at, s.entropy_before, s.rule_of_thumb);
    } else if (vm.count("explain")) {
      print_explanation(s);
    } else {
      std::printf("N = %-15.0f dimension %4d   (rule of thumb ceil(8.33 ln N) = %d)\n", s.vocab_size, s.dimension,
                  s.rule_of_thumb);
    }
  }
  if (json) std::printf("\n]\n");
  return 0;
}

}  // namespace wordvec::cli
