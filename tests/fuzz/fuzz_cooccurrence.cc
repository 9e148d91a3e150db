// Fuzzes the co-occurrence file reader: any bytes give the file's contents or
// an Error naming the file, never a crash or an allocation the file cannot
// back. When the first byte is odd, the harness recomputes the trailing
// checksum, so that mutations reach the parser behind it instead of stopping
// at "checksum mismatch".
#include "fuzz_input.h"
#include "wordvec/io/cooccurrence_file.h"
#include "wordvec/train/cooccurrence.h"
#include "wordvec/core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool fix_checksum = data[0] & 1;
  const std::vector<std::uint8_t> bytes = wordvec::fuzz::with_checksum(data + 1, size - 1, fix_checksum);
  wordvec::fuzz::MemoryFile file(bytes.data(), bytes.size());
  try {
    const wordvec::CooccurrenceFile f = wordvec::read_cooccurrences(file.path());
    for (const auto& r : f.records)
      if (r.row >= f.vocab.size() || r.col >= f.vocab.size()) __builtin_trap();
  } catch (const wordvec::Error&) {
  }
  return 0;
}
