// Fuzzes the vector parsers (word2vec binary and text, GloVe, fastText .vec,
// and .npy with its word list): any bytes give vectors or an Error, never a
// crash, a hang, an absurd allocation or a read past the data. The bytes go to
// parse_vectors in exact-size heap buffers, where AddressSanitizer sees a read
// one byte past the end (past a memory-mapped file it cannot). The first byte
// picks .npy mode, where the rest is split into the matrix and its word list.
#include <cstring>
#include <memory>

#include "wordvec/core/error.h"
#include "wordvec/io/vectors_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool npy = data[0] & 1;
  ++data, --size;
  const std::size_t cut = npy ? size / 2 : size;
  std::unique_ptr<char[]> matrix(new char[cut]), words(new char[size - cut]);
  if (cut > 0) std::memcpy(matrix.get(), data, cut);
  if (size > cut) std::memcpy(words.get(), data + cut, size - cut);
  try {
    const wordvec::WordVectors v =
        wordvec::parse_vectors("fuzz.npy", {matrix.get(), cut}, {words.get(), size - cut});
    if (v.words.size() != v.vectors.rows()) __builtin_trap();
  } catch (const wordvec::Error&) {
  }
  return 0;
}
