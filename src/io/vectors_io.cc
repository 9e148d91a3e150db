#include "wordvec/io/vectors_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <functional>
#include <optional>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <unordered_set>

#include "core/mapped_file.h"
#include "wordvec/io/model_file.h"
#include "wordvec/core/atomic_file.h"
#include "wordvec/core/error.h"
#include "wordvec/core/files.h"

namespace wordvec {

VectorFormat parse_vector_format(const std::string& name) {
  if (name == "bin" || name == "binary") return VectorFormat::Word2VecBinary;
  if (name == "text" || name == "txt") return VectorFormat::Word2VecText;
  if (name == "vec") return VectorFormat::FastTextVec;
  if (name == "glove") return VectorFormat::GloveText;
  if (name == "npy") return VectorFormat::Npy;
  if (name == "projector") return VectorFormat::Projector;
  if (name == "model")
    throw Error("a model file is written by 'wordvec train --save-model FILE', not as a vector format "
                "(valid: bin, text, vec, glove, npy, projector)");
  throw Error("unknown vector format '" + name + "' (valid: bin, text, vec, glove, npy, projector)");
}

const char* vector_format_name(VectorFormat format) {
  switch (format) {
    case VectorFormat::Word2VecBinary: return "bin";
    case VectorFormat::Word2VecText: return "text";
    case VectorFormat::FastTextVec: return "vec";
    case VectorFormat::GloveText: return "glove";
    case VectorFormat::Npy: return "npy";
    case VectorFormat::Model: return "model";
    case VectorFormat::Projector: return "projector";
  }
  return "?";
}

std::string npy_words_path(const std::string& npy_path) {
  const std::string stem =
      npy_path.size() > 4 && npy_path.compare(npy_path.size() - 4, 4, ".npy") == 0 ? npy_path.substr(0, npy_path.size() - 4)
                                                                                  : npy_path;
  return stem + ".words.txt";
}

namespace {
std::string in_folder(const std::string& folder, const char* name) {
  return folder.empty() || folder.back() == '/' ? folder + name : folder + "/" + name;
}
}  // namespace

std::vector<std::string> vector_files_written(const std::string& path, VectorFormat format) {
  if (format == VectorFormat::Npy) return {path, npy_words_path(path)};
  if (format == VectorFormat::Projector) return {in_folder(path, "vectors.tsv"), in_folder(path, "metadata.tsv")};
  return {path};
}

std::vector<std::string> vector_files_read(const std::string& path) {
  char magic[6] = {};
  std::FILE* f = nullptr;
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode)) f = std::fopen(path.c_str(), "rb");
  const bool npy = f != nullptr && std::fread(magic, 1, sizeof magic, f) == sizeof magic &&
                   std::memcmp(magic, "\x93NUMPY", sizeof magic) == 0;
  if (f != nullptr) std::fclose(f);
  if (npy) return {path, npy_words_path(path)};
  return {path};
}

void normalize_rows(Matrix& vectors) {
  for (std::size_t r = 0; r < vectors.rows(); ++r) {
    float* row = vectors.row(r);
    double sum = 0;
    for (std::size_t c = 0; c < vectors.cols(); ++c) sum += double(row[c]) * row[c];
    if (sum > 0) {
      const float scale = static_cast<float>(1.0 / std::sqrt(sum));
      for (std::size_t c = 0; c < vectors.cols(); ++c) row[c] *= scale;
    }
  }
}

// ---------------------------------------------------------------- writing

namespace {

// Six decimals per value; word2vec text puts a space after each value, GloVe between them.
void append_text_values(std::string& line, const float* row, std::size_t dim, bool trailing_space) {
  char number[64];
  for (std::size_t c = 0; c < dim; ++c) {
    if (!trailing_space && c > 0) line += ' ';
    const auto result = std::to_chars(number, number + sizeof number, row[c], std::chars_format::fixed, 6);
    line.append(number, result.ptr);
    if (trailing_space) line += ' ';
  }
}

// The .npy header: magic, version 1.0, then a dict padded so the data starts on a 64-byte boundary.
std::string npy_header(std::size_t rows, std::size_t cols) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(rows) + ", " +
                     std::to_string(cols) + "), }";
  const std::size_t unpadded = 10 + dict.size() + 1;
  dict.append((64 - unpadded % 64) % 64, ' ');
  dict += '\n';
  std::string header("\x93NUMPY\x01\x00", 8);
  header += static_cast<char>(dict.size() & 0xFF);
  header += static_cast<char>(dict.size() >> 8);
  return header + dict;
}

// TensorBoard's projector files in `folder` (created if missing, its parent
// must exist; removed again if the writing fails): one row of
// tab-separated values per word, and the words one per line (a single
// metadata column has no header line).
void write_projector(const std::string& folder, const std::vector<std::string>& words, const Matrix& vectors,
                     std::size_t rows) {
  std::error_code error;
  const bool created = std::filesystem::create_directory(folder, error);
  if (error) throw file_error(folder, "cannot create the folder: " + error.message());
  try {
    AtomicFileWriter values(in_folder(folder, "vectors.tsv")), names(in_folder(folder, "metadata.tsv"));
    std::string line;
    char number[64];
    for (std::size_t r = 0; r < rows; ++r) {
      line.clear();
      for (std::size_t c = 0; c < vectors.cols(); ++c) {
        if (c > 0) line += '\t';
        line.append(number, std::to_chars(number, number + sizeof number, vectors.row(r)[c], std::chars_format::fixed, 6).ptr);
      }
      line += '\n';
      values.write(line);
      names.write(words[r] + '\n');
    }
    names.commit();
    values.commit();
  } catch (...) {
    if (created) std::filesystem::remove(folder, error);  // nothing half-made is left (it is empty: writes were atomic)
    throw;
  }
}

}  // namespace

void write_vectors(const std::string& path, const std::vector<std::string>& words, const Matrix& vectors,
                   VectorFormat format, std::size_t count) {
  const std::size_t rows = count == 0 ? words.size() : std::min(count, words.size());
  const std::size_t dim = vectors.cols();
  if (format == VectorFormat::Model) throw Error(path + ": model files are written by save_sgns_model/save_glove_model");
  if (format == VectorFormat::Projector) {
    write_projector(path, words, vectors, rows);
    return;
  }
  AtomicFileWriter out(path);  // buffered: one write per row is cheap
  if (format == VectorFormat::Npy) {
    AtomicFileWriter names(npy_words_path(path));
    out.write(npy_header(rows, dim));
    for (std::size_t r = 0; r < rows; ++r) {
      out.write(vectors.row(r), dim * sizeof(float));
      names.write(words[r] + '\n');
    }
    names.commit();
    out.commit();
    return;
  }
  if (format != VectorFormat::GloveText) out.write(std::to_string(rows) + " " + std::to_string(dim) + "\n");
  std::string line;
  for (std::size_t r = 0; r < rows; ++r) {
    line = words[r];
    line += ' ';
    if (format == VectorFormat::Word2VecBinary)
      line.append(reinterpret_cast<const char*>(vectors.row(r)), dim * sizeof(float));
    else
      append_text_values(line, vectors.row(r), dim, format != VectorFormat::GloveText);
    line += '\n';
    out.write(line);
  }
  out.commit();
}

// ---------------------------------------------------------------- reading

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

// A cursor over the bytes of a vector file that knows its line number.
class Parser {
 public:
  Parser(const std::string& path, std::string_view data, std::size_t pos = 0) : path_(path), data_(data), pos_(pos) {}

  FileError error(const std::string& message) const { return file_error(path_, line_, message); }
  bool at_end() const { return pos_ >= data_.size(); }

  std::size_t header_number(const char* what) {
    skip_blanks();
    std::size_t value = 0;
    const auto r = std::from_chars(data_.data() + pos_, data_.data() + data_.size(), value);
    if (r.ec != std::errc() || r.ptr == data_.data() + pos_)
      throw error(std::string("expected the header 'words dimension': bad ") + what);
    pos_ = r.ptr - data_.data();
    return value;
  }
  void end_of_line(const std::string& what) {
    skip_blanks();
    if (pos_ < data_.size() && data_[pos_] != '\n') throw error(what);
    if (pos_ < data_.size()) ++pos_;
    ++line_;
  }
  // Skips empty lines; returns false at the end of the data.
  bool skip_empty_lines() {
    while (pos_ < data_.size() && (is_blank(data_[pos_]) || data_[pos_] == '\n')) {
      if (data_[pos_] == '\n') ++line_;
      ++pos_;
    }
    return pos_ < data_.size();
  }
  std::string word(const char* missing) {
    if (!skip_empty_lines()) throw error(missing);
    const std::size_t start = pos_;
    while (pos_ < data_.size() && data_[pos_] != ' ' && data_[pos_] != '\t' && data_[pos_] != '\n') ++pos_;
    return std::string(data_.substr(start, pos_ - start));
  }
  // Values up to the end of the line; `dim` of them exactly (dim 0: as many as there are).
  std::size_t text_values(float* row, std::size_t dim) {
    std::size_t c = 0;
    while (true) {
      skip_blanks();
      if (pos_ >= data_.size() || data_[pos_] == '\n') break;
      if (dim > 0 && c == dim) throw error("more than " + std::to_string(dim) + " values on the line");
      float value;
      const auto r = std::from_chars(data_.data() + pos_, data_.data() + data_.size(), value);
      const bool separated = r.ptr == data_.data() + data_.size() || is_blank(*r.ptr) || *r.ptr == '\n';
      if (r.ec != std::errc() || !separated) throw error("value " + std::to_string(c + 1) + " is not a number");
      if (!std::isfinite(value)) throw error("value " + std::to_string(c + 1) + " is NaN or infinite");
      if (row != nullptr) row[c] = value;
      ++c;
      pos_ = r.ptr - data_.data();
    }
    if (dim > 0 && c < dim) throw error("expected " + std::to_string(dim) + " values, found " + std::to_string(c));
    end_of_line("");
    return c;
  }
  void binary_values(float* row, std::size_t dim) {
    if (pos_ >= data_.size() || data_[pos_] != ' ') throw error("expected a space after the word");
    ++pos_;
    const std::size_t bytes = dim * sizeof(float);
    if (data_.size() - pos_ < bytes) throw error("the file is truncated inside this row's values");
    std::memcpy(row, data_.data() + pos_, bytes);
    for (std::size_t c = 0; c < dim; ++c)
      if (!std::isfinite(row[c])) throw error("value " + std::to_string(c + 1) + " is NaN or infinite");
    pos_ += bytes;
    if (pos_ < data_.size() && data_[pos_] == '\n') ++pos_;
    ++line_;
  }
  unsigned long long line() const { return line_; }

 private:
  void skip_blanks() {
    while (pos_ < data_.size() && is_blank(data_[pos_])) ++pos_;
  }
  const std::string& path_;
  std::string_view data_;
  std::size_t pos_;
  unsigned long long line_ = 1;
};

// Binary unless the first row's values are text. Only the values are
// looked at: a word may hold any byte but the separators (control bytes
// included), so the word itself says nothing about the format.
bool looks_binary(std::string_view data, std::size_t dim) {
  std::size_t pos = data.find('\n');
  if (pos == std::string_view::npos) return false;
  while (pos < data.size() && (data[pos] == '\n' || is_blank(data[pos]))) ++pos;
  std::size_t word_end = pos;
  while (word_end < data.size() && data[word_end] != ' ' && data[word_end] != '\t' && data[word_end] != '\n') ++word_end;
  // Text values are printable ASCII (a malformed one too, for a clear error
  // later), about dim of them; the bytes of binary floats are not (a 16-byte
  // row is all printable by chance once in 10^7). Binary floats hold a '\n'
  // byte now and then: a short "line" of a few values is not text.
  std::size_t values = 0;
  bool in_value = false;
  for (std::size_t i = word_end; i < data.size() && data[i] != '\n'; ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if ((c < 0x20 || c > 0x7E) && c != '\t' && c != '\r') return true;
    const bool blank = is_blank(data[i]);
    if (!blank && !in_value) ++values;
    in_value = !blank;
  }
  return values == 0 || values * 2 < dim;  // half the values or more: text (a malformed row is reported as such)
}

// "V D" on the first line (two whole numbers and nothing else)?
bool has_header(std::string_view data) {
  const std::string_view first = data.substr(0, data.find('\n'));
  std::size_t numbers = 0, i = 0;
  while (i < first.size()) {
    while (i < first.size() && is_blank(first[i])) ++i;
    if (i == first.size()) break;
    const std::size_t start = i;
    while (i < first.size() && !is_blank(first[i])) ++i;
    for (std::size_t k = start; k < i; ++k)
      if (first[k] < '0' || first[k] > '9') return false;
    ++numbers;
  }
  return numbers == 2;
}

// Drops later rows of a word already seen (the first is kept), compacting in place.
void drop_duplicates(WordVectors& v, const std::string& path, const std::vector<unsigned long long>& lines) {
  std::unordered_set<std::string> seen;
  std::size_t kept = 0;
  for (std::size_t r = 0; r < v.words.size(); ++r) {
    if (!seen.insert(v.words[r]).second) {
      if (v.duplicates_dropped++ == 0) v.first_duplicate = path + ":" + std::to_string(lines[r]) + ": " + v.words[r];
      continue;
    }
    if (kept != r) {
      v.words[kept] = std::move(v.words[r]);
      std::memcpy(v.vectors.row(kept), v.vectors.row(r), v.vectors.stride() * sizeof(float));
    }
    ++kept;
  }
  if (kept == v.words.size()) return;
  v.words.resize(kept);
  Matrix compact(kept, v.vectors.cols());
  std::memcpy(compact.data(), v.vectors.data(), kept * v.vectors.stride() * sizeof(float));
  v.vectors = std::move(compact);
}

WordVectors read_word2vec(const std::string& path, std::string_view data) {
  Parser parser(path, data);
  const std::size_t words = parser.header_number("word count");
  const std::size_t dim = parser.header_number("dimension");
  parser.end_of_line("expected the header 'words dimension'");
  if (dim == 0 || dim > 100000)
    throw file_error(path, 1, "dimension " + std::to_string(dim) + " is out of range 1..100000");
  // Every row takes more than dim bytes: refuse absurd counts before allocating.
  if (words > data.size() / dim + 1)
    throw file_error(path, 1, "the header claims " + std::to_string(words) + " words, more than the file can hold");
  const bool binary = looks_binary(data, dim);
  WordVectors result{{}, Matrix(words, dim), binary ? VectorFormat::Word2VecBinary : VectorFormat::Word2VecText};
  result.words.reserve(words);
  std::vector<unsigned long long> lines;
  lines.reserve(words);
  for (std::size_t r = 0; r < words; ++r) {
    result.words.push_back(parser.word("expected a word, found the end of the file (fewer rows than the header says)"));
    lines.push_back(parser.line());
    if (binary)
      parser.binary_values(result.vectors.row(r), dim);
    else
      parser.text_values(result.vectors.row(r), dim);
  }
  if (parser.skip_empty_lines())
    throw parser.error("more rows than the header's " + std::to_string(words));
  drop_duplicates(result, path, lines);
  return result;
}

WordVectors read_glove(const std::string& path, std::string_view data) {
  // First pass: the dimension from the first row, the number of rows from the line count.
  Parser probe(path, data);
  probe.word("no vectors in the file");
  const std::size_t dim = probe.text_values(nullptr, 0);
  if (dim == 0) throw file_error(path, 1, "a word without values (GloVe text is 'word v1 ... vD' per line)");
  std::size_t rows = 0;
  for (std::size_t i = 0; i < data.size(); ++i) rows += data[i] == '\n';
  if (!data.empty() && data.back() != '\n') ++rows;
  WordVectors result{{}, Matrix(rows, dim), VectorFormat::GloveText};
  Parser parser(path, data);
  std::vector<unsigned long long> lines;
  std::size_t r = 0;
  while (parser.skip_empty_lines()) {
    result.words.push_back(parser.word(""));
    lines.push_back(parser.line());
    parser.text_values(result.vectors.row(r++), dim);
  }
  if (r < rows) {  // blank lines: shrink
    Matrix compact(r, dim);
    std::memcpy(compact.data(), result.vectors.data(), r * compact.stride() * sizeof(float));
    result.vectors = std::move(compact);
  }
  drop_duplicates(result, path, lines);
  return result;
}

// `words` gives the sidecar word list; it is asked for only once the matrix
// has parsed, so that a bad matrix is reported before a missing word list.
WordVectors read_npy(const std::string& path, std::string_view data, const std::string& words_path,
                     const std::function<std::string_view()>& words) {
  auto bad = [&](const std::string& message) { return file_error(path, "not a float32 .npy matrix: " + message); };
  if (data.size() < 10) throw bad("truncated header");
  const int major = static_cast<unsigned char>(data[6]);
  std::size_t header_len, offset;
  if (major == 1) {
    header_len = static_cast<unsigned char>(data[8]) | static_cast<unsigned char>(data[9]) << 8;
    offset = 10;
  } else if (major == 2 || major == 3) {
    if (data.size() < 12) throw bad("truncated header");
    header_len = 0;
    for (int i = 3; i >= 0; --i) header_len = header_len << 8 | static_cast<unsigned char>(data[8 + i]);
    offset = 12;
  } else {
    throw bad("unknown version " + std::to_string(major));
  }
  if (data.size() < offset + header_len) throw bad("truncated header");
  const std::string_view header = data.substr(offset, header_len);
  if (header.find("'descr': '<f4'") == std::string_view::npos) throw bad("dtype is not '<f4' (float32)");
  if (header.find("'fortran_order': False") == std::string_view::npos) throw bad("Fortran order is not supported");
  const std::size_t shape = header.find("'shape': (");
  if (shape == std::string_view::npos) throw bad("no shape");
  std::size_t rows = 0, cols = 0;
  const char* p = header.data() + shape + 10;
  const char* end = header.data() + header.size();
  auto r1 = std::from_chars(p, end, rows);
  if (r1.ec != std::errc() || r1.ptr + 2 > end || r1.ptr[0] != ',') throw bad("shape is not (rows, columns)");
  p = r1.ptr + 1;
  while (p < end && *p == ' ') ++p;
  auto r2 = std::from_chars(p, end, cols);
  // r2.ptr may be the header's end (the file's end, too): never read it then.
  if (r2.ec != std::errc() || r2.ptr == end || *r2.ptr != ')') throw bad("shape is not (rows, columns)");
  if (cols == 0 || cols > 100000) throw bad("dimension " + std::to_string(cols) + " is out of range 1..100000");
  const std::size_t body = data.size() - offset - header_len;
  if (rows > body / (cols * sizeof(float)) || body != rows * cols * sizeof(float))
    throw file_error(path, "the data holds " + std::to_string(body) + " bytes, the shape (" + std::to_string(rows) +
                               ", " + std::to_string(cols) + ") needs " + std::to_string(rows * cols * 4));
  WordVectors result{{}, Matrix(rows, cols), VectorFormat::Npy};
  const char* values = data.data() + offset + header_len;
  for (std::size_t r = 0; r < rows; ++r) {
    std::memcpy(result.vectors.row(r), values + r * cols * sizeof(float), cols * sizeof(float));
    for (std::size_t c = 0; c < cols; ++c)
      if (!std::isfinite(result.vectors.row(r)[c]))
        throw file_error(path, "row " + std::to_string(r + 1) + " value " + std::to_string(c + 1) + " is NaN or infinite");
  }
  // The words, one per line, from the sidecar file.
  const std::string_view names = words();
  std::vector<unsigned long long> lines;
  std::size_t start = 0;
  for (unsigned long long line = 1; start < names.size(); ++line) {
    std::size_t nl = names.find('\n', start);
    if (nl == std::string_view::npos) nl = names.size();
    std::string_view w = names.substr(start, nl - start);
    if (!w.empty() && w.back() == '\r') w.remove_suffix(1);
    if (w.empty() || w.find_first_of(" \t") != std::string_view::npos)
      throw file_error(words_path, line, "expected one word per line");
    result.words.emplace_back(w);
    lines.push_back(line);
    start = nl + 1;
  }
  if (result.words.size() != rows)
    throw file_error(words_path, "lists " + std::to_string(result.words.size()) + " words, the matrix in " + path +
                                     " has " + std::to_string(rows) + " rows");
  drop_duplicates(result, words_path, lines);
  return result;
}

}  // namespace

namespace {
WordVectors vectors_of_model(const ModelFile& file) {
  WordVectors v = model_vectors(file);
  v.format = VectorFormat::Model;
  return v;
}
}  // namespace

WordVectors parse_vectors(const std::string& name, std::string_view data, std::string_view npy_words) {
  if (data.empty()) throw file_error(name, "the vector file is empty");
  if (ModelFile::has_magic(data)) return vectors_of_model(ModelFile::parse(name, data));
  if (data.substr(0, 6) == "WVCKPT")
    throw file_error(name, "is a training checkpoint, not vectors: finish the run with 'wordvec train --resume " +
                               name + "'");
  if (data.substr(0, 6) == "WVCOOC")
    throw file_error(name, "is a co-occurrence file, not vectors: train GloVe from it with 'wordvec train --model "
                           "glove --cooccurrence " + name + "'");
  if (data.substr(0, 6) == "\x93NUMPY") return read_npy(name, data, npy_words_path(name), [&] { return npy_words; });
  if (has_header(data)) return read_word2vec(name, data);
  return read_glove(name, data);
}

WordVectors read_vectors(const std::string& path) {
  const MappedFile file(path);
  const std::string_view data = file.view();
  if (ModelFile::has_magic(data)) return vectors_of_model(ModelFile::open(path));
  if (data.substr(0, 6) != "\x93NUMPY") return parse_vectors(path, data);
  const std::string words_path = npy_words_path(path);
  std::optional<MappedFile> words;
  return read_npy(path, data, words_path, [&] { return words.emplace(words_path).view(); });
}

bool SubwordRows::has_ngrams(std::string_view word) const {
  bool any = false;
  for_each_ngram_bucket(word, options, [&](std::uint32_t) { any = true; });
  return any;
}

bool SubwordRows::vector_of(std::string_view word, float* out) const {
  const std::size_t dim = buckets.cols();
  std::fill_n(out, dim, 0.0f);
  std::size_t count = 0;
  for_each_ngram_bucket(word, options, [&](std::uint32_t bucket) {
    const float* row = buckets.row(bucket);
    for (std::size_t c = 0; c < dim; ++c) out[c] += row[c];
    ++count;
  });
  const float scale = count > 0 ? 1.0f / static_cast<float>(count) : 0.0f;  // as mean_of_rows
  for (std::size_t c = 0; c < dim; ++c) out[c] *= scale;
  return count > 0;
}

}  // namespace wordvec
