#include "wordvec/dist/shared_cooccurrence.h"

#include <cstring>
#include <queue>

#include "wordvec/train/shuffled_records.h"

namespace wordvec {

ByteRange process_lines(const std::string& corpus_path, const Communicator& comm) {
  const std::vector<ByteRange> parts =
      split_at_line_breaks(corpus_path, {0, corpus_file_size(corpus_path)}, static_cast<unsigned>(comm.size()));
  return parts.at(static_cast<std::size_t>(comm.rank()));
}

void CooccurrenceRouter::add(std::span<const CooccurrenceRecord> batch) {
  const int processes = static_cast<int>(parts_.size());
  for (const CooccurrenceRecord& r : batch) {
    std::vector<char>& part = parts_[static_cast<std::size_t>(row_owner(r.row, processes))];
    const std::size_t at = part.size();
    part.resize(at + sizeof r);
    std::memcpy(part.data() + at, &r, sizeof r);
  }
}

namespace {

std::uint64_t cell_of(const CooccurrenceRecord& r) { return std::uint64_t{r.row} << 32 | r.col; }

// A part of an exchange read as records (its bytes need not be aligned).
class RecordPart {
 public:
  explicit RecordPart(const std::vector<char>& bytes) : bytes_(bytes.data()), size_(bytes.size() / sizeof(CooccurrenceRecord)) {}
  std::size_t size() const { return size_; }
  CooccurrenceRecord operator[](std::size_t i) const {
    CooccurrenceRecord r;
    std::memcpy(&r, bytes_ + i * sizeof r, sizeof r);
    return r;
  }
  bool sorted() const {
    for (std::size_t i = 1; i < size_; ++i)
      if (cell_of((*this)[i]) < cell_of((*this)[i - 1])) return false;
    return true;
  }

 private:
  const char* bytes_;
  std::size_t size_;
};

// Sorted parts merged into one sorted list, a cell's records summed in part
// order (a heap of the parts' next cells; ties go to the lower part).
std::vector<CooccurrenceRecord> merge_sorted_parts(const std::vector<RecordPart>& parts, std::size_t total) {
  struct Head {
    std::uint64_t cell;
    std::size_t part;
  };
  const auto later = [](const Head& a, const Head& b) { return a.cell != b.cell ? a.cell > b.cell : a.part > b.part; };
  std::priority_queue<Head, std::vector<Head>, decltype(later)> heads(later);
  std::vector<std::size_t> next(parts.size(), 0);
  for (std::size_t p = 0; p < parts.size(); ++p)
    if (parts[p].size() > 0) heads.push({cell_of(parts[p][0]), p});
  std::vector<CooccurrenceRecord> merged;
  merged.reserve(total);
  while (!heads.empty()) {
    const Head head = heads.top();
    heads.pop();
    const CooccurrenceRecord r = parts[head.part][next[head.part]++];
    if (!merged.empty() && cell_of(merged.back()) == head.cell)
      merged.back().value += r.value;
    else
      merged.push_back(r);
    if (next[head.part] < parts[head.part].size()) heads.push({cell_of(parts[head.part][next[head.part]]), head.part});
  }
  return merged;
}

}  // namespace

std::vector<CooccurrenceRecord> owned_cooccurrences(Communicator& comm, CooccurrenceRouter routed) {
  const std::vector<std::vector<char>> received = comm.all_to_all(routed.take_parts());
  std::vector<RecordPart> parts(received.begin(), received.end());
  std::size_t total = 0;
  bool sorted = true;
  for (const RecordPart& part : parts) {
    total += part.size();
    sorted = sorted && part.sorted();
  }
  if (sorted) return merge_sorted_parts(parts, total);
  std::vector<CooccurrenceRecord> owned;
  owned.reserve(total);
  for (const RecordPart& part : parts)
    for (std::size_t i = 0; i < part.size(); ++i) owned.push_back(part[i]);
  return merge_cooccurrences(std::move(owned), {});
}

std::vector<CooccurrenceRecord> owned_cooccurrences(Communicator& comm, std::vector<CooccurrenceRecord> counted) {
  CooccurrenceRouter routed(comm.size());
  routed.add(counted);
  std::vector<CooccurrenceRecord>().swap(counted);
  return owned_cooccurrences(comm, std::move(routed));
}

std::vector<std::size_t> arrange_rounds(const Communicator& comm, std::vector<CooccurrenceRecord>& records,
                                        std::uint64_t seed) {
  const int processes = comm.size();
  const auto round_of = [&](const CooccurrenceRecord& r) {
    return static_cast<std::size_t>((row_owner(r.col, processes) - comm.rank() + processes) % processes);
  };
  // Counted, then scattered into one new list at each round's place.
  std::vector<std::size_t> ends(static_cast<std::size_t>(processes), 0);
  for (const CooccurrenceRecord& r : records) ++ends[round_of(r)];
  for (std::size_t s = 1; s < ends.size(); ++s) ends[s] += ends[s - 1];
  std::vector<std::size_t> at(ends.size(), 0);
  for (std::size_t s = 1; s < ends.size(); ++s) at[s] = ends[s - 1];
  std::vector<CooccurrenceRecord> arranged(records.size());
  for (const CooccurrenceRecord& r : records) arranged[at[round_of(r)]++] = r;
  records = std::move(arranged);
  for (std::size_t s = 0; s < ends.size(); ++s) {
    const std::size_t begin = s == 0 ? 0 : ends[s - 1];
    shuffle_records(std::span<CooccurrenceRecord>(records).subspan(begin, ends[s] - begin), seed + s);
  }
  return ends;
}

std::vector<CooccurrenceRecord> owned_records(const Communicator& comm, const std::vector<CooccurrenceRecord>& all) {
  std::vector<CooccurrenceRecord> owned;
  for (const CooccurrenceRecord& r : all)
    if (row_owner(r.row, comm.size()) == comm.rank()) owned.push_back(r);
  return owned;
}

}  // namespace wordvec
