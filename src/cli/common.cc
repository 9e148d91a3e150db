#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <string_view>
#include <iostream>

#include <algorithm>
#include <boost/lexical_cast.hpp>
#include <limits>
#include <type_traits>
#include <map>
#include <mutex>

#include <sys/stat.h>

#include "cli.h"
#include "wordvec/core/atomic_file.h"
#include "wordvec/core/error.h"

namespace wordvec::cli {

VectorFormat format_flag(const std::string& name) {
  try {
    return parse_vector_format(name);
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
}

std::string flag_of(const std::string& field) {
  static const std::map<std::string, std::string> renamed = {
      {"learning_rate", "--alpha"},           {"weighting_exponent", "--glove-alpha"},
      {"bias_learning_rate", "--bias-alpha"},
      {"negative_share", "--share-negatives"}, {"cache_memory_gib", "--cache-memory"},
      {"memory_gib", "--memory"},             {"output", "--glove-output"},
      {"min_learning_rate_ratio", "the minimum learning-rate ratio"},
      {"max_sentence_words", "the longest sentence"},
      {"phrase_passes", "--phrases"},         {"phrase_memory_gib", "--phrase-memory"}};
  const auto it = renamed.find(field);
  if (it != renamed.end()) return it->second;
  std::string flag = "--" + field;
  std::replace(flag.begin(), flag.end(), '_', '-');
  return flag;
}

std::optional<ValidRange> flag_range(const std::vector<RangedField>& fields, const std::string& flag,
                                     const std::string& prefix) {
  for (const RangedField& f : fields)
    if (flag_of(prefix + f.field) == "--" + flag) return f.range;
  return std::nullopt;
}

namespace {

// What a numeric option's value must be, and whether `text` is one.
struct NumberType {
  bool numeric = false, whole = false, is_unsigned = false, reads = true;
  std::string type_range;  // "between 0 and 18446744073709551615" for a whole number
};

template <class T>
bool try_type(const po::value_semantic* semantic, const std::string& text, NumberType& type) {
  if (dynamic_cast<const po::typed_value<T>*>(semantic) == nullptr) return false;
  type.numeric = true;
  type.whole = std::is_integral_v<T>;
  type.is_unsigned = std::is_unsigned_v<T>;
  if constexpr (std::is_integral_v<T>)
    type.type_range = "between " + std::to_string(std::numeric_limits<T>::min()) + " and " +
                      std::to_string(std::numeric_limits<T>::max());
  try {
    (void)boost::lexical_cast<T>(text);  // as Boost's parser will read it
  } catch (const boost::bad_lexical_cast&) {
    type.reads = false;
  }
  // lexical_cast reads "-1" as an unsigned 2^64 - 1.
  const std::size_t first = text.find_first_not_of(" \t");
  if (type.is_unsigned && first != std::string::npos && text[first] == '-') type.reads = false;
  return true;
}

NumberType number_type(const po::value_semantic* semantic, const std::string& text) {
  NumberType t;
  try_type<int>(semantic, text, t) || try_type<unsigned>(semantic, text, t) || try_type<long>(semantic, text, t) ||
      try_type<unsigned long>(semantic, text, t) || try_type<long long>(semantic, text, t) ||
      try_type<unsigned long long>(semantic, text, t) || try_type<double>(semantic, text, t) ||
      try_type<float>(semantic, text, t);
  return t;
}

// A number the option's type cannot hold is refused with the value the user
// typed and the range that works: its options struct's, else its type's.
void refuse_unreadable_numbers(const po::parsed_options& parsed, const po::options_description& options,
                               const FlagRanges& ranges) {
  for (const po::option& o : parsed.options) {
    const po::option_description* d = options.find_nothrow(o.string_key, false);
    if (d == nullptr) continue;
    for (const std::string& value : o.value) {
      const NumberType type = number_type(d->semantic().get(), value);
      if (!type.numeric || type.reads) continue;
      // A short-only option's key is "-k", a long one's "epochs".
      const std::string flag = (o.string_key[0] == '-' ? "" : "--") + o.string_key;
      const std::optional<ValidRange> range = ranges ? ranges(flag.substr(2), parsed) : std::nullopt;
      throw UsageError(flag + " takes " + (type.whole ? "a whole number" : "a number") +
                       (range              ? " " + describe(*range)
                        : type.whole ? " " + type.type_range
                                     : "") +
                       ", got '" + value + "'");
    }
  }
}

}  // namespace

bool parse_or_help(const std::vector<std::string>& args, const po::options_description& options,
                   const po::positional_options_description* positional, const std::string& usage,
                   po::variables_map& vm, const FlagRanges& ranges) {
  try {
    po::command_line_parser parser(args);
    parser.options(options);
    if (positional != nullptr) parser.positional(*positional);
    const po::parsed_options parsed = parser.run();
    refuse_unreadable_numbers(parsed, options, ranges);
    po::store(parsed, vm);
    if (vm.count("help")) {
      std::cout << usage << "\n\n" << options << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return true;
}

po::options_description logging_options() {
  po::options_description o("General");
  o.add_options()("help,h", "show this help and exit")("quiet,q", "only warnings and errors")(
      "verbose,v", "also debug messages");
  return o;
}

namespace {
// Hands every log line to a front end's handler (the Python module's logging).
class HandlerSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  explicit HandlerSink(LogHandler handler) : handler_(std::move(handler)) {}

 private:
  void sink_it_(const spdlog::details::log_msg& message) override {
    handler_(static_cast<int>(message.level), std::string(message.payload.data(), message.payload.size()));
  }
  void flush_() override {}
  LogHandler handler_;
};
}  // namespace

void configure_logging(const po::variables_map& vm, const LogHandler& handler) {
  // Logs go to stderr so that stdout carries only results (pipes stay clean).
  // A process that runs several commands (the Python module) replaces the logger.
  spdlog::drop("wordvec");
  auto logger = handler ? std::make_shared<spdlog::logger>("wordvec", std::make_shared<HandlerSink>(handler))
                        : spdlog::stderr_color_mt("wordvec");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%^[%H:%M:%S %l]%$ %v");
  spdlog::set_level(vm.count("quiet") ? spdlog::level::warn
                    : vm.count("verbose") ? spdlog::level::debug
                                          : spdlog::level::info);
}

void plan_vector_input(FilePlan& plan, const std::string& path, const std::string& role) {
  if (path.empty()) return;
  const std::vector<std::string> files = vector_files_read(path);
  plan.input(files[0], role);
  if (files.size() > 1) plan.input(files[1], role + "'s word list");
}

void plan_vector_output(FilePlan& plan, const std::string& path, VectorFormat format, const std::string& role) {
  if (path.empty()) return;
  if (format == VectorFormat::Projector) {  // a folder: made by the writer when missing
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode))
      throw file_error(path, "is not a folder: --to projector writes vectors.tsv and metadata.tsv into a folder");
    if (::stat(path.c_str(), &st) != 0) {
      check_output_path(path);  // its parent folder exists and is writable
      return;                   // nothing in a folder that does not exist yet can be an input
    }
  }
  const std::vector<std::string> files = vector_files_written(path, format);
  plan.output(files[0], role);
  if (files.size() > 1) plan.output(files[1], role + "'s word list");
}

WordVectors load_vectors(const std::string& path) {
  WordVectors v = read_vectors(path);
  if (v.duplicates_dropped > 0)
    spdlog::warn("{} duplicate words dropped (the first row of each word is kept), first at {}", v.duplicates_dropped,
                 v.first_duplicate);
  return v;
}

std::string format_duration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm%02lds", s / 3600, s / 60 % 60, s % 60);
  else if (s >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", s);
  return buf;
}

// Logs how long each epoch took, to within one report (a second by default),
// for the epochs whose start a report saw.
void ProgressPrinter::log_epoch_end(const TrainingProgress& p) {
  const auto log = [&] {
    if (epoch_ > 0 && epoch_started_ >= 0) {
      if (tty_) std::fprintf(stderr, "\r\033[K");
      spdlog::info("epoch {} took {:.1f} s", epoch_, p.elapsed_seconds - epoch_started_);
    }
  };
  if (p.epoch != epoch_) {
    const bool next = p.epoch == epoch_ + 1;
    if (next) log();
    epoch_started_ = next && epoch_ > 0 ? p.elapsed_seconds : next ? 0 : -1;
    epoch_ = p.epoch;
  }
  if (p.finished) log();
}

ProgressPrinter::ProgressPrinter(bool quiet) : quiet_(quiet), tty_(::isatty(STDERR_FILENO) != 0) {}

void ProgressPrinter::operator()(const TrainingProgress& p) {
  if (quiet_) return;
  if (stage_ != p.stage) {  // a new stage's clock starts at zero
    stage_ = p.stage;
    last_logged_ = -1e9;
    epoch_ = 0;
    epoch_started_ = -1;
  }
  log_epoch_end(p);
  char line[320], optimiser[96] = "";
  // Counting stages have no learning rate, epoch or loss to show.
  if (p.learning_rate > 0)
    std::snprintf(optimiser, sizeof optimiser, "  epoch %d  lr %.6f  loss %.4f", p.epoch, p.learning_rate, p.loss);
  std::snprintf(line, sizeof line, "%s%s%5.1f%%  %.0fk %s/s/thread%s  %s %s",
                std::string_view(p.stage) == "training" ? "" : p.stage, std::string_view(p.stage) == "training" ? "" : "  ",
                100 * p.fraction, p.words_per_second_per_thread / 1000, p.unit, optimiser, p.finished ? "took" : "ETA",
                format_duration(p.finished ? p.elapsed_seconds : p.eta_seconds).c_str());
  if (tty_) {
    std::fprintf(stderr, "\r\033[K%s%s", line, p.finished ? "\n" : "");
    std::fflush(stderr);
  } else if (p.finished || p.elapsed_seconds - last_logged_ >= 5.0) {
    last_logged_ = p.elapsed_seconds;
    spdlog::info("{}", line);
  }
}

}  // namespace wordvec::cli
