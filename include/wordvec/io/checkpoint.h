// Training checkpoints (train --checkpoint / --resume): everything a run needs
// to continue where it stopped, in one file written atomically with a magic
// number, a version and a checksum.
//
// The container is generic: the kind of run, its settings as text (options,
// input paths; what the CLI needs to rebuild the job), the vocabulary, the
// parameter matrices and a list of numbers for the trainer's own state (see
// SgnsRunState and GloveTrainer). The trainers fill and read it.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "wordvec/core/matrix.h"
#include "wordvec/text/vocabulary.h"

namespace wordvec {

struct Checkpoint {
  std::string kind;                              // "sgns" or "glove"
  std::map<std::string, std::string> settings;   // name -> value
  Vocabulary vocab;
  std::vector<Matrix> matrices;
  std::vector<std::uint64_t> state;

  // The setting, or an Error naming the checkpoint if it is missing.
  const std::string& setting(const std::string& name) const;
};

// Atomic: the file at `path` is the old checkpoint or the whole new one.
void write_checkpoint(const std::string& path, const Checkpoint& checkpoint);

// Throws Error naming the file for a wrong magic number or version, a
// truncated file, absurd sizes (checked before allocating) or a checksum
// mismatch.
Checkpoint read_checkpoint(const std::string& path);

}  // namespace wordvec
