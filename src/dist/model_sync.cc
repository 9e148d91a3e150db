#include "wordvec/dist/model_sync.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>

#include "wordvec/core/error.h"

namespace wordvec {

const char* sync_combine_name(SyncCombine combine) { return combine == SyncCombine::Sum ? "sum" : "mean"; }

SyncCombine parse_sync_combine(const std::string& name) {
  if (name == "sum") return SyncCombine::Sum;
  if (name == "mean") return SyncCombine::Mean;
  throw Error("unknown way to combine the processes' models '" + name + "' (valid: sum, mean)");
}

const char* sync_precision_name(SyncPrecision precision) {
  switch (precision) {
    case SyncPrecision::Half: return "half";
    case SyncPrecision::Int8: return "int8";
    case SyncPrecision::Float: break;
  }
  return "float";
}

SyncPrecision parse_sync_precision(const std::string& name) {
  if (name == "half") return SyncPrecision::Half;
  if (name == "float") return SyncPrecision::Float;
  if (name == "int8") return SyncPrecision::Int8;
  throw Error("unknown precision of the exchanged changes '" + name + "' (valid: half, float, int8)");
}

std::uint64_t default_sync_every(std::uint64_t total_words, int processes) {
  const auto p = static_cast<std::uint64_t>(std::max(1, processes));
  return std::max<std::uint64_t>(1000, std::min(2'000'000 / p, total_words / (100 * p)));
}

std::optional<SgnsRunState> gather_run_states(Communicator& comm, const SgnsRunState& mine) {
  const std::vector<std::uint64_t> numbers = mine.to_numbers();
  const std::vector<std::vector<char>> all =
      comm.gather({reinterpret_cast<const char*>(numbers.data()), numbers.size() * sizeof(std::uint64_t)}, 0);
  if (comm.rank() != 0) return std::nullopt;
  SgnsRunState merged;
  merged.words_done = mine.words_done;
  for (const std::vector<char>& bytes : all) {
    std::vector<std::uint64_t> theirs(bytes.size() / sizeof(std::uint64_t));
    std::memcpy(theirs.data(), bytes.data(), theirs.size() * sizeof(std::uint64_t));
    const SgnsRunState state = SgnsRunState::from_numbers(theirs);
    merged.workers.insert(merged.workers.end(), state.workers.begin(), state.workers.end());
  }
  return merged;
}

ModelSync::ModelSync(Communicator& comm, std::vector<Matrix*> matrices, SyncOptions options, std::uint64_t words_done)
    : comm_(comm),
      matrices_(std::move(matrices)),
      options_(options),
      kernels_(select_kernels()),
      words_done_(words_done) {
  std::size_t largest = 0, int8_bytes = 0;
  for (const Matrix* m : matrices_) {
    const std::size_t floats = m->rows() * m->stride();
    base_.emplace_back(m->data(), m->data() + floats);
    largest = std::max(largest, floats);
    switch (options_.precision) {
      case SyncPrecision::Float: stats_.bytes_per_exchange += floats * sizeof(float); break;
      case SyncPrecision::Half: stats_.bytes_per_exchange += floats * sizeof(std::uint16_t); break;
      case SyncPrecision::Int8:
        stats_.bytes_per_exchange += m->rows() * int8_row_bytes(m->cols());
        int8_bytes = std::max(int8_bytes, std::min(rows_per_piece(*m), m->rows()) * int8_row_bytes(m->cols()));
        break;
    }
  }
  const std::size_t chunk = std::max<std::size_t>(1, std::min(options_.chunk_values, largest));
  switch (options_.precision) {
    case SyncPrecision::Float: chunk_.resize(chunk); break;
    case SyncPrecision::Half: half_chunk_.resize(chunk); break;
    case SyncPrecision::Int8: int8_chunk_.resize(int8_bytes); break;
  }
}

std::size_t ModelSync::rows_per_piece(const Matrix& m) const {
  return std::max<std::size_t>(1, options_.chunk_values / std::max<std::size_t>(1, m.stride()));
}

void ModelSync::exchange_floats(float* data, float* base, std::size_t n, float scale) {
  for (std::size_t i = 0; i < n; ++i) chunk_[i] = data[i] - base[i];
  comm_.sum(std::span<float>(chunk_.data(), n));
  for (std::size_t i = 0; i < n; ++i) {
    data[i] = base[i] + scale * chunk_[i];
    base[i] = data[i];
  }
}

void ModelSync::exchange_halves(float* data, float* base, std::size_t n, float scale) {
  kernels_.delta_to_half(data, base, half_chunk_.data(), n);
  comm_.sum_halves(std::span<std::uint16_t>(half_chunk_.data(), n));
  kernels_.apply_half_delta(half_chunk_.data(), scale, base, data, n);
}

void ModelSync::exchange_int8_rows(std::size_t m, std::size_t first, std::size_t count, float scale) {
  const Matrix& matrix = *matrices_[m];
  const std::size_t stride = matrix.stride(), cols = matrix.cols();
  float* data = matrices_[m]->data() + first * stride;
  float* base = base_[m].data() + first * stride;
  kernels_.delta_to_int8(data, base, stride, count, cols, int8_chunk_.data());
  comm_.sum_int8_rows(std::span<char>(int8_chunk_.data(), count * int8_row_bytes(cols)), cols);
  kernels_.apply_int8_delta(int8_chunk_.data(), scale, base, data, stride, count, cols);
}

void ModelSync::exchange_matrix(std::size_t m, float scale) {
  if (options_.precision == SyncPrecision::Int8) {
    const std::size_t rows = matrices_[m]->rows(), piece = rows_per_piece(*matrices_[m]);
    for (std::size_t first = 0; first < rows; first += piece) exchange_int8_rows(m, first, std::min(piece, rows - first), scale);
    return;
  }
  float* data = matrices_[m]->data();
  float* base = base_[m].data();
  const std::size_t floats = base_[m].size();
  const bool halves = options_.precision == SyncPrecision::Half;
  const std::size_t chunk = halves ? half_chunk_.size() : chunk_.size();
  for (std::size_t begin = 0; begin < floats; begin += chunk) {
    const std::size_t n = std::min(chunk, floats - begin);
    if (halves)
      exchange_halves(data + begin, base + begin, n, scale);
    else
      exchange_floats(data + begin, base + begin, n, scale);
  }
}

ExchangeResult ModelSync::exchange(std::uint64_t words_since_last, bool finished, bool want_snapshot) {
  const auto start = std::chrono::steady_clock::now();
  std::array<std::uint64_t, 3> progress{words_since_last, finished ? 1u : 0u, want_snapshot ? 1u : 0u};
  comm_.sum(progress);
  words_done_ += progress[0];
  const float scale = options_.combine == SyncCombine::Mean ? 1.0f / static_cast<float>(comm_.size()) : 1.0f;
  for (std::size_t m = 0; m < matrices_.size(); ++m) exchange_matrix(m, scale);
  ++stats_.exchanges;
  stats_.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return {words_done_, progress[1] == static_cast<std::uint64_t>(comm_.size()), progress[2] > 0 && progress[1] == 0};
}

}  // namespace wordvec
