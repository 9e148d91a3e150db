#include "text_flags.h"

#include <spdlog/spdlog.h>

#include "cli.h"
#include "wordvec/core/error.h"

namespace wordvec::cli {

po::options_description TextFlags::normalize_options() {
  po::options_description o("Text normalisation (each line, before counting; off by default)");
  o.add_options()("lowercase", po::bool_switch(&lowercase), "Unicode lowercase (ICU, root locale): Ünïcode -> ünïcode")(
      "casefold", po::bool_switch(&casefold), "Unicode case folding, for caseless matching: Straße -> strasse")(
      "nfkc", po::bool_switch(&normalize.nfkc),
      "NFKC compatibility normalisation first: ligatures, full-width forms, superscripts -> plain letters and digits")(
      "split-punctuation", po::bool_switch(&normalize.split_punctuation),
      "punctuation and symbols become tokens of their own (\"word,\" -> \"word ,\"); kept inside words: . and , "
      "between digits, apostrophes and hyphens between letters (don't, well-known)")(
      "split-intraword", po::bool_switch(&normalize.split_intraword),
      "with --split-punctuation: split apostrophes and hyphens inside words too (don ' t, well - known)")(
      "number-token", po::value(&normalize.number_token),
      "replace every number (digits, with . or , between digits) by this token, e.g. '<num>'");
  return o;
}

po::options_description TextFlags::phrase_command_options() {
  phrases.passes = 1;
  po::options_description o("Phrases");
  o.add_options()("passes", po::value(&phrases.passes)->default_value(phrases.passes),
                  "phrase passes, 1 to 10: pass 2 joins phrases again (up to 4 words)")(
      "threshold", po::value(&phrases.threshold)->default_value(phrases.threshold),
      "join a b when (count(a b) - min-count) / (count(a) count(b)) * tokens is above this (word2phrase's score)")(
      "min-count", po::value(&phrases.min_count)->default_value(phrases.min_count),
      "words and pairs seen fewer times never join")(
      "memory", po::value(&phrases.memory_gib)->default_value(phrases.memory_gib),
      "GiB for the pair table while counting (about 48 bytes a pair); beyond it rare pairs are pruned");
  return o;
}

po::options_description TextFlags::inline_phrase_options() {
  po::options_description o("Phrases (as 'wordvec phrases', inline)");
  o.add_options()("phrases", po::value(&phrases.passes)->default_value(0),
                  "join frequent word pairs into phrases (new_york) in N passes before training, 0 to 10")(
      "phrase-threshold", po::value(&phrases.threshold)->default_value(phrases.threshold),
      "score above which a pair joins (see 'wordvec phrases --help')")(
      "phrase-min-count", po::value(&phrases.min_count)->default_value(phrases.min_count),
      "words and pairs seen fewer times never join")(
      "phrase-memory", po::value(&phrases.memory_gib)->default_value(phrases.memory_gib),
      "GiB for the pair table while counting phrases");
  return o;
}

void TextFlags::resolve(bool inline_phrases) {
  if (lowercase && casefold) throw UsageError("--lowercase and --casefold: give one");
  normalize.letter_case = lowercase ? LetterCase::Lower : casefold ? LetterCase::Fold : LetterCase::Keep;
  normalize.validate();
  try {
    phrases.validate();
  } catch (const OptionError& e) {
    if (!inline_phrases) throw;
    throw OptionError("phrase_" + e.field(), e.requirement());
  }
}

void log_phrase_pass(const PhrasePassReport& r, const PhraseTable& table) {
  std::string best;
  for (const ScoredPhrase& p : table.top(8)) best += (best.empty() ? "" : ", ") + p.phrase;
  spdlog::info("phrases, pass {}: {} phrases (of {} word pairs counted{}), {} occurrences joined in {} tokens{}{}",
               r.pass, r.phrases, r.pairs,
               r.prune_count > 0 ? ", pairs seen up to " + std::to_string(r.prune_count) +
                                       " times pruned for memory: raise --memory for exact counts"
                                 : "",
               r.joined, r.tokens, best.empty() ? "" : "; best: ", best);
}

}  // namespace wordvec::cli

namespace wordvec::cli {

void log_phrase_passes(CorpusInputOptions& options, bool quiet) {
  if (quiet) return;
  const unsigned passes = options.phrases.passes;
  options.on_phrase_pass_start = [passes](unsigned pass) {
    spdlog::info("phrases, pass {} of {}: counting words and word pairs", pass, passes);
  };
  options.on_phrase_pass = log_phrase_pass;
}

}  // namespace wordvec::cli
