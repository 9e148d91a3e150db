#include "wordvec/query/dimension_sweep.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "wordvec/train/dimension.h"
#include "wordvec/core/error.h"
#include "wordvec/query/evaluation.h"

namespace wordvec {

std::vector<int> default_sweep_dims(int suggested) {
  std::vector<int> dims;
  for (double factor : {0.25, 0.5, 1.0, 2.0, 4.0}) {
    const int d = std::max(2, static_cast<int>(std::lround(suggested * factor)));
    if (dims.empty() || d != dims.back()) dims.push_back(d);
  }
  return dims;
}

SweepPlan plan_dimension_sweep(const Vocabulary& vocab, const SweepOptions& options) {
  SweepPlan plan;
  plan.suggested = suggest_dimension(static_cast<double>(std::max<std::size_t>(vocab.size(), 2))).dimension;
  plan.dims = options.dims.empty() ? default_sweep_dims(plan.suggested) : options.dims;
  std::sort(plan.dims.begin(), plan.dims.end());
  return plan;
}

SweepResult run_dimension_sweep(const std::string& corpus, const Vocabulary& vocab, const SweepOptions& options,
                                const Kernels& kernels, const SweepCallback& callback) {
  if (options.similarity_files.empty() && options.analogy_file.empty())
    throw Error("a sweep needs at least one evaluation set (similarity or analogy)");
  const SweepPlan plan = plan_dimension_sweep(vocab, options);
  const std::vector<int>& dims = plan.dims;
  SweepResult result;
  result.words = vocab.size();
  result.suggested = plan.suggested;
  for (const auto& f : options.similarity_files)
    result.metric_names.push_back(std::filesystem::path(f).filename().string() + " (rho)");
  if (!options.analogy_file.empty())
    result.metric_names.push_back(std::filesystem::path(options.analogy_file).filename().string() + " (acc)");

  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (callback) callback(i, dims.size(), dims[i], nullptr);
    SgnsOptions training = options.training;
    training.dim = dims[i];
    SgnsTrainer trainer(vocab, training, kernels);
    SweepPoint point;
    point.dim = dims[i];
    point.seconds = trainer.train(corpus).seconds;
    const NearestNeighbors vectors({vocab.words(), trainer.model().input.clone()});
    for (const auto& f : options.similarity_files) point.similarity.push_back(evaluate_similarity(vectors, f).spearman);
    if (!options.analogy_file.empty())
      point.analogy = evaluate_analogies(vectors, options.analogy_file, options.restrict_vocab).accuracy();
    result.points.push_back(point);
    if (callback) callback(i, dims.size(), dims[i], &result.points.back());
  }
  return result;
}

std::vector<double> sweep_scores(const SweepResult& result, const SweepPoint& point) {
  std::vector<double> scores = point.similarity;
  if (scores.size() < result.metric_names.size()) scores.push_back(point.analogy);
  return scores;
}

int knee_dimension(const std::vector<int>& dims, const std::vector<double>& scores, double tolerance) {
  double best = -std::numeric_limits<double>::infinity();
  for (double s : scores)
    if (!std::isnan(s)) best = std::max(best, s);
  if (!std::isfinite(best)) return 0;
  const double enough = best - tolerance * std::abs(best);
  int knee = 0;
  for (std::size_t i = 0; i < dims.size() && i < scores.size(); ++i)
    if (!std::isnan(scores[i]) && scores[i] >= enough && (knee == 0 || dims[i] < knee)) knee = dims[i];
  return knee;
}

SweepTrend summarise_sweeps(const std::vector<SweepResult>& sweeps, double tolerance) {
  SweepTrend trend;
  trend.tolerance = tolerance;
  if (sweeps.empty()) return trend;
  trend.metric_names = sweeps.front().metric_names;
  const std::size_t metrics = trend.metric_names.size();
  std::vector<const SweepResult*> by_size;
  for (const SweepResult& s : sweeps) {
    if (s.metric_names != trend.metric_names)
      throw Error("the sweeps score different evaluation sets; compare sweeps made with the same ones");
    by_size.push_back(&s);
  }
  std::stable_sort(by_size.begin(), by_size.end(), [](auto* a, auto* b) { return a->words < b->words; });
  for (const SweepResult* s : by_size) {
    std::vector<SweepPoint> points = s->points;
    std::sort(points.begin(), points.end(), [](const SweepPoint& a, const SweepPoint& b) { return a.dim < b.dim; });
    std::vector<int> dims;
    for (const SweepPoint& p : points) dims.push_back(p.dim);
    if (trend.curves.empty() || trend.curves.back().words != s->words) {
      SweepCurve curve;
      curve.words = s->words;
      curve.suggested = suggest_dimension(static_cast<double>(s->words)).dimension;
      curve.dims = dims;
      curve.mean.assign(metrics, std::vector<double>(dims.size(), 0.0));
      trend.curves.push_back(std::move(curve));
    }
    SweepCurve& curve = trend.curves.back();
    if (dims != curve.dims)
      throw Error("two sweeps of " + std::to_string(s->words) + " words visit different dimensions");
    for (std::size_t d = 0; d < points.size(); ++d) {
      const std::vector<double> scores = sweep_scores(*s, points[d]);
      for (std::size_t m = 0; m < metrics; ++m) curve.mean[m][d] += scores[m];  // same metrics: checked above
    }
    ++curve.runs;
  }
  for (SweepCurve& curve : trend.curves) {
    for (std::size_t m = 0; m < metrics; ++m) {
      for (double& v : curve.mean[m]) v /= static_cast<double>(curve.runs);
      curve.knee.push_back(knee_dimension(curve.dims, curve.mean[m], tolerance));
    }
  }
  return trend;
}

}  // namespace wordvec
