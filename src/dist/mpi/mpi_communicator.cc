#include "mpi_communicator.h"

#include <mpi.h>

#include <algorithm>
#include <climits>
#include <cstdlib>

#include "wordvec/core/error.h"
#include "wordvec/simd/kernels.h"

namespace wordvec {
namespace {

void check(int code, const char* call) {
  if (code == MPI_SUCCESS) return;
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  throw Error(std::string("MPI: ") + call + " failed: " + std::string(text, static_cast<std::size_t>(length)));
}

// MPI counts are ints: large buffers go in pieces.
constexpr std::size_t kMaxPiece = std::size_t{1} << 30;

template <class T>
void sum_in_pieces(std::span<T> values, MPI_Datatype type, MPI_Op op = MPI_SUM) {
  for (std::size_t begin = 0; begin < values.size(); begin += kMaxPiece) {
    const std::size_t n = std::min(kMaxPiece, values.size() - begin);
    check(MPI_Allreduce(MPI_IN_PLACE, values.data() + begin, static_cast<int>(n), type, op, MPI_COMM_WORLD),
          "MPI_Allreduce");
  }
}

// MPI has no half-precision type (before MPI 4.1's MPI_SHORT_FLOAT): halves
// travel as MPI_UINT16_T and this user operation adds them, with the SIMD
// kernels (MPI calls it with no context, so the kernels are chosen once here).
void add_halves(void* in, void* inout, int* count, MPI_Datatype*) {
  static const Kernels kernels = select_kernels();
  kernels.add_halves(static_cast<const std::uint16_t*>(in), static_cast<std::uint16_t*>(inout),
                     static_cast<std::size_t>(*count));
}

// Rows in 8 bits (Kernels::delta_to_int8) travel as a contiguous type of
// int8_row_bytes(cols) bytes each; this operation adds them row by row (the
// type's size gives cols).
void add_int8_rows(void* in, void* inout, int* count, MPI_Datatype* row_type) {
  static const Kernels kernels = select_kernels();
  int row_bytes = 0;
  MPI_Type_size(*row_type, &row_bytes);
  kernels.add_int8_rows(static_cast<const char*>(in), static_cast<char*>(inout), static_cast<std::size_t>(*count),
                        static_cast<std::size_t>(row_bytes) - sizeof(float));
}

int checked_int(std::size_t n, const char* what) {
  if (n > static_cast<std::size_t>(INT_MAX)) throw Error(std::string("MPI: ") + what + " is over 2 GB");
  return static_cast<int>(n);
}

}  // namespace

bool MpiCommunicator::launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_RANK", "SLURM_STEP_ID"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

std::string MpiCommunicator::library_version() {
  char text[MPI_MAX_LIBRARY_VERSION_STRING];
  int length = 0;
  MPI_Get_library_version(text, &length);
  std::string version(text, static_cast<std::size_t>(length));
  const std::size_t line_end = version.find_first_of(",\n");  // the first clause: name and version
  return version.substr(0, line_end);
}

MpiCommunicator::MpiCommunicator(int* argc, char*** argv) {
  int provided = 0;
  check(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  check(MPI_Op_create(add_halves, /*commute=*/1, &half_sum_), "MPI_Op_create");
  check(MPI_Op_create(add_int8_rows, /*commute=*/1, &int8_rows_sum_), "MPI_Op_create");
}

MpiCommunicator::~MpiCommunicator() {
  MPI_Op_free(&half_sum_);
  MPI_Op_free(&int8_rows_sum_);
  MPI_Finalize();
}

void MpiCommunicator::sum(std::span<float> values) { sum_in_pieces(values, MPI_FLOAT); }

void MpiCommunicator::sum(std::span<std::uint64_t> values) { sum_in_pieces(values, MPI_UINT64_T); }

void MpiCommunicator::sum(std::span<double> values) { sum_in_pieces(values, MPI_DOUBLE); }

void MpiCommunicator::sum_halves(std::span<std::uint16_t> values) { sum_in_pieces(values, MPI_UINT16_T, half_sum_); }

void MpiCommunicator::sum_int8_rows(std::span<char> rows, std::size_t cols) {
  const std::size_t row_bytes = int8_row_bytes(cols);
  MPI_Datatype row_type;
  check(MPI_Type_contiguous(checked_int(row_bytes, "a row"), MPI_BYTE, &row_type), "MPI_Type_contiguous");
  check(MPI_Type_commit(&row_type), "MPI_Type_commit");
  const std::size_t count = rows.size() / row_bytes;
  int code = MPI_SUCCESS;
  for (std::size_t begin = 0; begin < count && code == MPI_SUCCESS; begin += kMaxPiece) {
    const std::size_t n = std::min(kMaxPiece, count - begin);
    code = MPI_Allreduce(MPI_IN_PLACE, rows.data() + begin * row_bytes, static_cast<int>(n), row_type, int8_rows_sum_,
                         MPI_COMM_WORLD);
  }
  MPI_Type_free(&row_type);
  check(code, "MPI_Allreduce");
}

void MpiCommunicator::broadcast(std::vector<char>& bytes, int root) {
  std::uint64_t size = bytes.size();
  check(MPI_Bcast(&size, 1, MPI_UINT64_T, root, MPI_COMM_WORLD), "MPI_Bcast");
  bytes.resize(size);
  for (std::size_t begin = 0; begin < size; begin += kMaxPiece) {
    const std::size_t n = std::min<std::size_t>(kMaxPiece, size - begin);
    check(MPI_Bcast(bytes.data() + begin, static_cast<int>(n), MPI_CHAR, root, MPI_COMM_WORLD), "MPI_Bcast");
  }
}

std::vector<std::vector<char>> MpiCommunicator::gather(std::span<const char> bytes, int root) {
  const int mine = checked_int(bytes.size(), "a process's part of a gather");
  std::vector<int> sizes(rank_ == root ? static_cast<std::size_t>(size_) : 0);
  check(MPI_Gather(&mine, 1, MPI_INT, sizes.data(), 1, MPI_INT, root, MPI_COMM_WORLD), "MPI_Gather");
  std::vector<int> offsets(sizes.size());
  std::size_t total = 0;
  for (std::size_t r = 0; r < sizes.size(); ++r) {
    offsets[r] = checked_int(total, "a gather");
    total += static_cast<std::size_t>(sizes[r]);
  }
  std::vector<char> joined(total);
  check(MPI_Gatherv(bytes.data(), mine, MPI_CHAR, joined.data(), sizes.data(), offsets.data(), MPI_CHAR, root,
                    MPI_COMM_WORLD),
        "MPI_Gatherv");
  std::vector<std::vector<char>> all;
  for (std::size_t r = 0; r < sizes.size(); ++r)
    all.emplace_back(joined.begin() + offsets[r], joined.begin() + offsets[r] + sizes[r]);
  return all;
}

std::vector<std::vector<char>> MpiCommunicator::all_to_all(std::vector<std::vector<char>> to_each) {
  const auto n = static_cast<std::size_t>(size_);
  if (to_each.size() != n) throw Error("MPI: all_to_all needs a part per process");
  std::vector<std::uint64_t> send_sizes(n), receive_sizes(n);
  for (std::size_t r = 0; r < n; ++r) send_sizes[r] = to_each[r].size();
  check(MPI_Alltoall(send_sizes.data(), 1, MPI_UINT64_T, receive_sizes.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD),
        "MPI_Alltoall");
  // This process's own part stays here; only the others travel.
  const auto me = static_cast<std::size_t>(rank_);
  std::vector<std::vector<char>> received(n);
  received[me] = std::move(to_each[me]);
  send_sizes[me] = receive_sizes[me] = 0;
  to_each[me].clear();
  for (std::size_t r = 0; r < n; ++r)
    if (r != me) received[r].resize(receive_sizes[r]);
  // MPI counts and offsets are ints: rounds of at most kPiece bytes per pair
  // (and 2 GB per process), as many as the largest part of any process needs
  // (every process takes part in each).
  const std::size_t kPiece = std::min<std::size_t>(std::size_t{1} << 28, INT_MAX / n);
  std::vector<std::uint64_t> largest(n, 0);
  largest[me] =
      std::max(*std::max_element(send_sizes.begin(), send_sizes.end()),
               *std::max_element(receive_sizes.begin(), receive_sizes.end()));
  sum(largest);
  const std::uint64_t rounds = (*std::max_element(largest.begin(), largest.end()) + kPiece - 1) / kPiece;
  std::vector<int> send_counts(n), send_offsets(n), receive_counts(n), receive_offsets(n);
  std::vector<char> send, receive;
  for (std::uint64_t round = 0; round < rounds; ++round) {
    const std::size_t from = round * kPiece;
    const auto piece = [&](std::uint64_t size) { return size > from ? std::min<std::size_t>(kPiece, size - from) : 0; };
    send.clear();
    std::size_t receive_total = 0;
    for (std::size_t r = 0; r < n; ++r) {
      send_offsets[r] = static_cast<int>(send.size());
      send_counts[r] = static_cast<int>(piece(send_sizes[r]));
      send.insert(send.end(), to_each[r].begin() + static_cast<std::ptrdiff_t>(std::min(from, to_each[r].size())),
                  to_each[r].begin() + static_cast<std::ptrdiff_t>(std::min(from, to_each[r].size()) + send_counts[r]));
      receive_offsets[r] = checked_int(receive_total, "an all-to-all round");
      receive_counts[r] = static_cast<int>(piece(receive_sizes[r]));
      receive_total += static_cast<std::size_t>(receive_counts[r]);
    }
    checked_int(send.size(), "an all-to-all round");
    receive.resize(receive_total);
    check(MPI_Alltoallv(send.data(), send_counts.data(), send_offsets.data(), MPI_CHAR, receive.data(),
                        receive_counts.data(), receive_offsets.data(), MPI_CHAR, MPI_COMM_WORLD),
          "MPI_Alltoallv");
    for (std::size_t r = 0; r < n; ++r)
      if (r != me)
        std::copy_n(receive.begin() + receive_offsets[r], receive_counts[r], received[r].begin() + static_cast<std::ptrdiff_t>(from));
  }
  return received;
}

void MpiCommunicator::abort(int exit_code) {
  MPI_Abort(MPI_COMM_WORLD, exit_code);
  std::_Exit(exit_code);
}

}  // namespace wordvec
