// Keeps the models of a distributed run's processes together: at every
// exchange each process's change since the last exchange is summed over all
// processes (an all-reduce, in chunks) and applied to every copy, so all
// processes continue from the same model.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "wordvec/core/matrix.h"
#include "wordvec/dist/communicator.h"
#include "wordvec/simd/kernels.h"
#include "wordvec/train/sgns.h"

namespace wordvec {

// How the processes' changes combine:
//  Sum: all of them are applied, as if every update had gone to one model (as
//    Hogwild threads share one); a word seen on one process keeps its full step.
//  Mean: their average (model averaging); each process's steps count 1/P.
enum class SyncCombine { Sum, Mean };
const char* sync_combine_name(SyncCombine combine);
SyncCombine parse_sync_combine(const std::string& name);  // "sum", "mean"; throws Error

// What an exchange sends of each change:
//  Half: IEEE binary16, half the bytes of Float; a change's rounding error is
//    at most 2^-11 of it (2^-25 absolute below 2^-14), far below the noise of
//    the stochastic steps that made it, and every process applies the same
//    rounded sum, so the models stay identical.
//  Int8: a row of a matrix as a scale (its largest |change| / 127) and an
//    8-bit code per value: a quarter of Float's bytes (dim 100: 104 bytes a
//    row against 224 as halves, which carry the rows' padding). Each value
//    errs by at most half the scale, 1/254 of the row's largest change, and
//    the sum is requantised after each addition (in an all-reduce of P
//    processes, up to P - 1 times); the models stay identical.
//  Float: the changes as trained.
enum class SyncPrecision { Half, Float, Int8 };
const char* sync_precision_name(SyncPrecision precision);
SyncPrecision parse_sync_precision(const std::string& name);  // "half", "float", "int8"; throws Error

// The words each process reads between exchanges when none is asked for:
// 2M words in all processes between exchanges (with sum, the staleness of a
// frequent word's row grows with the words all processes read before they
// see each other's updates), and at least 100 exchanges in the whole run
// (a short run's models would otherwise drift apart); at least 1000.
std::uint64_t default_sync_every(std::uint64_t total_words, int processes);

struct SyncStats {
  std::uint64_t exchanges = 0;
  std::uint64_t bytes_per_exchange = 0;  // parameters all-reduced at each (the model's values, padding included)
  double seconds = 0;                    // in exchanges, waiting for slower processes included
};

// Every process's run state at rank 0 (a collective), its workers in rank
// order: what a distributed run's checkpoint holds. Empty on the other ranks.
std::optional<SgnsRunState> gather_run_states(Communicator& comm, const SgnsRunState& mine);

// How a ModelSync exchanges.
struct SyncOptions {
  SyncCombine combine = SyncCombine::Sum;
  SyncPrecision precision = SyncPrecision::Float;
  // An exchange goes in pieces of this many values (its buffer), at least 1.
  std::size_t chunk_values = std::size_t{1} << 22;
};

class ModelSync {
 public:
  // `matrices` hold the same shapes, and the same values, on every process
  // (the seeded initialisation gives that); they are the common start.
  // words_done: by all processes before this run part (a resumed run's).
  ModelSync(Communicator& comm, std::vector<Matrix*> matrices, SyncOptions options, std::uint64_t words_done = 0);
  // One exchange (a collective): every process's words since its last
  // exchange, whether it has finished and whether it wants a snapshot, then
  // the model. A snapshot is taken when any process wants one and none has
  // finished (a finished process takes part in exchanges only).
  ExchangeResult exchange(std::uint64_t words_since_last, bool finished, bool want_snapshot = false);
  const SyncStats& stats() const { return stats_; }

 private:
  // One piece of a matrix: its change since the last exchange summed over
  // the processes, scaled, added to the base; the model set to the result.
  void exchange_floats(float* data, float* base, std::size_t n, float scale);
  void exchange_halves(float* data, float* base, std::size_t n, float scale);
  // Rows [first, first + count) of matrix m, in 8 bits.
  void exchange_int8_rows(std::size_t m, std::size_t first, std::size_t count, float scale);
  // One matrix, piece by piece.
  void exchange_matrix(std::size_t m, float scale);
  // Rows of `m` an 8-bit piece holds: about chunk_values floats' worth.
  std::size_t rows_per_piece(const Matrix& m) const;

  Communicator& comm_;
  std::vector<Matrix*> matrices_;
  SyncOptions options_;
  Kernels kernels_;
  std::vector<std::vector<float>> base_;  // each matrix as of the last exchange
  std::vector<float> chunk_;
  std::vector<std::uint16_t> half_chunk_;
  std::vector<char> int8_chunk_;
  std::uint64_t words_done_ = 0;
  SyncStats stats_;
};

}  // namespace wordvec
