// wordvec: train, query and size word embeddings.
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>

#include "cli.h"
#include "signals.h"
#include "wordvec/core/error.h"
#ifdef WORDVEC_MPI
#include <optional>

#include "dist/mpi/mpi_communicator.h"
#endif

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
    "  convert  vectors between formats: bin, text, vec (fastText), glove, npy; projector files\n"
    "  prepare  write a corpus as train reads it: decompressed, concatenated, normalised\n"
    "  phrases  join frequent word pairs into phrases (new_york), as word2phrase\n"
    "  info     what a model file (train --save-model) or a vector file holds\n"
    "  vectors  the vector of each word given (any word, with a --subwords model)\n"
    "  serve    explore a model in the browser: neighbours, analogies, a map (and a JSON API)\n"
    "\n"
    "'wordvec COMMAND --help' (or 'wordvec help COMMAND') explains each command's options and\n"
    "defaults; 'wordvec --version' tells the release, commit, compiler, SIMD kernels and BLAS.\n";

// "rank R of P on HOST", for messages from a distributed run.
std::string process_name(const wordvec::Communicator& world) {
  char host[256] = "?";
  ::gethostname(host, sizeof host - 1);
  return "rank " + std::to_string(world.rank()) + " of " + std::to_string(world.size()) + " on " + host;
}

}  // namespace

// The command's exit status; errors are printed as "WHO: error: ...", WHO
// being "wordvec COMMAND" and, in a distributed run, the process.
int run_command(int argc, char** argv, wordvec::Communicator* world) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::cout << kUsage;
    return argc < 2 ? 2 : 0;
  }
  if (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "version") == 0) {
    std::cout << wordvec::cli::version_text();
#ifdef WORDVEC_MPI
    std::cout << "distributed: " << wordvec::MpiCommunicator::library_version() << " (train under mpirun)\n";
#endif
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
  const bool distributed = world != nullptr && world->size() > 1;
  const std::string who = "wordvec " + command + (distributed ? " (" + process_name(*world) + ")" : "");
  try {
    if (distributed && command != "train") {
      std::fprintf(stderr, "%s: only train runs under mpirun\n", who.c_str());
      return 2;
    }
    if (command == "train") return wordvec::cli::run_train(args, wordvec::cli::FrontEnd{{}, {}, world});
    if (command == "dim") return wordvec::cli::run_dim(args);
    if (command == "nn") return wordvec::cli::run_nn(args);
    if (command == "eval") return wordvec::cli::run_eval(args);
    if (command == "convert") return wordvec::cli::run_convert(args);
    if (command == "analogy") return wordvec::cli::run_analogy(args);
    if (command == "prepare") return wordvec::cli::run_prepare(args);
    if (command == "phrases") return wordvec::cli::run_phrases(args);
    if (command == "info") return wordvec::cli::run_info(args);
    if (command == "vectors") return wordvec::cli::run_vectors(args);
    if (command == "serve") return wordvec::cli::run_serve(args);
    std::fprintf(stderr, "wordvec: unknown command '%s'\n\n%s", command.c_str(), kUsage);
    return 2;
  } catch (const wordvec::OptionError& e) {  // the library names a field; the user knows the flag
    std::fprintf(stderr, "%s: error: %s %s\n", who.c_str(), wordvec::cli::flag_of(e.field()).c_str(),
                 e.requirement().c_str());
    // A value out of range is a usage error (exit 2), as an unknown option is;
    // one that made training diverge was found at run time (exit 1).
    return dynamic_cast<const wordvec::DivergedError*>(&e) != nullptr ? 1 : 2;
  } catch (const wordvec::cli::UsageError& e) {
    std::fprintf(stderr, "%s: %s (see 'wordvec %s --help')\n", who.c_str(), e.what(), command.c_str());
    return 2;
  } catch (const wordvec::Error& e) {
    std::fprintf(stderr, "%s: error: %s\n", who.c_str(), e.what());
    return 1;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "%s: error: out of memory\n", who.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: error: %s\n", who.c_str(), e.what());
    return 1;
  }
}

int main(int argc, char** argv) {
#ifdef WORDVEC_MPI
  // Under mpirun (or srun) every process runs the command as one rank of the
  // job; started alone, this build is the ordinary command.
  std::optional<wordvec::MpiCommunicator> world;
  if (wordvec::MpiCommunicator::launched_by_mpi()) world.emplace(&argc, &argv);
  const int code = run_command(argc, argv, world ? &*world : nullptr);
  // A failed process ends the whole job: the others would wait for it forever.
  if (world && world->size() > 1 && code != 0) world->abort(code);
  return code;
#else
  return run_command(argc, argv, nullptr);
#endif
}
