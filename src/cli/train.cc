// wordvec train: parses the options of a training job (or reads them from a
// checkpoint) and hands it to the skip-gram/CBOW or the GloVe half.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "cli.h"
#include "train_job.h"
#include "text_flags.h"
#include "wordvec/core/atomic_file.h"
#include "wordvec/core/error.h"

namespace wordvec::cli {
namespace {

// A count given as digits or in scientific notation (2000000, 2e6); NaN when it is neither.
double parse_count(const std::string& text) {
  std::size_t used = 0;
  try {
    const double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value) && value == std::floor(value)) return value;
  } catch (const std::exception&) {
  }
  return std::nan("");
}

const char* kTrainUsage =
    "usage: wordvec train --input CORPUS --output VECTORS [--save-model MODEL] [options]\n"
    "       wordvec train --continue MODEL --input NEW_TEXT --save-model NEW_MODEL [options]\n"
    "\n"
    "Trains word vectors with skip-gram or CBOW and negative sampling (word2vec's\n"
    "model), or with GloVe (--model glove: co-occurrence counting in bounded memory,\n"
    "then weighted least squares with AdaGrad). The corpus is plain text: tokens\n"
    "separated by whitespace, one sentence or paragraph per line. Vectors are\n"
    "written in descending word frequency. --save-model keeps the whole model (both\n"
    "matrices, the vocabulary with counts, the settings) so that --continue can train\n"
    "it further on new text, with new words.";

int parse_dimension(const std::string& text) {
  if (text == "auto") return 0;
  try {
    std::size_t used = 0;
    const int dim = std::stoi(text, &used);
    if (used == text.size() && dim >= 1) return dim;
  } catch (const std::exception&) {
  }
  throw UsageError("--dim must be 'auto' or a whole number " + describe(*flag_range(SgnsOptions{}.ranged_fields(), "dim")) +
                   ", got '" + text + "'");
}

// --update: auto, batched or exact.
SkipGramUpdate skipgram_update(const std::string& text, bool subwords) {
  if (text == "auto") return default_skipgram_update(subwords);
  if (text != "batched" && text != "exact")
    throw UsageError("--update must be auto, batched or exact, got '" + text + "'");
  return parse_skipgram_update(text);
}

// --x-max: "auto" (0) or a positive number.
double parse_x_max(const std::string& text) {
  if (text == "auto") return 0;
  try {
    std::size_t used = 0;
    const double x_max = std::stod(text, &used);
    if (used == text.size() && x_max > 0 && std::isfinite(x_max)) return x_max;
  } catch (const std::exception&) {
  }
  throw UsageError("--x-max must be 'auto' or a positive number, got '" + text + "'");
}

// Fail before hours of work, not after: no output may be an input or another
// output, and every output must be writable.
void check_files(const TrainJob& job) {
  FilePlan plan;
  for (const std::string& file : corpus_files(job)) {
    if (file == "-") continue;
    if (is_model_file(file))
      throw file_error(file, "is a wordvec model file, not text; to train it further give it to --continue, "
                             "and the new text to --input");
    plan.stream_input(file, "--input");
  }
  plan.input(job.load_cooccurrence, "--cooccurrence");
  // The checkpoint being resumed is read once, then replaced by later checkpoints.
  const bool resume_is_checkpoint = !job.resume.empty() && FilePlan::same_file(job.resume, job.checkpoint);
  if (!resume_is_checkpoint) plan.input(job.resume, "--resume");
  plan_vector_input(plan, job.init, "--init");
  // A model may be continued into its own file: it is read before the new one replaces it.
  const bool continue_in_place = !job.continue_from.empty() && FilePlan::same_file(job.continue_from, job.save_model);
  if (!continue_in_place) plan.input(job.continue_from, "--continue");
  plan_vector_output(plan, job.output, job.format, "--output");
  plan.output(job.save_model, continue_in_place ? "--save-model (the --continue model)" : "--save-model");
  plan.output(job.save_vocab, "--save-vocab");
  plan.output(job.report_path, "--report");
  plan.output(job.save_cooccurrence, "--save-cooccurrence");
  plan.output(job.checkpoint, resume_is_checkpoint ? "--checkpoint (the --resume file)" : "--checkpoint");
  plan.check();
}

// The text a checkpoint would store for an option's value.
std::string option_text(const po::variable_value& value) {
  const boost::any& v = value.value();
  if (const auto* s = boost::any_cast<std::string>(&v)) {  // a number typed as text compares as a number
    double number = 0;
    const auto parsed = std::from_chars(s->data(), s->data() + s->size(), number);
    return parsed.ec == std::errc() && parsed.ptr == s->data() + s->size() ? Settings::format(number) : *s;
  }
  if (const auto* d = boost::any_cast<double>(&v)) return Settings::format(*d);
  if (const auto* i = boost::any_cast<int>(&v)) return Settings::format(*i);
  if (const auto* u = boost::any_cast<std::uint64_t>(&v)) return std::to_string(*u);
  if (const auto* n = boost::any_cast<unsigned>(&v)) return std::to_string(*n);
  return "";
}

// A resumed run keeps the checkpoint's model, corpus and vocabulary: an option
// that would change them is refused (unless it repeats the checkpoint's
// value), never silently ignored. Outputs, threads and memory may change.
void check_resume_options(const po::variables_map& vm, const Checkpoint& checkpoint) {
  static const std::map<std::string, std::string> sgns_keys = {
      {"model", "sgns.model"},   {"update", "sgns.update"},   {"dim", "sgns.dim"},
      {"window", "sgns.window"}, {"negative", "sgns.negative"}, {"share-negatives", "sgns.negative_share"},
      {"sample", "sgns.sample"}, {"epochs", "sgns.epochs"},     {"alpha", "sgns.learning_rate"},
      {"seed", "sgns.seed"},     {"loss", "sgns.loss"}};
  static const std::map<std::string, std::string> glove_keys = {
      {"dim", "glove.dim"},          {"epochs", "glove.epochs"},
      {"x-max", "glove.x_max"},      {"glove-alpha", "glove.weighting_exponent"},
      {"alpha", "glove.learning_rate"}, {"bias-alpha", "glove.bias_learning_rate"}, {"seed", "glove.seed"},
      {"glove-output", "glove.output"}, {"window", "cooccurrence.window"},
      {"no-distance-weighting", "cooccurrence.distance_weighting"}};
  static const std::set<std::string> may_change = {"output", "format", "save-vocab", "save-cooccurrence", "save-model", "report", "force",
                                                   "threads", "cache-memory", "memory", "temp-dir",
                                                   "checkpoint", "checkpoint-every", "resume", "quiet", "verbose"};
  static const std::set<std::string> corpus_flags = {
      "input", "glob", "cooccurrence", "min-count", "max-vocab", "lowercase", "casefold", "nfkc",
      "split-punctuation", "split-intraword", "number-token", "phrases", "phrase-threshold", "phrase-min-count",
      "phrase-memory"};
  const bool glove = checkpoint.kind == "glove";
  const auto& keys = glove ? glove_keys : sgns_keys;
  for (const auto& [name, value] : vm) {
    if (value.defaulted() || may_change.count(name)) continue;
    const auto key = keys.find(name);
    if (key == keys.end()) {
      if (name == "model" && glove && option_text(value) == "glove") continue;
      throw UsageError("--" + name + " cannot be given with --resume: the checkpoint fixes the " +
                       (corpus_flags.count(name) > 0 ? "corpus and the vocabulary"
                            : "model (" + std::string(glove ? "GloVe" : "skip-gram/CBOW") + ")"));
    }
    const std::string& saved = checkpoint.settings.text(key->second);
    const std::string given = name == "no-distance-weighting" ? "0" : option_text(value);
    if (given != saved)
      throw UsageError("--" + name + " " + given + " conflicts with the checkpoint's " + name + " = " + saved +
                       "; a resumed run keeps its options (only outputs, --threads and memory may change)");
  }
}

// A flag of the other model family would be silently ignored: refuse it.
void refuse_other_models_options(const po::variables_map& vm, bool glove) {
  static const std::set<std::string> glove_only = {"x-max", "glove-alpha", "bias-alpha", "memory",
                                                   "no-distance-weighting", "glove-output", "save-cooccurrence",
                                                   "cooccurrence"};
  static const std::set<std::string> sgns_only = {"negative",        "sample",   "cache-memory", "update",
                                                  "share-negatives", "subwords", "buckets",  "loss",
                                                  // distributed GloVe exchanges after each of its fixed rounds
                                                  "sync-every",      "sync-combine", "sync-precision"};
  for (const auto& [name, value] : vm) {
    if (value.defaulted()) continue;
    if (!glove && glove_only.count(name)) throw UsageError("--" + name + " applies to --model glove only");
    if (glove && sgns_only.count(name))
      throw UsageError("--" + name + " applies to --model skipgram and cbow only, not glove");
  }
}

// --negative and --share-negatives shape negative sampling only.
void refuse_sampling_options_with_hs(const po::variables_map& vm, Loss loss) {
  if (loss != Loss::HierarchicalSoftmax) return;
  for (const char* flag : {"negative", "share-negatives"})
    if (vm.count(flag) && !vm[flag].defaulted())
      throw UsageError(std::string("--") + flag + " applies to --loss ns (negative sampling); hierarchical softmax "
                       "draws no negatives");
}

}  // namespace

// A `wordvec train` invocation: the values its flags set, then one of three
// starts: resume a checkpoint, a new GloVe run or a new skip-gram/CBOW run.
struct TrainCommand {
  SgnsOptions o;
  VocabOptions vo;
  GloveOptions go;
  CooccurrenceOptions co;
  TrainJob job;
  TextFlags text;
  std::string model = "skipgram", format = "bin", save_vocab, dim_text = "auto", update = "auto", subwords = "0", loss = "ns",
              glove_output = "sum", x_max_text = "auto";
  int window = 0, epochs = -1;
  double alpha = 0;
  double checkpoint_minutes = 10;
  bool given_buckets = false;
  std::string sync_combine = "sum", sync_every_text = "auto", sync_precision = "half";

  po::options_description options();
  int resume(const po::variables_map& vm);
  int continue_model(const po::variables_map& vm);
  int start_glove(const po::variables_map& vm);
  int start_sgns(const po::variables_map& vm);
  // Readies a run under mpirun (world of more than one process): refuses what
  // does not run distributed yet; every rank but 0 writes nothing and logs
  // warnings only.
  void distribute(bool is_glove);
  Communicator* world = nullptr;  // the processes of a distributed run (null: alone)
  // The corpus inputs a checkpoint recorded (run.inputs, one per line; run.glob).
  void restore_inputs(const Settings& saved) {
    job.inputs.clear();
    const std::string& inputs = saved.text("run.inputs");
    for (std::size_t begin = 0; begin <= inputs.size();) {
      const std::size_t end = std::min(inputs.find('\n', begin), inputs.size());
      if (end > begin) job.inputs.push_back(inputs.substr(begin, end - begin));
      begin = end + 1;
    }
    job.glob = saved.text("run.glob");
    job.normalize = NormalizeOptions::from_settings(saved);
    job.phrases = PhraseOptions::from_settings(saved);
  }
};

po::options_description TrainCommand::options() {
  po::options_description io("Input and output");
  io.add_options()("input,i", po::value(&job.inputs)->multitoken()->composing(),
                   "training corpus: one or more files, folders (their files, recursively, in sorted order; hidden "
                   "ones skipped) or - for standard input; plain UTF-8 text or gzip, bzip2, xz or zstd compressed "
                   "(recognised by content); each file ends its last line")(
      "glob", po::value(&job.glob), "only files whose name matches this shell pattern in --input folders, e.g. '*.gz'")(
      "output,o", po::value(&job.output), "where to write the vectors (replaced atomically)")(
      "format", po::value(&format)->default_value(format), "vector format: bin (word2vec binary), text (word2vec text), vec (fastText), glove, npy, projector (a folder: "
      "TensorBoard's vectors.tsv and metadata.tsv)")(
      "save-vocab", po::value(&save_vocab), "also write the vocabulary as 'word count' lines")(
      "dry-run", "count the vocabulary, then print the dimension and why, the memory and temporary disk the run "
                 "will need and its time (calibrated by a few seconds of training on the corpus), and stop")(
      "force", "run even when the memory the run needs (as --dry-run estimates it) exceeds what is available")(
      "report", po::value(&job.report_path),
      "when the run succeeds, write FILE.json: resolved settings and dimension, corpus and vocabulary counts, "
      "seconds per stage, words/s/thread, mean loss per epoch, peak memory, SIMD kernels, outputs with sizes "
      "(docs/cli.md)")(
      "save-model", po::value(&job.save_model),
      "also (or, without --output, only) write the whole model to FILE: both matrices, the vocabulary with its "
      "counts, the settings and the training history, for --continue, 'wordvec info' and every query command "
      "(docs/model-format.md)")(
      "temp-dir", po::value(&co.temp_dir),
      "folder for temporary files: the decoded copy of a compressed, piped, multi-file or normalised corpus, "
      "the compact corpus copy beyond --cache-memory, GloVe's spilled runs (default $TMPDIR or /tmp); removed "
      "afterwards");
  po::options_description training("Training");
  training.add_options()("model,m", po::value(&model)->default_value(model), "skipgram, cbow or glove")(
      "dim,d", po::value(&dim_text)->default_value(dim_text),
      "vector dimension, or 'auto' for the minimum-entropy suggestion for the vocabulary size (see 'wordvec dim')")(
      "window,w", po::value(&window)->default_value(0, fmt::format("{}; glove {}", o.window, co.window)),
      "max context words on each side (skip-gram/CBOW draw 1..window per word, as word2vec; GloVe uses the whole "
      "window, weighting a pair at distance d by 1/d)")(
      "negative,n", po::value(&o.negative)->default_value(o.negative), "negative samples per positive (--loss ns)")(
      "loss", po::value(&loss)->default_value(loss),
      "skip-gram/CBOW output layer: ns (negative sampling) or hs (hierarchical softmax: word2vec's Huffman tree "
      "of the counts, no negatives; slower per word, often better for rare words)")(
      "sample,s", po::value(&o.sample)->default_value(o.sample),
      "subsampling threshold for frequent words (0 = off); keep prob. sqrt(t/f) + t/f")(
      "min-count", po::value(&vo.min_count)->default_value(vo.min_count), "drop words seen fewer times")(
      "max-vocab", po::value(&vo.max_vocab)->default_value(0), "keep at most this many words (0 = no limit)")(
      "epochs,e", po::value(&epochs)->default_value(-1, fmt::format("{}; glove {}", o.epochs, go.epochs)), "passes over the corpus (GloVe: over the co-occurrences)")(
      "alpha,a",
      po::value(&alpha)->default_value(0.0, fmt::format("{} skipgram, {} cbow, {} glove",
                                                          default_learning_rate(Model::SkipGram),
                                                          default_learning_rate(Model::Cbow), go.learning_rate)),
      fmt::format("start learning rate; skip-gram/CBOW decay it linearly to alpha * {}, GloVe keeps it (AdaGrad)",
                  o.min_learning_rate_ratio)
          .c_str())(
      "threads,t", po::value(&o.threads)->default_value(0, "all cores"), "training threads")(
      "seed", po::value(&o.seed)->default_value(o.seed), "random seed (runs with --threads 1 are reproducible)")(
      "cache-memory", po::value(&o.cache_memory_gib)->default_value(o.cache_memory_gib),
      "GiB of memory for the compact copy of the corpus (~1.6 bytes per word) that skip-gram/CBOW epochs after "
      "the first read instead of the text; beyond it the copy goes on in a nameless file in --temp-dir (0 = read "
      "the text every epoch; results are the same)")(
      "update", po::value(&update)->default_value(update),
      "skip-gram update: batched (negatives shared across the window, faster) or exact (word2vec.c's, or with "
      "--subwords fastText's: fresh negatives per pair); auto = exact with --subwords, where it matches fastText's "
      "quality, batched otherwise")(
      "share-negatives", po::value(&o.negative_share)->default_value(o.negative_share),
      "positions that train against one draw of negatives (batched skip-gram and CBOW), spaced 2 window + 1 "
      "apart so no context word meets a draw twice; 4 is faster than 1 at analogy and WS353 scores as good; "
      "1 draws per position as word2vec.c")(
      "subwords", po::value(&subwords)->default_value(subwords, "0 = off")->implicit_value("3-6"),
      "fastText's subword model: a word's vector is the mean of its own row and the rows of its character "
      "n-grams of MIN-MAX characters (bare --subwords: 3-6, fastText's -minn 3 -maxn 6), hashed into --buckets "
      "rows, so that any word, even one never seen, gets a vector (queries of a --save-model file); skip-gram "
      "then takes fastText's start (+-1/dim) and negatives (counts^0.5), CBOW word2vec's (0.5/dim, ^0.75). Memory: "
      "the buckets take buckets x dim x 4 bytes (2M x 100: 0.8 GB)")(
      "buckets", po::value(&o.subwords.buckets)->default_value(o.subwords.buckets),
      "rows the n-grams of --subwords are hashed into (fastText's -bucket); fewer save memory, more collide less");
  po::options_description glove("GloVe (--model glove)");
  glove.add_options()("x-max", po::value(&x_max_text)->default_value(x_max_text),
                      "co-occurrence counts at or above get full weight; auto: 10 up to 60M corpus tokens, then "
                      "growing as sqrt(tokens) to 100 at 6B (the GloVe paper's), logged with the reason")(
      "glove-alpha", po::value(&go.weighting_exponent)->default_value(go.weighting_exponent),
      "weighting exponent: f(x) = (x/x-max)^glove-alpha")(
      "bias-alpha", po::value(&go.bias_learning_rate)->default_value(go.bias_learning_rate),
      "learning rate of the biases (AdaGrad); 1 is Stanford GloVe's, whose bias step leaves out eta, and fits rare "
      "words' biases within the epochs")(
      "memory", po::value(&co.memory_gib)->default_value(0, "half the RAM, at most 4"),
      "memory budget for counting, GiB; beyond it sorted runs spill to --temp-dir")(
      "no-distance-weighting", "count every pair in the window as 1, not 1/distance")(
      "glove-output", po::value(&glove_output)->default_value(glove_output),
      "vectors written: sum (W + W~, GloVe's model 2), word (W) or concat ([W W~])")(
      "save-cooccurrence", po::value(&job.save_cooccurrence),
      "also write the counted co-occurrences (with the vocabulary) to FILE; with --epochs 0, only that")(
      "cooccurrence", po::value(&job.load_cooccurrence),
      "train from a file written by --save-cooccurrence instead of a corpus (no recounting)");
  po::options_description models("Continue a model, start from vectors");
  models.add_options()(
      "continue", po::value(&job.continue_from),
      "train the model in FILE (written by --save-model) further on --input: words of the new text that reach "
      "--min-count over old + new counts join the vocabulary, the sampling tables use the combined counts, and "
      "--epochs passes over the new text run with the learning rate restarted at --alpha. Model, --dim (GloVe: "
      "also --window and the weighting) and the normalisation come from FILE; other options default to its "
      "values. GloVe adds the new counts to the co-occurrence file the model was trained from (--save-cooccurrence)")(
      "init", po::value(&job.init),
      "start the vectors of words found in this vector file (any format, or a model) from it, the rest as usual; "
      "its dimension is the run's (--dim must agree or stay auto). GloVe: word and context vectors each start at "
      "half of it")(
      "freeze-init", "keep the --init vectors fixed: only the other words' vectors (and GloVe's biases) learn");
  po::options_description checkpoints("Checkpoints");
  checkpoints.add_options()("checkpoint", po::value(&job.checkpoint),
                            "save the whole training state to FILE periodically (atomically), and on Ctrl-C for "
                            "skip-gram/CBOW")(
      "checkpoint-every", po::value(&checkpoint_minutes)->default_value(checkpoint_minutes),
      "minutes between checkpoints, (0, 1000000] (GloVe: at the first epoch end after that)")(
      "resume", po::value(&job.resume),
      "continue the run saved in FILE (its options and corpus; give --output); keeps checkpointing to FILE "
      "unless --checkpoint names another. Model and corpus options are refused unless they repeat the "
      "checkpoint's; outputs, --format, --threads and memory may change");
  po::options_description distributed("Distributed (under mpirun, with the MPI build: make mpi)");
  distributed.add_options()("sync-every", po::value(&sync_every_text)->default_value(sync_every_text),
                            "words each process reads between exchanges of the model, [1000, 1e12], or auto: 2M "
                            "words in all processes between exchanges and at least 100 exchanges in the run. "
                            "Shorter keeps the processes' models closer, longer spends less time communicating")(
      "sync-combine", po::value(&sync_combine)->default_value(sync_combine),
      "how the processes' changes combine at an exchange: sum (every change applied, as threads share one model) "
      "or mean (model averaging: each process's changes count 1/P; measured worse, docs/distributed.md). "
      "GloVe takes neither: its P processes train disjoint blocks of the co-occurrence matrix in P rounds an epoch "
      "and combine them after each")(
      "sync-precision", po::value(&sync_precision)->default_value(sync_precision),
      "how the changes travel: half (IEEE 16-bit, half the bytes; rounding error at most 1/2048 of a change, "
      "measured as good as float, docs/distributed.md), int8 (8 bits a value and a scale a row, under a quarter "
      "of the bytes; error at most 1/254 of the row's largest change) or float. GloVe always sends floats");
  po::options_description all;
  all.add(io).add(text.normalize_options()).add(text.inline_phrase_options()).add(training).add(glove)
      .add(models).add(checkpoints).add(distributed).add(logging_options());
  return all;
}

// A resumed run takes its model options and corpus from the checkpoint; this
// machine's resources (threads, memory, temporary folder) may differ.
int TrainCommand::resume(const po::variables_map& vm) {
  Checkpoint checkpoint = read_checkpoint(job.resume);
  check_resume_options(vm, checkpoint);
  const Settings& stored = checkpoint.settings;
  // A run that was to save its model still does (unless --save-model names another file).
  if (job.save_model.empty() && stored.has("run.save_model")) job.save_model = stored.text("run.save_model");
  if (job.output.empty() && job.save_model.empty()) throw UsageError("--output is required (or --save-model)");
  if (stored.has("run.words_per_epoch")) job.words_per_epoch = stored.integer("run.words_per_epoch");
  if (stored.has("model.version")) job.history = ModelHistory::from_settings(stored);
  if (stored.has("run.min_count")) vo = {stored.integer("run.min_count"), stored.integer("run.max_vocab"), vo.prune_at};
  if (job.checkpoint.empty()) job.checkpoint = job.resume;
  // A distributed run's checkpoint resumes under mpirun with as many processes.
  const std::uint64_t processes = stored.has("run.processes") ? stored.integer("run.processes") : 1;
  const int here = world != nullptr ? world->size() : 1;
  if (processes != static_cast<std::uint64_t>(here))
    throw UsageError("the checkpoint was taken by " + std::to_string(processes) + " process" +
                     (processes == 1 ? "" : "es") + "; resume it " +
                     (processes == 1 ? std::string("without mpirun") : "under mpirun -np " + std::to_string(processes)) +
                     (here > 1 ? " (this job has " + std::to_string(here) + ")" : ""));
  distribute(checkpoint.kind == "glove");
  spdlog::info("resuming a {} run from {}; its options and corpus come from the checkpoint",
               checkpoint.kind == "glove" ? "GloVe" : "skip-gram/CBOW", job.resume);
  if (checkpoint.kind == "glove") {
    const CooccurrenceOptions resources = co;  // --memory, --temp-dir: this machine's, not the checkpoint's
    const Settings& saved = checkpoint.settings;
    go = GloveOptions::from_settings(saved);
    co = CooccurrenceOptions::from_settings(saved);
    restore_inputs(saved);
    job.load_cooccurrence = saved.text("run.cooccurrence");
    co.threads = go.threads = vm["threads"].defaulted() ? static_cast<unsigned>(saved.integer("run.threads", 1024))
                                                        : o.threads;
    co.memory_gib = vm["memory"].defaulted() ? saved.number("run.memory_gib") : resources.memory_gib;
    co.temp_dir = vm.count("temp-dir") ? resources.temp_dir : saved.text("run.temp_dir");
    co.validate();
    job.temp_dir = co.temp_dir;
    check_files(job);
    prepare_corpus(job);
    if (job.load_cooccurrence.empty()) check_corpus_fingerprint(checkpoint, job.input);
    return run_glove(job, go, co, vo, &checkpoint);
  }
  restore_inputs(checkpoint.settings);
  SgnsOptions resumed = SgnsOptions::from_settings(checkpoint.settings);
  resumed.threads = o.threads;
  resumed.cache_memory_gib = o.cache_memory_gib;
  resumed.temp_dir = job.temp_dir = co.temp_dir;
  check_files(job);
  prepare_corpus(job);
  check_corpus_fingerprint(checkpoint, job.input);
  return run_sgns(job, resumed, vo, &checkpoint);
}

namespace {

// A model-defining flag given with --continue must repeat the model's value.
void require_stored(const po::variables_map& vm, const char* flag, const std::string& stored,
                    const std::string& model_path) {
  if (!vm.count(flag) || vm[flag].defaulted()) return;
  if (std::string(flag) == "no-distance-weighting") {
    if (stored == "1")
      throw UsageError("--no-distance-weighting conflicts with the model (stored in " + model_path +
                       "), whose co-occurrences were counted with 1/distance weights; a continued model keeps them");
    return;
  }
  const std::string given = option_text(vm[flag]);
  if (given != stored)
    throw UsageError("--" + std::string(flag) + " " + given + " conflicts with the model's " + flag + " = " + stored +
                     " (stored in " + model_path + "); a continued model keeps it");
}

constexpr ValidRange kCheckpointEveryRange{0, 1e6, true, false, "minutes"};

// The range of a numeric flag: GloVe's for --model glove, else skip-gram's.
std::optional<ValidRange> train_flag_range(const std::string& flag, const po::parsed_options& parsed) {
  bool glove = false;
  for (const po::option& o : parsed.options)
    if (o.string_key == "model" && !o.value.empty()) glove = o.value.back() == "glove";
  std::vector<RangedField> fields = glove ? GloveOptions{}.ranged_fields() : SgnsOptions{}.ranged_fields();
  const std::vector<RangedField> more = glove ? CooccurrenceOptions{}.ranged_fields() : SubwordOptions{}.ranged_fields();
  fields.insert(fields.end(), more.begin(), more.end());
  fields.push_back({"checkpoint_every", 0, kCheckpointEveryRange});
  if (auto range = flag_range(fields, flag)) return range;
  return flag_range(PhraseOptions{}.ranged_fields(), flag, "phrase_");
}

}  // namespace

// --continue: the model file fixes what defines the model; the other options
// default to the values it was trained with.
int TrainCommand::continue_model(const po::variables_map& vm) {
  if (job.inputs.empty()) throw UsageError("--continue needs --input: the new text to train the model on");
  if (!job.init.empty()) throw UsageError("--continue and --init: give one (a continued model starts from its own rows)");
  if (!job.load_cooccurrence.empty())
    throw UsageError("--continue with --cooccurrence: continuing counts new text; give it with --input");
  if (!vm["max-vocab"].defaulted())
    throw UsageError("--max-vocab with --continue: a continued model keeps every word it has and adds those of "
                     "the new text that reach --min-count; raise --min-count to add fewer");
  FilePlan readable;
  readable.input(job.continue_from, "--continue");
  readable.check();
  if (!is_model_file(job.continue_from))
    throw UsageError(job.continue_from + " is not a wordvec model file (train --save-model writes one); to start "
                     "from its vectors, use --init " + job.continue_from);
  auto model = std::make_shared<const ModelFile>(ModelFile::open(job.continue_from));
  const Settings& stored = model->settings();
  const bool glove = model->kind() == "glove";
  const std::string kind = glove ? "glove" : stored.text("sgns.model");
  if (vm.count("model") && !vm["model"].defaulted() && this->model != kind)
    throw UsageError("--model " + this->model + " conflicts with the model's kind " + kind + " (stored in " +
                     job.continue_from + "); a continued model keeps it");
  refuse_other_models_options(vm, glove);
  require_stored(vm, "dim", stored.text(glove ? "glove.dim" : "sgns.dim"), job.continue_from);
  const NormalizeOptions normalize = NormalizeOptions::from_settings(stored);
  if (job.normalize.any() && job.normalize.to_settings().values() != normalize.to_settings().values())
    throw UsageError("the normalisation flags conflict with the model's (stored in " + job.continue_from +
                     "), which apply to the new text; leave them out");
  job.normalize = normalize;
  if (vm["min-count"].defaulted() && stored.has("run.min_count")) vo.min_count = stored.integer("run.min_count");
  job.history = ModelHistory::from_settings(stored);
  job.continued = std::move(model);  // the run lets go of it once its rows are copied
  spdlog::info("continuing the {} model {}: dimension {}, {} words, trained on {} words in {} epoch(s) over {} run(s)",
               kind, job.continue_from, stored.text(glove ? "glove.dim" : "sgns.dim"), job.continued->vocab().size(),
               job.history.trained_words, job.history.epochs, job.history.runs);
  const auto given = [&](const char* flag) { return vm.count(flag) > 0 && !vm[flag].defaulted(); };
  if (glove) {
    require_stored(vm, "window", stored.text("cooccurrence.window"), job.continue_from);
    require_stored(vm, "no-distance-weighting", stored.text("cooccurrence.distance_weighting"), job.continue_from);
    if (!job.checkpoint.empty())
      throw UsageError("--checkpoint with a GloVe --continue is not supported: the run adds to stored counts "
                       "that a resume would add again; run it without --checkpoint");
    if (job.history.cooccurrence.empty())
      throw UsageError("cannot continue the GloVe model " + job.continue_from +
                       ": GloVe trains on all co-occurrence counts at once, and this model was saved without the "
                       "file of its counts; train it with --save-cooccurrence FILE --save-model MODEL to make it "
                       "continuable, or start a new model with --init " + job.continue_from);
    FilePlan counts;  // moved or deleted since: say so before any work
    counts.input(job.history.cooccurrence, "the co-occurrence file of " + job.continue_from);
    counts.check();
    const GloveOptions g = go;
    const CooccurrenceOptions c = co;
    go = GloveOptions::from_settings(stored);
    co = CooccurrenceOptions::from_settings(stored);
    if (given("epochs")) go.epochs = epochs;
    if (given("alpha")) go.learning_rate = alpha;
    if (given("x-max")) go.x_max = parse_x_max(x_max_text);
    if (given("glove-alpha")) go.weighting_exponent = g.weighting_exponent;
    if (given("bias-alpha")) go.bias_learning_rate = g.bias_learning_rate;
    if (given("glove-output")) go.output = parse_glove_output(glove_output);
    if (given("seed")) go.seed = o.seed;
    co.threads = go.threads = o.threads;
    co.memory_gib = c.memory_gib;
    co.temp_dir = c.temp_dir;
    if (go.x_max == 0) go.x_max = GloveOptions::from_settings(stored).x_max;
    co.validate();
    go.validate();
    if (go.epochs == 0) throw UsageError("--epochs 0 with --continue: nothing would be trained");
    job.temp_dir = co.temp_dir;
    check_files(job);
    prepare_corpus(job);
    return run_glove(std::move(job), go, co, vo, nullptr);
  }
  SgnsOptions s = SgnsOptions::from_settings(stored);
  for (const char* flag : {"subwords", "buckets"})
    if (given(flag))
      throw UsageError(std::string("--") + flag + " with --continue: the model fixes its subwords (" +
                       (s.subwords.enabled() ? s.subwords.spec() + ", " + std::to_string(s.subwords.buckets) + " buckets"
                                             : std::string("none")) +
                       ", stored in " + job.continue_from + "); leave it out");
  if (given("window")) s.window = window;
  if (given("negative")) s.negative = o.negative;
  if (given("sample")) s.sample = o.sample;
  if (given("epochs")) s.epochs = epochs;
  if (given("alpha")) s.learning_rate = alpha;
  if (given("seed")) s.seed = o.seed;
  if (given("update")) s.update = skipgram_update(update, s.subwords.enabled());
  if (given("share-negatives")) s.negative_share = o.negative_share;
  if (given("loss") && parse_loss(loss) != s.loss)
    throw UsageError("--loss " + loss + " conflicts with the model's loss " + loss_name(s.loss) + " (stored in " +
                     job.continue_from + "); a continued model keeps it");
  refuse_sampling_options_with_hs(vm, s.loss);
  s.threads = o.threads;
  s.cache_memory_gib = o.cache_memory_gib;
  s.temp_dir = job.temp_dir = co.temp_dir;
  s.validate();
  check_files(job);
  prepare_corpus(job);
  return run_sgns(std::move(job), s, vo, nullptr);
}

int TrainCommand::start_glove(const po::variables_map& vm) {
  co.window = window;
  co.distance_weighting = vm.count("no-distance-weighting") == 0;
  co.threads = go.threads = o.threads;
  go.epochs = epochs;
  if (alpha > 0) go.learning_rate = alpha;
  go.seed = o.seed;
  go.output = parse_glove_output(glove_output);
  go.x_max = parse_x_max(x_max_text);  // 0 = auto, resolved once the corpus is counted
  go.dim = std::max(1, job.requested_dim);  // placeholder until the vocabulary is known
  co.validate();
  go.validate();
  if (go.epochs == 0 && (job.save_cooccurrence.empty() || !job.output.empty() || !job.save_model.empty()))
    throw UsageError("--model glove --epochs 0 only counts: give --save-cooccurrence FILE and no --output or "
                     "--save-model");
  job.temp_dir = co.temp_dir;
  check_files(job);
  prepare_corpus(job);
  return run_glove(job, go, co, vo, nullptr);
}

int TrainCommand::start_sgns(const po::variables_map& vm) {
  o.loss = parse_loss(loss);
  refuse_sampling_options_with_hs(vm, o.loss);
  o.subwords = SubwordOptions::parse(subwords, o.subwords.buckets);
  if (!o.subwords.enabled() && given_buckets) throw UsageError("--buckets applies with --subwords only");
  if (o.subwords.enabled() && job.freeze_init)
    throw UsageError("--freeze-init with --subwords: a word's n-gram rows are shared with other words, so its "
                     "vector cannot be kept as given; drop one of them");
  o.window = window;
  o.epochs = epochs;
  o.learning_rate = alpha;
  o.update = skipgram_update(update, o.subwords.enabled());
  if (update == "auto" && o.model == Model::SkipGram && o.subwords.enabled())
    spdlog::info("subword skip-gram: exact update (fastText's step per pair, as good as fastText); --update batched "
                 "trains ~3x faster, 3-4 analogy points lower");
  o.dim = std::max(1, job.requested_dim);  // placeholder until the vocabulary is known
  o.temp_dir = co.temp_dir;
  o.validate();
  job.temp_dir = co.temp_dir;
  check_files(job);
  prepare_corpus(job);
  return run_sgns(job, o, vo, nullptr);
}

void TrainCommand::distribute(bool is_glove) {
  if (sync_every_text != "auto") {
    const double words = parse_count(sync_every_text);
    if (!(words >= 1000 && words <= 1e12))
      throw UsageError("--sync-every " + sync_every_text + ": must be auto or in [1000, 1e12] words");
    job.sync_every = static_cast<std::uint64_t>(words);
  }
  try {
    job.sync.combine = parse_sync_combine(sync_combine);
  } catch (const Error& e) {
    throw UsageError(std::string("--sync-combine: ") + e.what());
  }
  try {
    // GloVe's exchanges carry AdaGrad sums, which outgrow halves (65504).
    job.sync.precision = is_glove ? SyncPrecision::Float : parse_sync_precision(sync_precision);
  } catch (const Error& e) {
    throw UsageError(std::string("--sync-precision: ") + e.what());
  }
  if (world == nullptr || world->size() == 1) return;
  const auto refuse = [](bool given, const std::string& what) {
    if (given) throw UsageError(what + " does not run distributed yet: run it without mpirun");
  };
  refuse(is_glove && !job.save_cooccurrence.empty(), "--save-cooccurrence (each process holds the counts of its rows)");
  refuse(job.dry_run, "--dry-run");
  refuse(std::count(job.inputs.begin(), job.inputs.end(), "-") > 0,
         "--input - (standard input reaches one process only)");
  job.world = world;
  if (world->rank() == 0) return;
  job.output.clear();
  job.save_model.clear();
  job.save_vocab.clear();
  job.report_path.clear();
  job.report.reset();
  job.quiet = true;
  spdlog::set_level(spdlog::level::warn);
}

int run_train(const std::vector<std::string>& args) { return run_train(args, FrontEnd{}); }

std::string train_help() {
  std::ostringstream text;
  text << kTrainUsage << "\n\n" << TrainCommand().options();
  return text.str();
}

int run_train(const std::vector<std::string>& args, const FrontEnd& front_end) {
  TrainCommand c;
  po::variables_map vm;
  if (!parse_or_help(args, c.options(), nullptr, kTrainUsage, vm, train_flag_range)) return 0;
  configure_logging(vm, front_end.log);
  TrainJob& job = c.job;
  job.progress = front_end.progress;
  job.format = format_flag(c.format);
  job.quiet = vm.count("quiet") > 0;
  job.save_vocab = c.save_vocab;
  job.dry_run = vm.count("dry-run") > 0;
  job.force = vm.count("force") > 0;
  if (!job.report_path.empty()) {
    job.report = std::make_shared<TrainReport>(job.report_path);
    job.report->root()["command"] = args;
  }
  c.text.resolve(true);
  job.normalize = c.text.normalize;
  job.phrases = c.text.phrases;
  job.threads = c.o.threads;
  check_range("checkpoint_every", c.checkpoint_minutes, kCheckpointEveryRange);
  job.checkpoint_seconds = c.checkpoint_minutes * 60;
  job.freeze_init = vm.count("freeze-init") > 0;
  if (job.freeze_init && job.init.empty()) throw UsageError("--freeze-init needs --init VECTORS: the vectors to keep");
  if (job.freeze_init && !job.checkpoint.empty())
    throw UsageError("--freeze-init with --checkpoint is not supported: a resumed run would not know which rows "
                     "are frozen; run it without --checkpoint");
  if (front_end.world != nullptr && front_end.world->size() > 1 && !job.continue_from.empty())
    throw UsageError("--continue does not run distributed yet: run it without mpirun");
  c.world = front_end.world;
  if (!job.resume.empty()) return c.resume(vm);
  if (!job.continue_from.empty()) {
    if (job.output.empty() && job.save_model.empty()) throw UsageError("--output or --save-model is required");
    return c.continue_model(vm);
  }

  if (c.model != "glove") {
    try {
      c.o.model = parse_model(c.model);
    } catch (const Error&) {
      throw UsageError("unknown model '" + c.model + "' (valid: skipgram, cbow, glove)");
    }
  }
  const bool is_glove = c.model == "glove";
  refuse_other_models_options(vm, is_glove);
  c.given_buckets = !vm["buckets"].defaulted();
  // The models differ in their defaults; an explicit value always wins.
  if (vm["window"].defaulted()) c.window = is_glove ? c.co.window : c.o.window;
  if (vm["epochs"].defaulted()) c.epochs = is_glove ? c.go.epochs : c.o.epochs;
  job.requested_dim = parse_dimension(c.dim_text);
  if (job.inputs.empty() && !(is_glove && !job.load_cooccurrence.empty())) throw UsageError("--input is required");
  if (!job.inputs.empty() && !job.load_cooccurrence.empty())
    throw UsageError("--input and --cooccurrence: give one (the co-occurrences were counted from a corpus already)");
  if (job.inputs.empty() && (job.normalize.any() || job.phrases.passes > 0))
    throw UsageError("the normalisation and --phrases flags apply to the --input text; --cooccurrence was counted "
                     "already");
  if (!job.checkpoint.empty() && std::count(job.inputs.begin(), job.inputs.end(), "-") > 0)
    throw UsageError("--checkpoint with --input -: a resumed run reads its corpus again, and standard input cannot "
                     "be read twice; save the text to a file (compressed is fine) and give that");
  const bool glove_count_only = is_glove && c.epochs == 0 && !job.save_cooccurrence.empty();
  if (job.output.empty() && job.save_model.empty() && !glove_count_only)
    throw UsageError("--output is required (or --save-model)");

  c.distribute(is_glove);
  return is_glove ? c.start_glove(vm) : c.start_sgns(vm);
}

}  // namespace wordvec::cli
