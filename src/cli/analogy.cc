// wordvec analogy: A is to B as C is to ?
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <sstream>

#include "cli.h"
#include "json_output.h"
#include "wordvec/core/error.h"
#include "wordvec/query/neighbors.h"

namespace wordvec::cli {
namespace {

const char* kAnalogyUsage =
    "usage: wordvec analogy --vectors FILE [A B C] [-k 10] [--method add|mul]\n"
    "\n"
    "The k best answers to 'A is to B as C is to ?' (B - A + C), A, B and C excluded.\n"
    "With no words, reads 'A B C' lines from standard input (works in a pipe).\n"
    "--json prints one JSON object per question, one per line. Exits 1 when no\n"
    "question could be answered (a word without a vector in each), after printing\n"
    "what it could.";

// Prints one question's answers; returns whether all three words had vectors.
bool answer(const NearestNeighbors& index, const std::string& a, const std::string& b, const std::string& c,
            std::size_t k, AnalogyMethod method, bool json) {
  std::vector<std::string> unknown;
  for (const auto& w : {a, b, c})
    if (!index.has_vector(w)) unknown.push_back(w);
  const std::vector<Neighbor> found = unknown.empty() ? index.analogy(a, b, c, k, method) : std::vector<Neighbor>{};
  if (json) {
    print_json({{"question", {a, b, c}},
                {"method", method == AnalogyMethod::CosAdd ? "add" : "mul"},
                {"unknown", unknown},
                {"answers", unknown.empty() ? neighbors_json(found) : Json()}});
    return unknown.empty();
  }
  if (!unknown.empty()) {
    std::printf("%s: not in the vocabulary\n", unknown.front().c_str());
    return false;
  }
  std::printf("%s : %s :: %s : ?\n", a.c_str(), b.c_str(), c.c_str());
  for (const Neighbor& n : found) std::printf("  %-20s %.4f\n", n.word.c_str(), n.similarity);
  return true;
}

}  // namespace

int run_analogy(const std::vector<std::string>& args) {
  std::string vectors_path, method_name = "add";
  std::vector<std::string> words;
  std::size_t k = 10;
  po::options_description o("Options");
  o.add_options()("vectors", po::value(&vectors_path)->required(), "vector file (any supported format)")(
      "word", po::value(&words)->multitoken(), "A B C (also positional)")(",k", po::value(&k)->default_value(k),
                                                                          "answers to show")(
      "method", po::value(&method_name)->default_value(method_name), "add (3CosAdd) or mul (3CosMul)")(
      "json", "one JSON object per question and line: question, method, unknown (its words without a vector), "
              "answers (word, similarity; null when a word is unknown)");
  o.add(logging_options());
  po::positional_options_description positional;
  positional.add("word", -1);
  po::variables_map vm;
  if (!parse_or_help(args, o, &positional, kAnalogyUsage, vm)) return 0;
  configure_logging(vm);
  if (method_name != "add" && method_name != "mul")
    throw UsageError("--method must be add or mul, got '" + method_name + "'");
  const AnalogyMethod method = method_name == "add" ? AnalogyMethod::CosAdd : AnalogyMethod::CosMul;
  if (!words.empty() && words.size() != 3) throw UsageError("give exactly three words A B C");

  const NearestNeighbors index(load_vectors(vectors_path));
  const bool json = vm.count("json") > 0;
  std::size_t asked = 0, answered = 0;
  const auto ask = [&](const std::string& a, const std::string& b, const std::string& c) {
    ++asked;
    answered += answer(index, a, b, c, k, method, json) ? 1 : 0;
    std::fflush(stdout);
  };
  if (!words.empty()) ask(words[0], words[1], words[2]);
  std::string line;
  while (words.empty() && std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string a, b, c;
    if (in >> a >> b >> c) {
      ask(a, b, c);
    } else if (!line.empty()) {
      ++asked;
      if (json)
        print_json({{"line", line}, {"error", "expected three words 'A B C'"}});
      else
        std::printf("expected three words 'A B C'\n");
    }
  }
  return asked > 0 && answered == 0 ? 1 : 0;
}

}  // namespace wordvec::cli
