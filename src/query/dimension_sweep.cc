#include "wordvec/query/dimension_sweep.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

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

}  // namespace wordvec
