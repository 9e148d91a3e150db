// wordvec dim: the minimum-entropy dimension for a vocabulary size.
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli.h"
#include "json_output.h"
#include "text_flags.h"
#include "wordvec/core/atomic_file.h"
#include "wordvec/train/dimension.h"
#include "sweep_report.h"
#include "wordvec/query/dimension_sweep.h"
#include "wordvec/core/error.h"
#include "wordvec/text/corpus_input.h"
#include "wordvec/text/vocabulary.h"

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
    "For large N this is n > 8.31 ln N; the rule of thumb ceil(8.33 ln N) is shown beside it.\n"
    "\n"
    "  wordvec dim --sweep --input CORPUS --eval-similarity FILE... [--eval-analogy FILE] [--dims LIST]\n"
    "trains short runs at several dimensions (default n/4, n/2, n, 2n, 4n), scores each,\n"
    "and writes PREFIX.csv and PREFIX.svg (score against dimension, the suggestion marked).\n"
    "\n"
    "  wordvec dim --trend SWEEP.csv|FOLDER ... [--tolerance 0.01] [--trend-output dim-trend]\n"
    "reads sweeps of several vocabulary sizes N (seeds of one N are averaged), finds\n"
    "each curve's knee (the smallest dimension within the tolerance of the best score)\n"
    "and writes PREFIX.csv (N, suggestion, knees), PREFIX.svg (knee and suggestion\n"
    "against N) and PREFIX-curves.svg (the last score against dimension, a line per N).";

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

std::vector<int> parse_dims(const std::string& text) {
  std::vector<int> dims;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    char* end = nullptr;
    const long d = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || d < 1 || d > 10000)
      throw UsageError("--dims takes a comma-separated list of dimensions between 1 and 10000, got '" + text + "'");
    dims.push_back(static_cast<int>(d));
    start = comma + 1;
  }
  return dims;
}

// The inverse of parse_dims. (fmt::join would do, but GCC 12 warns falsely
// inside Debian's fmt 9 when it parses the joined items' format.)
std::string comma_separated(const std::vector<int>& dims) {
  std::string text;
  for (int d : dims) {
    if (!text.empty()) text += ',';
    text += std::to_string(d);
  }
  return text;
}

void write_text_file(const std::string& path, const std::string& content) {
  AtomicFileWriter out(path);
  out.write(content);
  out.commit();
}

int run_sweep(const po::variables_map& vm, const std::vector<std::string>& inputs, const CorpusInputOptions& io,
              const VocabOptions& vo, SweepOptions sweep, const std::string& prefix) {
  if (inputs.empty()) throw UsageError("--sweep needs --input CORPUS");
  FilePlan plan;
  for (const std::string& file : expand_corpus_paths(inputs, io.glob))
    if (file != "-") plan.stream_input(file, "--input");
  for (const std::string& file : sweep.similarity_files) plan.input(file, "--eval-similarity");
  plan.input(sweep.analogy_file, "--eval-analogy");
  plan.output(prefix + ".csv", "--sweep-output's CSV");
  plan.output(prefix + ".svg", "--sweep-output's SVG");
  plan.check();
  if (vm.count("dims")) sweep.dims = parse_dims(vm["dims"].as<std::string>());
  sweep.training.validate();
  if (sweep.restrict_vocab == 0) throw UsageError("--restrict-vocab takes 1 or more words");
  const PreparedCorpus corpus(inputs, io);
  const std::string& input = corpus.path();
  const Vocabulary vocab = Vocabulary::build(input, vo, nullptr, sweep.training.thread_count());
  const SweepPlan sweep_plan = plan_dimension_sweep(vocab, sweep);
  const int suggested = sweep_plan.suggested;
  const std::vector<int>& dims = sweep_plan.dims;
  // Estimate: training time grows about linearly with the dimension; assume
  // 3e7 word-dimensions per second per thread until the first run measures it.
  double dim_sum = 0;
  for (int d : dims) dim_sum += d;
  const double work = static_cast<double>(vocab.total_count()) * sweep.training.epochs;
  const double threads = sweep.training.thread_count();
  spdlog::info("sweep: {} words, suggested n = {}; {} runs at dims {}; estimated {}", vocab.size(), suggested,
               dims.size(), comma_separated(dims), format_duration(work * dim_sum / 3e7 / threads));
  double done_dims = 0, seconds_per_dim = 0;
  const SweepResult result = run_dimension_sweep(
      input, vocab, sweep, select_kernels(), [&](std::size_t i, std::size_t count, int dim, const SweepPoint* finished) {
        if (finished == nullptr) {
          spdlog::info("sweep {}/{}: training dim {}{}", i + 1, count, dim,
                       seconds_per_dim > 0 ? ", about " + format_duration((dim_sum - done_dims) * seconds_per_dim) +
                                                 " left"
                                           : "");
          return;
        }
        done_dims += finished->dim;
        seconds_per_dim = finished->seconds / finished->dim;
        std::string scores;
        for (double v : finished->similarity) scores += fmt::format(" rho {:.3f}", v);
        if (!sweep.analogy_file.empty()) scores += fmt::format(" analogy {:.1f}%", 100 * finished->analogy);
        spdlog::info("sweep {}/{}: dim {} took {}:{}", i + 1, count, finished->dim,
                     format_duration(finished->seconds), scores);
      });
  write_text_file(prefix + ".csv", sweep_csv(result));
  write_text_file(prefix + ".svg",
                  sweep_svg(result, "score vs dimension, " + std::to_string(vocab.size()) + " words"));
  std::printf("%s", sweep_csv(result).c_str());
  spdlog::info("wrote {}.csv and {}.svg", prefix, prefix);
  return 0;
}

int run_trend(const std::vector<std::string>& paths, double tolerance, const std::string& prefix) {
  if (!(tolerance > 0 && tolerance < 1)) throw UsageError("--tolerance must be in (0, 1), e.g. 0.01 for 1 %");
  FilePlan plan;
  for (const std::string& path : paths) {
    if (!std::filesystem::is_directory(path)) plan.input(path, "--trend");
    else for (const std::string& file : csv_files_in(path)) plan.input(file, "--trend (in " + path + ")");
  }
  for (const char* suffix : {".csv", ".svg", "-curves.svg"}) plan.output(prefix + suffix, "--trend-output");
  plan.check();
  const SweepTrend trend = summarise_sweeps(read_sweep_csvs(paths), tolerance);
  write_text_file(prefix + ".csv", trend_csv(trend));
  write_text_file(prefix + ".svg", trend_svg(trend));
  write_text_file(prefix + "-curves.svg", trend_curves_svg(trend, trend.metric_names.size() - 1));
  std::printf("%s", trend_table(trend).c_str());
  spdlog::info("wrote {}.csv, {}.svg and {}-curves.svg", prefix, prefix, prefix);
  return 0;
}

}  // namespace

int run_dim(const std::vector<std::string>& args) {
  std::vector<std::string> sizes, inputs;
  CorpusInputOptions io;
  TextFlags text;
  VocabOptions vo;
  po::options_description o("Options");
  o.add_options()("vocab-size,N", po::value(&sizes)->multitoken(), "vocabulary sizes to size for")(
      "input,i", po::value(&inputs)->multitoken()->composing(),
      "count the vocabulary of this corpus first: files, folders or - (standard input), plain or compressed, as "
      "'train' reads them")(
      "glob", po::value(&io.glob), "only files whose name matches this shell pattern in --input folders")(
      "temp-dir", po::value(&io.temp_dir), "folder for the decoded copy of a compressed, piped or multi-file corpus")(
      "min-count", po::value(&vo.min_count)->default_value(vo.min_count), "with --input: drop rarer words")(
      "max-vocab", po::value(&vo.max_vocab)->default_value(0), "with --input: keep at most this many words")(
      "table", "print N -> n for N = 10^1 ... 10^12")("explain", "print H(n, N) around the threshold")(
      "json", "machine-readable output");
  SweepOptions sweep;
  sweep.training.epochs = 1;
  std::string prefix = "dim-sweep", model = "skipgram";
  po::options_description so("Sweep (--sweep)");
  so.add_options()("sweep", "train at several dimensions and score each (needs --input and an evaluation set)")(
      "eval-similarity", po::value(&sweep.similarity_files)->multitoken(), "word-pair similarity files")(
      "eval-analogy", po::value(&sweep.analogy_file), "analogy file (questions-words.txt format)")(
      "dims", po::value<std::string>(), "comma-separated dimensions (default n/4,n/2,n,2n,4n)")(
      "epochs", po::value(&sweep.training.epochs)->default_value(1), "epochs per run")(
      "model", po::value(&model)->default_value(model), "skipgram or cbow")(
      "threads", po::value(&sweep.training.threads)->default_value(0, "all cores"), "training threads")(
      "seed", po::value(&sweep.training.seed)->default_value(sweep.training.seed), "random seed of every run")(
      "restrict-vocab", po::value(&sweep.restrict_vocab)->default_value(sweep.restrict_vocab),
      "analogy answers are searched among this many most frequent words (as eval's)")(
      "sweep-output", po::value(&prefix)->default_value(prefix), "write PREFIX.csv and PREFIX.svg");
  std::vector<std::string> trend_inputs;
  std::string trend_prefix = "dim-trend";
  double tolerance = 0.01;
  po::options_description to("Trend over vocabulary sizes (--trend)");
  to.add_options()("trend", po::value(&trend_inputs)->multitoken(),
                   "sweep CSVs (or folders of them) of several vocabulary sizes")(
      "tolerance", po::value(&tolerance)->default_value(tolerance),
      "the knee is the smallest dimension within this fraction of the best score, (0, 1)")(
      "trend-output", po::value(&trend_prefix)->default_value(trend_prefix),
      "write PREFIX.csv, PREFIX.svg and PREFIX-curves.svg");
  o.add(text.normalize_options()).add(text.inline_phrase_options()).add(so).add(to).add(logging_options());
  po::positional_options_description positional;
  positional.add("vocab-size", -1);
  po::variables_map vm;
  if (!parse_or_help(args, o, &positional, kDimUsage, vm)) return 0;
  configure_logging(vm);
  text.resolve(true);
  if (inputs.empty() && (text.normalize.any() || text.phrases.passes > 0))
    throw UsageError("the normalisation and --phrases flags apply to the --input text");
  io.normalize = text.normalize;
  io.phrases = text.phrases;
  io.threads = resolve_threads(0);
  log_phrase_passes(io, vm.count("quiet") > 0);

  if (vm.count("trend")) {
    if (vm.count("sweep") || !inputs.empty() || !sizes.empty())
      throw UsageError("--trend reads finished sweeps; it takes no --sweep, --input or sizes");
    return run_trend(trend_inputs, tolerance, trend_prefix);
  }
  if (vm.count("sweep")) {
    sweep.training.model = parse_model(model);
    return run_sweep(vm, inputs, io, vo, sweep, prefix);
  }

  std::vector<double> vocab_sizes;
  for (const auto& s : sizes) vocab_sizes.push_back(parse_vocab_size(s));
  if (!inputs.empty()) {
    const PreparedCorpus corpus(inputs, io);
    const std::string name = inputs.size() == 1 ? inputs[0] : "--input";
    VocabStats stats;
    const Vocabulary vocab = Vocabulary::build(corpus.path(), vo, &stats, resolve_threads(0));
    spdlog::info("{}: {} tokens, {} distinct words, {} with count >= {}", name, stats.scan.tokens,
                 stats.distinct_words, vocab.size(), vo.min_count);
    if (vocab.size() < 2) throw Error(name + ": fewer than 2 words reach min-count; nothing to size");
    vocab_sizes.push_back(static_cast<double>(vocab.size()));
  }
  if (vm.count("table"))
    for (int e = 1; e <= 12; ++e) vocab_sizes.push_back(std::pow(10.0, e));
  if (vocab_sizes.empty()) throw UsageError("give --vocab-size N, --input CORPUS or --table");

  const bool json = vm.count("json") > 0;
  Json suggestions = Json::array();
  for (const double size : vocab_sizes) {
    const DimensionSuggestion s = suggest_dimension(size);
    if (json) {
      suggestions.push_back({{"vocab_size", static_cast<std::uint64_t>(std::llround(s.vocab_size))},
                             {"dimension", s.dimension},
                             {"entropy_at", s.entropy_at},
                             {"entropy_before", s.entropy_before},
                             {"rule_of_thumb", s.rule_of_thumb}});
    } else if (vm.count("explain")) {
      print_explanation(s);
    } else {
      std::printf("N = %-15.0f dimension %4d   (rule of thumb ceil(8.33 ln N) = %d)\n", s.vocab_size, s.dimension,
                  s.rule_of_thumb);
    }
  }
  if (json) print_json(suggestions, 2);
  return 0;
}

}  // namespace wordvec::cli
