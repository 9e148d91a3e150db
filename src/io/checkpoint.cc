#include "wordvec/io/checkpoint.h"

#include <cstring>

#include "core/binary_file.h"
#include "wordvec/text/corpus.h"
#include "wordvec/core/error.h"

namespace wordvec {
namespace {

constexpr char kMagic[8] = {'W', 'V', 'C', 'K', 'P', 'T', '0', '1'};
// 2: settings written by the options structs ("sgns.dim", ...).
constexpr std::uint32_t kVersion = 2;
constexpr std::uint64_t kMaxSetting = 1 << 16;

}  // namespace

void write_checkpoint(const std::string& path, const Checkpoint& c) {
  BinaryWriter out(path);
  out.put(kMagic, sizeof kMagic);
  out.put_value(kVersion);
  out.put_string(c.kind);
  out.put_value(static_cast<std::uint64_t>(c.settings.values().size()));
  for (const auto& [name, value] : c.settings.values()) {
    out.put_string(name);
    out.put_string(value);
  }
  out.put_value(static_cast<std::uint64_t>(c.vocab.size()));
  for (std::size_t i = 0; i < c.vocab.size(); ++i) {
    out.put_string(c.vocab.word(static_cast<std::int32_t>(i)));
    out.put_value(c.vocab.count(static_cast<std::int32_t>(i)));
  }
  out.put_value(static_cast<std::uint64_t>(c.matrices.size()));
  for (const Matrix& m : c.matrices) {
    out.put_value(static_cast<std::uint64_t>(m.rows()));
    out.put_value(static_cast<std::uint64_t>(m.cols()));
    for (std::size_t r = 0; r < m.rows(); ++r) out.put(m.row(r), m.cols() * sizeof(float));
  }
  out.put_value(static_cast<std::uint64_t>(c.state.size()));
  out.put(c.state.data(), c.state.size() * sizeof(std::uint64_t));
  out.commit();
}

Checkpoint read_checkpoint(const std::string& path) {
  BinaryReader in(path);
  char magic[8];
  in.get(magic, sizeof magic, "the magic number");
  if (std::memcmp(magic, kMagic, sizeof magic) != 0) throw file_error(path, "not a wordvec checkpoint (wrong magic number)");
  const auto version = in.get_value<std::uint32_t>("the version");
  if (version != kVersion)
    throw file_error(path, "checkpoint version " + std::to_string(version) + " is not supported (this wordvec reads " +
                               std::to_string(kVersion) + ")");
  Checkpoint c;
  c.settings.set_source(path);
  c.kind = in.get_string("the kind", 16);
  if (c.kind != "sgns" && c.kind != "glove") throw file_error(path, "unknown checkpoint kind '" + c.kind + "'");
  const auto settings = in.get_value<std::uint64_t>("the setting count");
  if (settings > in.remaining() / 16) throw file_error(path, "the setting count " + std::to_string(settings) + " is more than the file holds (truncated or corrupt)");
  for (std::uint64_t i = 0; i < settings; ++i) {
    std::string name = in.get_string("a setting's name", kMaxSetting);
    c.settings.set(name, in.get_string("a setting's value", kMaxSetting));
  }
  const auto words = in.get_value<std::uint64_t>("the vocabulary size");
  if (words == 0 || words > in.remaining() / 17) throw file_error(path, "the vocabulary size " + std::to_string(words) + " is more than the file holds (truncated or corrupt)");
  std::vector<std::pair<std::string, std::uint64_t>> counts(words);
  for (auto& [word, count] : counts) {
    word = in.get_string("a word", kMaxTokenBytes);
    count = in.get_value<std::uint64_t>("a word's count");
  }
  c.vocab = Vocabulary(std::move(counts), VocabOptions{0, 0, 0});
  if (c.vocab.size() != words) throw file_error(path, "the vocabulary lists a word twice");
  const auto matrices = in.get_value<std::uint64_t>("the matrix count");
  if (matrices > 16) throw file_error(path, "absurd matrix count " + std::to_string(matrices));
  for (std::uint64_t k = 0; k < matrices; ++k) {
    const auto rows = in.get_value<std::uint64_t>("a matrix's rows");
    const auto cols = in.get_value<std::uint64_t>("a matrix's columns");
    if (cols == 0 || cols > 100000 || rows > in.remaining() / (cols * sizeof(float)))
      throw file_error(path, "matrix " + std::to_string(k) + " of " + std::to_string(rows) + " x " +
                                 std::to_string(cols) + " is more than the file holds (truncated or corrupt)");
    Matrix m(rows, cols);
    for (std::size_t r = 0; r < rows; ++r) in.get(m.row(r), cols * sizeof(float), "a matrix row");
    c.matrices.push_back(std::move(m));
  }
  const auto numbers = in.get_value<std::uint64_t>("the state size");
  if (numbers > in.remaining() / 8) throw file_error(path, "the state size " + std::to_string(numbers) + " is more than the file holds (truncated or corrupt)");
  c.state.resize(numbers);
  in.get(c.state.data(), numbers * sizeof(std::uint64_t), "the state");
  in.verify_checksum();
  return c;
}

namespace {

// The kind, matrix count and state size a model's resume needs.
void require_layout(const Checkpoint& c, const char* kind, std::size_t matrices, const char* what) {
  if (c.kind != kind || c.matrices.size() != matrices)
    throw Error(c.settings.source() + ": not a " + what + " checkpoint (kind " + c.kind + ", " +
                std::to_string(c.matrices.size()) + " matrices)");
}

}  // namespace

Checkpoint make_sgns_checkpoint(const SgnsOptions& options, const Vocabulary& vocab, const SgnsModel& model,
                                const SgnsRunState& state, const Settings& extra) {
  Checkpoint c;
  c.kind = "sgns";
  c.settings = options.to_settings();
  c.settings.merge(extra);
  c.vocab = vocab;
  c.matrices.push_back(model.input.clone());
  c.matrices.push_back(model.output.clone());
  c.state = state.to_numbers();
  return c;
}

SgnsResume sgns_resume(Checkpoint& c) {
  require_layout(c, "sgns", 2, "skip-gram/CBOW");
  SgnsResume r{SgnsOptions::from_settings(c.settings), SgnsModel{std::move(c.matrices[0]), std::move(c.matrices[1])},
               SgnsRunState::from_numbers(c.state)};
  c.matrices.clear();
  return r;
}

Checkpoint make_glove_checkpoint(const GloveOptions& options, const CooccurrenceOptions& counting,
                                 const Vocabulary& vocab, const GloveModel& model, int epochs_done,
                                 const Settings& extra) {
  Checkpoint c;
  c.kind = "glove";
  c.settings = options.to_settings();
  c.settings.merge(counting.to_settings());
  c.settings.merge(extra);
  c.vocab = vocab;
  c.matrices.push_back(model.word_rows().clone());
  c.matrices.push_back(model.context_rows().clone());
  c.state = {static_cast<std::uint64_t>(epochs_done)};
  return c;
}

GloveResume glove_resume(Checkpoint& c) {
  require_layout(c, "glove", 2, "GloVe");
  if (c.state.size() != 1) throw Error(c.settings.source() + ": a GloVe checkpoint's state is the epochs done");
  const GloveOptions options = GloveOptions::from_settings(c.settings);
  if (c.state[0] > static_cast<std::uint64_t>(options.epochs))
    throw Error(c.settings.source() + ": the epochs done exceed the run's epochs");
  GloveResume r{options, CooccurrenceOptions::from_settings(c.settings),
                GloveModel::from_rows(static_cast<std::size_t>(options.dim), std::move(c.matrices[0]),
                                      std::move(c.matrices[1])),
                static_cast<int>(c.state[0])};
  c.matrices.clear();
  return r;
}

}  // namespace wordvec
