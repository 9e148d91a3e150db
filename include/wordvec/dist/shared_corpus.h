// A distributed run's corpus: one file every process can read (a shared file
// system), cut into byte ranges; each process counts and trains its own.
#pragma once

#include <string>
#include <vector>

#include "wordvec/dist/communicator.h"
#include "wordvec/text/corpus.h"
#include "wordvec/text/vocabulary.h"

namespace wordvec {

// This process's shards, one per thread: the file cut at whitespace into
// size x threads ranges, of which rank r takes the r-th run of `threads`.
std::vector<ByteRange> process_shards(const std::string& corpus_path, const Communicator& comm, unsigned threads);

// The vocabulary of the whole corpus, the same on every process (a
// collective): each counts its shards, rank 0 merges the counts and applies
// the options, every process receives the result. `stats` describes the
// whole corpus on every process.
Vocabulary shared_vocabulary(Communicator& comm, const std::string& corpus_path, const std::vector<ByteRange>& shards,
                             const VocabOptions& options, VocabStats* stats = nullptr);

}  // namespace wordvec
