// The `wordvec` command: one function per subcommand, each parsing its
// options into the library's option structs and calling the library.
#pragma once

#include <boost/program_options.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "wordvec/core/error.h"
#include "wordvec/core/files.h"
#include "wordvec/core/progress.h"
#include "wordvec/dist/communicator.h"
#include "wordvec/io/vectors_io.h"

namespace wordvec::cli {

namespace po = boost::program_options;

int run_train(const std::vector<std::string>& args);

// Log lines for a front end that shows them itself: spdlog's level (0 trace,
// 1 debug, 2 info, 3 warn, 4 error, 5 critical) and the message.
using LogHandler = std::function<void(int level, const std::string& message)>;

// A front end that runs `wordvec train` in-process (the Python module)
// rather than from main(): it sees progress and log lines through these
// instead of stderr, and stops the job with request_stop (signals.h).
struct FrontEnd {
  ProgressCallback progress;  // null: printed to stderr
  LogHandler log;             // null: stderr
  // The processes of a distributed run (the MPI build under mpirun); null or
  // of size 1: this process alone.
  Communicator* world = nullptr;
};
int run_train(const std::vector<std::string>& args, const FrontEnd& front_end);
// `wordvec train --help`'s text: every option with its default.
std::string train_help();
int run_dim(const std::vector<std::string>& args);
int run_nn(const std::vector<std::string>& args);
int run_eval(const std::vector<std::string>& args);
int run_convert(const std::vector<std::string>& args);
int run_analogy(const std::vector<std::string>& args);
int run_prepare(const std::vector<std::string>& args);
int run_phrases(const std::vector<std::string>& args);
int run_info(const std::vector<std::string>& args);
int run_vectors(const std::vector<std::string>& args);
int run_serve(const std::vector<std::string>& args);

// `wordvec --version`: release, commit, compiler, SIMD kernels, BLAS.
std::string version_text();

// Thrown for bad command-line usage (exit code 2).
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// --format / --to: a vector format name; an unknown one is a usage error (exit 2).
VectorFormat format_flag(const std::string& name);

// The flag that sets a library option field: "window" -> "--window",
// "learning_rate" -> "--alpha" (word2vec's and GloVe's name for it).
std::string flag_of(const std::string& field);

// The range of a numeric flag ("epochs": no dashes) from the options structs
// that own it, given the other options as parsed (train's ranges depend on
// --model); nullopt when none does.
using FlagRanges = std::function<std::optional<ValidRange>(const std::string& flag, const po::parsed_options& parsed)>;
// The range of the field among `fields` whose flag (flag_of(prefix + field)) is --flag.
std::optional<ValidRange> flag_range(const std::vector<RangedField>& fields, const std::string& flag,
                                     const std::string& prefix = "");

// Parses args against the options (and positional ones); prints `usage` and
// the options for --help and returns false then. A number that its option's
// type cannot hold ("-1" for a count, "1e3" or "2.5" for a whole number, 10^12
// for an int) is a usage error that gives the valid range from `ranges`.
bool parse_or_help(const std::vector<std::string>& args, const po::options_description& options,
                   const po::positional_options_description* positional, const std::string& usage,
                   po::variables_map& vm, const FlagRanges& ranges = {});

// --quiet / --verbose, shared by every subcommand.
po::options_description logging_options();
// A front end's handler, when given, receives the lines instead of stderr.
void configure_logging(const po::variables_map& vm, const LogHandler& handler = {});

// Renders training progress: on a terminal one line redrawn in place, else a
// log line every few seconds.
class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool quiet);
  void operator()(const TrainingProgress& p);

 private:
  bool quiet_;
  bool tty_;
  std::string stage_;
  double last_logged_ = -1e9;
  void log_epoch_end(const TrainingProgress& p);
  int epoch_ = 0;
  double epoch_started_ = -1;  // elapsed seconds when epoch_ began (-1: unknown)
};

std::string format_duration(double seconds);

// Declares to `plan` the files read_vectors(path) reads, or that
// write_vectors(path, ..., format) writes (an .npy file's word list too).
void plan_vector_input(FilePlan& plan, const std::string& path, const std::string& role);
void plan_vector_output(FilePlan& plan, const std::string& path, VectorFormat format, const std::string& role);

// Reads a vector file (any format) and warns when it listed a word twice.
WordVectors load_vectors(const std::string& path);

}  // namespace wordvec::cli
