// wordvec train --model glove: vocabulary -> co-occurrences -> shuffle -> AdaGrad -> vectors.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "cli.h"
#include "train_job.h"
#include "train_plan.h"
#include "wordvec/train/dimension.h"
#include "wordvec/core/error.h"
#include "wordvec/core/units.h"
#include "wordvec/dist/model_sync.h"
#include "wordvec/dist/shared_cooccurrence.h"
#include "wordvec/dist/shared_corpus.h"
#include "wordvec/simd/kernels.h"

namespace wordvec::cli {
namespace {

// The co-occurrences the --continue model was trained on, in the rows of the
// grown vocabulary. Throws Error when the file no longer matches the model.
std::vector<CooccurrenceRecord> stored_cooccurrences(const TrainJob& job, const CooccurrenceOptions& co,
                                                     const std::vector<std::int32_t>& old_rows) {
  const std::string& path = job.history.cooccurrence;
  spdlog::info("reading the model's co-occurrences from {}", path);
  CooccurrenceFile file = read_cooccurrences(path);
  if (file.vocab.words() != job.continued->vocab().words())
    throw file_error(path, "its vocabulary is not the one of " + job.continue_from +
                               " (was it overwritten by another run?); cannot add to its counts");
  if (file.header.window != co.window || file.header.distance_weighting != co.distance_weighting)
    throw file_error(path, "was counted with another window or weighting than " + job.continue_from);
  for (CooccurrenceRecord& r : file.records) {
    r.row = static_cast<std::uint32_t>(old_rows[r.row]);
    r.col = static_cast<std::uint32_t>(old_rows[r.col]);
  }
  return std::move(file.records);
}

// --init: both vectors of a word start at half the given vector, so that
// their sum (the vectors written by default) starts at it.
void start_from_vectors(GloveModel& model, const InitialRows& init, bool freeze) {
  using Side = GloveModel::Side;
  for (std::size_t id = 0; id < model.vocab_size(); ++id) {
    const std::int32_t row = init.row_of_word[id];
    if (row < 0) continue;
    const float* v = init.vectors.vectors.row(static_cast<std::size_t>(row));
    for (const Side side : {Side::Word, Side::Context})
      for (std::size_t k = 0; k < model.dim(); ++k) model.vector(side, id)[k] = 0.5f * v[k];
    if (freeze) model.freeze_vectors(id);
  }
}

std::uint64_t records_of_all(Communicator& world, std::size_t mine) {
  std::uint64_t total[1] = {mine};
  world.sum(total);
  return total[0];
}

// A distributed run's exchanges: P rounds an epoch, in each of which the
// processes change disjoint word and context rows (arrange_rounds). Each
// round combines the context rows; the word rows (each changed by its owner
// only) are combined for snapshots and at the end.
struct GloveSync {
  std::optional<ModelSync> contexts, words;
};

void distribute_glove(TrainJob& job, GloveTrainer& trainer, unsigned threads, std::vector<CooccurrenceRecord>& records,
                      std::uint64_t all_records, std::uint64_t seed, GloveSync& sync) {
  Communicator& world = *job.world;
  std::vector<std::uint64_t> counts(static_cast<std::size_t>(world.size()), 0);
  counts[static_cast<std::size_t>(world.rank())] = records.size();
  world.sum(counts);
  std::vector<std::size_t> round_ends = arrange_rounds(world, records, seed + static_cast<std::uint64_t>(world.rank()) * 1000003);
  GloveModel& model = trainer.model();
  sync.contexts.emplace(world, std::vector<Matrix*>{&model.context_rows()}, SyncOptions{});
  sync.words.emplace(world, std::vector<Matrix*>{&model.word_rows()}, SyncOptions{});
  trainer.set_exchanges({std::move(round_ends),
                         [&sync](std::uint64_t since, bool want_snapshot, bool complete) {
                           const ExchangeResult r = sync.contexts->exchange(since, false, want_snapshot);
                           if (r.snapshot || complete) sync.words->exchange(0, false);
                           return r;
                         },
                         [&world](std::span<double> values) { world.sum(values); }, all_records,
                         static_cast<unsigned>(world.size())});
  spdlog::info("distributed: {} processes x {} threads, {} to {} records each, trained in {} rounds an epoch on "
               "disjoint rows; the context rows are combined after each ({:.1f} MB all-reduced), the word rows at the end",
               world.size(), threads, *std::min_element(counts.begin(), counts.end()),
               *std::max_element(counts.begin(), counts.end()), world.size(),
               sync.contexts->stats().bytes_per_exchange / 1e6);
}

}  // namespace

int run_glove(TrainJob job, GloveOptions go, CooccurrenceOptions co, const VocabOptions& vo,
              Checkpoint* resume) {
  job.end_stage("prepare corpus");
  const bool count_only = go.epochs == 0;
  const bool from_corpus = job.load_cooccurrence.empty();
  const CorpusStamp stamp = from_corpus ? corpus_stamp(job.input) : CorpusStamp{};
  if (!job.checkpoint.empty() && from_corpus)
    job.corpus_fingerprint = resume ? resume->settings.text("run.corpus") : corpus_fingerprint(job.input);
  std::unique_ptr<CooccurrenceWriter> writer;  // --save-cooccurrence, committed when the run succeeds
  Vocabulary vocab;
  std::vector<CooccurrenceRecord> loaded;  // from --cooccurrence
  std::vector<std::int32_t> old_rows;       // --continue: the model's rows -> rows of vocab
  ShuffledRecords shuffled(co.memory_bytes(), co.temp_dir, go.seed);
  std::span<const CooccurrenceRecord> records;
  const ProgressCallback report = progress_reporter(job);
  if (!job.load_cooccurrence.empty()) {
    spdlog::info("reading co-occurrences from {}", job.load_cooccurrence);
    CooccurrenceFile file = read_cooccurrences(job.load_cooccurrence);
    spdlog::info("{} words, {} records (window {}{})", file.vocab.size(), file.records.size(), file.header.window,
                 file.header.distance_weighting ? ", 1/d weights" : "");
    if (resume && file.vocab.words() != resume->vocab.words())
      throw file_error(job.load_cooccurrence, "its vocabulary is not the checkpoint's; cannot resume");
    vocab = std::move(file.vocab);
    loaded = job.distributed() ? owned_records(*job.world, file.records) : std::move(file.records);
    if (!job.distributed()) shuffle_records(loaded, go.seed);  // a distributed run orders them by round
    records = loaded;
  } else {
    // --continue: the new text's counts are added to the model's stored ones.
    std::optional<VocabularyUpdate> update;
    std::vector<CooccurrenceRecord> counted;
    if (job.continued) {
      update.emplace(continued_vocabulary(*job.continued, job.input, vo, co.thread_count()));
      job.words_per_epoch = update->new_text_words;
      vocab = std::move(update->vocab);
      old_rows = std::move(update->old_to_new);
    } else {
      vocab = resume              ? resume->vocab
              : job.distributed() ? read_shared_vocabulary(*job.world, job.input,
                                                           process_shards(job.input, *job.world, co.thread_count()), vo)
                                  : read_vocabulary(job.input, vo, co.thread_count());
    }
    if (!resume) {
      const int dim = job.requested_dim > 0 ? job.requested_dim : suggest_dimension(static_cast<double>(vocab.size())).dimension;
      GloveOptions planned = go;
      planned.dim = dim;
      RunPlan plan = plan_glove(job, planned, co, vocab);
      if (job.dry_run) {
        calibrate_glove(plan, job, planned, co, vocab);
        print_plan(plan, "glove", dim, job, vocab.size());
        return 0;
      }
      check_memory(plan, job.force);
    }
    CooccurrenceCounter counter(vocab, co);
    if (!job.save_cooccurrence.empty())
      writer = std::make_unique<CooccurrenceWriter>(job.save_cooccurrence, vocab,
                                                    CooccurrenceFileHeader{co.window, co.distance_weighting});
    spdlog::info("counting co-occurrences: window {}, memory budget {:.2f} GiB, {} threads", co.window,
                 co.memory_bytes() / kBytesPerGiB, co.thread_count());
    CooccurrenceStats stats;
    std::optional<CooccurrenceRouter> routed;
    if (job.distributed()) routed.emplace(job.world->size());
    {
      InterruptWatcher interrupts([&] { counter.request_stop(); });
      const ByteRange lines = job.distributed() ? process_lines(job.input, *job.world)
                                                : ByteRange{0, corpus_file_size(job.input)};
      stats = counter.count(
          job.input, lines,
          [&](std::span<const CooccurrenceRecord> batch) {
            if (routed) {  // sent to their rows' owners below
              routed->add(batch);
              return;
            }
            if (job.continued) {  // merged below
              counted.insert(counted.end(), batch.begin(), batch.end());
              return;
            }
            if (writer) writer->write(batch);
            if (!count_only) shuffled.add(batch);
          },
          report);
      if (interrupts.interrupted()) {
        spdlog::error("interrupted: no output written, temporary files removed");
        return interrupts.exit_code();
      }
    }
    spdlog::info("{} nonzero co-occurrences ({} dense cells for rank products <= {}; {} sorted runs, {} spilled, "
                 "{:.1f} MB on disk; {} pass{} over the corpus)",
                 stats.records, stats.dense_entries, stats.max_product, stats.runs, stats.runs_spilled,
                 stats.bytes_spilled / 1e6, stats.chunks, stats.chunks == 1 ? "" : "es");
    check_corpus_unchanged(job.input, stamp);
    if (job.distributed()) {
      spdlog::info("distributed: the {} processes exchange their counts; each owns the rows r with r % {} = its rank",
                   job.world->size(), job.world->size());
      loaded = owned_cooccurrences(*job.world, std::move(*routed));
      routed.reset();
    }
    if (job.continued) {
      std::vector<CooccurrenceRecord> merged = stored_cooccurrences(job, co, old_rows);
      const std::size_t stored = merged.size();
      merged = merge_cooccurrences(std::move(merged), counted);
      spdlog::info("{} stored + {} new co-occurrences = {} cells", stored, counted.size(), merged.size());
      std::vector<CooccurrenceRecord>().swap(counted);
      if (writer) writer->write(merged);
      shuffled.add(merged);
    }
    shuffled.finish();
    records = job.distributed() ? std::span<const CooccurrenceRecord>(loaded) : shuffled.records();
    if (shuffled.out_of_core())
      spdlog::info("the records exceed --memory: shuffled out of core, training reads them through a memory map");
  }
  const auto commit_side_outputs = [&] {
    if (writer) {
      writer->commit();
      spdlog::info("wrote the co-occurrences to {}", job.save_cooccurrence);
    }
    if (!job.save_vocab.empty()) {
      vocab.save(job.save_vocab);
      spdlog::info("wrote the vocabulary to {}", job.save_vocab);
    }
  };
  if (count_only) {
    commit_side_outputs();
    return 0;
  }
  const std::uint64_t all_records = job.distributed() ? records_of_all(*job.world, records.size()) : records.size();
  if (all_records == 0) throw Error("no co-occurrences to train on (every line has fewer than two known words)");

  job.end_stage(from_corpus ? "vocabulary and co-occurrences" : "read co-occurrences");
  std::optional<InitialRows> init = start_dimension(job, vocab, resume != nullptr, go.dim);
  if (go.x_max == 0) {
    go.x_max = auto_x_max(vocab.total_count());
    spdlog::info("x-max: {} (auto) for {} corpus tokens: 10 up to 60M tokens, then 10 sqrt(tokens / 60M) up to "
                 "100 (see --help)",
                 go.x_max, vocab.total_count());
  }
  const Kernels kernels = select_kernels();
  GloveTrainer trainer(vocab.size(), go, kernels);
  if (job.continued) {  // old rows (with their AdaGrad sums) into their new places
    load_glove_rows(*job.continued, trainer.model(), old_rows);
    job.continued.reset();
  }
  if (init) start_from_vectors(trainer.model(), *init, job.freeze_init);
  init.reset();
  if (resume) {
    GloveResume resumed = glove_resume(*resume);
    trainer.restore(std::move(resumed.model), resumed.epochs_done);
    spdlog::info("resuming from {} after epoch {} of {}", job.resume, resumed.epochs_done, go.epochs);
  }
  spdlog::info("training GloVe: dim {}, {} epochs, x-max {}, weighting exponent {}, learning rate {} (biases {}), "
               "{} threads, {} kernels, {} records",
               go.dim, go.epochs, go.x_max, go.weighting_exponent, go.learning_rate, go.bias_learning_rate,
               go.thread_count(), kernels.name, all_records);
  GloveSync sync;
  if (job.distributed()) {
    distribute_glove(job, trainer, go.thread_count(), loaded, all_records, go.seed, sync);
    records = loaded;
  }
  if (!job.checkpoint.empty())
    trainer.set_snapshots(job.checkpoint_seconds, [&](int epochs_done) {
      if (job.distributed() && job.world->rank() != 0) return;  // the model is the same everywhere
      write_checkpoint(job.checkpoint,
                       make_glove_checkpoint(go, co, vocab, trainer.model(), epochs_done, glove_run_settings(job, vo, go, co)));
      spdlog::info("checkpoint saved to {} (after epoch {})", job.checkpoint, epochs_done);
    });
  double trainer_seconds = 0;
  {
    InterruptWatcher interrupts([&] { trainer.request_stop(); });
    trainer_seconds = trainer.train(records, report).seconds;
    if (interrupts.interrupted()) {
      log_interrupted(job);  // GloVe checkpoints are taken between epochs: the last one stands
      return interrupts.exit_code();
    }
  }
  job.end_stage("training");
  if (sync.contexts) report_distributed(job, sync.contexts->stats(), trainer_seconds);
  if (!job.output.empty()) {
    const Matrix vectors = trainer.model().vectors(go.output);
    write_vectors(job.output, vocab.words(), vectors, job.format);
    spdlog::info("wrote {} vectors of dimension {} to {} ({})", vocab.size(), vectors.cols(), job.output,
                 vector_format_name(job.format));
  }
  commit_side_outputs();
  // The co-occurrence file that holds every count of this model, for a later --continue.
  save_glove_model_file(job, go, co, vo, vocab, trainer.model(),
                        !job.save_cooccurrence.empty() ? job.save_cooccurrence : job.load_cooccurrence);
  Settings settings = go.to_settings();
  settings.merge(co.to_settings());
  settings.merge(glove_run_settings(job, vo, go, co));
  write_report(job, "glove", go.dim, vocab, vocab.total_count(), go.thread_count(), kernels.name, settings);
  return 0;
}

}  // namespace wordvec::cli
