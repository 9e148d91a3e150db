// Fuzzes the checkpoint reader: any bytes give a checkpoint or an Error naming
// the file, never a crash or an allocation the file cannot back; a checkpoint
// that reads also resumes (options, model, run state) or gives an Error. When the first byte is odd,
// the harness recomputes the trailing checksum so that mutations get past it.
#include "fuzz_input.h"
#include "wordvec/io/checkpoint.h"
#include "wordvec/core/error.h"
#include "wordvec/train/sgns.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool fix_checksum = data[0] & 1;
  const std::vector<std::uint8_t> bytes = wordvec::fuzz::with_checksum(data + 1, size - 1, fix_checksum);
  wordvec::fuzz::MemoryFile file(bytes.data(), bytes.size());
  try {
    wordvec::Checkpoint c = wordvec::read_checkpoint(file.path());
    if (c.kind == "sgns")
      wordvec::sgns_resume(c);
    else
      wordvec::glove_resume(c);
  } catch (const wordvec::Error&) {
  }
  return 0;
}
