#include "wordvec/io/cooccurrence_file.h"

#include <cmath>
#include <cstring>

#include "core/binary_file.h"
#include "wordvec/core/error.h"

namespace wordvec {

namespace {
constexpr char kMagic[8] = {'W', 'V', 'C', 'O', 'O', 'C', '0', '1'};
}  // namespace

struct CooccurrenceWriter::Impl {
  BinaryWriter out;
  std::uint64_t records = 0;
  explicit Impl(const std::string& path) : out(path) {}
};

CooccurrenceWriter::CooccurrenceWriter(const std::string& path, const Vocabulary& vocab,
                                       const CooccurrenceFileHeader& header)
    : impl_(std::make_unique<Impl>(path)) {
  BinaryWriter& out = impl_->out;
  out.put(kMagic, sizeof kMagic);
  const std::uint32_t fields[3] = {static_cast<std::uint32_t>(header.window), header.distance_weighting ? 1u : 0u,
                                   static_cast<std::uint32_t>(vocab.size())};
  out.put(fields, sizeof fields);
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    out.put_value(static_cast<std::uint32_t>(vocab.word(i).size()));
    out.put(vocab.word(i).data(), vocab.word(i).size());
    out.put_value(vocab.count(i));
  }
}

CooccurrenceWriter::~CooccurrenceWriter() = default;

void CooccurrenceWriter::write(std::span<const CooccurrenceRecord> records) {
  impl_->out.put(records.data(), records.size_bytes());
  impl_->records += records.size();
}

void CooccurrenceWriter::commit() {
  // The record count and the checksum close the file, so it can be streamed.
  impl_->out.put_value(impl_->records);
  impl_->out.commit();
}

CooccurrenceFile read_cooccurrences(const std::string& path) {
  BinaryReader in(path);
  char magic[8];
  in.get(magic, sizeof magic, "the magic number");
  if (std::memcmp(magic, kMagic, sizeof magic) != 0)
    throw file_error(path, "not a wordvec co-occurrence file (wrong magic number)");
  std::uint32_t fields[3];
  in.get(fields, sizeof fields, "the header");
  CooccurrenceFile result;
  result.header.window = static_cast<int>(fields[0]);
  result.header.distance_weighting = fields[1] != 0;
  const std::uint32_t vocab_size = fields[2];
  if (vocab_size == 0 || vocab_size > in.remaining() / 13)
    throw file_error(path, "the header's vocabulary size " + std::to_string(vocab_size) +
                               " is more than the file can hold (truncated, or not a co-occurrence file)");
  std::vector<std::pair<std::string, std::uint64_t>> counts(vocab_size);
  for (auto& [word, count] : counts) {
    const auto length = in.get_value<std::uint32_t>("a word's length");
    if (length == 0 || length > kMaxTokenBytes)
      throw file_error(path, "bad word length " + std::to_string(length) + " at byte " + std::to_string(in.offset()));
    word.resize(length);
    in.get(word.data(), length, "a word");
    count = in.get_value<std::uint64_t>("a word's count");
  }
  if (in.remaining() < 8) throw file_error(path, "truncated (no record count)");
  const std::uint64_t record_bytes = in.remaining() - 8;
  if (record_bytes % sizeof(CooccurrenceRecord) != 0) throw file_error(path, "truncated (a partial record)");
  result.records.resize(record_bytes / sizeof(CooccurrenceRecord));
  in.get(result.records.data(), record_bytes, "the records");
  const auto records = in.get_value<std::uint64_t>("the record count");
  in.verify_checksum();
  if (records != result.records.size())
    throw file_error(path, "the record count " + std::to_string(records) + " disagrees with the file size");
  result.vocab = Vocabulary(std::move(counts), VocabOptions{0, 0, 0});
  if (result.vocab.size() != vocab_size) throw file_error(path, "the vocabulary lists a word twice");
  for (std::size_t i = 0; i < result.records.size(); ++i) {
    const CooccurrenceRecord& r = result.records[i];
    if (r.row >= vocab_size || r.col >= vocab_size || !(r.value > 0) || !std::isfinite(r.value))
      throw file_error(path, "record " + std::to_string(i) + " is outside the vocabulary or not a positive count");
  }
  return result;
}

}  // namespace wordvec
