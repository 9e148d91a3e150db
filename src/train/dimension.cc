#include "wordvec/train/dimension.h"

#include <cmath>
#include <limits>

#include "wordvec/core/error.h"

namespace wordvec {
namespace {

// Sums kept below this are rescaled, and the scale carried as a logarithm.
constexpr double kRescaleAbove = 1e250;

}  // namespace

SphereMoments sphere_moments_bessel(double n, double kappa) {
  // E[exp(k t)] = sum_j a_j with a_j = (k^2/4)^j / (j! (n/2)_j), the power
  // series of Gamma(n/2) (2/k)^(n/2-1) I_(n/2-1)(k); and
  // E[t exp(k t)] = d/dk E[exp(k t)] = sum_j (2j/k) a_j, whose ratio to the
  // first is I_(n/2)(k) / I_(n/2-1)(k). All terms are positive: no cancellation.
  const double half_n = n / 2;
  const double x = kappa * kappa / 4;
  double term = 1, sum = 1, weighted = 0, log_scale = 0;
  for (double j = 0;; ++j) {
    term *= x / ((j + 1) * (half_n + j));
    sum += term;
    weighted += (j + 1) * term;
    // Past the peak (ratio < 1) and negligible: done.
    if (x < (j + 1) * (half_n + j) && term < sum * 1e-18) break;
    if (sum > kRescaleAbove) {
      term /= kRescaleAbove;
      sum /= kRescaleAbove;
      weighted /= kRescaleAbove;
      log_scale += std::log(kRescaleAbove);
    }
  }
  return {std::log(sum) + log_scale, kappa > 0 ? 2 * weighted / (kappa * sum) : 0};
}

SphereMoments sphere_moments_quadrature(double n, double kappa) {
  // tanh-sinh: t = tanh(u), u = (pi/2) sinh(s). Then 1 - t^2 = 1/cosh(u)^2
  // (exact near the ends) and dt = (pi/2) cosh(s) / cosh(u)^2 ds, so the log
  // of density x exp(k t) x dt/ds is, up to a constant,
  //   g(s) = -(n-1) ln cosh(u) + k tanh(u) + ln cosh(s).
  // The trapezoid rule in s converges geometrically; halve the step until the
  // result stops changing. Sums are shifted by the largest g (log-sum-exp).
  const double half_pi = std::acos(-1.0) / 2;
  auto log_cosh = [](double u) { return std::abs(u) + std::log1p(std::exp(-2 * std::abs(u))) - std::log(2.0); };
  auto g_parts = [&](double s, double& g_weight, double& t) {
    const double u = half_pi * std::sinh(s);
    t = std::tanh(u);
    g_weight = -(n - 1) * log_cosh(u) + log_cosh(s);
  };
  // Peak of the tilted integrand, t* solving n t^2 + (n-3) t - n = 0 (k = n), used as shift.
  const double s_max = 4.5;
  double shift = -std::numeric_limits<double>::infinity(), shift_w = shift;
  for (int i = -4096; i <= 4096; ++i) {
    double gw, t;
    g_parts(s_max * i / 4096.0, gw, t);
    shift = std::max(shift, gw + kappa * t);
    shift_w = std::max(shift_w, gw);
  }
  double sum0 = 0, sum1 = 0, sum_w = 0;
  auto add_point = [&](double s) {
    double gw, t;
    g_parts(s, gw, t);
    const double e = std::exp(gw + kappa * t - shift);
    sum0 += e;
    sum1 += t * e;
    sum_w += std::exp(gw - shift_w);
  };
  // Start with a step below the peak's width in s (about 0.6 / sqrt(n)) so
  // that two levels cannot agree by both missing the peak.
  int points = 64;
  while (2 * s_max / points > 0.25 / std::sqrt(n)) points *= 2;
  double h = 2 * s_max / points;
  for (int i = 0; i <= points; ++i) add_point(-s_max + i * h);
  SphereMoments previous{std::numeric_limits<double>::quiet_NaN(), 0};
  for (int level = 0; level < 20; ++level) {
    const SphereMoments current{std::log(sum0 * h) + shift - std::log(sum_w * h) - shift_w, sum1 / sum0};
    if (std::abs(current.log_mean_exp - previous.log_mean_exp) <= 1e-14 * std::max(1.0, std::abs(current.log_mean_exp)) &&
        std::abs(current.mean_t_tilted - previous.mean_t_tilted) <= 1e-14)
      return current;
    previous = current;
    // Halve the step: the new points are the midpoints of the old ones.
    for (int i = 0; i < points; ++i) add_point(-s_max + (i + 0.5) * h);
    points *= 2;
    h /= 2;
  }
  return previous;
}

namespace {

double entropy_from(const SphereMoments& m, double n, double vocab_size) {
  return 2 * std::log(vocab_size) + m.log_mean_exp - n * m.mean_t_tilted;
}

}  // namespace

double dimension_entropy(double n, double vocab_size) {
  return entropy_from(sphere_moments_bessel(n, n), n, vocab_size);
}

double dimension_entropy_quadrature(double n, double vocab_size) {
  return entropy_from(sphere_moments_quadrature(n, n), n, vocab_size);
}

int rule_of_thumb_dimension(double vocab_size) { return static_cast<int>(std::ceil(8.33 * std::log(vocab_size))); }

DimensionSuggestion suggest_dimension(double vocab_size) {
  if (!std::isfinite(vocab_size) || vocab_size < 2)
    throw Error("the vocabulary size must be a number of at least 2, got " + std::to_string(vocab_size));
  DimensionSuggestion s;
  s.vocab_size = vocab_size;
  s.rule_of_thumb = rule_of_thumb_dimension(vocab_size);
  double before = dimension_entropy(2, vocab_size);
  int n = 2;
  if (before < 0) {
    s.dimension = 2;
    s.entropy_at = before;
    s.entropy_before = std::numeric_limits<double>::quiet_NaN();
    return s;
  }
  // H falls with n (by ~0.24 per dimension once n is large): scan upwards.
  while (true) {
    const double h = dimension_entropy(++n, vocab_size);
    if (h < 0) {
      s.dimension = n;
      s.entropy_at = h;
      s.entropy_before = before;
      return s;
    }
    before = h;
  }
}

}  // namespace wordvec
