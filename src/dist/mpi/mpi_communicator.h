// The Communicator of an MPI job: MPI_COMM_WORLD. Built only into the MPI
// build of the command (make mpi); the library itself never links MPI.
#pragma once

#include <mpi.h>

#include <string>

#include "wordvec/dist/communicator.h"

namespace wordvec {

class MpiCommunicator final : public Communicator {
 public:
  // MPI_Init_thread (collectives come from one thread at a time: the
  // training call's); MPI_Finalize in the destructor. Errors are returned
  // as codes (MPI_ERRORS_RETURN) and thrown as Error naming the call.
  MpiCommunicator(int* argc, char*** argv);
  ~MpiCommunicator() override;
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void sum(std::span<float> values) override;
  void sum(std::span<std::uint64_t> values) override;
  void sum(std::span<double> values) override;
  void sum_halves(std::span<std::uint16_t> values) override;
  void sum_int8_rows(std::span<char> rows, std::size_t cols) override;
  void broadcast(std::vector<char>& bytes, int root) override;
  std::vector<std::vector<char>> gather(std::span<const char> bytes, int root) override;
  std::vector<std::vector<char>> all_to_all(std::vector<std::vector<char>> to_each) override;
  // Ends every process of the job (after a failure on this one): never returns.
  [[noreturn]] void abort(int exit_code);
  // Whether this process was started by mpirun/srun (as a rank of a job).
  static bool launched_by_mpi();
  // The MPI library's name and version (callable before MPI_Init).
  static std::string library_version();

 private:
  int rank_ = 0, size_ = 1;
  MPI_Op half_sum_ = MPI_OP_NULL;  // adds halves (MPI has no half type)
  MPI_Op int8_rows_sum_ = MPI_OP_NULL;  // adds rows in 8 bits
};

}  // namespace wordvec
