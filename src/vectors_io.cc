#include "wordvec/vectors_io.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>

#include "wordvec/atomic_file.h"
#include "wordvec/error.h"

namespace wordvec {

VectorFormat parse_vector_format(const std::string& name) {
  if (name == "bin" || name == "binary") return VectorFormat::Word2VecBinary;
  if (name == "text" || name == "txt") return VectorFormat::Word2VecText;
  throw Error("unknown vector format '" + name + "' (valid: bin, text)");
}

const char* vector_format_name(VectorFormat format) {
  return format == VectorFormat::Word2VecBinary ? "bin" : "text";
}

void write_vectors(const std::string& path, const std::vector<std::string>& words, const Matrix& vectors,
                   VectorFormat format) {
  AtomicFileWriter out(path);
  const std::size_t dim = vectors.cols();
  std::string buffer = std::to_string(words.size()) + " " + std::to_string(dim) + "\n";
  char number[64];
  for (std::size_t r = 0; r < words.size(); ++r) {
    buffer += words[r];
    buffer += ' ';
    const float* row = vectors.row(r);
    if (format == VectorFormat::Word2VecBinary) {
      buffer.append(reinterpret_cast<const char*>(row), dim * sizeof(float));
    } else {
      // word2vec.c prints "%lf " per value: six decimals and a trailing space.
      for (std::size_t c = 0; c < dim; ++c) {
        const auto result = std::to_chars(number, number + sizeof number, row[c], std::chars_format::fixed, 6);
        buffer.append(number, result.ptr);
        buffer += ' ';
      }
    }
    buffer += '\n';
    if (buffer.size() > (1 << 20)) {
      out.write(buffer);
      buffer.clear();
    }
  }
  out.write(buffer);
  out.commit();
}

namespace {

// The whole file in memory; vector files are read once and fully.
std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw file_error(path, std::strerror(errno));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw file_error(path, "read error");
  return data;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

class Parser {
 public:
  Parser(const std::string& path, const std::string& data) : path_(path), data_(data) {}

  Error error(const std::string& message) const { return file_error(path_, line_, message); }

  std::size_t header_number(const char* what) {
    skip_spaces();
    std::size_t value = 0;
    const auto r = std::from_chars(data_.data() + pos_, data_.data() + data_.size(), value);
    if (r.ec != std::errc() || r.ptr == data_.data() + pos_)
      throw error(std::string("expected the header 'words dimension': bad ") + what);
    pos_ = r.ptr - data_.data();
    return value;
  }
  void end_of_line(const char* what) {
    skip_spaces();
    if (pos_ < data_.size() && data_[pos_] != '\n') throw error(what);
    if (pos_ < data_.size()) ++pos_;
    ++line_;
  }
  std::string word() {
    while (pos_ < data_.size() && (is_space(data_[pos_]) || data_[pos_] == '\n')) {
      if (data_[pos_] == '\n') ++line_;
      ++pos_;
    }
    const std::size_t start = pos_;
    while (pos_ < data_.size() && data_[pos_] != ' ' && data_[pos_] != '\t' && data_[pos_] != '\n') ++pos_;
    if (pos_ == start) throw error("expected a word, found the end of the file (fewer rows than the header says)");
    return data_.substr(start, pos_ - start);
  }
  void text_values(float* row, std::size_t dim) {
    for (std::size_t c = 0; c < dim; ++c) {
      skip_spaces();
      if (pos_ >= data_.size() || data_[pos_] == '\n')
        throw error("expected " + std::to_string(dim) + " values, found " + std::to_string(c));
      const auto r = std::from_chars(data_.data() + pos_, data_.data() + data_.size(), row[c]);
      if (r.ec != std::errc() || (r.ptr < data_.data() + data_.size() && !is_space(*r.ptr) && *r.ptr != '\n'))
        throw error("value " + std::to_string(c + 1) + " is not a number");
      if (!std::isfinite(row[c])) throw error("value " + std::to_string(c + 1) + " is NaN or infinite");
      pos_ = r.ptr - data_.data();
    }
    end_of_line(("more than " + std::to_string(dim) + " values on the line").c_str());
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

 private:
  void skip_spaces() {
    while (pos_ < data_.size() && is_space(data_[pos_])) ++pos_;
  }
  const std::string& path_;
  const std::string& data_;
  std::size_t pos_ = 0;
  unsigned long long line_ = 1;
};

// Binary if a row's bytes after the first word are not printable text.
bool looks_binary(const std::string& data) {
  const std::size_t first_line = data.find('\n');
  const std::size_t probe_end = std::min(data.size(), first_line == std::string::npos ? 0 : first_line + 4096);
  for (std::size_t i = first_line + 1; i < probe_end; ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (c < 9 || (c > 13 && c < 32) || c == 127) return true;
  }
  return false;
}

}  // namespace

WordVectors read_vectors(const std::string& path) {
  const std::string data = slurp(path);
  if (data.empty()) throw file_error(path, "the vector file is empty");
  Parser parser(path, data);
  const std::size_t words = parser.header_number("word count");
  const std::size_t dim = parser.header_number("dimension");
  parser.end_of_line("expected the header 'words dimension'");
  if (dim == 0 || dim > 100000) throw file_error(path, 1, "dimension " + std::to_string(dim) + " out of range 1..100000");
  // Every row takes at least dim bytes (binary: 4 dim): reject absurd counts before allocating.
  if (words > data.size() / std::max<std::size_t>(dim, 1) + 1)
    throw file_error(path, 1, "the header claims " + std::to_string(words) + " words, more than the file can hold");
  const bool binary = looks_binary(data);
  WordVectors result{{}, Matrix(words, dim)};
  result.words.reserve(words);
  for (std::size_t r = 0; r < words; ++r) {
    result.words.push_back(parser.word());
    if (binary)
      parser.binary_values(result.vectors.row(r), dim);
    else
      parser.text_values(result.vectors.row(r), dim);
  }
  return result;
}

}  // namespace wordvec
