// Internal: the fused SGNS kernels, written once as templates over a vector
// type V and instantiated in each ISA's translation unit (with its flags).
//
// V provides: reg, width, zero(), load(p), store(p, r), set1(f), add(a, b),
// sub(a, b), mul(a, b), min(a, b), max(a, b), fmadd(a, b, c) = a*b + c,
// fnmadd(a, b, c) = c - a*b, from_half/to_half and from_int8/to_int8 (below), recip(r) = 1/r and rsqrt(r) = 1/sqrt(r) to about
// single precision, round(r) to the nearest integer, pow2(n) = 2^n for integral
// n in [-126, 127]; tail, the narrower type that ends a row (Vec128, or V
// itself when V is one float: it has the arithmetic above and hsum(r)), and
// fold(r) = a tail register with the same sum of lanes. n is a multiple of
// tail::width (rows are padded with zeros to at least that). A V that can
// load and store the first k floats of a register (AVX-512's masks) also has
// load_partial(p, k) (zeros beyond k) and store_partial(p, r, k): dot and
// axpy then end a row with one masked register instead of a scalar loop.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>

#include "wordvec/simd/half.h"
#include "wordvec/simd/kernels.h"

namespace wordvec::simd {

inline constexpr int kMaxTargets = kMaxKernelTargets;
// Target rows a kernel keeps in registers at once (two per target, plus the
// context's, fit AVX2's 16). More targets go in groups of this many: an array
// of 65 registers indexed at run time lived in memory, every FMA a load and a
// store (hierarchical softmax's paths, subword windows).
inline constexpr int kRegisterTargets = 6;
// Contexts whose pending change the grouped update keeps per register (on
// the stack): 2 x the widest --window, so every window is exact.
inline constexpr int kGroupedContexts = 2000;

// Calls f.operator()<T>() with T = nt for the counts that fit in registers
// (1..kRegisterTargets), else with T = 0, which callers treat as nothing to do.
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

// Calls step.template operator()<W>(j) for each register of a row of n
// floats: W = V over the whole V registers, then W = V::tail (4 floats, or V
// itself for the scalar variant) over the rest. n is a multiple of V::tail::width.
// These helpers and the steps are inlined by force: left to GCC, the kernels'
// register arrays went through memory (docs/experiments.md).
template <class V, class Step>
[[gnu::always_inline]] inline void for_each_register(std::size_t n, Step&& step) {
  std::size_t j = 0;
  for (; j + V::width <= n; j += V::width) step.template operator()<V>(j);
  if constexpr (V::tail::width < V::width)
    for (; j < n; j += V::tail::width) step.template operator()<typename V::tail>(j);
}

// acc[r][t] += a[r][j..] * b[t][j..] for one register W at j.
template <class W, int R, int Cap>
[[gnu::always_inline]] inline void accumulate_scores(const float* const* a, const float* const* b, int count,
                                                     std::size_t j, typename W::reg (&acc)[R][Cap]) {
  typename W::reg x[R];
  for (int r = 0; r < R; ++r) x[r] = W::load(a[r] + j);
  for (int t = 0; t < count; ++t) {
    const typename W::reg y = W::load(b[t] + j);
    for (int r = 0; r < R; ++r) acc[r][t] = W::fmadd(x[r], y, acc[r][t]);
  }
}

// out[r * stride + t] = dot(a[r], b[t]) for R rows of a and T targets. The
// whole registers accumulate in V, fold to the tail register, which adds the row's end.
template <class V, int T, int R>
[[gnu::always_inline]] inline void score_rows(const float* const* a, const float* const* b, std::size_t n,
                                              float* out, int stride) {
  static_assert(T > 0 && T <= kRegisterTargets);
  using Tail = typename V::tail;
  typename V::reg acc[R][T];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) acc[r][t] = V::zero();
  std::size_t j = 0;
  for (; j + V::width <= n; j += V::width) accumulate_scores<V>(a, b, T, j, acc);
  typename Tail::reg folded[R][T];
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) folded[r][t] = V::fold(acc[r][t]);
  for (; j < n; j += Tail::width) accumulate_scores<Tail>(a, b, T, j, folded);
  for (int r = 0; r < R; ++r)
    for (int t = 0; t < T; ++t) out[r * stride + t] = Tail::hsum(folded[r][t]);
}

// Every row of a against T targets (kept in registers), into out[i * stride + t].
template <class V, int T>
void scores_t(const float* const* a, int na, const float* const* b, std::size_t n, float* out, int stride) {
  int i = 0;
  // Two rows of a at a time where registers allow: each target load then
  // feeds two FMAs (loads, not FMAs, bound the one-row loop).
  if constexpr (2 * T + 3 <= 16)
    for (; i + 2 <= na; i += 2) score_rows<V, T, 2>(a + i, b, n, out + i * stride, stride);
  for (; i < na; ++i) score_rows<V, T, 1>(a + i, b, n, out + i * stride, stride);
}

// contexts[c] += sum_t g[c][t] targets[t] and targets[t] += sum_c g[c][t] contexts[c],
// both from the values before the call, in one pass over each row; T targets
// in registers.
template <class V, int T>
void hogbatch_update_t(float* const* contexts, int nc, float* const* targets, const float* g, std::size_t n) {
  for_each_register<V>(n, [&]<class W>(std::size_t j) __attribute__((always_inline)) {
    typename W::reg target[T], target_new[T];
    for (int t = 0; t < T; ++t) target_new[t] = target[t] = W::load(targets[t] + j);
    for (int c = 0; c < nc; ++c) {
      const typename W::reg x = W::load(contexts[c] + j);
      typename W::reg x_new = x;
      const float* gc = g + c * T;
      for (int t = 0; t < T; ++t) {
        const typename W::reg gv = W::set1(gc[t]);
        x_new = W::fmadd(gv, target[t], x_new);
        target_new[t] = W::fmadd(gv, x, target_new[t]);
      }
      W::store(contexts[c] + j, x_new);
    }
    for (int t = 0; t < T; ++t) W::store(targets[t] + j, target_new[t]);
  });
}

// One group of T targets (columns t0.. of g, whose rows hold nt) of the
// grouped update at register j: the targets move, each context's change
// adds to delta[c]; the contexts themselves are read, not written.
template <class W, int T>
[[gnu::always_inline]] inline void update_target_group(float* const* contexts, int nc, float* const* targets,
                                                       const float* g, int nt, std::size_t j,
                                                       typename W::reg* delta) {
  typename W::reg target[T], target_new[T];
  for (int t = 0; t < T; ++t) target_new[t] = target[t] = W::load(targets[t] + j);
  for (int c = 0; c < nc; ++c) {
    const typename W::reg x = W::load(contexts[c] + j);
    typename W::reg d = delta[c];
    const float* gc = g + c * nt;
    for (int t = 0; t < T; ++t) {
      const typename W::reg gv = W::set1(gc[t]);
      d = W::fmadd(gv, target[t], d);
      target_new[t] = W::fmadd(gv, x, target_new[t]);
    }
    delta[c] = d;
  }
  for (int t = 0; t < T; ++t) W::store(targets[t] + j, target_new[t]);
}

// hogbatch_update_t for more targets than registers hold (up to
// kGroupedContexts contexts): per register, the targets in groups of
// kRegisterTargets, each context's change summed over the groups and added
// once every group has read its old value -- the same result.
template <class V>
void hogbatch_update_grouped_t(float* const* contexts, int nc, float* const* targets, int nt, const float* g,
                               std::size_t n) {
  for_each_register<V>(n, [&]<class W>(std::size_t j) __attribute__((always_inline)) {
    typename W::reg delta[kGroupedContexts];
    for (int c = 0; c < nc; ++c) delta[c] = W::zero();
    int t0 = 0;
    for (; t0 + kRegisterTargets <= nt; t0 += kRegisterTargets)
      update_target_group<W, kRegisterTargets>(contexts, nc, targets + t0, g + t0, nt, j, delta);
    if (t0 < nt)
      with_target_count(nt - t0, [&]<int T>() {
        if constexpr (T > 0) update_target_group<W, T>(contexts, nc, targets + t0, g + t0, nt, j, delta);
      });
    for (int c = 0; c < nc; ++c) W::store(contexts[c] + j, W::add(W::load(contexts[c] + j), delta[c]));
  });
}

// mean = the average of the rows.
template <class V>
void mean_rows_t(const float* const* rows, int count, std::size_t n, float* mean) {
  const float scale = 1.0f / static_cast<float>(count);
  for_each_register<V>(n, [&]<class W>(std::size_t j) __attribute__((always_inline)) {
    typename W::reg sum = W::load(rows[0] + j);
    for (int r = 1; r < count; ++r) sum = W::add(sum, W::load(rows[r] + j));
    W::store(mean + j, W::mul(sum, W::set1(scale)));
  });
}

// CBOW: e = sum_t g[t] targets[t] (old values); targets[t] += g[t] mean;
// every contexts[c] += e (word2vec's convention: the gradient of the mean, unscaled).
template <class V>
void cbow_update_t(float* const* contexts, int nc, float* const* targets, int nt, const float* g,
                   const float* mean, std::size_t n) {
  for_each_register<V>(n, [&]<class W>(std::size_t j) __attribute__((always_inline)) {
    const typename W::reg h = W::load(mean + j);
    typename W::reg e = W::zero();
    for (int t = 0; t < nt; ++t) {
      const typename W::reg gv = W::set1(g[t]);
      const typename W::reg row = W::load(targets[t] + j);
      e = W::fmadd(gv, row, e);
      W::store(targets[t] + j, W::fmadd(gv, h, row));
    }
    for (int c = 0; c < nc; ++c) W::store(contexts[c] + j, W::add(W::load(contexts[c] + j), e));
  });
}

// AdaGrad on a pair of rows with gradient g*c for w and g*w for c (old values):
// w -= g c / sqrt(gw); c -= g w / sqrt(gc); gw += (g c)^2; gc += (g w)^2.
template <class V>
void adagrad_pair_t(float* w, float* gw, float* c, float* gc, float g, std::size_t n) {
  for_each_register<V>(n, [&]<class W>(std::size_t j) __attribute__((always_inline)) {
    const typename W::reg gv = W::set1(g);
    const typename W::reg wv = W::load(w + j), cv = W::load(c + j);
    const typename W::reg dw = W::mul(gv, cv), dc = W::mul(gv, wv);
    const typename W::reg gwv = W::load(gw + j), gcv = W::load(gc + j);
    W::store(w + j, W::fnmadd(dw, W::rsqrt(gwv), wv));
    W::store(c + j, W::fnmadd(dc, W::rsqrt(gcv), cv));
    W::store(gw + j, W::fmadd(dw, dw, gwv));
    W::store(gc + j, W::fmadd(dc, dc, gcv));
  });
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

// Targets in groups of at most kRegisterTargets, each a pass over a's rows.
template <class V>
void scores(const float* const* a, int na, const float* const* b, int nt, std::size_t n, float* out) {
  for (int t0 = 0; t0 < nt; t0 += kRegisterTargets)
    with_target_count(std::min(kRegisterTargets, nt - t0), [&]<int T>() {
      if constexpr (T > 0) scores_t<V, T>(a, na, b + t0, n, out + t0, nt);
    });
}

template <class V>
void hogbatch_update(float* const* contexts, int nc, float* const* targets, int nt, const float* g, std::size_t n) {
  if (nt <= kRegisterTargets) {
    with_target_count(nt, [&]<int T>() {
      if constexpr (T > 0) hogbatch_update_t<V, T>(contexts, nc, targets, g, n);
    });
    return;
  }
  // More contexts than any window has: chunks, each against the targets as
  // the chunks before left them.
  for (int c0 = 0; c0 < nc; c0 += kGroupedContexts)
    hogbatch_update_grouped_t<V>(contexts + c0, std::min(kGroupedContexts, nc - c0), targets, nt, g + c0 * nt, n);
}

// Whether V has masked loads and stores (see above).
template <class V>
concept HasPartialRegisters = requires(const float* p, float* q, typename V::reg r) {
  V::load_partial(p, std::size_t{1});
  V::store_partial(q, r, std::size_t{1});
};

// sum_i a[i] * b[i], any n: two accumulators over pairs of registers, one more
// register, then the rest (masked, or float by float).
template <class V>
float dot_t(const float* a, const float* b, std::size_t n) {
  if constexpr (V::width == 1) {
    float sum = 0;
    for (std::size_t i = 0; i < n; ++i) sum += a[i] * b[i];
    return sum;
  } else {
    constexpr std::size_t W = V::width;
    typename V::reg acc0 = V::zero(), acc1 = V::zero();
    std::size_t i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
      acc0 = V::fmadd(V::load(a + i), V::load(b + i), acc0);
      acc1 = V::fmadd(V::load(a + i + W), V::load(b + i + W), acc1);
    }
    for (; i + W <= n; i += W) acc0 = V::fmadd(V::load(a + i), V::load(b + i), acc0);
    if constexpr (HasPartialRegisters<V>) {
      if (i < n) acc1 = V::fmadd(V::load_partial(a + i, n - i), V::load_partial(b + i, n - i), acc1);
      return V::tail::hsum(V::fold(V::add(acc0, acc1)));
    } else {
      float sum = V::tail::hsum(V::fold(V::add(acc0, acc1)));
      for (; i < n; ++i) sum += a[i] * b[i];
      return sum;
    }
  }
}

// y += alpha * x, any n.
template <class V>
void axpy_t(float alpha, const float* x, float* y, std::size_t n) {
  const typename V::reg a = V::set1(alpha);
  std::size_t i = 0;
  for (; i + V::width <= n; i += V::width) V::store(y + i, V::fmadd(a, V::load(x + i), V::load(y + i)));
  if constexpr (HasPartialRegisters<V>) {
    if (i < n) V::store_partial(y + i, V::fmadd(a, V::load_partial(x + i, n - i), V::load_partial(y + i, n - i)), n - i);
  } else {
    for (; i < n; ++i) y[i] += alpha * x[i];
  }
}

// The exchanges of distributed training in half precision: V also provides
// from_half(p) (V::width halves to floats) and to_half(p, r) (rounded to the
// nearest, ties to even); the rest of a block goes float by float.
template <class V>
void delta_to_half_t(const float* now, const float* base, std::uint16_t* out, std::size_t n) {
  std::size_t i = 0;
  for (; i + V::width <= n; i += V::width) V::to_half(out + i, V::sub(V::load(now + i), V::load(base + i)));
  for (; i < n; ++i) out[i] = half_from_float(now[i] - base[i]);
}

template <class V>
void add_halves_t(const std::uint16_t* in, std::uint16_t* sum, std::size_t n) {
  std::size_t i = 0;
  for (; i + V::width <= n; i += V::width) V::to_half(sum + i, V::add(V::from_half(in + i), V::from_half(sum + i)));
  for (; i < n; ++i) sum[i] = half_from_float(float_from_half(in[i]) + float_from_half(sum[i]));
}

template <class V>
void apply_half_delta_t(const std::uint16_t* delta, float scale, float* base, float* now, std::size_t n) {
  const typename V::reg s = V::set1(scale);
  std::size_t i = 0;
  for (; i + V::width <= n; i += V::width) {
    const typename V::reg updated = V::fmadd(s, V::from_half(delta + i), V::load(base + i));
    V::store(base + i, updated);
    V::store(now + i, updated);
  }
  for (; i < n; ++i) now[i] = base[i] = base[i] + scale * float_from_half(delta[i]);
}

// The exchanges in 8 bits: a row travels as its scale (a float, the largest
// |value| / 127) and one int8 code per value, value / scale rounded to the
// nearest. V also provides from_int8(p) (V::width codes to floats) and
// to_int8(p, r) (whole numbers in [-127, 127] to codes). A change's codes
// are the same in every variant (a difference and a product); a sum's may
// differ by one step where the compiler fuses its multiply and add.

// The largest |x(i)| of a row: wide(i) gives V::width values, one(i) one.
template <class V, class Wide, class One>
float largest_magnitude(std::size_t cols, const Wide& wide, const One& one) {
  float largest = 0;
  std::size_t i = 0;
  // One float at a time goes through the loop below only: aarch64 g++ 12
  // fails (an internal compiler error) vectorising an fmax reduction here.
  if constexpr (V::width > 1) {
    typename V::reg m = V::zero();
    for (; i + V::width <= cols; i += V::width) {
      const typename V::reg x = wide(i);
      m = V::max(m, V::max(x, V::sub(V::zero(), x)));
    }
    float lanes[V::width];
    V::store(lanes, m);
    // No std::max: an out-of-line copy from another variant's unit could be the one linked.
    for (const float lane : lanes) largest = lane > largest ? lane : largest;
  }
  for (; i < cols; ++i) {
    const float x = std::fabs(one(i));
    largest = x > largest ? x : largest;
  }
  return largest;
}

// A row of values x(i) (as largest_magnitude's) as its scale and codes at
// `out`. A row of zeros (or one that is not finite: a diverged run) keeps its
// largest |value| as the scale; its codes are then not used for anything finite.
template <class V, class Wide, class One>
void quantize_row(std::size_t cols, const Wide& wide, const One& one, char* out) {
  const float largest = largest_magnitude<V>(cols, wide, one);
  const bool finite = largest > 0 && largest <= std::numeric_limits<float>::max();
  const float scale = finite ? largest / 127.0f : largest;
  const float inverse = finite ? 127.0f / largest : 0.0f;
  std::memcpy(out, &scale, sizeof scale);
  auto* codes = reinterpret_cast<std::int8_t*>(out + sizeof scale);
  // min then max: a NaN becomes 127 in every variant.
  const typename V::reg inv = V::set1(inverse), hi = V::set1(127.0f), lo = V::set1(-127.0f);
  std::size_t i = 0;
  for (; i + V::width <= cols; i += V::width) V::to_int8(codes + i, V::max(V::min(V::round(V::mul(wide(i), inv)), hi), lo));
  for (; i < cols; ++i)
    codes[i] = static_cast<std::int8_t>(std::fmax(std::fmin(std::nearbyint(one(i) * inverse), 127.0f), -127.0f));
}

// (Templates, as every function here: each variant's unit gets its own copy.)
template <class V>
float int8_row_scale(const char* row) {
  float scale;
  std::memcpy(&scale, row, sizeof scale);
  return scale;
}
template <class V>
const std::int8_t* int8_row_codes(const char* row) {
  return reinterpret_cast<const std::int8_t*>(row + sizeof(float));
}

template <class V>
void delta_to_int8_t(const float* now, const float* base, std::size_t stride, std::size_t rows, std::size_t cols,
                     char* out) {
  for (std::size_t r = 0; r < rows; ++r, now += stride, base += stride, out += int8_row_bytes(cols))
    quantize_row<V>(
        cols, [&](std::size_t i) { return V::sub(V::load(now + i), V::load(base + i)); },
        [&](std::size_t i) { return now[i] - base[i]; }, out);
}

template <class V>
void add_int8_rows_t(const char* in, char* sum, std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r, in += int8_row_bytes(cols), sum += int8_row_bytes(cols)) {
    const float sa = int8_row_scale<V>(in), sb = int8_row_scale<V>(sum);
    const std::int8_t *a = int8_row_codes<V>(in), *b = int8_row_codes<V>(sum);
    const typename V::reg va = V::set1(sa), vb = V::set1(sb);
    // In place: quantize_row reads a block of b before it writes that block.
    quantize_row<V>(
        cols, [&](std::size_t i) { return V::add(V::mul(va, V::from_int8(a + i)), V::mul(vb, V::from_int8(b + i))); },
        [&](std::size_t i) { return sa * static_cast<float>(a[i]) + sb * static_cast<float>(b[i]); }, sum);
  }
}

template <class V>
void apply_int8_delta_t(const char* delta, float scale, float* base, float* now, std::size_t stride,
                        std::size_t rows, std::size_t cols) {
  for (std::size_t r = 0; r < rows; ++r, delta += int8_row_bytes(cols), base += stride, now += stride) {
    const float factor = scale * int8_row_scale<V>(delta);
    const std::int8_t* codes = int8_row_codes<V>(delta);
    const typename V::reg f = V::set1(factor);
    std::size_t i = 0;
    for (; i + V::width <= cols; i += V::width) {
      const typename V::reg updated = V::add(V::load(base + i), V::mul(f, V::from_int8(codes + i)));
      V::store(base + i, updated);
      V::store(now + i, updated);
    }
    for (; i < cols; ++i) now[i] = base[i] = base[i] + factor * static_cast<float>(codes[i]);
  }
}

// The complete kernel table of one variant.
template <class V>
Kernels make_kernels(SimdLevel level, const char* name) {
  return {level,          name,           V::tail::width,    dot_t<V>,           axpy_t<V>,
          scores<V>,      hogbatch_update<V>, mean_rows_t<V>, cbow_update_t<V>, adagrad_pair_t<V>,
          scaled_sigmoid_t<V>, delta_to_half_t<V>, add_halves_t<V>, apply_half_delta_t<V>,
          delta_to_int8_t<V>, add_int8_rows_t<V>, apply_int8_delta_t<V>};
}

}  // namespace wordvec::simd
