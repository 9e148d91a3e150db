// Fuzzes the model file reader: any bytes give a model or an Error naming the
// file, never a crash, a read past the data or an allocation the file cannot
// back; a model that reads also yields its vectors (the query path) or an
// Error. The bytes go to ModelFile::parse in an exact-size heap buffer. When
// the first byte is odd, the harness recomputes the trailing XXH3 checksum so
// that mutations get past it to the header and table checks.
#include <xxhash.h>

#include <cstring>
#include <vector>

#include "wordvec/core/error.h"
#include "wordvec/io/model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool fix_checksum = data[0] & 1;
  std::vector<std::uint8_t> bytes(data + 1, data + size);
  if (fix_checksum && bytes.size() >= 8) {
    const std::uint64_t sum = XXH3_64bits(bytes.data(), bytes.size() - 8);
    std::memcpy(bytes.data() + bytes.size() - 8, &sum, 8);
  }
  try {
    const wordvec::ModelFile model =
        wordvec::ModelFile::parse("fuzz.wvm", {reinterpret_cast<const char*>(bytes.data()), bytes.size()});
    const wordvec::WordVectors v = wordvec::model_vectors(model);
    if (v.words.size() != v.vectors.rows()) __builtin_trap();
  } catch (const wordvec::Error&) {
  }
  return 0;
}
