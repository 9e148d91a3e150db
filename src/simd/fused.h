// Internal: the fused SGNS kernels, written once as templates over a vector
// type V and instantiated in each ISA's translation unit (with its flags).
//
// V provides: reg, width, zero(), load(p), store(p, r), set1(f), add(a, b),
// sub(a, b), mul(a, b), min(a, b), max(a, b), fmadd(a, b, c) = a*b + c,
// fnmadd(a, b, c) = c - a*b, hsum(r), recip(r) = 1/r and rsqrt(r) = 1/sqrt(r)
// to about single precision, round(r) to the nearest integer, pow2(n) = 2^n
// for integral n in [-126, 127]. n is a multiple of V::width (rows are padded
// with zeros to at least that).
#pragma once

#include <cstddef>

#include "wordvec/simd.h"

namespace wordvec::simd {

inline constexpr int kMaxTargets = 65;  // negative <= 64, plus the positive

// T = number of target rows when fixed at compile time (kept in registers);
// T = 0: any count up to kMaxTargets, read from nt.
template <class V, int T>
void scores_t(const float* const* a, int na, const float* const* b, int nt, std::size_t n, float* out) {
  constexpr int kCap = T > 0 ? T : kMaxTargets;
  const int count = T > 0 ? T : nt;
  int i = 0;
  // With the targets known to fit, two rows of a at a time: each target load
  // then feeds two FMAs (loads, not FMAs, bound the one-row loop).
  if constexpr (T > 0 && 2 * T + 3 <= 16)
    for (; i + 2 <= na; i += 2) {
      typename V::reg acc0[T], acc1[T];
      for (int t = 0; t < T; ++t) acc0[t] = acc1[t] = V::zero();
      for (std::size_t j = 0; j < n; j += V::width) {
        const typename V::reg x0 = V::load(a[i] + j), x1 = V::load(a[i + 1] + j);
        for (int t = 0; t < T; ++t) {
          const typename V::reg y = V::load(b[t] + j);
          acc0[t] = V::fmadd(x0, y, acc0[t]);
          acc1[t] = V::fmadd(x1, y, acc1[t]);
        }
      }
      for (int t = 0; t < T; ++t) out[i * T + t] = V::hsum(acc0[t]), out[(i + 1) * T + t] = V::hsum(acc1[t]);
    }
  for (; i < na; ++i) {
    typename V::reg acc[kCap];
    for (int t = 0; t < count; ++t) acc[t] = V::zero();
    for (std::size_t j = 0; j < n; j += V::width) {
      const typename V::reg x = V::load(a[i] + j);
      for (int t = 0; t < count; ++t) acc[t] = V::fmadd(x, V::load(b[t] + j), acc[t]);
    }
    for (int t = 0; t < count; ++t) out[i * count + t] = V::hsum(acc[t]);
  }
}

// contexts[c] += sum_t g[c][t] targets[t] and targets[t] += sum_c g[c][t] contexts[c],
// both from the values before the call, in one pass over each row.
template <class V, int T>
void hogbatch_update_t(float* const* contexts, int nc, float* const* targets, int nt, const float* g,
                       std::size_t n) {
  constexpr int kCap = T > 0 ? T : kMaxTargets;
  const int count = T > 0 ? T : nt;
  for (std::size_t j = 0; j < n; j += V::width) {
    typename V::reg target[kCap], target_new[kCap];
    for (int t = 0; t < count; ++t) target_new[t] = target[t] = V::load(targets[t] + j);
    for (int c = 0; c < nc; ++c) {
      const typename V::reg x = V::load(contexts[c] + j);
      typename V::reg x_new = x;
      const float* gc = g + c * count;
      for (int t = 0; t < count; ++t) {
        const typename V::reg gv = V::set1(gc[t]);
        x_new = V::fmadd(gv, target[t], x_new);
        target_new[t] = V::fmadd(gv, x, target_new[t]);
      }
      V::store(contexts[c] + j, x_new);
    }
    for (int t = 0; t < count; ++t) V::store(targets[t] + j, target_new[t]);
  }
}

// mean = the average of the rows.
template <class V>
void mean_rows_t(const float* const* rows, int count, std::size_t n, float* mean) {
  const typename V::reg scale = V::set1(1.0f / static_cast<float>(count));
  for (std::size_t j = 0; j < n; j += V::width) {
    typename V::reg sum = V::load(rows[0] + j);
    for (int r = 1; r < count; ++r) sum = V::add(sum, V::load(rows[r] + j));
    V::store(mean + j, V::mul(sum, scale));
  }
}

// CBOW: e = sum_t g[t] targets[t] (old values); targets[t] += g[t] mean;
// every contexts[c] += e (word2vec's convention: the gradient of the mean, unscaled).
template <class V>
void cbow_update_t(float* const* contexts, int nc, float* const* targets, int nt, const float* g,
                   const float* mean, std::size_t n) {
  for (std::size_t j = 0; j < n; j += V::width) {
    const typename V::reg h = V::load(mean + j);
    typename V::reg e = V::zero();
    for (int t = 0; t < nt; ++t) {
      const typename V::reg gv = V::set1(g[t]);
      const typename V::reg row = V::load(targets[t] + j);
      e = V::fmadd(gv, row, e);
      V::store(targets[t] + j, V::fmadd(gv, h, row));
    }
    for (int c = 0; c < nc; ++c) V::store(contexts[c] + j, V::add(V::load(contexts[c] + j), e));
  }
}

// AdaGrad on a pair of rows with gradient g*c for w and g*w for c (old values):
// w -= g c / sqrt(gw); c -= g w / sqrt(gc); gw += (g c)^2; gc += (g w)^2.
template <class V>
void adagrad_pair_t(float* w, float* gw, float* c, float* gc, float g, std::size_t n) {
  const typename V::reg gv = V::set1(g);
  for (std::size_t j = 0; j < n; j += V::width) {
    const typename V::reg wv = V::load(w + j), cv = V::load(c + j);
    const typename V::reg dw = V::mul(gv, cv), dc = V::mul(gv, wv);
    const typename V::reg gwv = V::load(gw + j), gcv = V::load(gc + j);
    V::store(w + j, V::fnmadd(dw, V::rsqrt(gwv), wv));
    V::store(c + j, V::fnmadd(dc, V::rsqrt(gcv), cv));
    V::store(gw + j, V::fmadd(dw, dw, gwv));
    V::store(gc + j, V::fmadd(dc, dc, gcv));
  }
}

// e^x for |x| <= 87: x = k ln 2 + r with |r| <= ln 2 / 2 (ln 2 split in two
// parts so k ln 2 is exact), e^r by Cephes' degree-6 polynomial (relative
// error about 1e-7), times 2^k.
template <class V>
typename V::reg exp_t(typename V::reg x) {
  const typename V::reg k = V::round(V::mul(x, V::set1(1.44269504088896341f)));
  typename V::reg r = V::fnmadd(k, V::set1(0.693359375f), x);
  r = V::fnmadd(k, V::set1(-2.12194440e-4f), r);
  typename V::reg p = V::set1(1.9875691500e-4f);
  p = V::fmadd(p, r, V::set1(1.3981999507e-3f));
  p = V::fmadd(p, r, V::set1(8.3334519073e-3f));
  p = V::fmadd(p, r, V::set1(4.1665795894e-2f));
  p = V::fmadd(p, r, V::set1(1.6666665459e-1f));
  p = V::fmadd(p, r, V::set1(5.0000001201e-1f));
  p = V::fmadd(p, V::mul(r, r), V::add(r, V::set1(1.0f)));
  return V::mul(p, V::pow2(k));
}

// x[i] = scale / (1 + e^-c) with c = x[i] clipped to [-limit, limit] (limit <= 87).
template <class V>
typename V::reg scaled_sigmoid_of(typename V::reg x, typename V::reg scale, typename V::reg limit) {
  const typename V::reg minus_c = V::min(V::max(V::sub(V::zero(), x), V::sub(V::zero(), limit)), limit);
  return V::mul(scale, V::recip(V::add(V::set1(1.0f), exp_t<V>(minus_c))));
}

template <class V>
void scaled_sigmoid_t(float* x, std::size_t count, float scale, float limit) {
  const typename V::reg s = V::set1(scale), l = V::set1(limit);
  std::size_t i = 0;
  for (; i + V::width <= count; i += V::width) V::store(x + i, scaled_sigmoid_of<V>(V::load(x + i), s, l));
  if (i == count) return;
  float tail[V::width] = {};  // the last partial register, through a buffer
  for (std::size_t j = i; j < count; ++j) tail[j - i] = x[j];
  V::store(tail, scaled_sigmoid_of<V>(V::load(tail), s, l));
  for (std::size_t j = i; j < count; ++j) x[j] = tail[j - i];
}

// Calls f.operator()<T>() with T = nt for the small counts that fit in
// registers, else with T = 0 (the general version).
template <class F>
void with_target_count(int nt, F&& f) {
  switch (nt) {
    case 1: return f.template operator()<1>();
    case 2: return f.template operator()<2>();
    case 3: return f.template operator()<3>();
    case 4: return f.template operator()<4>();
    case 5: return f.template operator()<5>();
    case 6: return f.template operator()<6>();
    default: return f.template operator()<0>();
  }
}

template <class V>
void scores(const float* const* a, int na, const float* const* b, int nt, std::size_t n, float* out) {
  with_target_count(nt, [&]<int T>() { scores_t<V, T>(a, na, b, nt, n, out); });
}

template <class V>
void hogbatch_update(float* const* contexts, int nc, float* const* targets, int nt, const float* g, std::size_t n) {
  with_target_count(nt, [&]<int T>() { hogbatch_update_t<V, T>(contexts, nc, targets, nt, g, n); });
}

// A complete kernel table: the variant's dot/axpy/scale plus the fused kernels on V.
template <class V>
Kernels make_kernels(SimdLevel level, const char* name, decltype(Kernels::dot) dot, decltype(Kernels::axpy) axpy,
                     decltype(Kernels::scale) scale) {
  return {level,          name,          V::width,          dot,
          axpy,           scale,         scores<V>,         hogbatch_update<V>,
          mean_rows_t<V>, cbow_update_t<V>, adagrad_pair_t<V>, scaled_sigmoid_t<V>};
}

}  // namespace wordvec::simd
