#include "wordvec/dist/communicator.h"

#include <barrier>
#include <stdexcept>

#include "wordvec/simd/half.h"
#include "wordvec/simd/kernels.h"

namespace wordvec {

// What the members see of each other: each publishes a view of its data,
// then all meet at the barrier before anyone reads, and again before anyone
// writes what it read (so no member reads data that is being overwritten).
struct InProcessGroup::Shared {
  explicit Shared(int size) : meeting(size), views(size), lists(size) {}
  std::barrier<> meeting;
  std::vector<std::span<const char>> views;
  std::vector<const std::vector<std::vector<char>>*> lists;  // all_to_all's parts
};

class InProcessGroup::Member final : public Communicator {
 public:
  Member(Shared& shared, int rank) : shared_(shared), rank_(rank), kernels_(select_kernels()) {}
  int rank() const override { return rank_; }
  int size() const override { return static_cast<int>(shared_.views.size()); }
  void sum(std::span<float> values) override { sum_of(values); }
  void sum(std::span<std::uint64_t> values) override { sum_of(values); }
  void sum(std::span<double> values) override { sum_of(values); }
  // Summed as floats, rounded once.
  void sum_halves(std::span<std::uint16_t> values) override {
    std::vector<float> floats(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) floats[i] = float_from_half(values[i]);
    sum_of(std::span<float>(floats));
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = half_from_float(floats[i]);
  }
  // Added in rank order, as a chain of MPI reductions would.
  void sum_int8_rows(std::span<char> rows, std::size_t cols) override {
    publish({rows.data(), rows.size()});
    const std::size_t count = rows.size() / int8_row_bytes(cols);
    std::vector<char> total(shared_.views[0].begin(), shared_.views[0].end());
    for (std::size_t r = 1; r < shared_.views.size(); ++r) {
      if (shared_.views[r].size() != rows.size()) throw std::logic_error("InProcessGroup: sum of different sizes");
      kernels_.add_int8_rows(shared_.views[r].data(), total.data(), count, cols);
    }
    shared_.meeting.arrive_and_wait();
    std::copy(total.begin(), total.end(), rows.begin());
  }

  void broadcast(std::vector<char>& bytes, int root) override {
    publish(bytes);
    if (rank_ != root) bytes.assign(shared_.views[root].begin(), shared_.views[root].end());
    shared_.meeting.arrive_and_wait();
  }

  std::vector<std::vector<char>> gather(std::span<const char> bytes, int root) override {
    publish(bytes);
    std::vector<std::vector<char>> all;
    if (rank_ == root)
      for (const auto& view : shared_.views) all.emplace_back(view.begin(), view.end());
    shared_.meeting.arrive_and_wait();
    return all;
  }

  std::vector<std::vector<char>> all_to_all(std::vector<std::vector<char>> to_each) override {
    if (to_each.size() != shared_.views.size()) throw std::logic_error("InProcessGroup: all_to_all needs a part per member");
    // Each publishes its whole list; member r then reads part r of every list.
    shared_.lists[rank_] = &to_each;
    shared_.meeting.arrive_and_wait();
    std::vector<std::vector<char>> received;
    for (const auto* list : shared_.lists) received.push_back((*list)[rank_]);
    shared_.meeting.arrive_and_wait();
    return received;
  }

 private:
  void publish(std::span<const char> bytes) {
    shared_.views[rank_] = bytes;
    shared_.meeting.arrive_and_wait();
  }

  template <class T>
  void sum_of(std::span<T> values) {
    publish({reinterpret_cast<const char*>(values.data()), values.size_bytes()});
    std::vector<T> total(values.size(), T{0});
    for (const auto& view : shared_.views) {
      if (view.size() != values.size_bytes()) throw std::logic_error("InProcessGroup: sum of different sizes");
      const T* other = reinterpret_cast<const T*>(view.data());
      for (std::size_t i = 0; i < total.size(); ++i) total[i] += other[i];
    }
    shared_.meeting.arrive_and_wait();
    std::copy(total.begin(), total.end(), values.begin());
  }

  Shared& shared_;
  int rank_;
  Kernels kernels_;
};

InProcessGroup::InProcessGroup(int size) : shared_(std::make_unique<Shared>(size)) {
  for (int r = 0; r < size; ++r) members_.push_back(std::make_unique<Member>(*shared_, r));
}

InProcessGroup::~InProcessGroup() = default;

Communicator& InProcessGroup::communicator(int rank) { return *members_.at(static_cast<std::size_t>(rank)); }

}  // namespace wordvec
