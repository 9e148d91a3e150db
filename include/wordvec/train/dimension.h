// Minimum-entropy dimension estimator.
//
// Model the skip-gram joint distribution p(w_i, w_j) = exp(<u_i, v_j>) / Z
// with word vectors drawn uniformly from the sphere of radius sqrt(n) in R^n.
// Replacing the sums over N^2 pairs by N^2 times expectations, <u, v> = n t
// with t the cosine between two uniform directions (density proportional to
// (1 - t^2)^((n-3)/2) on [-1, 1]), the entropy is
//
//   H(n, N) = 2 ln N + ln E[exp(n t)] - n E[t exp(n t)] / E[exp(n t)].
//
// The suggested dimension is the smallest integer n >= 2 with H(n, N) < 0.
// For large n, H ~ 2 ln N - 0.2406 n, so n > 8.31 ln N; the published rule of
// thumb is ceil(8.33 ln N).
#pragma once

#include <cstdint>
#include <vector>

namespace wordvec {

// E[exp(k t)] = 0F1(; n/2; k^2/4) = Gamma(n/2) (2/k)^(n/2-1) I_(n/2-1)(k), and
// E[t exp(k t)] / E[exp(k t)] = I_(n/2)(k) / I_(n/2-1)(k). Computed from the
// power series of the modified Bessel function in scaled arithmetic, so
// nothing overflows for any n.
struct SphereMoments {
  double log_mean_exp = 0;   // ln E[exp(k t)]
  double mean_t_tilted = 0;  // E[t exp(k t)] / E[exp(k t)]
};
SphereMoments sphere_moments_bessel(double n, double kappa);
// The same by tanh-sinh quadrature of the density: an independent check.
SphereMoments sphere_moments_quadrature(double n, double kappa);

// H(n, N), natural log. n >= 2, N >= 2.
double dimension_entropy(double n, double vocab_size);
double dimension_entropy_quadrature(double n, double vocab_size);

// ceil(8.33 ln N)
int rule_of_thumb_dimension(double vocab_size);

struct DimensionSuggestion {
  double vocab_size = 0;
  int dimension = 0;              // smallest n >= 2 with H(n, N) < 0
  double entropy_at = 0;          // H(dimension, N) (< 0)
  double entropy_before = 0;      // H(dimension - 1, N) (>= 0)
  int rule_of_thumb = 0;          // ceil(8.33 ln N)
};

// Throws Error if vocab_size < 2 or not finite.
DimensionSuggestion suggest_dimension(double vocab_size);

}  // namespace wordvec
