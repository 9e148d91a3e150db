// Intrinsic evaluation of word vectors, with gensim's conventions so that the
// numbers compare with published ones:
//  - analogies (questions-words.txt format): 3CosAdd over unit vectors, the
//    candidates being the first `restrict_vocab` words, A, B and C excluded;
//    questions with a word outside those words are skipped; case-insensitive
//    (the first of several case variants wins); sections named gram* are syntactic.
//  - word-pair similarity (word1<TAB>word2<TAB>score): Spearman's rho (ties
//    as average ranks) and Pearson's r between the scores and the cosines,
//    over the pairs whose words are both known; the others are counted as skipped.
#pragma once

#include <string>
#include <vector>

#include "wordvec/query/neighbors.h"

namespace wordvec {

struct AnalogySection {
  std::string name;
  bool syntactic = false;
  std::size_t total = 0, attempted = 0, correct = 0;
};

struct AnalogyResult {
  std::vector<AnalogySection> sections;
  AnalogySection overall, semantic, syntactic;  // sums over sections
  double accuracy() const { return overall.attempted ? double(overall.correct) / overall.attempted : 0; }
  double coverage() const { return overall.total ? double(overall.attempted) / overall.total : 0; }
};

// Throws Error naming the file and line for a malformed question.
AnalogyResult evaluate_analogies(const NearestNeighbors& vectors, const std::string& path,
                                 std::size_t restrict_vocab = 30000);

struct SimilarityResult {
  std::string file;
  std::size_t pairs = 0, skipped = 0;
  std::size_t built = 0;  // pairs scored with a word built from its n-grams (build_unknown)
  // NaN when undefined: fewer than 2 pairs known, or constant scores.
  double spearman = 0, pearson = 0;
};

// build_unknown (eval --oov subword): a word none of whose case variants is
// known gets the vector of its lower-cased n-grams when the vectors are a
// subword model's (fastText's evaluation), so every pair is scored.
SimilarityResult evaluate_similarity(const NearestNeighbors& vectors, const std::string& path,
                                     bool build_unknown = false);

// Spearman's rho with average ranks for ties (exposed for tests). Both are NaN
// when undefined (fewer than 2 values, or either side constant).
double spearman_rho(const std::vector<double>& x, const std::vector<double>& y);
double pearson_r(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace wordvec
