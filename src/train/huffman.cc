#include "train/huffman.h"

#include <algorithm>
#include <numeric>

#include "wordvec/core/error.h"

namespace wordvec {

HuffmanTree::HuffmanTree(const std::vector<std::uint64_t>& counts) {
  const std::size_t v = counts.size();
  if (v == 0) throw Error("a Huffman tree needs at least one word");
  // Leaves in ascending count order, then the inner nodes as they are made:
  // both queues stay sorted, so the two smallest are always at their fronts
  // (the linear-time construction word2vec uses).
  std::vector<std::int32_t> leaves(v);
  std::iota(leaves.begin(), leaves.end(), 0);
  std::stable_sort(leaves.begin(), leaves.end(), [&](std::int32_t a, std::int32_t b) { return counts[a] < counts[b]; });
  std::vector<std::uint64_t>& inner_count = inner_counts_;
  inner_count.assign(v > 1 ? v - 1 : 0, 0);
  // Node ids: leaves 0..v-1 (word ids), inner nodes v..2v-2.
  std::vector<std::int64_t> parent(2 * v - 1, -1);
  std::vector<std::uint8_t> branch(2 * v - 1, 0);
  std::size_t next_leaf = 0, next_inner = 0;
  const auto count_of = [&](std::size_t node) { return node < v ? counts[node] : inner_count[node - v]; };
  const auto pop_smallest = [&](std::size_t made) {
    const bool leaf = next_leaf < v && (next_inner >= made || counts[leaves[next_leaf]] <= inner_count[next_inner]);
    return leaf ? static_cast<std::size_t>(leaves[next_leaf++]) : v + next_inner++;
  };
  for (std::size_t made = 0; made + 1 < v; ++made) {
    const std::size_t a = pop_smallest(made), b = pop_smallest(made);
    inner_count[made] = count_of(a) + count_of(b);
    parent[a] = parent[b] = static_cast<std::int64_t>(v + made);
    branch[b] = 1;
  }
  // Paths from the root down: walk up from each leaf, then reverse.
  offsets_.assign(v + 1, 0);
  std::vector<std::int32_t> path;
  std::vector<std::uint8_t> bits;
  for (std::size_t w = 0; w < v; ++w) {
    path.clear();
    bits.clear();
    for (std::size_t node = w; parent[node] >= 0; node = static_cast<std::size_t>(parent[node])) {
      bits.push_back(branch[node]);
      path.push_back(static_cast<std::int32_t>(parent[node] - static_cast<std::int64_t>(v)));
    }
    nodes_.insert(nodes_.end(), path.rbegin(), path.rend());
    codes_.insert(codes_.end(), bits.rbegin(), bits.rend());
    offsets_[w + 1] = nodes_.size();
    max_depth_ = std::max(max_depth_, path.size());
  }
}

double HuffmanTree::mean_depth(const std::vector<std::uint64_t>& counts) const {
  double weighted = 0, total = 0;
  for (std::size_t w = 0; w < words(); ++w) {
    weighted += static_cast<double>(counts[w]) * static_cast<double>(offsets_[w + 1] - offsets_[w]);
    total += static_cast<double>(counts[w]);
  }
  return total > 0 ? weighted / total : 0;
}

std::size_t HuffmanTree::busy_nodes(double share) const {
  if (inner_counts_.empty()) return 0;
  const double threshold = share * static_cast<double>(inner_counts_.back());  // the root's: every path
  const auto first_busy = std::lower_bound(inner_counts_.begin(), inner_counts_.end(), threshold,
                                           [](std::uint64_t count, double t) { return static_cast<double>(count) < t; });
  return static_cast<std::size_t>(inner_counts_.end() - first_busy);
}

}  // namespace wordvec
