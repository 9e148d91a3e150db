#include "train/sgns_step.h"

#include <algorithm>
#include <cstring>

namespace wordvec {

// ---------------------------------------------------------------- negative draws

NegativeDraws::NegativeDraws(std::size_t sentence_length, int share, int window)
    : length_(sentence_length),
      share_(static_cast<std::size_t>(share)),
      stride_(2 * static_cast<std::size_t>(window) + 1),
      block_(share_ * stride_) {}

std::size_t NegativeDraws::count() const { return draws_for(length_); }

// A full block has stride draws; the last one fewer.
std::size_t NegativeDraws::draws_in_block(std::size_t position) const {
  const std::size_t start = position - offset_in_block(position);
  return draws_for(std::min(block_, length_ - start));
}

std::size_t NegativeDraws::of(std::size_t position) const {
  return position / block_ * stride_ + offset_in_block(position) % draws_in_block(position);
}

bool NegativeDraws::first_use(std::size_t position) const {
  return offset_in_block(position) < draws_in_block(position);
}

// ---------------------------------------------------------------- update steps

namespace sgns_step {

namespace {
inline float gradient(const SigmoidTable& sig, float score, bool positive, float lr, float& loss) {
  return sig.residual(score, positive, loss) * lr;
}

bool positive(const float* labels, int t) { return labels == nullptr ? t == 0 : labels[t] > 0; }

// The loss of a block of scores, rows of n_targets labelled by `labels` (null: the first positive).
float block_loss(const SigmoidTable& sig, const float* scores, int rows, int n_targets, const float* labels) {
  float loss = 0;
  for (int r = 0; r < rows; ++r, scores += n_targets)
    for (int t = 0; t < n_targets; ++t) loss += sig.log_loss(positive(labels, t) ? scores[t] : -scores[t]);
  return loss;
}

// Scores -> gradient coefficients lr (label - sigmoid(score)), vectorised:
// -lr sigmoid for every pair, then + lr for each positive.
void gradients_of_block(const Kernels& k, float* g, int rows, int n_targets, float lr, const float* labels) {
  k.scaled_sigmoid(g, static_cast<std::size_t>(rows) * n_targets, -lr, kSigmoidRange);
  for (int r = 0; r < rows; ++r) {
    if (labels == nullptr) {
      g[r * n_targets] += lr;
      continue;
    }
    for (int t = 0; t < n_targets; ++t) g[r * n_targets + t] += lr * labels[t];
  }
}
}  // namespace

std::size_t batched_scratch_floats(std::size_t /*n*/, int contexts, int targets) {
  return static_cast<std::size_t>(contexts) * targets;
}

float exact_pair(const Kernels& k, std::size_t n, float* context, float* const* targets, int n_targets,
                 const float* labels, float lr, const SigmoidTable& sig, float* scratch) {
  float* context_grad = scratch;
  std::memset(context_grad, 0, n * sizeof(float));
  float loss = 0;
  for (int t = 0; t < n_targets; ++t) {
    const float g = gradient(sig, k.dot(context, targets[t], n), positive(labels, t), lr, loss);
    k.axpy(g, targets[t], context_grad, n);
    k.axpy(g, context, targets[t], n);
  }
  k.axpy(1.0f, context_grad, context, n);
  return loss;
}

float batched_window(const Kernels& k, std::size_t n, float* const* contexts, int n_contexts,
                     float* const* targets, int n_targets, const float* labels, float lr, const SigmoidTable& sig,
                     float* scratch, bool measure_loss) {
  if (n_targets > kMaxKernelTargets) {
    // Deeper than any Huffman path of a real vocabulary: chunks of targets,
    // each against the context rows as the chunks before left them.
    float loss = 0;
    for (int t = 0; t < n_targets; t += kMaxKernelTargets)
      loss += batched_window(k, n, contexts, n_contexts, targets + t, std::min(kMaxKernelTargets, n_targets - t),
                             labels == nullptr ? nullptr : labels + t, lr, sig, scratch, measure_loss);
    return loss;
  }
  float* g = scratch;  // n_contexts x n_targets: scores, then gradients
  k.scores(contexts, n_contexts, targets, n_targets, n, g);
  const float loss = measure_loss ? block_loss(sig, g, n_contexts, n_targets, labels) : 0;
  gradients_of_block(k, g, n_contexts, n_targets, lr, labels);
  k.hogbatch_update(contexts, n_contexts, targets, n_targets, g, n);
  return loss;
}

float hidden(const Kernels& k, std::size_t n, float* const* rows, int n_rows, float* const* targets, int n_targets,
             const float* labels, const float* weights, float lr, const SigmoidTable& sig, float* scratch,
             bool measure_loss) {
  float* mean = scratch;
  float* g = scratch + n;
  k.mean_rows(rows, n_rows, n, mean);
  // The kernels take kMaxKernelTargets rows a call. Every score is taken
  // before any row changes; the updates of later chunks then read the same
  // mean and add to the rows what a single call would.
  for (int t = 0; t < n_targets; t += kMaxKernelTargets)
    k.scores(&mean, 1, targets + t, std::min(kMaxKernelTargets, n_targets - t), n, g + t);
  if (weights == nullptr) {  // one pair per target
    const float loss = measure_loss ? block_loss(sig, g, 1, n_targets, labels) : 0;
    gradients_of_block(k, g, 1, n_targets, lr, labels);
    for (int t = 0; t < n_targets; t += kMaxKernelTargets)
      k.cbow_update(rows, n_rows, targets + t, std::min(kMaxKernelTargets, n_targets - t), g + t, mean, n);
    return loss;
  }
  float loss = 0;
  if (measure_loss)
    for (int t = 0; t < n_targets; ++t)
      loss += labels[t] * sig.log_loss(g[t]) + (weights[t] - labels[t]) * sig.log_loss(-g[t]);
  k.scaled_sigmoid(g, static_cast<std::size_t>(n_targets), -lr, kSigmoidRange);
  for (int t = 0; t < n_targets; ++t) g[t] = g[t] * weights[t] + lr * labels[t];
  for (int t = 0; t < n_targets; t += kMaxKernelTargets)
    k.cbow_update(rows, n_rows, targets + t, std::min(kMaxKernelTargets, n_targets - t), g + t, mean, n);
  return loss;
}

float cbow(const Kernels& k, std::size_t n, float* const* contexts, int n_contexts, float* const* targets,
           int n_targets, const float* labels, float lr, const SigmoidTable& sig, float* scratch, bool measure_loss) {
  return hidden(k, n, contexts, n_contexts, targets, n_targets, labels, nullptr, lr, sig, scratch, measure_loss);
}

}  // namespace sgns_step

}  // namespace wordvec
