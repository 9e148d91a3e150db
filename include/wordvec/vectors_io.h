// Word vectors on disk. word2vec binary and text are byte-compatible with
// word2vec.c: a header "V D", then one word per row in the order given
// (descending frequency for trained vectors); text rows are "word v1 ... vD "
// with six decimals, binary rows "word " followed by D little-endian floats
// and a newline.
#pragma once

#include <string>
#include <vector>

#include "wordvec/matrix.h"

namespace wordvec {

enum class VectorFormat { Word2VecBinary, Word2VecText };

// "bin" | "text" -> format; throws Error listing the valid names.
VectorFormat parse_vector_format(const std::string& name);
const char* vector_format_name(VectorFormat format);

struct WordVectors {
  std::vector<std::string> words;
  Matrix vectors;  // one row per word, vectors.cols() = dimension
  std::size_t dim() const { return vectors.cols(); }
  std::size_t size() const { return words.size(); }
};

// Writes the first words.size() rows of `vectors` atomically (temp + rename).
void write_vectors(const std::string& path, const std::vector<std::string>& words, const Matrix& vectors,
                   VectorFormat format);

// Reads word2vec binary or text, telling which from the content. Throws Error
// naming the file and line (or byte offset) for anything malformed.
WordVectors read_vectors(const std::string& path);

}  // namespace wordvec
