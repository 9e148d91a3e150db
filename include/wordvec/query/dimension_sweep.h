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
  std::size_t restrict_vocab = 30000;
};

struct SweepPoint {
  int dim = 0;
  double seconds = 0;
  std::vector<double> similarity;  // Spearman rho per similarity file
  double analogy = 0;              // accuracy, if an analogy file was given
};

struct SweepResult {
  int suggested = 0;  // the minimum-entropy dimension for the vocabulary
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

}  // namespace wordvec
