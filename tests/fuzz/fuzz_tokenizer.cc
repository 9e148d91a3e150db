// Fuzzes the corpus tokenizer: any bytes give tokens without whitespace, no
// longer than kMaxTokenBytes, and the same tokens whether the file is read in
// one range or cut into several (at whitespace or at line breaks); input that
// is not UTF-8 text is refused with an Error, the same for every cut.
#include <string>
#include <vector>

#include "fuzz_input.h"
#include "wordvec/text/corpus.h"
#include "wordvec/core/error.h"

namespace {

std::vector<std::string> tokens_of(const std::string& path, const std::vector<wordvec::ByteRange>& ranges,
                                   std::uint64_t* truncated = nullptr) {
  std::vector<std::string> tokens;
  for (const auto& range : ranges) {
    wordvec::TokenScanner scanner(path, range);
    scanner.run(
        [&](std::string_view t) {
          if (t.empty() || t.size() > wordvec::kMaxTokenBytes) __builtin_trap();
          for (char c : t)
            if (wordvec::is_token_space(static_cast<unsigned char>(c))) __builtin_trap();
          tokens.emplace_back(t);
        },
        [] {});
    if (truncated != nullptr) *truncated += scanner.stats().truncated_tokens;
  }
  return tokens;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  wordvec::fuzz::MemoryFile file(data, size);
  const std::string path = file.path();
  std::uint64_t truncated = 0;
  std::vector<std::string> whole;
  try {
    whole = tokens_of(path, {{0, size}}, &truncated);
  } catch (const wordvec::Error&) {
    return 0;  // refused as not UTF-8 text (compressed, UTF-16/32): a clean answer
  }
  // Overlong tokens are cut; ranges cut elsewhere may cut them differently.
  if (truncated > 0) return 0;
  for (unsigned parts : {2u, 5u}) {
    if (tokens_of(path, wordvec::split_into_ranges(path, parts)) != whole) __builtin_trap();
    if (tokens_of(path, wordvec::split_at_line_breaks(path, {0, size}, parts)) != whole) __builtin_trap();
  }
  return 0;
}
