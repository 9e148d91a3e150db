// Fuzzes the co-occurrence file reader: any bytes give the file's contents or
// an Error naming the file, never a crash or an allocation the file cannot back.
#include "fuzz_input.h"
#include "wordvec/cooccurrence.h"
#include "wordvec/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wordvec::fuzz::MemoryFile file(data, size);
  try {
    const wordvec::CooccurrenceFile f = wordvec::read_cooccurrences(file.path());
    for (const auto& r : f.records)
      if (r.row >= f.vocab.size() || r.col >= f.vocab.size()) __builtin_trap();
  } catch (const wordvec::Error&) {
  }
  return 0;
}
