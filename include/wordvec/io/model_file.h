// Model files (train --save-model, --continue, info, queries): the whole
// trained model in one versioned binary file, so that training can go on
// later. docs/model-format.md specifies the bytes for other tools.
//
//   magic "\x89WVM\r\n\x1a\n", u32 format version, u32 0,
//   the kind ("sgns" or "glove"), the settings (name/value text pairs: the
//   options structs' own schema, the run's inputs and normalisation, the
//   training history "model.*"), the vocabulary (word, count) in row order,
//   a table of named float32 matrices (rows, columns, byte offset), the
//   matrices (each 64-byte aligned, rows dense), and an XXH3-64 checksum of
//   every byte before it. Little-endian throughout.
//
// Reading maps the file: matrices are views into it, copied where a trainer
// needs them and then given back, so a model is never resident twice.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wordvec/core/settings.h"
#include "wordvec/io/vectors_io.h"
#include "wordvec/text/vocabulary.h"
#include "wordvec/train/cooccurrence.h"
#include "wordvec/train/glove.h"
#include "wordvec/train/sgns.h"

namespace wordvec {

class MappedFile;  // core/mapped_file.h

inline constexpr std::uint32_t kModelFormatVersion = 1;

// Whether the file starts with a model file's magic number (false when it
// cannot be read: the reader that follows says why).
bool is_model_file(const std::string& path);

// One named matrix of a model file being written: fill(row, out) writes the
// row's `cols` floats to out.
struct ModelMatrixSource {
  std::string name;
  std::size_t rows = 0, cols = 0;
  std::function<void(std::size_t row, float* out)> fill;
};

// Writes a model file atomically. Throws Error naming the file.
void write_model_file(const std::string& path, const std::string& kind, const Settings& settings,
                      const Vocabulary& vocab, const std::vector<ModelMatrixSource>& matrices);

struct ModelMatrixInfo {
  std::string name;
  std::uint64_t rows = 0, cols = 0, offset = 0;  // offset: of its first float, from the file's start
};

class ModelFile {
 public:
  // Maps the file and checks it: magic number, version, the sizes in its
  // header against the file's, the checksum. Throws Error naming the file:
  // another kind of file (a checkpoint or vectors: what to do instead), a
  // newer version, a truncated or corrupt file.
  static ModelFile open(const std::string& path);
  // The same over bytes the caller keeps alive (the fuzzer); `name` is used in messages.
  static ModelFile parse(const std::string& name, std::string_view data);
  // Whether these first bytes are a model file's magic number.
  static bool has_magic(std::string_view head);

  const std::string& name() const { return name_; }
  std::uint32_t version() const { return version_; }
  const std::string& kind() const { return kind_; }  // "sgns" or "glove"
  const Settings& settings() const { return settings_; }
  const Vocabulary& vocab() const { return vocab_; }
  const std::vector<ModelMatrixInfo>& matrices() const { return matrices_; }
  std::uint64_t size_bytes() const { return data_.size(); }

  // The matrix called `name`, one row per word and `cols` columns; throws
  // Error naming the file when it is missing or of another shape.
  const ModelMatrixInfo& matrix(const std::string& name, std::size_t cols) const {
    return matrix(name, vocab_.size(), cols);
  }
  // The same with `rows` rows (a subword model's "subword_buckets").
  const ModelMatrixInfo& matrix(const std::string& name, std::size_t rows, std::size_t cols) const;
  // Row r of a matrix: cols floats, a view into the file.
  const float* row(const ModelMatrixInfo& m, std::size_t r) const {
    return reinterpret_cast<const float*>(data_.data() + m.offset) + r * m.cols;
  }
  // Calls f(r, row) for every row in order, giving the mapped pages back
  // every few megabytes behind it: a copied matrix is never resident twice.
  void for_each_row(const ModelMatrixInfo& m, const std::function<void(std::size_t, const float*)>& f) const;

 private:
  void release(std::uint64_t offset, std::uint64_t bytes) const;
  std::string name_;
  std::shared_ptr<const MappedFile> map_;  // null after parse()
  std::string_view data_;
  std::uint32_t version_ = 0;
  std::string kind_;
  Settings settings_;
  Vocabulary vocab_;
  std::vector<ModelMatrixInfo> matrices_;
};

// A model's training history, stored as settings "model.*".
struct ModelHistory {
  std::uint64_t trained_words = 0;  // corpus words read by training, every epoch of every run
  std::uint64_t epochs = 0;         // epochs of every run
  std::uint64_t runs = 0;           // the first, then one per --continue
  // GloVe: the co-occurrence file (absolute path) holding every count the
  // model was trained on, which --continue adds to; "" when there is none.
  std::string cooccurrence;

  ModelHistory after_run(std::uint64_t words, std::uint64_t run_epochs) const {
    return {trained_words + words, epochs + run_epochs, runs + 1, cooccurrence};
  }
  Settings to_settings() const;
  static ModelHistory from_settings(const Settings& settings);  // throws Error naming the source
};

// Skip-gram/CBOW: the options, both matrices ("input", "output"), the
// vocabulary; with subwords also the n-gram rows ("subword_buckets", the
// input matrix's rows after the vocabulary's).
void save_sgns_model(const std::string& path, const SgnsOptions& options, const Vocabulary& vocab,
                     const SgnsModel& model, const Settings& extra);
// GloVe: the options of training and counting, the word and context vectors
// and biases with their AdaGrad sums.
void save_glove_model(const std::string& path, const GloveOptions& options, const CooccurrenceOptions& counting,
                      const Vocabulary& vocab, const GloveModel& model, const Settings& extra);

// The vectors a model answers queries with: skip-gram/CBOW's input vectors,
// GloVe's as its glove.output setting says (W + C by default). A subword
// model's: the mean of each word's rows, and its n-gram rows as `subwords`.
WordVectors model_vectors(const ModelFile& model);

// Puts the file's rows into a model of another vocabulary: row r goes to row
// destination[r] (-1: dropped). Rows not named keep what they hold.
// With output_rows false the output matrix is left as it is (hierarchical
// softmax: its rows are the nodes of a tree that a grown vocabulary rebuilds).
void load_sgns_rows(const ModelFile& file, SgnsModel& into, std::span<const std::int32_t> destination,
                    bool output_rows = true);
void load_glove_rows(const ModelFile& file, GloveModel& into, std::span<const std::int32_t> destination);

}  // namespace wordvec
