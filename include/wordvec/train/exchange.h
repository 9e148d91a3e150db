// What a distributed run's exchange (a collective that combines the
// processes' models, see dist/model_sync.h) tells each trainer.
#pragma once

#include <cstdint>

namespace wordvec {

struct ExchangeResult {
  std::uint64_t words_done = 0;  // units of work (words, records) by every process, since the run began
  bool all_finished = false;
  bool snapshot = false;  // every process saves a snapshot now
};

}  // namespace wordvec
