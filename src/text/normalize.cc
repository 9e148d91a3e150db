#include "wordvec/text/normalize.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>
#include <vector>

#include "wordvec/core/error.h"
#include "wordvec/text/corpus.h"

namespace wordvec {

const char* letter_case_name(LetterCase c) {
  switch (c) {
    case LetterCase::Keep: return "keep";
    case LetterCase::Lower: return "lower";
    case LetterCase::Fold: return "fold";
  }
  return "?";
}

LetterCase parse_letter_case(const std::string& name) {
  for (LetterCase c : {LetterCase::Keep, LetterCase::Lower, LetterCase::Fold})
    if (name == letter_case_name(c)) return c;
  throw Error("unknown case mode '" + name + "' (valid: keep, lower, fold)");
}

void NormalizeOptions::validate() const {
  for (const char c : number_token)
    if (is_token_space(static_cast<unsigned char>(c)))
      throw OptionError("number_token", "must be one token (no whitespace), got '" + number_token + "'");
  if (number_token.size() > kMaxTokenBytes)
    throw OptionError("number_token", "must be at most " + std::to_string(kMaxTokenBytes) + " bytes");
  if (split_intraword && !split_punctuation)
    throw OptionError("split_intraword", "needs --split-punctuation (it says what that splits)");
}

Settings NormalizeOptions::to_settings() const {
  Settings s;
  s.set("normalize.version", 1);
  s.set("normalize.nfkc", nfkc);
  s.set("normalize.case", letter_case_name(letter_case));
  s.set("normalize.split_punctuation", split_punctuation);
  s.set("normalize.split_intraword", split_intraword);
  s.set("normalize.number_token", number_token);
  return s;
}

NormalizeOptions NormalizeOptions::from_settings(const Settings& s) {
  NormalizeOptions o;
  if (!s.has("normalize.version")) return o;
  s.require_version("normalize", 1);
  o.nfkc = s.flag("normalize.nfkc");
  try {
    o.letter_case = parse_letter_case(s.text("normalize.case"));
  } catch (const Error& e) {
    throw Error(s.source() + ": " + e.what());
  }
  o.split_punctuation = s.flag("normalize.split_punctuation");
  o.split_intraword = s.flag("normalize.split_intraword");
  o.number_token = s.text("normalize.number_token");
  s.validate_stored([&] { o.validate(); });
  return o;
}

namespace {

// What a code point is to the splitter.
enum class Kind : std::uint8_t {
  Space,
  Letter,      // letters, marks, "_", anything else that is part of a word (also invalid bytes)
  Digit,       // decimal digits of any script (Nd)
  NumberMark,  // "." and ",": kept between digits
  Intraword,   // apostrophes and hyphens: kept between letters or digits unless split_intraword
  Punct,       // other punctuation and symbols
};

Kind classify(UChar32 c) {
  if (c < 0) return Kind::Letter;  // an invalid byte: kept, as part of a word
  if (c == 0 || u_isUWhiteSpace(c)) return Kind::Space;
  if (u_isdigit(c)) return Kind::Digit;
  if (c == '.' || c == ',') return Kind::NumberMark;
  if (c == '\'' || c == 0x2019 || c == '-' || c == 0x2010 || c == 0x2011) return Kind::Intraword;
  const std::uint32_t mask = U_GET_GC_MASK(c);
  if ((mask & (U_GC_P_MASK | U_GC_S_MASK)) != 0 && (mask & U_GC_PC_MASK) == 0) return Kind::Punct;
  return Kind::Letter;
}

bool is_ascii(std::string_view text) {
  for (const char c : text)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

}  // namespace

struct TextNormalizer::Impl {
  NormalizeOptions options;
  const icu::Normalizer2* nfkc = nullptr;
  std::array<Kind, 128> ascii_kinds{};
  std::string mapped;
  struct Point {
    UChar32 code;
    std::uint32_t begin, end;  // bytes in `mapped`
    Kind kind;
  };
  std::vector<Point> points;

  explicit Impl(const NormalizeOptions& o) : options(o) {
    options.validate();
    for (int c = 0; c < 128; ++c) ascii_kinds[c] = classify(c);
    if (options.nfkc) {
      UErrorCode status = U_ZERO_ERROR;
      nfkc = icu::Normalizer2::getNFKCInstance(status);
      if (U_FAILURE(status)) throw Error(std::string("ICU's NFKC data is missing: ") + u_errorName(status));
    }
  }

  Kind kind_of(UChar32 c) const { return c >= 0 && c < 128 ? ascii_kinds[c] : classify(c); }

  // NFKC and the case mapping. Bytes that are not valid UTF-8 are kept as
  // they are (ICU would replace them): a line with such bytes is mapped token
  // by token, and a token with them only gets ASCII's case mapping.
  void map(std::string_view text) {
    mapped.clear();
    if (!options.nfkc && options.letter_case == LetterCase::Keep) {
      mapped.assign(text);
      return;
    }
    if (is_valid_utf8(text)) {
      map_valid(text);
      return;
    }
    for (std::size_t begin = 0; begin < text.size();) {
      std::size_t end = begin;
      while (end < text.size() && !is_token_space(static_cast<unsigned char>(text[end]))) ++end;
      const std::string_view token = text.substr(begin, end - begin);
      if (is_valid_utf8(token)) map_valid(token);
      else map_ascii(token);
      while (end < text.size() && is_token_space(static_cast<unsigned char>(text[end]))) mapped += text[end++];
      begin = end;
    }
  }
  void map_ascii(std::string_view text) {  // NFKC leaves ASCII alone; both case mappings are ASCII's
    const std::size_t start = mapped.size();
    mapped.append(text);
    if (options.letter_case != LetterCase::Keep)
      for (std::size_t i = start; i < mapped.size(); ++i)
        if (mapped[i] >= 'A' && mapped[i] <= 'Z') mapped[i] = static_cast<char>(mapped[i] - 'A' + 'a');
  }
  void map_valid(std::string_view text) {
    if (is_ascii(text)) {
      map_ascii(text);
      return;
    }
    icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<std::int32_t>(text.size())));
    if (nfkc != nullptr) {
      UErrorCode status = U_ZERO_ERROR;
      icu::UnicodeString normal = nfkc->normalize(s, status);
      if (U_SUCCESS(status)) s = std::move(normal);
    }
    if (options.letter_case == LetterCase::Lower) s.toLower(icu::Locale::getRoot());
    if (options.letter_case == LetterCase::Fold) s.foldCase(U_FOLD_CASE_DEFAULT);
    s.toUTF8String(mapped);  // appends
  }

  void decode() {
    points.clear();
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(mapped.data());
    const std::int32_t length = static_cast<std::int32_t>(mapped.size());
    for (std::int32_t i = 0; i < length;) {
      const std::int32_t begin = i;
      UChar32 c;
      U8_NEXT(bytes, i, length, c);
      points.push_back({c, static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(i), kind_of(c)});
    }
  }

  bool is_number(std::size_t first, std::size_t last) const {  // points [first, last]
    if (points[first].kind != Kind::Digit || points[last].kind != Kind::Digit) return false;
    for (std::size_t i = first; i <= last; ++i)
      if (points[i].kind != Kind::Digit && points[i].kind != Kind::NumberMark) return false;
    return true;
  }

  void emit(std::size_t first, std::size_t last, std::string& out, bool& line_started) const {
    if (line_started) out += ' ';
    line_started = true;
    if (!options.number_token.empty() && is_number(first, last)) {
      out += options.number_token;
      return;
    }
    out.append(mapped, points[first].begin, points[last].end - points[first].begin);
  }

  // Whether the punctuation at i stays inside the word around it.
  bool keeps_inside(std::size_t i) const {
    if (i == 0 || i + 1 >= points.size()) return false;
    const Kind before = points[i - 1].kind, after = points[i + 1].kind;
    const Kind kind = points[i].kind;
    if (kind == Kind::NumberMark) return before == Kind::Digit && after == Kind::Digit;
    const auto word = [](Kind k) { return k == Kind::Letter || k == Kind::Digit; };
    return kind == Kind::Intraword && !options.split_intraword && word(before) && word(after);
  }

  void append(std::string_view text, std::string& out) {
    map(text);
    decode();
    bool line_started = false;
    std::size_t token_begin = 0;
    bool in_token = false;
    const auto flush = [&](std::size_t end) {  // the token is points [token_begin, end)
      if (in_token) emit(token_begin, end - 1, out, line_started);
      in_token = false;
    };
    for (std::size_t i = 0; i < points.size(); ++i) {
      const Kind kind = points[i].kind;
      if (kind == Kind::Space) {
        flush(i);
        continue;
      }
      const bool splits = options.split_punctuation && kind != Kind::Letter && kind != Kind::Digit && !keeps_inside(i);
      if (!splits) {
        if (!in_token) token_begin = i, in_token = true;
        continue;
      }
      flush(i);
      std::size_t run_end = i;  // a run of one punctuation character is one token ("...")
      while (run_end + 1 < points.size() && points[run_end + 1].code == points[i].code) ++run_end;
      emit(i, run_end, out, line_started);
      i = run_end;
    }
    flush(points.size());
  }
};

TextNormalizer::TextNormalizer(const NormalizeOptions& options) : impl_(std::make_unique<Impl>(options)) {}
TextNormalizer::~TextNormalizer() = default;

void TextNormalizer::append(std::string_view text, std::string& out) { impl_->append(text, out); }

}  // namespace wordvec
