// What a skip-gram/CBOW run will need, worked out before it allocates:
// `train --dry-run` prints it, and a run whose memory exceeds what the
// machine has available stops before allocating unless --force.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "train_job.h"

namespace wordvec::cli {

struct RunPlan {
  std::vector<std::pair<std::string, std::uint64_t>> memory;  // part -> bytes
  std::uint64_t temp_disk_bytes = 0;
  double seconds = -1;  // estimated training wall time; < 0: not calibrated
  std::string timed = "training";  // what `seconds` covers
  std::string calibration;  // how the time was estimated, or why not
  std::uint64_t memory_bytes() const;
};

// The skip-gram/CBOW run's memory and disk, from the vocabulary and options
// (the dimension resolved).
RunPlan plan_sgns(const TrainJob& job, const SgnsOptions& o, const Vocabulary& vocab, std::uint64_t words_per_epoch);
// GloVe's: its matrices and the counting budget (an upper bound: the
// co-occurrences are not known before they are counted; calibrate_glove
// replaces it with an estimate).
RunPlan plan_glove(const TrainJob& job, const GloveOptions& go, const CooccurrenceOptions& co, const Vocabulary& vocab);

// Times a short skip-gram/CBOW run on the corpus's first words (about two
// seconds) and extrapolates to the whole run.
void calibrate_sgns(RunPlan& plan, const TrainJob& job, const SgnsOptions& o, const Vocabulary& vocab,
                    std::uint64_t words_per_epoch);

// Counts the co-occurrences of two prefixes of the corpus (1/8 of it and half
// that, 2M to 8M words), extrapolates the record count and the counting
// tables to the whole corpus, and times one epoch on the larger prefix's
// records: the peak memory, the temp disk and the time, estimated.
void calibrate_glove(RunPlan& plan, const TrainJob& job, const GloveOptions& go, const CooccurrenceOptions& co,
                     const Vocabulary& vocab);

// Prints the plan (for --dry-run) to standard output.
void print_plan(const RunPlan& plan, const std::string& model, int dim, const TrainJob& job, std::size_t vocab_size);

// The memory the kernel says can be had without swapping (MemAvailable);
// 0 when unknown.
std::uint64_t available_memory_bytes();

// Throws Error when the plan needs more memory than is available (unless --force).
void check_memory(const RunPlan& plan, bool force);

}  // namespace wordvec::cli
