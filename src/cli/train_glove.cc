// wordvec train --model glove: vocabulary -> co-occurrences -> shuffle -> AdaGrad -> vectors.
#include <spdlog/spdlog.h>

#include "cli.h"
#include "train_job.h"
#include "wordvec/core/error.h"
#include "wordvec/core/units.h"
#include "wordvec/simd/kernels.h"

namespace wordvec::cli {
int run_glove(TrainJob job, GloveOptions go, CooccurrenceOptions co, const VocabOptions& vo,
              Checkpoint* resume) {
  const bool count_only = go.epochs == 0;
  const bool from_corpus = job.load_cooccurrence.empty();
  const CorpusStamp stamp = from_corpus ? corpus_stamp(job.input) : CorpusStamp{};
  if (!job.checkpoint.empty() && from_corpus)
    job.corpus_fingerprint = resume ? resume->settings.text("run.corpus") : corpus_fingerprint(job.input);
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
                 co.memory_bytes() / kBytesPerGiB, co.thread_count());
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
  if (go.x_max == 0) {
    go.x_max = auto_x_max(vocab.total_count());
    spdlog::info("x-max: {} (auto) for {} corpus tokens: 10 up to 60M tokens, then 10 sqrt(tokens / 60M) up to "
                 "100 (see --help)",
                 go.x_max, vocab.total_count());
  }
  const Kernels kernels = select_kernels();
  GloveTrainer trainer(vocab.size(), go, kernels);
  if (resume) {
    GloveResume resumed = glove_resume(*resume);
    trainer.restore(std::move(resumed.model), resumed.epochs_done);
    spdlog::info("resuming from {} after epoch {} of {}", job.resume, resumed.epochs_done, go.epochs);
  }
  spdlog::info("training GloVe: dim {}, {} epochs, x-max {}, weighting exponent {}, learning rate {} (biases {}), "
               "{} threads, {} kernels, {} records",
               go.dim, go.epochs, go.x_max, go.weighting_exponent, go.learning_rate, go.bias_learning_rate,
               go.thread_count(), kernels.name,
               records.size());
  if (!job.checkpoint.empty())
    trainer.set_snapshots(job.checkpoint_seconds, [&](int epochs_done) {
      write_checkpoint(job.checkpoint,
                       make_glove_checkpoint(go, co, vocab, trainer.model(), epochs_done, glove_run_settings(job, go, co)));
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
