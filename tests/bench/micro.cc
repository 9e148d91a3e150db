// Micro-benchmarks (Google Benchmark): the SIMD kernels, one SGNS window (fused
// kernels, and the same window through OpenBLAS sgemm for comparison) and
// one GloVe record per kernel variant, and whole-corpus skip-gram on one
// thread. Cycles are derived from the clock measured by a chain of dependent
// integer adds (one per cycle on any x86-64 core), since the machines this
// runs on may expose no hardware cycle counters and /proc/cpuinfo shows the
// nominal clock, not the boosted one the core runs at.
//   make bench-micro                     (the bundled corpus for the training case)
#include <benchmark/benchmark.h>
#include <cblas.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "wordvec/train/glove.h"
#include "wordvec/core/matrix.h"
#include "train/sampling.h"
#include "train/sgns_step.h"
#include "wordvec/train/sgns.h"
#include "wordvec/simd/kernels.h"

namespace wordvec {
namespace {

// The core's clock in Hz: 10^9 dependent adds take 10^9 cycles.
double measure_hz() {
  std::uint64_t loops = 250'000'000, x = 0;
  const auto start = std::chrono::steady_clock::now();
  asm volatile("1: add $1, %0\n add $1, %0\n add $1, %0\n add $1, %0\n sub $1, %1\n jnz 1b"
               : "+r"(x), "+r"(loops));
  return 4 * 250e6 / std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double core_hz() {
  static const double hz = measure_hz();
  return hz;
}

// A counter that shows cycles per item: kIsRate | kInvert turns
// (items / Hz) into seconds x Hz / items.
benchmark::Counter cycles_per(double items) {
  return benchmark::Counter(items / core_hz(), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

Matrix random_rows(std::size_t rows, std::size_t dim, unsigned seed) {
  Matrix m(rows, dim);
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> u(-0.5f, 0.5f);
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t c = 0; c < dim; ++c) m.row(r)[c] = u(gen) / dim;
  return m;
}

bool skip_unsupported(benchmark::State& state, SimdLevel level) {
  if (simd_supported(level)) return false;
  state.SkipWithError("this CPU cannot run this variant");
  return true;
}

void BM_Dot(benchmark::State& state, SimdLevel level) {
  if (skip_unsupported(state, level)) return;
  const Kernels k = kernels_for(level);
  const std::size_t n = k.span(state.range(0));
  const Matrix m = random_rows(2, n, 1);
  for (auto _ : state) benchmark::DoNotOptimize(k.dot(m.row(0), m.row(1), n));
  state.SetItemsProcessed(state.iterations() * n);
}

// One HogBatch window: scores, sigmoid and both updates, for 6 contexts
// (the mean of word2vec's dynamic window of 5 is 2 x 3) and 1 + 5 targets;
// without the loss, which training measures at 1 position in 16.
void BM_SkipGramWindow(benchmark::State& state, SimdLevel level) {
  if (skip_unsupported(state, level)) return;
  const Kernels k = kernels_for(level);
  const std::size_t dim = state.range(0);
  Matrix in = random_rows(6, dim, 2), out = random_rows(6, dim, 3);
  std::vector<float*> contexts, targets;
  for (int i = 0; i < 6; ++i) contexts.push_back(in.row(i)), targets.push_back(out.row(i));
  const SigmoidTable sig;
  std::vector<float> scratch(sgns_step::batched_scratch_floats(k.span(dim), 6, 6));
  for (auto _ : state)
    benchmark::DoNotOptimize(sgns_step::batched_window(k, k.span(dim), contexts.data(), 6, targets.data(), 6, nullptr,
                                                       1e-6f, sig, scratch.data(), false));
  state.counters["cycles/window"] = cycles_per(static_cast<double>(state.iterations()));
}

// The same window on rows that are not in cache: each iteration takes 12
// random rows of two 100,000-row matrices (as rare words' rows are in
// training), optionally prefetched `distance` windows ahead. What training
// pays for its rows beyond the hot window above.
void BM_SkipGramWindowColdRows(benchmark::State& state) {
  const Kernels k = select_kernels();
  const std::size_t dim = 100, n = k.span(dim), rows = 100000;
  const int distance = static_cast<int>(state.range(0));
  Matrix in = random_rows(rows, dim, 2), out = random_rows(rows, dim, 3);
  constexpr int kWindows = 1024;  // 2 x 6 x 1024 rows: far more than the caches hold
  std::vector<float*> contexts(kWindows * 6), targets(kWindows * 6);
  Rng rng(5);
  for (std::size_t i = 0; i < contexts.size(); ++i)
    contexts[i] = in.row(rng.below(rows)), targets[i] = out.row(rng.below(rows));
  const SigmoidTable sig;
  std::vector<float> scratch(sgns_step::batched_scratch_floats(n, 6, 6));
  int w = 0;
  for (auto _ : state) {
    if (distance > 0) {
      const int ahead = (w + distance) % kWindows;
      for (int i = 0; i < 6; ++i)
        for (std::size_t c = 0; c < n; c += 16) {
          __builtin_prefetch(contexts[ahead * 6 + i] + c, 1, 3);
          __builtin_prefetch(targets[ahead * 6 + i] + c, 1, 3);
        }
    }
    sgns_step::batched_window(k, n, &contexts[w * 6], 6, &targets[w * 6], 6, nullptr, 1e-6f, sig, scratch.data(), false);
    w = (w + 1) % kWindows;
  }
  state.counters["cycles/window"] = cycles_per(static_cast<double>(state.iterations()));
}

// The same window through OpenBLAS, as pWord2Vec does it: gather the rows
// into two dense blocks, one sgemm for the 6 x 6 scores, the sigmoid, two
// sgemm for the gradients of both blocks, and scatter-add them back.
void BM_SkipGramWindowSgemm(benchmark::State& state) {
  const Kernels k = select_kernels();
  const std::size_t dim = state.range(0);
  const int d = static_cast<int>(dim), n = static_cast<int>(k.span(dim));
  Matrix in = random_rows(6, dim, 2), out = random_rows(6, dim, 3);
  const SigmoidTable sig;
  std::vector<float> c(6 * n), t(6 * n), g(36), dc(6 * n), dt(6 * n);
  openblas_set_num_threads(1);  // one worker's view: no BLAS threads of its own
  for (auto _ : state) {
    for (int i = 0; i < 6; ++i) {
      std::memcpy(&c[i * n], in.row(i), n * sizeof(float));
      std::memcpy(&t[i * n], out.row(i), n * sizeof(float));
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, 6, 6, d, 1, c.data(), n, t.data(), n, 0, g.data(), 6);
    float loss = 0;
    for (int i = 0; i < 36; ++i) g[i] = sig.residual(g[i], i % 6 == 0, loss) * 1e-6f;
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 6, d, 6, 1, g.data(), 6, t.data(), n, 0, dc.data(), n);
    cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, 6, d, 6, 1, g.data(), 6, c.data(), n, 0, dt.data(), n);
    for (int i = 0; i < 6; ++i) {
      k.axpy(1, &dc[i * n], in.row(i), n);
      k.axpy(1, &dt[i * n], out.row(i), n);
    }
    benchmark::DoNotOptimize(loss);
  }
  state.counters["cycles/window"] = cycles_per(static_cast<double>(state.iterations()));
}

void BM_GloveRecord(benchmark::State& state, SimdLevel level) {
  if (skip_unsupported(state, level)) return;
  const Kernels k = kernels_for(level);
  GloveOptions o;
  o.dim = static_cast<int>(state.range(0));
  o.x_max = 100;
  GloveModel model(64, o.dim, 1);
  std::uint32_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(glove_step(model, {i % 64, (i * 7 + 3) % 64, 2.5f}, o, k));
    ++i;
  }
}

// Whole-corpus skip-gram on one thread: words per second and cycles per word.
void BM_SkipGramCorpus(benchmark::State& state) {
  const char* corpus = std::getenv("WORDVEC_TEST_CORPUS");
  if (corpus == nullptr) {
    state.SkipWithError("WORDVEC_TEST_CORPUS not set");
    return;
  }
  const Vocabulary vocab = Vocabulary::build(corpus, {5, 0});
  SgnsOptions o;
  o.dim = static_cast<int>(state.range(0));
  o.epochs = 1;
  o.threads = 1;
  std::uint64_t words = 0;
  for (auto _ : state) {
    SgnsTrainer trainer(vocab, o, select_kernels());
    words += trainer.train(corpus).words;
  }
  state.counters["words/s"] = benchmark::Counter(static_cast<double>(words), benchmark::Counter::kIsRate);
  state.counters["cycles/word"] = cycles_per(static_cast<double>(words));
}

#define WORDVEC_PER_KERNEL(fn, ...)                                                       \
  BENCHMARK_CAPTURE(fn, scalar, SimdLevel::Scalar) __VA_ARGS__;                            \
  BENCHMARK_CAPTURE(fn, avx2, SimdLevel::Avx2) __VA_ARGS__;                                \
  BENCHMARK_CAPTURE(fn, avx512, SimdLevel::Avx512) __VA_ARGS__

WORDVEC_PER_KERNEL(BM_Dot, ->Arg(50)->Arg(100)->Arg(300));
WORDVEC_PER_KERNEL(BM_SkipGramWindow, ->Arg(50)->Arg(100)->Arg(300));
BENCHMARK(BM_SkipGramWindowColdRows)->Arg(0)->Arg(1)->Arg(4);
BENCHMARK(BM_SkipGramWindowSgemm)->Arg(50)->Arg(100)->Arg(300);
WORDVEC_PER_KERNEL(BM_GloveRecord, ->Arg(100));
BENCHMARK(BM_SkipGramCorpus)->Arg(100)->Unit(benchmark::kSecond)->Iterations(1)->UseRealTime();

}  // namespace
}  // namespace wordvec

BENCHMARK_MAIN();
