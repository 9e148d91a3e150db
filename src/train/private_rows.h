// A worker's own copy of a block of rows that every thread would otherwise
// write at nearly every position: hierarchical softmax's nodes next to the
// root lie on almost every path. Written Hogwild by two cores, their cache
// lines bounce between the cores at every step (two threads trained no faster
// than one). Each worker trains its copy and adds what it changed to the
// shared rows now and then (merge); the shared rows then hold every worker's
// changes, as after Hogwild, only seen by the others a merge later.
#pragma once

#include <cstddef>
#include <mutex>

#include "wordvec/core/matrix.h"

namespace wordvec {

class PrivateRows {
 public:
  // Rows [first, first + count) of `shared`; `merge_lock` is shared by every
  // worker's PrivateRows of the same rows.
  PrivateRows(Matrix& shared, std::size_t first, std::size_t count, std::mutex& merge_lock);

  // A row of `shared`: this worker's copy if it is in the block, else itself.
  float* local(float* row) const {
    return row >= shared_begin_ && row < shared_end_ ? row + (copy_begin_ - shared_begin_) : row;
  }

  // Adds the copy's changes since the last merge to the shared rows, then
  // takes the shared rows (with the other workers' merged changes) as the new copy.
  void merge();

 private:
  float* shared_begin_;
  float* shared_end_;
  std::size_t floats_;
  Matrix copy_, base_;  // the worker's rows, and the shared rows they started from
  float* copy_begin_;
  std::mutex& merge_lock_;
};

}  // namespace wordvec
