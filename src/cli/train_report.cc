#include "train_report.h"

#include <sys/resource.h>

#include <filesystem>
#include <memory>

#include "wordvec/core/atomic_file.h"
#include "wordvec/core/version.h"

namespace wordvec::cli {
namespace {

double seconds_between(std::chrono::steady_clock::time_point a, std::chrono::steady_clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// The process's peak resident set (Linux reports it in KiB).
std::uint64_t peak_resident_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;
}

}  // namespace

TrainReport::TrainReport(std::string path)
    : path_(std::move(path)), started_(Clock::now()), stage_started_(started_) {
  root_["wordvec_version"] = library_version();
  root_["stages"] = Json::array();
  root_["outputs"] = Json::array();
}

void TrainReport::end_stage(const std::string& name) {
  const Clock::time_point now = Clock::now();
  root_["stages"].push_back({{"name", name}, {"seconds", seconds_between(stage_started_, now)}});
  stage_started_ = now;
}

ProgressCallback TrainReport::recording(ProgressCallback inner) {
  return [this, inner = std::move(inner)](const TrainingProgress& p) {
    if (std::string_view(p.stage).rfind("training", 0) == 0) {
      // A report's loss is the mean since the previous report (0 before any pair).
      EpochStats& e = epochs_[p.epoch];
      if (p.loss > 0) {
        e.loss_sum += p.loss;
        ++e.reports;
      }
      e.learning_rate = p.learning_rate;
      last_ = p;
      trained_ = true;
    }
    if (inner) inner(p);
  };
}

void TrainReport::settings(const Settings& s) {
  Json& out = root_["settings"];
  if (out.is_null()) out = Json::object();
  for (const auto& [name, value] : s.values()) out[name] = value;
}

void TrainReport::output(const std::string& flag, const std::string& path) {
  if (path.empty()) return;
  std::error_code error;
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  root_["outputs"].push_back({{"flag", flag}, {"path", path}, {"bytes", error ? Json() : Json(size)}});
}

void TrainReport::write() {
  if (trained_) {
    Json epochs = Json::array();
    for (const auto& [epoch, e] : epochs_)
      epochs.push_back({{"epoch", epoch},
                        {"mean_loss", e.reports ? Json(e.loss_sum / static_cast<double>(e.reports)) : Json()},
                        {"learning_rate_at_end", e.learning_rate}});
    root_["training"] = {{"unit", last_.unit},
                         {"done", last_.words_done},
                         {"seconds", last_.elapsed_seconds},
                         {"per_second_per_thread", last_.words_per_second_per_thread},
                         {"epochs", epochs}};
  }
  root_["peak_memory_bytes"] = peak_resident_bytes();
  root_["seconds"] = seconds_between(started_, Clock::now());
  AtomicFileWriter file(path_);
  file.write(root_.dump(2, ' ', false, Json::error_handler_t::replace) + "\n");
  file.commit();
}

}  // namespace wordvec::cli
