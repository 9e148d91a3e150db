// Internal to `wordvec train`: what its model-specific halves share.
#pragma once

#include <atomic>
#include <csignal>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <thread>

#include "signals.h"
#include "train_report.h"
#include "wordvec/dist/model_sync.h"
#include "wordvec/io/checkpoint.h"
#include "wordvec/io/cooccurrence_file.h"
#include "wordvec/io/model_file.h"
#include "wordvec/train/cooccurrence.h"
#include "wordvec/train/shuffled_records.h"
#include "wordvec/train/glove.h"
#include "wordvec/train/sgns.h"
#include "wordvec/io/vectors_io.h"
#include "wordvec/text/corpus_input.h"
#include "wordvec/text/vocabulary.h"

namespace wordvec::cli {

// Everything of a training job that is not a library option struct.
struct TrainJob {
  // The corpus as given (--input: files, folders, -) and the file the
  // trainers read: the single plain file itself or a decoded copy.
  std::vector<std::string> inputs;
  std::string glob, temp_dir;
  NormalizeOptions normalize;  // applied while the corpus is read
  PhraseOptions phrases{0};
  unsigned threads = 0;  // for counting phrases (0 = all cores)
  std::shared_ptr<PreparedCorpus> corpus;
  std::string input, output, save_vocab;
  VectorFormat format = VectorFormat::Word2VecBinary;
  int requested_dim = 0;  // 0 = auto
  bool quiet = false;
  ProgressCallback progress;  // a front end's; null: progress_reporter prints
  // GloVe
  std::string save_cooccurrence, load_cooccurrence;
  // Checkpoints: written every checkpoint_seconds (and on an interrupt, for
  // skip-gram/CBOW) when checkpoint is set; resume is the one read.
  std::string checkpoint, resume;
  double checkpoint_seconds = 600;
  std::string corpus_fingerprint;  // of --input, taken once when checkpoints are written
  // Model files: --save-model writes the whole model; --continue trains the
  // model in continue_from further on --input; --init starts rows from vectors.
  std::string save_model, continue_from, init;
  bool freeze_init = false;
  std::shared_ptr<const ModelFile> continued;  // the --continue model, mapped
  ModelHistory history;  // of the model continued ({} for a new one)
  // Words of --input that one epoch trains (0: the vocabulary's total).
  std::uint64_t words_per_epoch = 0;
  // --dry-run: plan and print, train nothing; --force: run even when the plan
  // needs more memory than is available.
  bool dry_run = false, force = false;
  // A distributed run (mpirun): the processes, and how often (words read by
  // each; 0 = auto, sync_every_for) and how their models combine. Null: this process alone.
  Communicator* world = nullptr;
  std::uint64_t sync_every = 0;
  SyncOptions sync{SyncCombine::Sum, SyncPrecision::Half};
  bool distributed() const { return world != nullptr && world->size() > 1; }
  // --report: filled as the run goes, written when it has succeeded.
  std::string report_path;
  std::shared_ptr<TrainReport> report;
  void end_stage(const std::string& name) const {
    if (report) report->end_stage(name);
  }
};

// Logs a distributed run's exchanges and adds them to --report's "distributed".
void report_distributed(const TrainJob& job, const SyncStats& stats, double training_seconds);

// --report (when given): the run's model, dimension, vocabulary, settings and
// outputs, written once every output has been.
void write_report(const TrainJob& job, const std::string& model, int dim, const Vocabulary& vocab,
                  std::uint64_t words_per_epoch, unsigned threads, const char* kernels, const Settings& settings);

// Writes --save-model (when given) for a finished run. `words` and `epochs`
// are this run's.
void save_sgns_model_file(const TrainJob& job, const SgnsOptions& o, const VocabOptions& vo, const Vocabulary& vocab,
                          const SgnsModel& model, std::uint64_t words);
void save_glove_model_file(const TrainJob& job, const GloveOptions& go, const CooccurrenceOptions& co,
                           const VocabOptions& vo, const Vocabulary& vocab, const GloveModel& model,
                           const std::string& cooccurrence_file);

// The vocabulary of `job.continue_from` grown by the corpus (logged).
VocabularyUpdate continued_vocabulary(const ModelFile& model, const std::string& input, const VocabOptions& vo,
                                      unsigned threads);

// --init: the vectors, and for each word of `vocab` the row that starts from
// them (-1: none). Their dimension is the run's: --dim (0 = auto) must agree.
struct InitialRows {
  WordVectors vectors;
  std::vector<std::int32_t> row_of_word;  // vocab id -> row of vectors, or -1
  std::size_t found = 0;
};
InitialRows initial_rows(const std::string& path, const Vocabulary& vocab, int requested_dim);

// A new run's dimension (a resumed or continued run keeps its model's):
// --init's, or --dim's (auto: the minimum-entropy suggestion). Returns the
// --init rows when there are any.
std::optional<InitialRows> start_dimension(const TrainJob& job, const Vocabulary& vocab, bool resumed, int& dim);

// The dimension to train: the minimum-entropy suggestion for `requested` 0
// (logged), else `requested`, with a warning when it is below the bound.
int choose_dimension(int requested, std::size_t vocab_size);

// Builds (and logs) the vocabulary of the corpus. --save-vocab is written
// with the vectors, when the run has succeeded.
Vocabulary read_vocabulary(const std::string& input, const VocabOptions& vo, unsigned threads);
// The same for a distributed run: every process counts its shards, and all
// get the merged vocabulary (rank 0 logs it).
Vocabulary read_shared_vocabulary(Communicator& world, const std::string& input, const std::vector<ByteRange>& shards,
                                  const VocabOptions& vo);

// The corpus a checkpoint names must still hold the same bytes (size and a
// hash of the whole file).
std::string corpus_fingerprint(const std::string& path);
void check_corpus_fingerprint(const Checkpoint& checkpoint, const std::string& corpus_path);

// Reads the corpus the job names (--input) once: job.input becomes the file
// the trainers read, job.corpus keeps a decoded copy alive. Logs each input.
void prepare_corpus(TrainJob& job);

// The files --input names, expanded (folders walked), for the input/output checks.
std::vector<std::string> corpus_files(const TrainJob& job);

// Cheap identity of the corpus (size, modification time, inode), taken before
// training and compared after it: a corpus rewritten or truncated while being
// read would otherwise end an epoch early and under-train silently.
struct CorpusStamp {
  std::uint64_t size = 0;
  long long mtime_seconds = 0, mtime_nanoseconds = 0;
  unsigned long long inode = 0;
  bool operator==(const CorpusStamp&) const = default;
};
CorpusStamp corpus_stamp(const std::string& path);
void check_corpus_unchanged(const std::string& path, const CorpusStamp& before);

// `path` made absolute, so a checkpoint resumes from any working directory.
std::string absolute_path(const std::string& path);

// Logs that training was interrupted and, with a checkpoint, how to go on.
void log_interrupted(const TrainJob& job);

// The job's own settings stored in a checkpoint beside the options: the
// corpus inputs and fingerprint ("run.inputs", "run.glob", "run.corpus"), the
// normalisation and phrase options; for GloVe also the
// co-occurrence file, threads, memory and temporary folder.
Settings run_settings(const TrainJob& job, const VocabOptions& vo);
Settings glove_run_settings(const TrainJob& job, const VocabOptions& vo, const GloveOptions& go,
                            const CooccurrenceOptions& co);

// The job's progress callback, or a printer to stderr (silent with --quiet).
ProgressCallback progress_reporter(const TrainJob& job);

int run_sgns(TrainJob job, SgnsOptions options, const VocabOptions& vo, Checkpoint* resume);
int run_glove(TrainJob job, GloveOptions go, CooccurrenceOptions co, const VocabOptions& vo,
              Checkpoint* resume);

}  // namespace wordvec::cli
