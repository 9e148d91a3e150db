// wordvec train --model skipgram|cbow: vocabulary -> dimension -> SGNS trainer -> vectors.
#include <spdlog/spdlog.h>

#include <cmath>

#include "cli.h"
#include "train_job.h"
#include "wordvec/core/error.h"
#include "wordvec/simd/kernels.h"

namespace wordvec::cli {
int run_sgns(TrainJob job, SgnsOptions o, const VocabOptions& vo, Checkpoint* resume) {
  const CorpusStamp stamp = corpus_stamp(job.input);
  if (!job.checkpoint.empty()) job.corpus_fingerprint = resume ? resume->settings.text("run.corpus") : corpus_fingerprint(job.input);
  SgnsRunState resumed_state;
  SgnsModel resumed_model;
  if (resume) {
    SgnsResume resumed = sgns_resume(*resume);
    resumed_state = std::move(resumed.state);
    resumed_model = std::move(resumed.model);
    const unsigned shards = static_cast<unsigned>(resumed_state.workers.size());
    if (o.threads == 0) o.threads = shards;  // the checkpoint's shards, whatever this machine's cores
    if (o.threads != shards)
      throw UsageError("--threads " + std::to_string(o.threads) + ": the checkpoint was taken with " +
                       std::to_string(shards) + " threads; resume it with --threads " + std::to_string(shards) +
                       " (or without --threads)");
  }
  const Vocabulary vocab = resume ? resume->vocab : read_vocabulary(job.input, vo, o.thread_count());
  if (!resume) o.dim = choose_dimension(job.requested_dim, vocab.size());
  const Kernels kernels = select_kernels();
  SgnsTrainer trainer(vocab, o, kernels);
  if (resume) {
    spdlog::info("resuming from {}: {:.1f}% done ({} of {} words), {} shards", job.resume,
                 100.0 * resumed_state.words_done / (vocab.total_count() * o.epochs), resumed_state.words_done,
                 vocab.total_count() * o.epochs, resumed_state.workers.size());
    trainer.restore(std::move(resumed_model), resumed_state);
  }
  const bool exact = o.model == Model::SkipGram && o.update == SkipGramUpdate::Exact;
  const int share = exact ? 1 : o.negative_share;
  const std::string draws = share == 1 ? (exact ? "drawn per pair" : "drawn per position")
                                       : fmt::format("a draw per {} positions", share);
  spdlog::info("training {} ({} update), dim {}, window {}, negative {} ({}), sample {}, "
               "{} epochs, {} threads, learning rate {}, {} kernels",
               model_name(o.model), o.model == Model::SkipGram ? (exact ? "exact" : "batched") : "cbow",
               o.dim, o.window, o.negative, draws, o.sample, o.epochs, o.thread_count(), o.start_learning_rate(), kernels.name);
  if (!job.checkpoint.empty())
    trainer.set_snapshots({job.checkpoint_seconds, [&](const SgnsRunState& state) {
                             write_checkpoint(job.checkpoint, make_sgns_checkpoint(o, vocab, trainer.model(), state, run_settings(job)));
                             spdlog::info("checkpoint saved to {}", job.checkpoint);
                           }});

  ProgressPrinter printer(job.quiet);
  TrainingSummary summary;
  {
    InterruptWatcher interrupts([&] { trainer.request_stop(); });
    summary = trainer.train(job.input, [&](const TrainingProgress& p) { printer(p); });
    if (interrupts.interrupted()) {
      log_interrupted(job);
      return interrupts.exit_code();
    }
  }
  check_corpus_unchanged(job.input, stamp);
  const std::uint64_t expected = vocab.total_count() * static_cast<std::uint64_t>(o.epochs);
  if (summary.words != expected)
    throw file_error(job.input, "training read " + std::to_string(summary.words) + " words, the vocabulary pass " +
                                    std::to_string(expected) + " (" + std::to_string(o.epochs) +
                                    " epochs): the corpus changed while being read; no vectors written");
  write_vectors(job.output, vocab.words(), trainer.model().input, job.format);
  spdlog::info("wrote {} vectors of dimension {} to {} ({})", vocab.size(), o.dim, job.output,
               vector_format_name(job.format));
  if (!job.save_vocab.empty()) {
    vocab.save(job.save_vocab);
    spdlog::info("wrote the vocabulary to {}", job.save_vocab);
  }
  return 0;
}

}  // namespace wordvec::cli
