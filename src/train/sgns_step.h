// The pieces of a skip-gram/CBOW update, apart from threads and corpus
// reading: which draw of negatives a position uses, and the update steps
// themselves (tested against finite differences).
#pragma once

#include <cstddef>

#include "train/sigmoid.h"
#include "wordvec/simd/kernels.h"

namespace wordvec {

// Which draw of negatives each position of a sentence trains against, when
// `share` positions share one. Consecutive positions would share most of their
// context words, which then met the same negatives up to share times (about
// half a point of analogy lost at share 4). So the positions sharing a draw
// are a stride of 2 window + 1 apart: their windows are disjoint. The sentence
// is cut into blocks of share x stride positions; the last, shorter block
// spreads its share-position groups over a shorter stride.
class NegativeDraws {
 public:
  NegativeDraws(std::size_t sentence_length, int share, int window);
  std::size_t count() const;                   // draws the sentence needs: ceil(length / share)
  std::size_t of(std::size_t position) const;  // the draw of a position, < count()
  bool first_use(std::size_t position) const;  // no earlier position uses its draw

 private:
  std::size_t draws_for(std::size_t positions) const { return (positions + share_ - 1) / share_; }
  std::size_t offset_in_block(std::size_t position) const { return position % block_; }
  std::size_t draws_in_block(std::size_t position) const;
  std::size_t length_, share_, stride_, block_;
};

// The update steps. Rows are padded (n = Kernels::span(cols), zeros beyond cols).
// `labels` give each target's label, 1 or 0 (hierarchical softmax: 1 - the
// word's code at that node); null: the first target is the positive one, the
// rest are negatives (negative sampling). Each applies
// row -= lr * dLoss/drow for the loss sum of -log sigmoid(+-score) (word2vec's
// convention for CBOW: every context row gets the gradient of the mean) and
// returns that loss, measured before the update (the batched steps: only when
// measure_loss; training samples it, as its scalar table lookups cost more than
// the vectorised sigmoid of the step itself).
namespace sgns_step {

// Scratch floats that batched_window needs.
std::size_t batched_scratch_floats(std::size_t n, int contexts, int targets);

// word2vec skip-gram: one context row against its targets.
// scratch: n floats.
float exact_pair(const Kernels& k, std::size_t n, float* context, float* const* targets, int n_targets,
                 const float* labels, float lr, const SigmoidTable& sig, float* scratch);

// HogBatch skip-gram: all context rows of a window against shared targets.
float batched_window(const Kernels& k, std::size_t n, float* const* contexts, int n_contexts,
                     float* const* targets, int n_targets, const float* labels, float lr, const SigmoidTable& sig,
                     float* scratch, bool measure_loss = true);

// A hidden vector, the mean of `rows`, against any number of targets, with
// per-target pair counts: target t stands for weights[t] pairs of which
// labels[t] are positive, so its coefficient is lr (labels - weights
// sigmoid(score)); every row gets the hidden vector's whole gradient
// (fastText's subword update). weights = null: one pair per target, labelled
// by `labels` as above (CBOW). scratch: n + n_targets floats.
float hidden(const Kernels& k, std::size_t n, float* const* rows, int n_rows, float* const* targets, int n_targets,
             const float* labels, const float* weights, float lr, const SigmoidTable& sig, float* scratch,
             bool measure_loss = true);

// CBOW: the mean of the context rows against the targets. scratch: n + n_targets floats.
float cbow(const Kernels& k, std::size_t n, float* const* contexts, int n_contexts, float* const* targets,
           int n_targets, const float* labels, float lr, const SigmoidTable& sig, float* scratch,
           bool measure_loss = true);

}  // namespace sgns_step

}  // namespace wordvec
