#include "wordvec/core/progress.h"

#include <algorithm>

namespace wordvec {

ProgressMeter::ProgressMeter(const char* stage, const char* unit, std::uint64_t total, unsigned threads,
                             double interval_seconds, std::uint64_t done_before)
    : stage_(stage),
      unit_(unit),
      total_(std::max<std::uint64_t>(total, 1)),
      done_before_(done_before),
      threads_(std::max(1u, threads)),
      interval_(interval_seconds),
      start_(std::chrono::steady_clock::now()) {}

double ProgressMeter::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

bool ProgressMeter::due() {
  const double now = elapsed_seconds();
  if (now - last_report_ < interval_) return false;
  last_report_ = now;
  return true;
}

TrainingProgress ProgressMeter::at(std::uint64_t done, bool finished) const {
  TrainingProgress p;
  p.stage = stage_;
  p.unit = unit_;
  p.words_done = done;
  p.words_total = total_;
  p.fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
  p.elapsed_seconds = elapsed_seconds();
  const double done_now = static_cast<double>(done - std::min(done, done_before_));
  p.words_per_second_per_thread = p.elapsed_seconds > 0 ? done_now / p.elapsed_seconds / threads_ : 0;
  p.eta_seconds = done_now > 0 ? p.elapsed_seconds * static_cast<double>(total_ - std::min(done, total_)) / done_now : 0;
  p.finished = finished;
  return p;
}

}  // namespace wordvec
