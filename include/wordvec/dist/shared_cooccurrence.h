// A distributed GloVe run's co-occurrences: each process counts the lines of
// its part of the corpus, then the records go to the process that owns their
// row (an all-to-all exchange), which sums the counts of every process. Each
// process then trains on the rows it owns; the counts it holds are exactly
// those a single process would have counted for these rows, as counting is
// exact (integer units) and windows never cross line breaks.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wordvec/dist/communicator.h"
#include "wordvec/text/corpus.h"
#include "wordvec/train/cooccurrence.h"

namespace wordvec {

// The lines this process counts: the file cut at line breaks into size() parts.
ByteRange process_lines(const std::string& corpus_path, const Communicator& comm);

// Rows are dealt out round-robin, so that every process gets its share of
// frequent and rare words (a frequent word has many more records).
inline int row_owner(std::uint32_t row, int processes) { return static_cast<int>(row % static_cast<std::uint32_t>(processes)); }

// A process's counted records sorted into one part per owning process as
// the counter hands them out, so that each record is copied once on its way
// to the exchange (the counts of half a 35M-word corpus are 0.5 GB).
class CooccurrenceRouter {
 public:
  explicit CooccurrenceRouter(int processes) : parts_(static_cast<std::size_t>(processes)) {}
  void add(std::span<const CooccurrenceRecord> batch);
  // The records for process p, as bytes (Communicator::all_to_all's parts).
  std::vector<std::vector<char>> take_parts() { return std::move(parts_); }

 private:
  std::vector<std::vector<char>> parts_;
};

// The records of the rows this process owns, each cell's counts from every
// process summed (in rank order), in (row, col) order (a collective). The
// routed records are this process's count of its lines; when each process's
// part is in (row, col) order, as the counter hands them out, the parts are
// merged, otherwise sorted.
std::vector<CooccurrenceRecord> owned_cooccurrences(Communicator& comm, CooccurrenceRouter routed);
std::vector<CooccurrenceRecord> owned_cooccurrences(Communicator& comm, std::vector<CooccurrenceRecord> counted);

// Orders this process's records for stratified training (the scheme of
// distributed matrix factorisation, Gemulla et al. 2011): round s trains the
// records whose column c has c % P == (rank + s) % P, so that in every round
// the processes change disjoint context rows as well as disjoint word rows,
// and summing their changes loses nothing. Each round's records are shuffled
// (seeded); returns where each of the P rounds ends.
std::vector<std::size_t> arrange_rounds(const Communicator& comm, std::vector<CooccurrenceRecord>& records,
                                        std::uint64_t seed);

// The records of `all` (a whole co-occurrence file) that this process owns.
std::vector<CooccurrenceRecord> owned_records(const Communicator& comm, const std::vector<CooccurrenceRecord>& all);

}  // namespace wordvec
