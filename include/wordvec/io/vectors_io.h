// Word vectors on disk, in the formats other tools read. One module reads and
// writes them all; reading tells the format from the content.
//
//  bin    word2vec binary: "V D\n", then per word "word " + D little-endian
//         float32 + "\n" (byte-compatible with word2vec.c)
//  text   word2vec text: "V D\n", then "word v1 ... vD \n" with six decimals
//         (word2vec.c's "%lf " per value)
//  vec    fastText .vec: the same layout as text ("V D" header)
//  glove  GloVe text: no header, "word v1 ... vD\n"
//  npy    NumPy .npy float32 matrix (V, D), C order, with the words in a
//         sidecar text file beside it, one per line in the same order
//         (vectors.npy -> vectors.words.txt)
//  model  a wordvec model file (train --save-model), read only: its vectors
//
// Rows keep their order (trained vectors: descending frequency), which
// evaluation with a vocabulary restriction depends on.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wordvec/core/matrix.h"
#include "wordvec/text/subwords.h"

namespace wordvec {

// Model: a wordvec model file (io/model_file.h), read for its vectors; never written here.
// Projector: TensorBoard's embedding projector (projector.tensorflow.org):
// a folder with vectors.tsv (tab-separated values) and metadata.tsv (the
// words), written only.
enum class VectorFormat { Word2VecBinary, Word2VecText, FastTextVec, GloveText, Npy, Model, Projector };

// "bin" | "text" | "vec" | "glove" | "npy" | "projector" -> format; throws Error listing the valid names.
VectorFormat parse_vector_format(const std::string& name);
const char* vector_format_name(VectorFormat format);
// The sidecar word list of an .npy file: "x.npy" -> "x.words.txt".
std::string npy_words_path(const std::string& npy_path);

// Every file write_vectors(path, ..., format) writes: the path, and for npy
// its word list. For FilePlan: each must be checked against the inputs.
std::vector<std::string> vector_files_written(const std::string& path, VectorFormat format);
// Every file read_vectors(path) reads: the path, and for an .npy file (told
// by its content, as read_vectors does) its word list.
std::vector<std::string> vector_files_read(const std::string& path);

// The n-gram bucket rows of a subword model (train --subwords --save-model):
// a vector for any word from the n-grams it has.
struct SubwordRows {
  SubwordOptions options;
  Matrix buckets;  // options.buckets x dim
  bool has_ngrams(std::string_view word) const;
  // The mean of the word's n-gram rows into out (dim floats); false when it has none.
  bool vector_of(std::string_view word, float* out) const;
};

struct WordVectors {
  std::vector<std::string> words;
  Matrix vectors;  // one row per word, vectors.cols() = dimension
  VectorFormat format = VectorFormat::Word2VecBinary;  // as read
  std::size_t duplicates_dropped = 0;  // later rows of a word already read (the first is kept)
  std::string first_duplicate{};       // "file:line: word" of the first one dropped, for a warning
  std::shared_ptr<const SubwordRows> subwords{};  // a subword model's n-grams; null: only these words
  std::size_t dim() const { return vectors.cols(); }
  std::size_t size() const { return words.size(); }
};

// Writes the first `count` rows (all words if count is 0 or larger) atomically
// (temp file + rename; for npy both files).
void write_vectors(const std::string& path, const std::vector<std::string>& words, const Matrix& vectors,
                   VectorFormat format, std::size_t count = 0);

// Reads any of the formats, telling which from the content. Throws Error
// naming the file and line (or byte offset) for anything malformed: a bad
// header, counts that disagree with the body, a row with too few or too many
// values, a non-numeric, NaN or infinite value, a truncated binary file.
WordVectors read_vectors(const std::string& path);

// The same parsers over bytes in memory (`name` is used in messages; for
// .npy data, `npy_words` holds the word list). read_vectors maps the file and
// calls this; the fuzzer calls it on an exact-size heap buffer, where
// AddressSanitizer sees a read past the end (it cannot past a mapped file).
WordVectors parse_vectors(const std::string& name, std::string_view data, std::string_view npy_words = {});

// Scales every row to unit length (zero rows stay zero).
void normalize_rows(Matrix& vectors);

}  // namespace wordvec
