// wordvec: train, query and size word embeddings.
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstring>
#include <iostream>

#include "cli.h"
#include "signals.h"
#include "wordvec/core/error.h"

namespace {

const char* kUsage =
    "usage: wordvec COMMAND [OPTIONS]\n"
    "\n"
    "commands:\n"
    "  train    train vectors on a text corpus: skip-gram or CBOW (negative sampling), or GloVe\n"
    "  dim      suggest the embedding dimension for a vocabulary (minimum-entropy criterion)\n"
    "  nn       nearest neighbours of words in a vector file or model\n"
    "  analogy  A is to B as C is to ? (3CosAdd or 3CosMul)\n"
    "  eval     analogy accuracy and word-similarity correlation of a vector file\n"
    "  convert  vectors between formats: bin, text, vec (fastText), glove, npy\n"
    "  prepare  write a corpus as train reads it: decompressed, concatenated, normalised\n"
    "  phrases  join frequent word pairs into phrases (new_york), as word2phrase\n"
    "  info     what a model file (train --save-model) or a vector file holds\n"
    "  vectors  the vector of each word given (any word, with a --subwords model)\n"
    "\n"
    "'wordvec COMMAND --help' (or 'wordvec help COMMAND') explains each command's options and\n"
    "defaults; 'wordvec --version' tells the release, commit, compiler, SIMD kernels and BLAS.\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "version") == 0) {
    std::cout << wordvec::cli::version_text();
    return 0;
  }
  wordvec::cli::install_signal_handlers();
  // 'wordvec help train' is 'wordvec train --help'.
  const bool help = std::strcmp(argv[1], "help") == 0;
  if (help && argc < 3) {
    std::cout << kUsage;
    return 0;
  }
  const std::string command = argv[help ? 2 : 1];
  const std::vector<std::string> args =
      help ? std::vector<std::string>{"--help"} : std::vector<std::string>(argv + 2, argv + argc);
  try {
    if (command == "train") return wordvec::cli::run_train(args);
    if (command == "dim") return wordvec::cli::run_dim(args);
    if (command == "nn") return wordvec::cli::run_nn(args);
    if (command == "eval") return wordvec::cli::run_eval(args);
    if (command == "convert") return wordvec::cli::run_convert(args);
    if (command == "analogy") return wordvec::cli::run_analogy(args);
    if (command == "prepare") return wordvec::cli::run_prepare(args);
    if (command == "phrases") return wordvec::cli::run_phrases(args);
    if (command == "info") return wordvec::cli::run_info(args);
    if (command == "vectors") return wordvec::cli::run_vectors(args);
    std::fprintf(stderr, "wordvec: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
  } catch (const wordvec::OptionError& e) {  // the library names a field; the user knows the flag
    std::fprintf(stderr, "wordvec %s: error: %s %s\n", command.c_str(), wordvec::cli::flag_of(e.field()).c_str(),
                 e.requirement().c_str());
    // A value out of range is a usage error (exit 2), as an unknown option is;
    // one that made training diverge was found at run time (exit 1).
    return dynamic_cast<const wordvec::DivergedError*>(&e) != nullptr ? 1 : 2;
  } catch (const wordvec::cli::UsageError& e) {
    std::fprintf(stderr, "wordvec %s: %s (see 'wordvec %s --help')\n", command.c_str(), e.what(), command.c_str());
    return 2;
  } catch (const wordvec::Error& e) {
    std::fprintf(stderr, "wordvec %s: error: %s\n", command.c_str(), e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "wordvec %s: error: out of memory\n", command.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wordvec %s: error: %s\n", command.c_str(), e.what());
    return 1;
  }
}
