// Training checkpoints (train --checkpoint / --resume): everything a run needs
// to continue where it stopped, in one file written atomically with a magic
// number, a version and a checksum.
//
// The container is generic: the kind of run, its settings as text (each
// options struct writes its own, see Settings; a front end may add its own
// under another prefix, such as the corpus path), the vocabulary, the
// parameter matrices and a list of numbers for the trainer's own state.
// make_*_checkpoint and *_resume below fill and read it for each model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wordvec/core/matrix.h"
#include "wordvec/core/settings.h"
#include "wordvec/text/vocabulary.h"
#include "wordvec/train/cooccurrence.h"
#include "wordvec/train/glove.h"
#include "wordvec/train/sgns.h"

namespace wordvec {

struct Checkpoint {
  std::string kind;   // "sgns" or "glove"
  Settings settings;  // its source is the file's path once read
  Vocabulary vocab;
  std::vector<Matrix> matrices;
  std::vector<std::uint64_t> state;
};

// Atomic: the file at `path` is the old checkpoint or the whole new one.
void write_checkpoint(const std::string& path, const Checkpoint& checkpoint);

// Throws Error naming the file for a wrong magic number or version, a
// truncated file, absurd sizes (checked before allocating) or a checksum
// mismatch.
Checkpoint read_checkpoint(const std::string& path);

// Skip-gram/CBOW: options, vocabulary, both matrices and the run's position.
// `extra` settings are stored beside the options (a front end's own).
Checkpoint make_sgns_checkpoint(const SgnsOptions& options, const Vocabulary& vocab, const SgnsModel& model,
                                const SgnsRunState& state, const Settings& extra = {});
struct SgnsResume {
  SgnsOptions options;  // threads and cache memory are the defaults: the caller's choice
  SgnsModel model;
  SgnsRunState state;
};
// What SgnsTrainer(checkpoint.vocab, options).restore(model, state) needs to
// continue the run; the matrices are moved out of `checkpoint`. Throws Error
// naming the file when it is not a whole skip-gram/CBOW checkpoint.
SgnsResume sgns_resume(Checkpoint& checkpoint);

// GloVe: options of training and counting, vocabulary, the model with its
// AdaGrad sums, and the epochs done (checkpoints are taken between epochs).
Checkpoint make_glove_checkpoint(const GloveOptions& options, const CooccurrenceOptions& counting,
                                 const Vocabulary& vocab, const GloveModel& model, int epochs_done,
                                 const Settings& extra = {});
struct GloveResume {
  GloveOptions options;
  CooccurrenceOptions counting;
  GloveModel model;
  int epochs_done;
};
GloveResume glove_resume(Checkpoint& checkpoint);

}  // namespace wordvec
