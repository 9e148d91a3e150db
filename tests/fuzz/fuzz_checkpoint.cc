// Fuzzes the checkpoint reader: any bytes give a checkpoint or an Error naming
// the file, never a crash or an allocation the file cannot back; a checkpoint
// that reads also gives a run state or an Error.
#include "fuzz_input.h"
#include "wordvec/checkpoint.h"
#include "wordvec/error.h"
#include "wordvec/sgns.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wordvec::fuzz::MemoryFile file(data, size);
  try {
    const wordvec::Checkpoint c = wordvec::read_checkpoint(file.path());
    if (c.kind == "sgns") wordvec::SgnsRunState::from_numbers(c.state);
  } catch (const wordvec::Error&) {
  }
  return 0;
}
