// wordvec train --model glove: vocabulary -> co-occurrences -> shuffle -> AdaGrad -> vectors.
#include <spdlog/spdlog.h>

#include "cli.h"
#include "train_job.h"
#include "wordvec/core/error.h"
#include "wordvec/simd/kernels.h"

namespace wordvec::cli {
namespace {

const char* glove_output_name(GloveOutput output) {
  switch (output) {
    case GloveOutput::Sum: return "sum";
    case GloveOutput::Word: return "word";
    case GloveOutput::Concat: return "concat";
  }
  return "sum";
}

Checkpoint glove_checkpoint(const TrainJob& job, const GloveOptions& go, const CooccurrenceOptions& co,
                            const Vocabulary& vocab, const GloveModel& model, int epochs_done) {
  Checkpoint c;
  c.kind = "glove";
  c.settings = {{"dim", setting_text(go.dim)},
                {"epochs", setting_text(go.epochs)},
                {"x_max", setting_text(go.x_max)},
                {"glove_alpha", setting_text(go.alpha)},
                {"alpha", setting_text(go.learning_rate)},
                {"seed", std::to_string(go.seed)},
                {"glove_output", glove_output_name(go.output)},
                {"window", setting_text(co.window)},
                {"distance_weighting", co.distance_weighting ? "1" : "0"},
                {"memory", setting_text(co.memory_gib)},
                {"threads", setting_text(go.threads)},  // a resumed run keeps them: one thread is reproducible
                {"temp_dir", absolute_path(co.temp_dir)},
                {"input", absolute_path(job.input)},
                {"corpus", job.corpus_fingerprint},
                {"cooccurrence", absolute_path(job.load_cooccurrence)}};
  c.vocab = vocab;
  c.matrices.push_back(model.word_rows().clone());
  c.matrices.push_back(model.context_rows().clone());
  c.state = {static_cast<std::uint64_t>(epochs_done)};
  return c;
}

}  // namespace

void glove_options_from(const Checkpoint& c, GloveOptions& go, CooccurrenceOptions& co, TrainJob& job) {
  go.dim = static_cast<int>(setting_number(c, "dim"));
  go.epochs = static_cast<int>(setting_number(c, "epochs"));
  go.x_max = setting_number(c, "x_max");
  go.alpha = setting_number(c, "glove_alpha");
  go.learning_rate = setting_number(c, "alpha");
  go.seed = std::stoull(c.setting("seed"));
  go.output = parse_glove_output(c.setting("glove_output"));
  co.window = static_cast<int>(setting_number(c, "window"));
  co.distance_weighting = c.setting("distance_weighting") == "1";
  co.memory_gib = setting_number(c, "memory");
  co.temp_dir = c.setting("temp_dir");
  job.input = c.setting("input");
  job.load_cooccurrence = c.setting("cooccurrence");
  go.validate();
  co.validate();
  if (job.load_cooccurrence.empty()) check_corpus_fingerprint(c);
}

int run_glove(TrainJob job, GloveOptions go, CooccurrenceOptions co, const VocabOptions& vo,
              Checkpoint* resume) {
  const bool count_only = go.epochs == 0;
  const bool from_corpus = job.load_cooccurrence.empty();
  const CorpusStamp stamp = from_corpus ? corpus_stamp(job.input) : CorpusStamp{};
  if (!job.checkpoint.empty() && from_corpus)
    job.corpus_fingerprint = resume ? resume->setting("corpus") : corpus_fingerprint(job.input);
  std::unique_ptr<CooccurrenceWriter> writer;  // --save-cooccurrence, committed when the run succeeds
  Vocabulary vocab;
  std::vector<CooccurrenceRecord> loaded;  // from --cooccurrence
  ShuffledRecords shuffled(co.memory_bytes(), co.temp_dir, go.seed);
  std::span<const CooccurrenceRecord> records;
  ProgressPrinter printer(job.quiet);
  if (!job.load_cooccurrence.empty()) {
    spdlog::info("reading co-occurrences from {}", job.load_cooccurrence);
    CooccurrenceFile file = read_cooccurrences(job.load_cooccurrence);
    spdlog::info("{} words, {} records (window {}{})", file.vocab.size(), file.records.size(), file.header.window,
                 file.header.distance_weighting ? ", 1/d weights" : "");
    if (resume && file.vocab.words() != resume->vocab.words())
      throw file_error(job.load_cooccurrence, "its vocabulary is not the checkpoint's; cannot resume");
    vocab = std::move(file.vocab);
    loaded = std::move(file.records);
    shuffle_records(loaded, go.seed);
    records = loaded;
  } else {
    vocab = resume ? resume->vocab : read_vocabulary(job.input, vo, co.thread_count());
    CooccurrenceCounter counter(vocab, co);
    if (!job.save_cooccurrence.empty())
      writer = std::make_unique<CooccurrenceWriter>(job.save_cooccurrence, vocab,
                                                    CooccurrenceFileHeader{co.window, co.distance_weighting});
    spdlog::info("counting co-occurrences: window {}, memory budget {:.2f} GiB, {} threads", co.window,
                 co.memory_bytes() / 1073741824.0, co.thread_count());
    CooccurrenceStats stats;
    {
      InterruptWatcher interrupts([&] { counter.request_stop(); });
      stats = counter.count(
          job.input,
          [&](std::span<const CooccurrenceRecord> batch) {
            if (writer) writer->write(batch);
            if (!count_only) shuffled.add(batch);
          },
          [&](const TrainingProgress& p) { printer(p); });
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
    shuffled.finish();
    records = shuffled.records();
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
  if (records.empty()) throw Error("no co-occurrences to train on (every line has fewer than two known words)");

  if (!resume) go.dim = choose_dimension(job.requested_dim, vocab.size());
  const Kernels kernels = select_kernels();
  GloveTrainer trainer(vocab.size(), go, kernels);
  if (resume) {
    if (resume->matrices.size() != 2 || resume->state.size() != 1)
      throw Error(job.resume + ": a GloVe checkpoint holds two matrices and the epochs done");
    const int epochs_done = static_cast<int>(resume->state[0]);
    trainer.restore(GloveModel::from_rows(go.dim, std::move(resume->matrices[0]), std::move(resume->matrices[1])),
                    epochs_done);
    spdlog::info("resuming from {} after epoch {} of {}", job.resume, epochs_done, go.epochs);
  }
  spdlog::info("training GloVe: dim {}, {} epochs, x-max {}, alpha {}, learning rate {}, {} threads, {} kernels, "
               "{} records",
               go.dim, go.epochs, go.x_max, go.alpha, go.learning_rate, go.thread_count(), kernels.name,
               records.size());
  if (!job.checkpoint.empty())
    trainer.set_snapshots(job.checkpoint_seconds, [&](int epochs_done) {
      write_checkpoint(job.checkpoint, glove_checkpoint(job, go, co, vocab, trainer.model(), epochs_done));
      spdlog::info("checkpoint saved to {} (after epoch {})", job.checkpoint, epochs_done);
    });
  {
    InterruptWatcher interrupts([&] { trainer.request_stop(); });
    trainer.train(records, [&](const TrainingProgress& p) { printer(p); });
    if (interrupts.interrupted()) {
      log_interrupted(job);  // GloVe checkpoints are taken between epochs: the last one stands
      return interrupts.exit_code();
    }
  }
  const Matrix vectors = trainer.model().vectors(go.output);
  write_vectors(job.output, vocab.words(), vectors, job.format);
  spdlog::info("wrote {} vectors of dimension {} to {} ({})", vocab.size(), vectors.cols(), job.output,
               vector_format_name(job.format));
  commit_side_outputs();
  return 0;
}

}  // namespace wordvec::cli
