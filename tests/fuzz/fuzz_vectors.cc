// Fuzzes the vector readers (word2vec binary and text, GloVe, fastText .vec,
// and .npy with its word list): any bytes give vectors or an Error, never a
// crash, a hang or an absurd allocation. The first byte picks .npy mode, where
// the rest is split into the matrix file and its word list.
#include <cstring>
#include <filesystem>
#include <fstream>

#include "fuzz_input.h"
#include "wordvec/error.h"
#include "wordvec/vectors_io.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bool npy = data[0] & 1;
  ++data, --size;
  try {
    if (!npy) {
      wordvec::fuzz::MemoryFile file(data, size);
      const wordvec::WordVectors v = wordvec::read_vectors(file.path());
      if (v.words.size() != v.vectors.rows()) __builtin_trap();
    } else {
      // .npy needs a real name (the word list sits beside it): a per-process folder in /dev/shm.
      static const std::string folder = "/dev/shm/wordvec-fuzz-" + std::to_string(::getpid());
      std::filesystem::create_directories(folder);
      const std::size_t cut = size / 2;
      std::ofstream(folder + "/m.npy", std::ios::binary).write(reinterpret_cast<const char*>(data), cut);
      std::ofstream(folder + "/m.words.txt", std::ios::binary)
          .write(reinterpret_cast<const char*>(data + cut), size - cut);
      const wordvec::WordVectors v = wordvec::read_vectors(folder + "/m.npy");
      if (v.words.size() != v.vectors.rows()) __builtin_trap();
    }
  } catch (const wordvec::Error&) {
  }
  return 0;
}
