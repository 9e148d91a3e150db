// wordvec train --model skipgram|cbow: vocabulary -> dimension -> SGNS trainer -> vectors.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "cli.h"
#include "train_job.h"
#include "train_plan.h"
#include "wordvec/dist/shared_corpus.h"
#include "wordvec/core/error.h"
#include "wordvec/simd/kernels.h"

namespace wordvec::cli {
int run_sgns(TrainJob job, SgnsOptions o, const VocabOptions& vo, Checkpoint* resume) {
  job.end_stage("prepare corpus");
  // --report's loss per epoch comes from the progress reports: ten a second.
  if (job.report) o.progress_interval_seconds = std::min(o.progress_interval_seconds, 0.1);
  const CorpusStamp stamp = corpus_stamp(job.input);
  if (!job.checkpoint.empty()) job.corpus_fingerprint = resume ? resume->settings.text("run.corpus") : corpus_fingerprint(job.input);
  SgnsRunState resumed_state;
  SgnsModel resumed_model;
  if (resume) {
    SgnsResume resumed = sgns_resume(*resume);
    resumed_state = std::move(resumed.state);
    resumed_model = std::move(resumed.model);
    // A distributed run's checkpoint holds every process's shards, in rank order.
    const auto processes = static_cast<unsigned>(job.world != nullptr ? job.world->size() : 1);
    const unsigned shards = static_cast<unsigned>(resumed_state.workers.size()) / processes;
    if (o.threads == 0) o.threads = shards;  // the checkpoint's shards, whatever this machine's cores
    if (o.threads != shards)
      throw UsageError("--threads " + std::to_string(o.threads) + ": the checkpoint was taken with " +
                       std::to_string(shards) + " threads" + (processes > 1 ? " per process" : "") +
                       "; resume it with --threads " + std::to_string(shards) + " (or without --threads)");
    if (processes > 1) {
      const auto first = resumed_state.workers.begin() + static_cast<std::ptrdiff_t>(job.world->rank()) * shards;
      resumed_state.workers = std::vector<SgnsWorkerState>(first, first + shards);
    }
  }
  std::optional<VocabularyUpdate> update;  // --continue
  if (job.continued && !resume) {
    update.emplace(continued_vocabulary(*job.continued, job.input, vo, o.thread_count()));
    job.words_per_epoch = update->new_text_words;
  }
  // A distributed run's process trains its own shards (one per thread).
  const std::vector<ByteRange> shards =
      job.distributed() ? process_shards(job.input, *job.world, o.thread_count()) : std::vector<ByteRange>{};
  if (resume && job.distributed())
    for (std::size_t i = 0; i < shards.size(); ++i)
      if (shards[i].begin != resumed_state.workers[i].shard_begin || shards[i].end != resumed_state.workers[i].shard_end)
        throw file_error(job.input, "is not cut into the checkpoint's shards; cannot resume");
  const Vocabulary vocab = resume               ? resume->vocab
                           : update            ? std::move(update->vocab)
                           : job.distributed() ? read_shared_vocabulary(*job.world, job.input, shards, vo)
                                               : read_vocabulary(job.input, vo, o.thread_count());
  job.end_stage("vocabulary");
  std::optional<InitialRows> init = start_dimension(job, vocab, resume != nullptr, o.dim);
  if (!resume) {  // a resumed run's model is in memory already
    const std::uint64_t words = job.words_per_epoch > 0 ? job.words_per_epoch : vocab.total_count();
    RunPlan plan = plan_sgns(job, o, vocab, words);
    if (job.dry_run) {
      calibrate_sgns(plan, job, o, vocab, words);
      print_plan(plan, model_name(o.model), o.dim, job, vocab.size());
      return 0;
    }
    check_memory(plan, job.force);
  }
  const Kernels kernels = select_kernels();
  SgnsTrainer trainer(vocab, o, kernels);
  if (job.words_per_epoch > 0) trainer.set_words_per_epoch(job.words_per_epoch);
  if (update) {
    // Old rows into their new places (the file's pages given back as they are
    // copied); new words keep the fresh rows a new run would give them.
    const bool hs = o.loss == Loss::HierarchicalSoftmax;
    if (hs) spdlog::info("hierarchical softmax: the Huffman tree is rebuilt from the combined counts; its node rows start from zero");
    load_sgns_rows(*job.continued, trainer.model(), update->old_to_new, !hs);
    job.continued.reset();
  }
  if (init) {
    std::vector<std::uint8_t> frozen(job.freeze_init ? vocab.size() : 0);
    for (std::size_t id = 0; id < vocab.size(); ++id) {
      const std::int32_t row = init->row_of_word[id];
      if (row < 0) continue;
      std::copy_n(init->vectors.vectors.row(row), o.dim, trainer.model().input.row(id));
      if (job.freeze_init) frozen[id] = 1;
    }
    if (job.freeze_init) trainer.freeze_input_rows(std::move(frozen));
    init.reset();
  }
  if (resume) {
    spdlog::info("resuming from {}: {:.1f}% done ({} of {} words), {} shards", job.resume,
                 100.0 * resumed_state.words_done / (trainer.words_per_epoch() * o.epochs), resumed_state.words_done,
                 trainer.words_per_epoch() * o.epochs, resumed_state.workers.size());
    trainer.restore(std::move(resumed_model), resumed_state);
  }
  const bool exact = o.model == Model::SkipGram && o.update == SkipGramUpdate::Exact;
  const int share = exact ? 1 : o.negative_share;
  const std::string draws = share == 1 ? (exact ? "drawn per pair" : "drawn per position")
                                       : fmt::format("a draw per {} positions", share);
  const std::string output_layer = o.loss == Loss::HierarchicalSoftmax
                                       ? std::string("hierarchical softmax")
                                       : fmt::format("negative {} ({})", o.negative, draws);
  spdlog::info("training {} ({} update), dim {}, window {}, {}, sample {}, "
               "{} epochs, {} threads, learning rate {}, {} kernels",
               model_name(o.model), o.model == Model::SkipGram ? (exact ? "exact" : "batched") : "cbow",
               o.dim, o.window, output_layer, o.sample, o.epochs, o.thread_count(), o.start_learning_rate(), kernels.name);
  if (const SubwordIndex* sub = trainer.subwords())
    spdlog::info("subwords: n-grams of {} characters in {} buckets, {:.1f} rows per word on average; the input "
                 "matrix takes {:.0f} MB; input rows start in +-{:g}/dim and negatives are drawn from counts^{:g} "
                 "({})",
                 sub->options().spec(), sub->options().buckets, sub->mean_rows_per_word(),
                 static_cast<double>(trainer.model().input.rows() * trainer.model().input.stride() * sizeof(float)) / 1e6,
                 o.init_half_width(), o.negative_power(),
                 o.fasttext_start_and_negatives() ? "fastText's, better for unseen words"
                                                  : "word2vec's, better for CBOW's known words");
  if (!job.checkpoint.empty())
    trainer.set_snapshots({job.checkpoint_seconds, [&](const SgnsRunState& state) {
                             // Distributed: every process's state, written by rank 0.
                             const std::optional<SgnsRunState> all =
                                 job.distributed() ? gather_run_states(*job.world, state) : state;
                             if (!all) return;
                             write_checkpoint(job.checkpoint, make_sgns_checkpoint(o, vocab, trainer.model(), *all, run_settings(job, vo)));
                             spdlog::info("checkpoint saved to {}", job.checkpoint);
                           }});

  std::optional<ModelSync> sync;
  if (job.distributed()) {
    if (job.sync_every == 0) {
      job.sync_every = default_sync_every(trainer.words_per_epoch() * static_cast<std::uint64_t>(o.epochs), job.world->size());
      spdlog::info("--sync-every auto: {} words per process (2M words in all processes between exchanges, at least "
                   "100 exchanges in the run)", job.sync_every);
    }
    sync.emplace(*job.world, std::vector<Matrix*>{&trainer.model().input, &trainer.model().output}, job.sync,
                 resumed_state.words_done);
    trainer.set_exchanges({job.sync_every,
                           [&](std::uint64_t since, bool finished, bool snapshot) {
                             return sync->exchange(since, finished, snapshot);
                           },
                           static_cast<std::uint64_t>(job.world->rank()) * o.thread_count(),
                           static_cast<unsigned>(job.world->size())});
    spdlog::info("distributed: {} processes x {} threads; the models are combined ({}) every {} words a process "
                 "reads: {:.1f} MB all-reduced each time (changes sent in {} precision)",
                 job.world->size(), o.thread_count(), sync_combine_name(job.sync.combine), job.sync_every,
                 sync->stats().bytes_per_exchange / 1e6, sync_precision_name(job.sync.precision));
  }
  const ProgressCallback report = progress_reporter(job);
  TrainingSummary summary;
  {
    InterruptWatcher interrupts([&] { trainer.request_stop(); });
    summary = job.distributed() ? trainer.train_shards(job.input, shards, report) : trainer.train(job.input, report);
    if (interrupts.interrupted()) {
      log_interrupted(job);
      return interrupts.exit_code();
    }
  }
  job.end_stage("training");
  if (sync) report_distributed(job, sync->stats(), summary.seconds);
  check_corpus_unchanged(job.input, stamp);
  const std::uint64_t expected = trainer.words_per_epoch() * static_cast<std::uint64_t>(o.epochs);
  if (summary.words != expected)
    throw file_error(job.input, "training read " + std::to_string(summary.words) + " words, the vocabulary pass " +
                                    std::to_string(expected) + " (" + std::to_string(o.epochs) +
                                    " epochs): the corpus changed while being read; no vectors written");
  if (!job.output.empty()) {
    if (trainer.subwords() == nullptr)
      write_vectors(job.output, vocab.words(), trainer.model().input, job.format);
    else
      write_vectors(job.output, vocab.words(), word_vectors(trainer.model(), trainer.subwords()), job.format);
    spdlog::info("wrote {} vectors of dimension {} to {} ({})", vocab.size(), o.dim, job.output,
                 vector_format_name(job.format));
  }
  save_sgns_model_file(job, o, vo, vocab, trainer.model(), summary.words);
  if (!job.save_vocab.empty()) {
    vocab.save(job.save_vocab);
    spdlog::info("wrote the vocabulary to {}", job.save_vocab);
  }
  Settings settings = o.to_settings();
  settings.merge(run_settings(job, vo));
  write_report(job, model_name(o.model), o.dim, vocab, trainer.words_per_epoch(), o.thread_count(), kernels.name,
               settings);
  return 0;
}

}  // namespace wordvec::cli
