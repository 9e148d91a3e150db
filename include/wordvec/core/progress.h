// Progress of a long job, reported through a callback; the library never prints.
#pragma once

#include <chrono>
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

// The arithmetic every job's reports share: fraction, rate and ETA from the
// work done and the time since the meter started, and the report rhythm.
class ProgressMeter {
 public:
  // `done_before`: work an earlier run did (a resumed one); it counts towards
  // the fraction, not towards the rate or the ETA.
  ProgressMeter(const char* stage, const char* unit, std::uint64_t total, unsigned threads,
                double interval_seconds, std::uint64_t done_before = 0);

  // True when interval_seconds have passed since the last report that was
  // due (or the start); the report is then counted as made.
  bool due();
  // A report at `done` units: stage, unit, totals, fraction, elapsed, rate and
  // ETA filled in; the caller adds what only it knows (loss, epoch, rate).
  TrainingProgress at(std::uint64_t done, bool finished = false) const;
  double elapsed_seconds() const;

 private:
  const char* stage_;
  const char* unit_;
  std::uint64_t total_, done_before_;
  unsigned threads_;
  double interval_, last_report_ = 0;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace wordvec
