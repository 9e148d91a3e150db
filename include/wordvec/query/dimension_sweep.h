// Does the minimum-entropy bound hold on your data? Trains short runs at
// several dimensions around the suggestion and scores each on evaluation sets.
// (Rendering the result, as CSV and SVG, is the front end's: see src/cli.)
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "wordvec/train/sgns.h"
#include "wordvec/text/vocabulary.h"

namespace wordvec {

struct SweepOptions {
  std::vector<int> dims;                      // empty: n/4, n/2, n, 2n, 4n of the suggestion
  SgnsOptions training;                       // dim is overridden per point
  std::vector<std::string> similarity_files;  // word1<TAB>word2<TAB>score
  std::string analogy_file;                   // questions-words.txt format; "" = none
  std::size_t restrict_vocab = 30000;        // analogy candidates: the most frequent words
};

struct SweepPoint {
  int dim = 0;
  double seconds = 0;
  std::vector<double> similarity;  // Spearman rho per similarity file
  double analogy = 0;              // accuracy, if an analogy file was given
};

struct SweepResult {
  std::size_t words = 0;  // vocabulary size N
  int suggested = 0;      // the minimum-entropy dimension for N
  std::vector<std::string> metric_names;  // "ws353.tsv (rho)", ..., "analogy (acc)"
  std::vector<SweepPoint> points;
};

// Called before each point (finished == nullptr) and after it (with its scores).
using SweepCallback =
    std::function<void(std::size_t index, std::size_t count, int dim, const SweepPoint* finished)>;

// The dimensions a sweep visits for a suggestion n: n/4, n/2, n, 2n, 4n (at least 2).
std::vector<int> default_sweep_dims(int suggested);

// What a sweep of the vocabulary will do: the suggestion, and the dimensions
// in the order they are trained (options.dims sorted, or the defaults).
struct SweepPlan {
  int suggested = 0;
  std::vector<int> dims;
};
SweepPlan plan_dimension_sweep(const Vocabulary& vocab, const SweepOptions& options);

SweepResult run_dimension_sweep(const std::string& corpus, const Vocabulary& vocab, const SweepOptions& options,
                                const Kernels& kernels, const SweepCallback& callback = {});

// A point's scores in metric_names order: the similarity rhos, then the analogy
// accuracy when the sweep had an analogy file. NaN where a score is undefined.
std::vector<double> sweep_scores(const SweepResult& result, const SweepPoint& point);

// The knee of a score curve: the smallest dimension whose score is within
// `tolerance` (relative, 0.01 = 1 %) of the best score. 0 when no score is defined.
int knee_dimension(const std::vector<int>& dims, const std::vector<double>& scores, double tolerance);

// Sweeps of several vocabulary sizes N (and several seeds per N) side by side:
// per N the mean of each metric at each dimension over that N's sweeps, and
// each mean curve's knee, to set against the suggestion for N.
struct SweepCurve {
  std::size_t words = 0;
  int suggested = 0;
  std::size_t runs = 0;                   // sweeps averaged
  std::vector<int> dims;                  // ascending
  std::vector<std::vector<double>> mean;  // [metric][dim]
  std::vector<int> knee;                  // [metric]
};
struct SweepTrend {
  std::vector<std::string> metric_names;
  double tolerance = 0.01;
  std::vector<SweepCurve> curves;  // by N, ascending
};
// Throws Error when the sweeps score different metrics, or two sweeps of one N
// visit different dimensions.
SweepTrend summarise_sweeps(const std::vector<SweepResult>& sweeps, double tolerance = 0.01);

}  // namespace wordvec
