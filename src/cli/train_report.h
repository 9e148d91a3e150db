// `wordvec train --report FILE.json`: what a run did, for scripts and
// records -- resolved settings, corpus and vocabulary counts, time per stage,
// speed, loss per epoch, peak memory, kernels, outputs. Written (atomically)
// only when the run succeeds. Schema: docs/cli.md#the-training-report.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "json_output.h"
#include "wordvec/core/progress.h"
#include "wordvec/core/settings.h"

namespace wordvec::cli {

class TrainReport {
 public:
  explicit TrainReport(std::string path);

  // Closes the stage that began at the previous mark (or at construction).
  void end_stage(const std::string& name);
  // Records each progress report (loss and speed per epoch) before passing it on.
  ProgressCallback recording(ProgressCallback inner);
  Json& root() { return root_; }
  void settings(const Settings& s);
  // An output the run wrote: its flag, path and size.
  void output(const std::string& flag, const std::string& path);
  // Adds the totals and peak memory, then writes the file.
  void write();

 private:
  struct EpochStats {
    double loss_sum = 0;
    std::uint64_t reports = 0;
    double learning_rate = 0;
  };
  using Clock = std::chrono::steady_clock;
  std::string path_;
  Json root_;
  Clock::time_point started_, stage_started_;
  std::map<int, EpochStats> epochs_;
  TrainingProgress last_{};
  bool trained_ = false;
};

}  // namespace wordvec::cli
