// Progress of a long job, reported through a callback; the library never prints.
#pragma once

#include <cstdint>
#include <functional>

namespace wordvec {

struct TrainingProgress {
  const char* stage = "training";  // what the job is doing
  const char* unit = "words";      // what words_done counts
  std::uint64_t words_done = 0;   // corpus words processed, over all epochs
  std::uint64_t words_total = 0;  // corpus words x epochs
  double fraction = 0;            // words_done / words_total
  double elapsed_seconds = 0;
  double words_per_second_per_thread = 0;  // words_done / elapsed wall seconds / threads
  double learning_rate = 0;
  double loss = 0;  // mean loss per trained (word, target) pair since the previous report
  double eta_seconds = 0;
  int epoch = 0;  // 1-based epoch the run is in
  bool finished = false;
};

using ProgressCallback = std::function<void(const TrainingProgress&)>;

}  // namespace wordvec
