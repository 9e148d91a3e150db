// Pieces shared by the skip-gram/CBOW and GloVe halves of `wordvec train`.
#include <spdlog/spdlog.h>

#include <sys/stat.h>
#include <xxhash.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <cstdio>

#include "cli.h"
#include "train_job.h"
#include "wordvec/dist/shared_corpus.h"
#include "text_flags.h"
#include "wordvec/text/corpus.h"
#include "wordvec/train/dimension.h"
#include "wordvec/core/error.h"
#include "wordvec/core/parallel.h"

namespace wordvec::cli {
namespace {

void log_vocabulary(const VocabStats& stats, const Vocabulary& vocab, const VocabOptions& vo) {
  spdlog::info("{} tokens, {} lines; {} distinct words, {} kept (min-count {}{}), {} training words per epoch",
               stats.scan.tokens, stats.scan.lines, stats.distinct_words, vocab.size(), vo.min_count,
               vo.max_vocab ? ", max-vocab " + std::to_string(vo.max_vocab) : "", vocab.total_count());
  if (stats.scan.truncated_tokens > 0)
    spdlog::warn("{} tokens were longer than {} bytes and were cut to that length", stats.scan.truncated_tokens,
                 kMaxTokenBytes);
  if (stats.invalid_utf8_tokens > 0)
    spdlog::warn("{} tokens are not valid UTF-8; they are kept as bytes (is the corpus in another encoding? "
                 "iconv -f ENCODING -t UTF-8 converts it)",
                 stats.invalid_utf8_tokens);
  if (stats.prune_threshold > 0)
    spdlog::warn("the vocabulary table was pruned while counting (words seen <= {} times dropped)",
                 stats.prune_threshold);
}


}  // namespace

int choose_dimension(int requested, std::size_t vocab_size) {
  if (vocab_size < 2) {
    if (requested == 0) throw Error("--dim auto needs a vocabulary of at least 2 words");
    return requested;
  }
  const DimensionSuggestion s = suggest_dimension(static_cast<double>(vocab_size));
  if (requested == 0) {
    spdlog::info("dimension: {} (auto): the smallest n with minimum-entropy H(n, N={}) < 0 "
                 "(H({}) = {:.3f}, H({}) = {:.3f}; rule of thumb ceil(8.33 ln N) = {})",
                 s.dimension, vocab_size, s.dimension - 1, s.entropy_before, s.dimension, s.entropy_at,
                 s.rule_of_thumb);
    return s.dimension;
  }
  if (requested < s.dimension)
    spdlog::warn("--dim {} is {} below the minimum-entropy bound {} for {} words (H({}) = {:.3f} > 0)", requested,
                 s.dimension - requested, s.dimension, vocab_size, requested,
                 dimension_entropy(requested, static_cast<double>(vocab_size)));
  return requested;
}

Vocabulary read_vocabulary(const std::string& input, const VocabOptions& vo, unsigned threads) {
  VocabStats stats;
  spdlog::info("reading vocabulary from {}", input);
  Vocabulary vocab = Vocabulary::build(input, vo, &stats, threads);
  log_vocabulary(stats, vocab, vo);
  return vocab;
}

Vocabulary read_shared_vocabulary(Communicator& world, const std::string& input, const std::vector<ByteRange>& shards,
                                  const VocabOptions& vo) {
  VocabStats stats;
  spdlog::info("reading vocabulary from {}: {} processes count their shares", input, world.size());
  Vocabulary vocab = shared_vocabulary(world, input, shards, vo, &stats);
  log_vocabulary(stats, vocab, vo);
  return vocab;
}

std::string corpus_fingerprint(const std::string& path) {
  // Size and XXH3 of every byte: an edit anywhere is caught. XXH3 runs at
  // memory speed, so this costs a fraction of one training epoch.
  const std::uint64_t size = corpus_file_size(path);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state(XXH3_createState(), XXH3_freeState);
  if (!f || !state) throw file_error(path, std::string("cannot read the corpus: ") + std::strerror(errno));
  XXH3_64bits_reset(state.get());
  std::vector<char> block(1 << 22);
  std::uint64_t total = 0;
  while (const std::size_t got = std::fread(block.data(), 1, block.size(), f.get())) {
    XXH3_64bits_update(state.get(), block.data(), got);
    total += got;
  }
  if (std::ferror(f.get()) || total != size) throw file_error(path, "the corpus changed while it was being read");
  return "xxh3:" + std::to_string(size) + ":" + std::to_string(XXH3_64bits_digest(state.get()));
}

void check_corpus_fingerprint(const Checkpoint& checkpoint, const std::string& corpus_path) {
  if (corpus_fingerprint(corpus_path) != checkpoint.settings.text("run.corpus")) {
    const std::string& inputs = checkpoint.settings.text("run.inputs");
    throw file_error(inputs.find('\n') == std::string::npos ? inputs : "--input",
                     "the corpus changed since the checkpoint was taken; cannot resume");
  }
}

std::vector<std::string> corpus_files(const TrainJob& job) {
  return job.inputs.empty() ? std::vector<std::string>{} : expand_corpus_paths(job.inputs, job.glob);
}

void prepare_corpus(TrainJob& job) {
  if (job.inputs.empty()) return;
  auto last = std::chrono::steady_clock::now();
  const auto progress = [&](const InputReport& r) {
    const auto now = std::chrono::steady_clock::now();
    if (job.quiet || now - last < std::chrono::seconds(5)) return;
    last = now;
    spdlog::info("reading {}: {:.1f} MB read, {:.1f} MB of text", r.path == "-" ? "standard input" : r.path,
                 r.compressed_bytes / 1e6, r.text_bytes / 1e6);
  };
  CorpusInputOptions options;
  options.glob = job.glob;
  options.temp_dir = job.temp_dir;
  options.normalize = job.normalize;
  options.phrases = job.phrases;
  options.threads = resolve_threads(job.threads);
  log_phrase_passes(options, job.quiet);
  job.corpus = std::make_shared<PreparedCorpus>(job.inputs, options, progress);
  job.input = job.corpus->path();
  if (!job.corpus->is_copy()) return;
  std::uint64_t text = 0;
  for (const InputReport& r : job.corpus->reports()) {
    text += r.text_bytes;
    if (r.compression != Compression::None)
      spdlog::info("read {} ({}): {:.1f} MB -> {:.1f} MB of text", r.path == "-" ? "standard input" : r.path,
                   compression_name(r.compression), r.compressed_bytes / 1e6, r.text_bytes / 1e6);
    else if (job.corpus->reports().size() <= 20 || r.path == "-")
      spdlog::info("read {}: {:.1f} MB of text", r.path == "-" ? "standard input" : r.path, r.text_bytes / 1e6);
  }
  spdlog::info("{} input file(s) read once into a plain copy for training{}: {:.1f} MB in {} (removed at the end; "
               "--temp-dir moves it)",
               job.corpus->reports().size(),
               job.normalize.any() || job.phrases.passes > 0 ? ", normalised and phrased as asked" : "", text / 1e6,
               job.input);
}

namespace {
std::optional<CorpusStamp> stamp_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return CorpusStamp{static_cast<std::uint64_t>(st.st_size), st.st_mtim.tv_sec, st.st_mtim.tv_nsec, st.st_ino};
}
}  // namespace

CorpusStamp corpus_stamp(const std::string& path) {
  const std::optional<CorpusStamp> stamp = stamp_of(path);
  if (!stamp) throw file_error(path, std::strerror(errno));
  return *stamp;
}

void check_corpus_unchanged(const std::string& path, const CorpusStamp& before) {
  if (!path.empty() && stamp_of(path) != before)
    throw file_error(path, "the corpus changed while training read it (size, time or file differ); "
                           "no vectors written: train again on a corpus that stays put");
}

std::string absolute_path(const std::string& path) {
  if (path.empty()) return path;
  std::error_code error;
  const auto absolute = std::filesystem::absolute(path, error);
  return error ? path : absolute.lexically_normal().string();
}

Settings run_settings(const TrainJob& job, const VocabOptions& vo) {
  Settings s;
  std::string inputs;
  for (const std::string& input : job.inputs) inputs += (inputs.empty() ? "" : "\n") + (input == "-" ? input : absolute_path(input));
  s.set("run.inputs", inputs);
  s.set("run.glob", job.glob);
  s.set("run.corpus", job.corpus_fingerprint);
  s.set("run.min_count", vo.min_count);
  s.set("run.max_vocab", vo.max_vocab);
  s.set("run.save_model", absolute_path(job.save_model));
  s.set("run.words_per_epoch", job.words_per_epoch);
  s.set("run.processes", static_cast<std::uint64_t>(job.world != nullptr ? job.world->size() : 1));
  s.merge(job.normalize.to_settings());
  s.merge(job.phrases.to_settings());
  s.merge(job.history.to_settings());  // as the run started; a model file stores it after the run
  return s;
}

Settings glove_run_settings(const TrainJob& job, const VocabOptions& vo, const GloveOptions& go,
                            const CooccurrenceOptions& co) {
  Settings s = run_settings(job, vo);
  s.set("run.cooccurrence", absolute_path(job.load_cooccurrence));
  s.set("run.threads", go.threads);  // a resumed run keeps them: one thread is reproducible
  s.set("run.memory_gib", co.memory_gib);
  s.set("run.temp_dir", absolute_path(co.temp_dir));
  return s;
}

namespace {
// The settings of a model file: the run's, with the history after this run.
Settings model_settings(const TrainJob& job, const VocabOptions& vo, std::uint64_t words, std::uint64_t epochs,
                        const std::string& cooccurrence_file) {
  Settings s = run_settings(job, vo);
  s.values().erase("run.corpus");  // a checkpoint's business
  s.values().erase("run.processes");
  s.values().erase("run.save_model");
  ModelHistory history = job.history.after_run(words, epochs);
  history.cooccurrence = absolute_path(cooccurrence_file);
  s.merge(history.to_settings());
  return s;
}

void log_model_saved(const TrainJob& job, const Vocabulary& vocab) {
  spdlog::info("wrote the model ({} words, both matrices, settings and counts) to {}", vocab.size(), job.save_model);
}
}  // namespace

void save_sgns_model_file(const TrainJob& job, const SgnsOptions& o, const VocabOptions& vo, const Vocabulary& vocab,
                          const SgnsModel& model, std::uint64_t words) {
  if (job.save_model.empty()) return;
  save_sgns_model(job.save_model, o, vocab, model,
                  model_settings(job, vo, words, static_cast<std::uint64_t>(o.epochs), ""));
  log_model_saved(job, vocab);
}

void save_glove_model_file(const TrainJob& job, const GloveOptions& go, const CooccurrenceOptions& co,
                           const VocabOptions& vo, const Vocabulary& vocab, const GloveModel& model,
                           const std::string& cooccurrence_file) {
  if (job.save_model.empty()) return;
  const std::uint64_t words = job.words_per_epoch > 0 ? job.words_per_epoch : vocab.total_count();
  save_glove_model(job.save_model, go, co, vocab, model,
                   model_settings(job, vo, words, static_cast<std::uint64_t>(go.epochs), cooccurrence_file));
  log_model_saved(job, vocab);
}

VocabularyUpdate continued_vocabulary(const ModelFile& model, const std::string& input, const VocabOptions& vo,
                                      unsigned threads) {
  VocabStats stats;
  spdlog::info("reading the new text's vocabulary from {}", input);
  const Vocabulary added = Vocabulary::build(input, VocabOptions{1, 0, vo.prune_at}, &stats, threads);
  VocabularyUpdate update = update_vocabulary(model.vocab(), added, vo.min_count);
  spdlog::info("{} tokens, {} distinct words in the new text: {} of the model's {} words seen again, {} new words "
               "reach min-count {} over old + new counts; vocabulary now {} words, {} training words per epoch",
               stats.scan.tokens, added.size(), update.old_words_seen, model.vocab().size(), update.words_added, vo.min_count,
               update.vocab.size(), update.new_text_words);
  if (update.new_text_words == 0)
    throw file_error(input, "none of its words is in the vocabulary or reaches min-count " +
                                std::to_string(vo.min_count) + ": nothing to train");
  return update;
}

std::optional<InitialRows> start_dimension(const TrainJob& job, const Vocabulary& vocab, bool resumed, int& dim) {
  if (resumed || job.continued) return std::nullopt;
  if (job.init.empty()) {
    dim = choose_dimension(job.requested_dim, vocab.size());
    return std::nullopt;
  }
  InitialRows init = initial_rows(job.init, vocab, job.requested_dim);
  dim = static_cast<int>(init.vectors.dim());
  return init;
}

InitialRows initial_rows(const std::string& path, const Vocabulary& vocab, int requested_dim) {
  spdlog::info("reading the --init vectors from {}", path);
  InitialRows init{load_vectors(path), std::vector<std::int32_t>(vocab.size(), -1), 0};
  const auto dim = static_cast<int>(init.vectors.dim());
  if (requested_dim != 0 && requested_dim != dim)
    throw UsageError("--dim " + std::to_string(requested_dim) + " conflicts with --init " + path +
                     ", whose vectors have dimension " + std::to_string(dim) + "; give --dim " + std::to_string(dim) +
                     " or leave --dim auto (it then takes the vectors' dimension)");
  if (requested_dim == 0) spdlog::info("dimension: {} (auto), the dimension of the --init vectors", dim);
  for (std::size_t r = 0; r < init.vectors.size(); ++r) {
    const std::int32_t id = vocab.id(init.vectors.words[r]);
    if (id >= 0 && init.row_of_word[id] < 0) {
      init.row_of_word[id] = static_cast<std::int32_t>(r);
      ++init.found;
    }
  }
  spdlog::info("--init: {} of the {} words start from the vectors in {} ({} of its {} words are in the vocabulary)",
               init.found, vocab.size(), path, init.found, init.vectors.size());
  return init;
}

ProgressCallback progress_reporter(const TrainJob& job) {
  ProgressCallback shown = job.progress;
  if (!shown) shown = [printer = ProgressPrinter(job.quiet)](const TrainingProgress& p) mutable { printer(p); };
  return job.report ? job.report->recording(std::move(shown)) : shown;
}

void write_report(const TrainJob& job, const std::string& model, int dim, const Vocabulary& vocab,
                  std::uint64_t words_per_epoch, unsigned threads, const char* kernels, const Settings& settings) {
  if (!job.report) return;
  job.end_stage("write outputs");
  Json& r = job.report->root();
  r["model"] = model;
  r["dimension"] = {{"value", dim},
                    {"requested", job.requested_dim > 0 ? Json(job.requested_dim) : Json("auto")},
                    {"suggested", suggest_dimension(static_cast<double>(vocab.size())).dimension}};
  r["corpus"] = {{"inputs", job.inputs},
                 {"vocabulary_size", vocab.size()},
                 {"vocabulary_words", vocab.total_count()},
                 {"words_per_epoch", words_per_epoch}};
  r["threads"] = threads;
  r["kernels"] = kernels;
  job.report->settings(settings);
  job.report->output("--output", job.output);
  job.report->output("--save-model", job.save_model);
  job.report->output("--save-vocab", job.save_vocab);
  job.report->output("--save-cooccurrence", job.save_cooccurrence);
  job.report->write();
  spdlog::info("wrote the run's report to {}", job.report_path);
}

void log_interrupted(const TrainJob& job) {
  if (job.distributed() && job.world->rank() != 0) return;  // rank 0 says it for all
  if (job.checkpoint.empty()) {
    spdlog::error("interrupted: no vectors written");
    return;
  }
  spdlog::error("interrupted: nothing written; the checkpoint {} holds the run, continue it with: "
                "{}train --resume {}{}{}",
                job.checkpoint,
                job.distributed() ? "mpirun -np " + std::to_string(job.world->size()) + " wordvec-mpi " : "wordvec ",
                job.checkpoint, job.output.empty() ? "" : " --output " + job.output,
                job.save_model.empty() ? "" : " (the model goes to " + job.save_model + " as asked)");
}

void report_distributed(const TrainJob& job, const SyncStats& st, double training_seconds) {
  spdlog::info("distributed: {} exchanges, {:.1f} s in them ({:.0f}% of the training time, waiting for slower "
               "processes included), {:.1f} MB all-reduced per exchange",
               st.exchanges, st.seconds, 100 * st.seconds / std::max(1e-9, training_seconds),
               st.bytes_per_exchange / 1e6);
  if (!job.report) return;
  auto& d = job.report->root()["distributed"];
  d["processes"] = job.world->size();
  d["exchanges"] = st.exchanges;
  d["exchange_seconds"] = st.seconds;
  d["bytes_per_exchange"] = st.bytes_per_exchange;
  d["sync_every"] = job.sync_every;
  d["combine"] = sync_combine_name(job.sync.combine);
  d["precision"] = sync_precision_name(job.sync.precision);
}

}  // namespace wordvec::cli
