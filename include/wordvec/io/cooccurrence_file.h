// GloVe's co-occurrence counts on disk (train --save-cooccurrence, --cooccurrence):
// a file to count once and train many times.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "wordvec/text/vocabulary.h"
#include "wordvec/train/cooccurrence.h"

namespace wordvec {

// A co-occurrence file (--save-cooccurrence): magic "WVCOOC01", the counting
// options, the vocabulary (words and counts), the records, and a checksum.
struct CooccurrenceFileHeader {
  int window = 0;
  bool distance_weighting = true;
};

// Streams records into a file written atomically (temp file + rename).
class CooccurrenceWriter {
 public:
  CooccurrenceWriter(const std::string& path, const Vocabulary& vocab, const CooccurrenceFileHeader& header);
  ~CooccurrenceWriter();
  void write(std::span<const CooccurrenceRecord> records);
  void commit();  // throws Error; the file exists only after this

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

struct CooccurrenceFile {
  CooccurrenceFileHeader header;
  Vocabulary vocab;
  std::vector<CooccurrenceRecord> records;
};

// Throws Error naming the file for a wrong magic, a size that disagrees with
// the header, a record outside the vocabulary or a checksum mismatch.
CooccurrenceFile read_cooccurrences(const std::string& path);

}  // namespace wordvec
