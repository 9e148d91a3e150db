#include "wordvec/io/model_file.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "core/mapped_file.h"
#include "wordvec/core/atomic_file.h"
#include "wordvec/core/error.h"
#include "wordvec/core/files.h"
#include "wordvec/text/corpus.h"

namespace wordvec {
namespace {

// PNG's trick: a byte above 127 and CR LF / ^Z / LF catch text-mode transfers.
constexpr char kMagic[8] = {'\x89', 'W', 'V', 'M', '\r', '\n', '\x1a', '\n'};
constexpr char kCheckpointMagic[6] = {'W', 'V', 'C', 'K', 'P', 'T'};
constexpr std::uint64_t kAlign = 64;
constexpr std::uint64_t kMaxSetting = 1 << 20;
constexpr std::uint64_t kMaxColumns = 1 << 20;

std::uint64_t align_up(std::uint64_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

template <class T>
void append(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof value);
}
void append_string(std::string& out, std::string_view s) {
  append(out, static_cast<std::uint64_t>(s.size()));
  out.append(s);
}

// The header's bytes up to the matrix table.
std::string header_bytes(const std::string& kind, const Settings& settings, const Vocabulary& vocab) {
  std::string out(kMagic, sizeof kMagic);
  append(out, kModelFormatVersion);
  append(out, std::uint32_t{0});
  append_string(out, kind);
  append(out, static_cast<std::uint64_t>(settings.values().size()));
  for (const auto& [name, value] : settings.values()) {
    append_string(out, name);
    append_string(out, value);
  }
  append(out, static_cast<std::uint64_t>(vocab.size()));
  for (std::size_t i = 0; i < vocab.size(); ++i) {
    append_string(out, vocab.word(static_cast<std::int32_t>(i)));
    append(out, vocab.count(static_cast<std::int32_t>(i)));
  }
  return out;
}

// A cursor over the header that checks every length against the bytes left.
class HeaderReader {
 public:
  HeaderReader(const std::string& name, std::string_view data) : name_(name), data_(data) {}
  template <class T>
  T value(const char* what) {
    T v;
    take(&v, sizeof v, what);
    return v;
  }
  std::string string(const char* what, std::uint64_t max_size) {
    const auto size = value<std::uint64_t>(what);
    if (size > max_size || size > left())
      throw file_error(name_, "bad length " + std::to_string(size) + " of " + what + " at byte " +
                                  std::to_string(pos_ - 8) + " (truncated or corrupt)");
    std::string s(data_.substr(pos_, size));
    pos_ += size;
    return s;
  }
  // A count of items of at least `min_bytes` each, checked against the bytes left.
  std::uint64_t count(const char* what, std::uint64_t min_bytes) {
    const auto n = value<std::uint64_t>(what);
    if (n > left() / min_bytes)
      throw file_error(name_, "the " + std::string(what) + " " + std::to_string(n) +
                                  " is more than the file holds (truncated or corrupt)");
    return n;
  }
  std::uint64_t position() const { return pos_; }
  std::uint64_t left() const { return data_.size() - pos_; }

 private:
  void take(void* out, std::size_t size, const char* what) {
    if (size > left())
      throw file_error(name_, std::string("truncated (reading ") + what + " at byte " + std::to_string(pos_) + ")");
    std::memcpy(out, data_.data() + pos_, size);
    pos_ += size;
  }
  const std::string& name_;
  std::string_view data_;
  std::uint64_t pos_ = 0;
};

}  // namespace

bool is_model_file(const std::string& path) {
  try {
    readable_file_size(path);  // refuses a FIFO before opening it
  } catch (const Error&) {
    return false;
  }
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), std::fclose);
  char head[sizeof kMagic];
  return f && std::fread(head, 1, sizeof head, f.get()) == sizeof head && ModelFile::has_magic({head, sizeof head});
}

bool ModelFile::has_magic(std::string_view head) { return head.substr(0, sizeof kMagic) == std::string_view(kMagic, sizeof kMagic); }

void write_model_file(const std::string& path, const std::string& kind, const Settings& settings,
                      const Vocabulary& vocab, const std::vector<ModelMatrixSource>& matrices) {
  std::string head = header_bytes(kind, settings, vocab);
  std::uint64_t table_bytes = 8;
  for (const ModelMatrixSource& m : matrices) table_bytes += 8 + m.name.size() + 3 * 8;
  std::uint64_t offset = align_up(head.size() + table_bytes);
  append(head, static_cast<std::uint64_t>(matrices.size()));
  std::vector<std::uint64_t> offsets;
  for (const ModelMatrixSource& m : matrices) {
    append_string(head, m.name);
    append(head, static_cast<std::uint64_t>(m.rows));
    append(head, static_cast<std::uint64_t>(m.cols));
    append(head, offset);
    offsets.push_back(offset);
    offset = align_up(offset + m.rows * m.cols * sizeof(float));
  }

  AtomicFileWriter out(path);
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> sum(XXH3_createState(), XXH3_freeState);
  XXH3_64bits_reset(sum.get());
  std::uint64_t written = 0;
  const auto put = [&](const void* data, std::size_t size) {
    out.write(data, size);
    XXH3_64bits_update(sum.get(), data, size);
    written += size;
  };
  const auto pad_to = [&](std::uint64_t target) {
    static const char zeros[kAlign] = {};
    put(zeros, target - written);
  };
  put(head.data(), head.size());
  std::vector<float> buffer;
  for (std::size_t k = 0; k < matrices.size(); ++k) {
    const ModelMatrixSource& m = matrices[k];
    pad_to(offsets[k]);
    const std::size_t rows_per_write = std::max<std::size_t>(1, (1 << 18) / std::max<std::size_t>(1, m.cols));
    buffer.resize(rows_per_write * m.cols);
    for (std::size_t r = 0; r < m.rows; r += rows_per_write) {
      const std::size_t n = std::min(rows_per_write, m.rows - r);
      for (std::size_t i = 0; i < n; ++i) m.fill(r + i, buffer.data() + i * m.cols);
      put(buffer.data(), n * m.cols * sizeof(float));
    }
  }
  const std::uint64_t checksum = XXH3_64bits_digest(sum.get());
  out.write(&checksum, sizeof checksum);
  out.commit();
}

ModelFile ModelFile::open(const std::string& path) {
  auto map = std::make_shared<const MappedFile>(path, true);
  ModelFile file = parse(path, map->view());
  file.map_ = std::move(map);
  // The checksum read every page; readers fetch the matrices again as they copy them.
  for (const ModelMatrixInfo& m : file.matrices_) file.release(m.offset, m.rows * m.cols * sizeof(float));
  return file;
}

ModelFile ModelFile::parse(const std::string& name, std::string_view data) {
  if (data.substr(0, sizeof kCheckpointMagic) == std::string_view(kCheckpointMagic, sizeof kCheckpointMagic))
    throw file_error(name, "is a training checkpoint, not a model file: finish the run with 'wordvec train --resume " +
                               name + " --save-model MODEL'");
  if (!has_magic(data))
    throw file_error(name, data.size() < sizeof kMagic ? "too short to be a wordvec model file"
                                                       : "not a wordvec model file (wrong magic number)");
  ModelFile f;
  f.name_ = name;
  f.data_ = data;
  HeaderReader in(name, data.substr(0, data.size() >= 8 ? data.size() - 8 : 0));  // the checksum is not header
  in.value<std::uint64_t>("the magic number");
  f.version_ = in.value<std::uint32_t>("the format version");
  if (f.version_ > kModelFormatVersion)
    throw file_error(name, "model format version " + std::to_string(f.version_) +
                               " is newer than this wordvec reads (up to " + std::to_string(kModelFormatVersion) +
                               "): use a newer wordvec");
  if (f.version_ == 0) throw file_error(name, "model format version 0 does not exist (corrupt file)");
  in.value<std::uint32_t>("the reserved field");
  f.kind_ = in.string("the kind", 16);
  if (f.kind_ != "sgns" && f.kind_ != "glove") throw file_error(name, "unknown model kind '" + f.kind_ + "'");
  f.settings_.set_source(name);
  for (std::uint64_t n = in.count("setting count", 16); n > 0; --n) {
    std::string key = in.string("a setting's name", kMaxSetting);
    f.settings_.set(key, in.string("a setting's value", kMaxSetting));
  }
  const std::uint64_t words = in.count("vocabulary size", 17);
  if (words == 0) throw file_error(name, "the vocabulary is empty");
  std::vector<std::pair<std::string, std::uint64_t>> counts(words);
  for (auto& [word, count] : counts) {
    word = in.string("a word", kMaxTokenBytes);
    count = in.value<std::uint64_t>("a word's count");
  }
  std::vector<std::string> order;
  order.reserve(words);
  for (const auto& entry : counts) order.push_back(entry.first);
  f.vocab_ = Vocabulary(std::move(counts), VocabOptions{0, 0, 0});
  if (f.vocab_.words() != order)
    throw file_error(name, f.vocab_.size() != words ? "the vocabulary lists a word twice"
                                                    : "the vocabulary is not in descending count order (corrupt)");
  std::uint64_t end = in.position();
  for (std::uint64_t n = in.count("matrix count", 32); n > 0; --n) {
    ModelMatrixInfo m;
    m.name = in.string("a matrix's name", 64);
    m.rows = in.value<std::uint64_t>("a matrix's rows");
    m.cols = in.value<std::uint64_t>("a matrix's columns");
    m.offset = in.value<std::uint64_t>("a matrix's offset");
    if (m.cols == 0 || m.cols > kMaxColumns || m.rows > data.size() / (m.cols * sizeof(float)) ||
        m.offset % kAlign != 0 || m.offset > data.size())
      throw file_error(name, "matrix '" + m.name + "' of " + std::to_string(m.rows) + " x " + std::to_string(m.cols) +
                                 " at byte " + std::to_string(m.offset) + " is malformed (corrupt)");
    if (std::any_of(f.matrices_.begin(), f.matrices_.end(), [&](const ModelMatrixInfo& o) { return o.name == m.name; }))
      throw file_error(name, "matrix '" + m.name + "' is listed twice (corrupt)");
    f.matrices_.push_back(m);
  }
  // The matrices follow the table in order, each aligned: the file's size is known.
  end = in.position();
  for (const ModelMatrixInfo& m : f.matrices_) {
    if (m.offset != align_up(end))
      throw file_error(name, "matrix '" + m.name + "' starts at byte " + std::to_string(m.offset) + ", not " +
                                 std::to_string(align_up(end)) + " (corrupt)");
    end = m.offset + m.rows * m.cols * sizeof(float);
  }
  const std::uint64_t expected = end + 8;
  if (data.size() < expected)
    throw file_error(name, "truncated: " + std::to_string(data.size()) + " bytes, its header describes " +
                               std::to_string(expected));
  if (data.size() > expected)
    throw file_error(name, std::to_string(data.size() - expected) + " unexpected bytes after the matrices (corrupt)");
  std::uint64_t stored = 0;
  std::memcpy(&stored, data.data() + end, sizeof stored);
  if (stored != XXH3_64bits(data.data(), end)) throw file_error(name, "checksum mismatch: the file is corrupt");
  return f;
}

const ModelMatrixInfo& ModelFile::matrix(const std::string& matrix_name, std::size_t rows, std::size_t cols) const {
  for (const ModelMatrixInfo& m : matrices_) {
    if (m.name != matrix_name) continue;
    if (m.rows != rows || m.cols != cols)
      throw file_error(name_, "matrix '" + matrix_name + "' is " + std::to_string(m.rows) + " x " +
                                  std::to_string(m.cols) + ", not " + std::to_string(rows) + " x " +
                                  std::to_string(cols) + " (rows x columns)");
    return m;
  }
  throw file_error(name_, "has no matrix '" + matrix_name + "' (a " + kind_ + " model needs it)");
}

void ModelFile::release(std::uint64_t offset, std::uint64_t bytes) const {
  if (map_) map_->release(offset, bytes);
}

void ModelFile::for_each_row(const ModelMatrixInfo& m, const std::function<void(std::size_t, const float*)>& f) const {
  constexpr std::uint64_t kReleaseBytes = 4 << 20;
  const std::uint64_t row_bytes = m.cols * sizeof(float);
  std::uint64_t released = m.offset;
  for (std::size_t r = 0; r < m.rows; ++r) {
    f(r, row(m, r));
    const std::uint64_t read = m.offset + (r + 1) * row_bytes;
    if (read - released >= kReleaseBytes || r + 1 == m.rows) {
      release(released, read - released);
      released = read;
    }
  }
}

// ---------------------------------------------------------------- history

namespace {
constexpr int kHistoryVersion = 1;
}  // namespace

Settings ModelHistory::to_settings() const {
  Settings s;
  s.set("model.version", kHistoryVersion);
  s.set("model.trained_words", trained_words);
  s.set("model.epochs", epochs);
  s.set("model.runs", runs);
  s.set("model.cooccurrence", cooccurrence);
  return s;
}

ModelHistory ModelHistory::from_settings(const Settings& s) {
  s.require_version("model", kHistoryVersion);
  return {s.integer("model.trained_words"), s.integer("model.epochs"), s.integer("model.runs"),
          s.text("model.cooccurrence")};
}

// ---------------------------------------------------------------- models

namespace {

// Rows [first, first + count) of m (count 0: to the end).
ModelMatrixSource rows_of(std::string name, const Matrix& m, std::size_t first = 0, std::size_t count = 0) {
  if (count == 0) count = m.rows() - first;
  return {std::move(name), count, m.cols(),
          [&m, first](std::size_t r, float* out) { std::copy_n(m.row(first + r), m.cols(), out); }};
}

constexpr const char* kBucketsMatrix = "subword_buckets";

using Side = GloveModel::Side;

std::vector<ModelMatrixSource> glove_sources(const GloveModel& g) {
  const std::size_t v = g.vocab_size(), d = g.dim();
  std::vector<ModelMatrixSource> out;
  for (const Side side : {Side::Word, Side::Context}) {
    const std::string prefix = side == Side::Word ? "word_" : "context_";
    out.push_back({prefix + "vectors", v, d, [&g, side, d](std::size_t r, float* o) { std::copy_n(g.vector(side, r), d, o); }});
    out.push_back({prefix + "biases", v, 1, [&g, side](std::size_t r, float* o) { *o = g.bias(side, r); }});
    out.push_back({prefix + "sums", v, d + 1, [&g, side, d](std::size_t r, float* o) {
                     std::copy_n(g.vector_sums(side, r), d, o);
                     o[d] = g.bias_sum(side, r);
                   }});
  }
  return out;
}

// Copies every row r of matrix `m` to put(destination[r], row).
void copy_rows(const ModelFile& file, const ModelMatrixInfo& m, std::span<const std::int32_t> destination,
               const std::function<void(std::size_t, const float*)>& put) {
  if (destination.size() != m.rows) throw Error("internal: a row map of the wrong size");
  file.for_each_row(m, [&](std::size_t r, const float* values) {
    if (destination[r] >= 0) put(static_cast<std::size_t>(destination[r]), values);
  });
}

// A subword model's n-gram rows into out.subwords, and each word's vector
// (its own row, in out.vectors) made the mean of its rows.
void add_subwords(const ModelFile& file, const SubwordOptions& options, WordVectors& out) {
  auto rows = std::make_shared<SubwordRows>();
  rows->options = options;
  const ModelMatrixInfo& stored = file.matrix(kBucketsMatrix, options.buckets, out.dim());  // before allocating
  rows->buckets = Matrix(options.buckets, out.dim());
  file.for_each_row(stored, [&](std::size_t r, const float* values) {
    std::copy_n(values, out.dim(), rows->buckets.row(r));
  });
  for (std::size_t w = 0; w < out.size(); ++w) {
    float* vector = out.vectors.row(w);
    std::size_t count = 1;
    for_each_ngram_bucket(out.words[w], options, [&](std::uint32_t bucket) {
      const float* row = rows->buckets.row(bucket);
      for (std::size_t c = 0; c < out.dim(); ++c) vector[c] += row[c];
      ++count;
    });
    const float scale = 1.0f / static_cast<float>(count);  // as mean_of_rows: the same floats as training's --output
    for (std::size_t c = 0; c < out.dim(); ++c) vector[c] *= scale;
  }
  out.subwords = std::move(rows);
}

int model_dim(const ModelFile& file) {
  return file.kind() == "glove" ? GloveOptions::from_settings(file.settings()).dim
                                : SgnsOptions::from_settings(file.settings()).dim;
}

}  // namespace

void save_sgns_model(const std::string& path, const SgnsOptions& options, const Vocabulary& vocab,
                     const SgnsModel& model, const Settings& extra) {
  Settings settings = options.to_settings();
  settings.merge(extra);
  const std::size_t words = vocab.size();
  std::vector<ModelMatrixSource> sources{rows_of("input", model.input, 0, words), rows_of("output", model.output)};
  if (options.subwords.enabled()) {
    if (model.input.rows() != words + options.subwords.buckets) throw Error("internal: the subword rows are missing");
    sources.push_back(rows_of(kBucketsMatrix, model.input, words));
  }
  write_model_file(path, "sgns", settings, vocab, sources);
}

void save_glove_model(const std::string& path, const GloveOptions& options, const CooccurrenceOptions& counting,
                      const Vocabulary& vocab, const GloveModel& model, const Settings& extra) {
  Settings settings = options.to_settings();
  settings.merge(counting.to_settings());
  settings.merge(extra);
  write_model_file(path, "glove", settings, vocab, glove_sources(model));
}

WordVectors model_vectors(const ModelFile& file) {
  const std::size_t v = file.vocab().size();
  const auto dim = static_cast<std::size_t>(model_dim(file));
  WordVectors out;
  out.words = file.vocab().words();
  const auto copy_to = [&](std::size_t column) {
    return [&, column](std::size_t r, const float* values) { std::copy_n(values, dim, out.vectors.row(r) + column); };
  };
  if (file.kind() == "sgns") {
    out.vectors = Matrix(v, dim);
    file.for_each_row(file.matrix("input", dim), copy_to(0));
    const SubwordOptions subwords = SgnsOptions::from_settings(file.settings()).subwords;
    if (subwords.enabled()) add_subwords(file, subwords, out);
    return out;
  }
  const GloveOutput kind = GloveOptions::from_settings(file.settings()).output;
  const ModelMatrixInfo& w = file.matrix("word_vectors", dim);
  const ModelMatrixInfo& c = file.matrix("context_vectors", dim);
  out.vectors = Matrix(v, kind == GloveOutput::Concat ? 2 * dim : dim);
  file.for_each_row(w, copy_to(0));
  if (kind == GloveOutput::Concat) file.for_each_row(c, copy_to(dim));
  if (kind == GloveOutput::Sum)
    file.for_each_row(c, [&](std::size_t r, const float* values) {
      float* o = out.vectors.row(r);
      for (std::size_t k = 0; k < dim; ++k) o[k] += values[k];
    });
  return out;
}

void load_sgns_rows(const ModelFile& file, SgnsModel& into, std::span<const std::int32_t> destination,
                    bool output_rows) {
  const std::size_t dim = into.input.cols();
  copy_rows(file, file.matrix("input", dim), destination,
            [&](std::size_t row, const float* values) { std::copy_n(values, dim, into.input.row(row)); });
  if (output_rows)
    copy_rows(file, file.matrix("output", dim), destination,
              [&](std::size_t row, const float* values) { std::copy_n(values, dim, into.output.row(row)); });
  const SubwordOptions subwords = SgnsOptions::from_settings(file.settings()).subwords;
  if (!subwords.enabled()) return;
  // The n-gram rows follow the (possibly grown) vocabulary's rows.
  const std::size_t first = into.output.rows();
  if (into.input.rows() != first + subwords.buckets) throw Error("internal: the model to continue has no subword rows");
  file.for_each_row(file.matrix(kBucketsMatrix, subwords.buckets, dim), [&](std::size_t r, const float* values) {
    std::copy_n(values, dim, into.input.row(first + r));
  });
}

void load_glove_rows(const ModelFile& file, GloveModel& into, std::span<const std::int32_t> destination) {
  const std::size_t dim = into.dim();
  for (const Side side : {Side::Word, Side::Context}) {
    const std::string prefix = side == Side::Word ? "word_" : "context_";
    copy_rows(file, file.matrix(prefix + "vectors", dim), destination,
              [&](std::size_t row, const float* values) { std::copy_n(values, dim, into.vector(side, row)); });
    copy_rows(file, file.matrix(prefix + "biases", 1), destination,
              [&](std::size_t row, const float* values) { into.bias(side, row) = *values; });
    copy_rows(file, file.matrix(prefix + "sums", dim + 1), destination, [&](std::size_t row, const float* values) {
      std::copy_n(values, dim, into.vector_sums(side, row));
      into.bias_sum(side, row) = values[dim];
    });
  }
}

}  // namespace wordvec
