// wordvec eval: analogy accuracy and word-pair similarity of a vector file.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <limits>
#include <cstdio>

#include "cli.h"
#include "json_output.h"
#include "wordvec/query/evaluation.h"

namespace wordvec::cli {
namespace {

const char* kEvalUsage =
    "usage: wordvec eval --vectors FILE [--analogy questions-words.txt] [--similarity FILE ...]\n"
    "\n"
    "Scores vectors with gensim's conventions: 3CosAdd analogies over the first\n"
    "--restrict-vocab words (case-insensitive, A/B/C excluded, questions with unknown\n"
    "words skipped), and Spearman/Pearson correlation on word-pair files.\n"
    "--json prints one JSON object: null where a score is undefined (no question\n"
    "attempted, fewer than two pairs).";

double rate(std::size_t part, std::size_t whole) {
  return whole ? static_cast<double>(part) / static_cast<double>(whole) : std::numeric_limits<double>::quiet_NaN();
}

// A section's counts; accuracy is NaN (null) when nothing was attempted.
Json section_json(const AnalogySection& s) {
  return {{"name", s.name},
          {"accuracy", rate(s.correct, s.attempted)},
          {"correct", s.correct},
          {"attempted", s.attempted},
          {"total", s.total}};
}

Json analogy_json(const AnalogyResult& r) {
  Json j = section_json(r.overall);
  j.erase("name");
  j["semantic"] = rate(r.semantic.correct, r.semantic.attempted);
  j["syntactic"] = rate(r.syntactic.correct, r.syntactic.attempted);
  j["summary"] = {section_json(r.semantic), section_json(r.syntactic)};
  j["sections"] = Json::array();
  for (const AnalogySection& s : r.sections) j["sections"].push_back(section_json(s));
  return j;
}

Json similarity_json(const SimilarityResult& r) {
  return {{"file", r.file},      {"spearman", r.spearman}, {"pearson", r.pearson},
          {"pairs", r.pairs},    {"skipped", r.skipped},   {"built_from_subwords", r.built}};
}

}  // namespace

int run_eval(const std::vector<std::string>& args) {
  std::string vectors_path, analogy, oov = "skip";
  std::vector<std::string> similarity;
  std::size_t restrict_vocab = 30000;
  po::options_description o("Options");
  o.add_options()("vectors", po::value(&vectors_path)->required(), "vector file (any supported format)")(
      "analogy", po::value(&analogy), "analogy questions (': section' lines, then 'A B C D')")(
      "similarity", po::value(&similarity)->multitoken(), "word1<TAB>word2<TAB>score files")(
      "restrict-vocab", po::value(&restrict_vocab)->default_value(restrict_vocab),
      "analogy candidates: the first N words of the file (1 or more)")(
      "oov", po::value(&oov)->default_value(oov),
      "similarity pairs with a word the vectors lack: skip (gensim's) or subword (score them with the word "
      "built from its lower-cased n-grams; needs a model trained with --subwords, fastText's evaluation)")(
      "json", "machine-readable output");
  o.add(logging_options());
  po::variables_map vm;
  if (!parse_or_help(args, o, nullptr, kEvalUsage, vm)) return 0;
  configure_logging(vm);
  if (restrict_vocab == 0) throw UsageError("--restrict-vocab takes 1 or more words");
  if (analogy.empty() && similarity.empty()) throw UsageError("give --analogy and/or --similarity");

  if (oov != "skip" && oov != "subword") throw UsageError("--oov must be skip or subword, got '" + oov + "'");
  const NearestNeighbors vectors(load_vectors(vectors_path));
  const bool build_unknown = oov == "subword";
  if (build_unknown && !vectors.normalized().subwords)
    throw UsageError("--oov subword needs a model file trained with --subwords (train --subwords --save-model); " +
                     vectors_path + " has vectors for its own words only");
  const bool json = vm.count("json") > 0;
  // An undefined score (no question attempted, under 2 known pairs, constant scores) is not 0.
  auto text = [](double v, const char* format) { return std::isnan(v) ? std::string("undefined") : fmt::format(fmt::runtime(format), v); };
  Json out = {{"vectors", vectors_path}};
  if (!analogy.empty()) {
    const AnalogyResult r = evaluate_analogies(vectors, analogy, restrict_vocab);
    if (json) {
      out["analogy"] = analogy_json(r);
    } else {
      for (const AnalogySection* s : {&r.overall, &r.semantic, &r.syntactic})
        std::printf("analogy %-10s %6s  (%zu/%zu attempted, coverage %.1f%%)\n", s->name.c_str(),
                    text(100 * rate(s->correct, s->attempted), "{:5.1f}%").c_str(), s->correct, s->attempted,
                    s->total ? 100.0 * s->attempted / s->total : 0.0);
      for (const AnalogySection& s : r.sections)
        std::printf("  %-28s %6s  %zu/%zu (of %zu)\n", s.name.c_str(),
                    text(100 * rate(s.correct, s.attempted), "{:5.1f}%").c_str(), s.correct, s.attempted, s.total);
    }
  }
  if (json && !similarity.empty()) out["similarity"] = Json::array();
  for (const auto& file : similarity) {
    const SimilarityResult r = evaluate_similarity(vectors, file, build_unknown);
    if (json)
      out["similarity"].push_back(similarity_json(r));
    else
      std::printf("similarity %-24s spearman %s  pearson %s  (%zu pairs, %zu skipped as unknown%s)\n", r.file.c_str(),
                  text(r.spearman, "{:6.3f}").c_str(), text(r.pearson, "{:6.3f}").c_str(), r.pairs, r.skipped,
                  build_unknown ? fmt::format(", {} with a word built from n-grams", r.built).c_str() : "");
  }
  if (json) print_json(out);
  return 0;
}

}  // namespace wordvec::cli
