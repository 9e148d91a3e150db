// The collective operations distributed training needs, behind an interface
// so that the library does not depend on MPI: the MPI build of the command
// implements it over MPI_COMM_WORLD (src/dist/mpi_communicator.cc), the unit
// tests over threads of one process (InProcessGroup). Every member is a
// collective: each participant calls it, in the same order, from one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

namespace wordvec {

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Every participant's values summed element-wise, into every participant's `values`.
  virtual void sum(std::span<float> values) = 0;
  virtual void sum(std::span<std::uint64_t> values) = 0;
  virtual void sum(std::span<double> values) = 0;
  // IEEE binary16 values (wordvec/simd/half.h) summed element-wise, rounded
  // to half after each addition or once (it depends on the implementation).
  virtual void sum_halves(std::span<std::uint16_t> values) = 0;
  // Rows of `cols` values in 8 bits (Kernels::delta_to_int8: int8_row_bytes(cols)
  // each) summed row by row, requantised after each addition.
  virtual void sum_int8_rows(std::span<char> rows, std::size_t cols) = 0;
  // `bytes` of participant `root` into every participant's `bytes` (resized).
  virtual void broadcast(std::vector<char>& bytes, int root) = 0;
  // Every participant's `bytes`, in rank order, at `root` (empty elsewhere).
  virtual std::vector<std::vector<char>> gather(std::span<const char> bytes, int root) = 0;
  // Personalised exchange: to_each[r] goes to participant r; returns what
  // each participant sent to this one, in rank order (to_each has size() parts;
  // taken by value, so that this participant's own part can stay where it is).
  virtual std::vector<std::vector<char>> all_to_all(std::vector<std::vector<char>> to_each) = 0;
};

// One process alone: every collective is the identity.
class SoloCommunicator final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void sum(std::span<float>) override {}
  void sum(std::span<std::uint64_t>) override {}
  void sum(std::span<double>) override {}
  void sum_halves(std::span<std::uint16_t>) override {}
  void sum_int8_rows(std::span<char>, std::size_t) override {}
  void broadcast(std::vector<char>&, int) override {}
  std::vector<std::vector<char>> gather(std::span<const char> bytes, int) override {
    return {std::vector<char>(bytes.begin(), bytes.end())};
  }
  std::vector<std::vector<char>> all_to_all(std::vector<std::vector<char>> to_each) override { return to_each; }
};

// `size` communicators for threads of one process (tests, and a model of a
// cluster on one machine): participant i is communicator(i), used by one thread.
class InProcessGroup {
 public:
  explicit InProcessGroup(int size);
  ~InProcessGroup();
  InProcessGroup(const InProcessGroup&) = delete;
  InProcessGroup& operator=(const InProcessGroup&) = delete;
  Communicator& communicator(int rank);

 private:
  struct Shared;
  class Member;
  std::unique_ptr<Shared> shared_;
  std::vector<std::unique_ptr<Member>> members_;
};

}  // namespace wordvec
