// The SIMD kernels behind one small interface. Each variant lives in its own
// translation unit compiled with its own flags (src/simd/); the variant is
// chosen once at start-up from the CPU's features, or forced with the
// environment variable WORDVEC_SIMD=scalar|avx2|avx512.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wordvec {

enum class SimdLevel { Scalar, Avx2, Avx512 };

// The most target rows one call of the fused kernels takes (negative <= 64, plus the positive).
inline constexpr int kMaxKernelTargets = 65;

// Bytes of a row of `cols` values in 8 bits (Kernels::delta_to_int8).
inline constexpr std::size_t int8_row_bytes(std::size_t cols) { return sizeof(float) + cols; }

struct Kernels {
  SimdLevel level;
  const char* name;
  std::size_t tail_width;  // floats of the register that ends a row (4; 1 scalar): n's multiple
  // sum_i a[i] * b[i]
  float (*dot)(const float* a, const float* b, std::size_t n);
  // y += alpha * x
  void (*axpy)(float alpha, const float* x, float* y, std::size_t n);

  // Fused kernels of the trainer's inner loops. n must be a multiple of
  // `tail_width` (span() of the row length; Matrix rows are padded to 16
  // floats, enough for every variant); at most 65 target rows.
  // out[i * nt + t] = dot(a[i], b[t])
  void (*scores)(const float* const* a, int na, const float* const* b, int nt, std::size_t n, float* out);
  // HogBatch: contexts[c] += sum_t g[c*nt+t] targets[t]; targets[t] += sum_c g[c*nt+t] contexts[c],
  // both computed from the rows as they were before the call.
  void (*hogbatch_update)(float* const* contexts, int nc, float* const* targets, int nt, const float* g,
                          std::size_t n);
  // mean = average of the rows
  void (*mean_rows)(const float* const* rows, int count, std::size_t n, float* mean);
  // CBOW: e = sum_t g[t] targets[t]; targets[t] += g[t] mean; contexts[c] += e (old target values)
  void (*cbow_update)(float* const* contexts, int nc, float* const* targets, int nt, const float* g,
                      const float* mean, std::size_t n);
  // GloVe's AdaGrad step on a word row w and a context row c with their
  // squared-gradient sums gw, gc, from the values before the call:
  // w -= g c / sqrt(gw); c -= g w / sqrt(gc); gw += (g c)^2; gc += (g w)^2.
  void (*adagrad_pair)(float* w, float* gw, float* c, float* gc, float g, std::size_t n);
  // x[i] = scale * sigmoid(x[i] clipped to [-limit, limit]), limit <= 87; the
  // gradient coefficients of a block of scores, computed (not tabulated) to
  // about 1e-7, any count.
  void (*scaled_sigmoid)(float* x, std::size_t count, float scale, float limit);

  // A distributed run's exchanges in half precision (IEEE binary16, rounded
  // to the nearest, ties to even; wordvec/simd/half.h), any n:
  // out[i] = half(now[i] - base[i])
  void (*delta_to_half)(const float* now, const float* base, std::uint16_t* out, std::size_t n);
  // sum[i] = half(float(sum[i]) + float(in[i]))
  void (*add_halves)(const std::uint16_t* in, std::uint16_t* sum, std::size_t n);
  // base[i] += scale * float(delta[i]); now[i] = base[i]
  void (*apply_half_delta)(const std::uint16_t* delta, float scale, float* base, float* now, std::size_t n);

  // The same in 8 bits: `rows` rows of `cols` values (matrix rows `stride`
  // floats apart) packed as int8_row_bytes(cols) each: the row's scale (a
  // float: its largest |value| / 127) and a code per value (value / scale
  // rounded to the nearest, ties to even).
  // out row = int8(now row - base row)
  void (*delta_to_int8)(const float* now, const float* base, std::size_t stride, std::size_t rows, std::size_t cols,
                        char* out);
  // sum row = int8(float(sum row) + float(in row))
  void (*add_int8_rows)(const char* in, char* sum, std::size_t rows, std::size_t cols);
  // base row += scale * float(delta row); now row = base row
  void (*apply_int8_delta)(const char* delta, float scale, float* base, float* now, std::size_t stride,
                           std::size_t rows, std::size_t cols);

  // The floats the fused kernels process for rows of `cols` values: cols
  // rounded up to whole tail registers (dim 100: 12 AVX2 registers and one of
  // 4 floats, not 13 registers), so little work is spent on padding.
  std::size_t span(std::size_t cols) const { return (cols + tail_width - 1) / tail_width * tail_width; }
};

// Whether this CPU (and OS) can run the variant.
bool simd_supported(SimdLevel level);
// Every variant this CPU can run, scalar first.
std::vector<SimdLevel> supported_simd_levels();
// The kernels of one variant; throws Error if the CPU cannot run it.
Kernels kernels_for(SimdLevel level);
// The fastest supported variant, unless WORDVEC_SIMD names another.
Kernels select_kernels();
// "scalar", "avx2" or "avx512".
const char* simd_level_name(SimdLevel level);
// "scalar", "avx2", "avx512" -> level; throws Error naming the valid values.
SimdLevel parse_simd_level(const std::string& name);

}  // namespace wordvec
