// word2vec's Huffman tree for hierarchical softmax: a word's probability is
// the product of binary decisions along its path from the root, one inner
// node (an output row) per decision; frequent words get short paths.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace wordvec {

class HuffmanTree {
 public:
  // counts: one per word, any order (ties broken by word id). Builds V - 1
  // inner nodes, numbered 0..V-2 with the root last (word2vec's numbering).
  explicit HuffmanTree(const std::vector<std::uint64_t>& counts);

  // The inner nodes from the root down to the word, and at each the branch
  // taken (0 or 1): word2vec's point and code arrays.
  std::span<const std::int32_t> nodes(std::int32_t word) const {
    return {nodes_.data() + offsets_[word], nodes_.data() + offsets_[word + 1]};
  }
  std::span<const std::uint8_t> codes(std::int32_t word) const {
    return {codes_.data() + offsets_[word], codes_.data() + offsets_[word + 1]};
  }
  std::size_t words() const { return offsets_.size() - 1; }
  std::size_t max_depth() const { return max_depth_; }
  double mean_depth(const std::vector<std::uint64_t>& counts) const;  // weighted by the counts

  // How many inner nodes lie on at least `share` of the paths taken (weighted
  // by the counts). Nodes are made in order of count, so they are the last
  // ones, numbered from V - 1 - busy_nodes(share) up to the root; every
  // ancestor of a busy node is busy, so on each path they come first.
  std::size_t busy_nodes(double share) const;

 private:
  std::vector<std::size_t> offsets_;
  std::vector<std::int32_t> nodes_;
  std::vector<std::uint8_t> codes_;
  std::vector<std::uint64_t> inner_counts_;  // per inner node: the counts of the words below it
  std::size_t max_depth_ = 0;
};

}  // namespace wordvec
