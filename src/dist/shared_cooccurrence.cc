#include "wordvec/dist/shared_cooccurrence.h"

#include <cstring>

#include "wordvec/train/shuffled_records.h"

namespace wordvec {

ByteRange process_lines(const std::string& corpus_path, const Communicator& comm) {
  const std::vector<ByteRange> parts =
      split_at_line_breaks(corpus_path, {0, corpus_file_size(corpus_path)}, static_cast<unsigned>(comm.size()));
  return parts.at(static_cast<std::size_t>(comm.rank()));
}

std::vector<CooccurrenceRecord> owned_cooccurrences(Communicator& comm, std::vector<CooccurrenceRecord> counted) {
  const int processes = comm.size();
  std::vector<std::vector<char>> to_each(static_cast<std::size_t>(processes));
  for (const CooccurrenceRecord& r : counted) {
    std::vector<char>& out = to_each[static_cast<std::size_t>(row_owner(r.row, processes))];
    const char* bytes = reinterpret_cast<const char*>(&r);
    out.insert(out.end(), bytes, bytes + sizeof r);
  }
  std::vector<CooccurrenceRecord>().swap(counted);
  const std::vector<std::vector<char>> received = comm.all_to_all(to_each);
  to_each.clear();
  std::vector<CooccurrenceRecord> owned;
  for (const std::vector<char>& bytes : received) {
    const std::size_t at = owned.size();
    owned.resize(at + bytes.size() / sizeof(CooccurrenceRecord));
    std::memcpy(owned.data() + at, bytes.data(), bytes.size() / sizeof(CooccurrenceRecord) * sizeof(CooccurrenceRecord));
  }
  return merge_cooccurrences(std::move(owned), {});
}

std::vector<std::size_t> arrange_rounds(const Communicator& comm, std::vector<CooccurrenceRecord>& records,
                                        std::uint64_t seed) {
  const int processes = comm.size();
  const auto round_of = [&](const CooccurrenceRecord& r) {
    return static_cast<std::size_t>((row_owner(r.col, processes) - comm.rank() + processes) % processes);
  };
  std::vector<std::vector<CooccurrenceRecord>> rounds(static_cast<std::size_t>(processes));
  for (const CooccurrenceRecord& r : records) rounds[round_of(r)].push_back(r);
  records.clear();
  std::vector<std::size_t> ends;
  for (std::size_t s = 0; s < rounds.size(); ++s) {
    shuffle_records(rounds[s], seed + s);
    records.insert(records.end(), rounds[s].begin(), rounds[s].end());
    std::vector<CooccurrenceRecord>().swap(rounds[s]);
    ends.push_back(records.size());
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
