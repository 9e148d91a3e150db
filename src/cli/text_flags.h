// The text-preparation flags that train, dim, prepare and phrases share:
// normalisation, and phrases (as `phrases`' own flags, or inline in a
// corpus-reading command as --phrases N and --phrase-*).
#pragma once

#include <boost/program_options.hpp>

#include "wordvec/text/corpus_input.h"

namespace wordvec::cli {

struct TextFlags {
  NormalizeOptions normalize;
  PhraseOptions phrases{0};
  bool lowercase = false, casefold = false;

  boost::program_options::options_description normalize_options();
  // --passes, --threshold, --min-count, --memory (the phrases command).
  boost::program_options::options_description phrase_command_options();
  // --phrases N, --phrase-threshold, --phrase-min-count, --phrase-memory.
  boost::program_options::options_description inline_phrase_options();
  // After parsing: the case switches into normalize, both structs validated.
  void resolve(bool inline_phrases);
};

// Logs what a phrase pass found, with its best-scoring phrases, and sets
// `options` to log each pass's start and end (unless quiet).
void log_phrase_pass(const PhrasePassReport& report, const PhraseTable& table);
void log_phrase_passes(CorpusInputOptions& options, bool quiet);

}  // namespace wordvec::cli
