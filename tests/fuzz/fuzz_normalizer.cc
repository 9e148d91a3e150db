// Fuzzes text normalisation: the first byte picks the options, the rest is a
// line. Any bytes give tokens separated by single spaces (none empty, none
// holding whitespace or a line break), and with every option off, ASCII text
// comes out as its whitespace-separated tokens joined by single spaces.
#include <cstdint>
#include <string>

#include "wordvec/text/corpus.h"
#include "wordvec/text/normalize.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t pick = data[0];
  const std::string line(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (line.find('\n') != std::string::npos) return 0;  // the copy hands over lines
  wordvec::NormalizeOptions o;
  o.nfkc = pick & 1;
  o.letter_case = (pick & 6) == 2 ? wordvec::LetterCase::Lower
                  : (pick & 6) == 4 ? wordvec::LetterCase::Fold
                                    : wordvec::LetterCase::Keep;
  o.split_punctuation = pick & 8;
  o.split_intraword = (pick & 8) && (pick & 16);
  if (pick & 32) o.number_token = "<num>";
  const std::string out = wordvec::TextNormalizer(o)(line);
  if (!out.empty() && (out.front() == ' ' || out.back() == ' ')) __builtin_trap();
  for (std::size_t i = 0; i < out.size(); ++i) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c == ' ' && i + 1 < out.size() && out[i + 1] == ' ') __builtin_trap();  // an empty token
    if (c != ' ' && wordvec::is_token_space(c)) __builtin_trap();
  }
  bool ascii = true;
  for (char c : line) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii && !o.any()) {
    std::string expected;
    for (std::size_t i = 0; i < line.size();) {
      while (i < line.size() && wordvec::is_token_space(static_cast<unsigned char>(line[i]))) ++i;
      const std::size_t begin = i;
      while (i < line.size() && !wordvec::is_token_space(static_cast<unsigned char>(line[i]))) ++i;
      if (i > begin) expected += (expected.empty() ? "" : " ") + line.substr(begin, i - begin);
    }
    if (out != expected) __builtin_trap();
  }
  return 0;
}
