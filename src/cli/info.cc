// wordvec info: what a model file or a vector file holds.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.h"
#include "json_output.h"
#include "wordvec/core/error.h"
#include "wordvec/io/model_file.h"

namespace wordvec::cli {
namespace {

const char* kInfoUsage =
    "usage: wordvec info FILE [--json]\n"
    "\n"
    "Describes a model file (train --save-model): its kind, model, dimension,\n"
    "vocabulary, the corpus words and epochs it was trained on, its settings and\n"
    "matrices; or a vector file of any format: its format, dimension and size.\n"
    "The model file is checked whole (checksum) on the way.";

const char* format_description(VectorFormat format) {
  switch (format) {
    case VectorFormat::Word2VecBinary: return "word2vec binary";
    case VectorFormat::Word2VecText: return "word2vec text";
    case VectorFormat::FastTextVec: return "fastText .vec";
    case VectorFormat::GloveText: return "GloVe text";
    case VectorFormat::Npy: return "NumPy .npy with a word list";
    case VectorFormat::Model: return "wordvec model";
    case VectorFormat::Projector: return "TensorBoard projector (vectors.tsv, metadata.tsv)";
  }
  return "";
}

// Everything `info` reports, as JSON (the text form is drawn from it).
nlohmann::ordered_json describe_model(const std::string& path, const ModelFile& model) {
  const Settings& s = model.settings();
  const bool glove = model.kind() == "glove";
  const ModelHistory history = ModelHistory::from_settings(s);
  nlohmann::ordered_json j;
  j["file"] = path;
  j["kind"] = "model";
  j["format"] = "model";
  j["format_version"] = model.version();
  j["size_bytes"] = model.size_bytes();
  j["model"] = glove ? "glove" : s.text("sgns.model");
  j["dimension"] = glove ? GloveOptions::from_settings(s).dim : SgnsOptions::from_settings(s).dim;
  if (!glove) {
    const SgnsOptions o = SgnsOptions::from_settings(s);
    j["loss"] = loss_name(o.loss);
    j["subwords"] = o.subwords.enabled() ? nlohmann::ordered_json({{"min_n", o.subwords.min_n}, {"max_n", o.subwords.max_n},
                                                                   {"buckets", o.subwords.buckets}})
                                         : nlohmann::ordered_json();
  }
  j["vocabulary_size"] = model.vocab().size();
  j["corpus_words"] = model.vocab().total_count();
  j["trained_words"] = history.trained_words;
  j["epochs_trained"] = history.epochs;
  j["training_runs"] = history.runs;
  j["cooccurrence_file"] = history.cooccurrence.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(history.cooccurrence);
  j["matrices"] = nlohmann::ordered_json::array();
  for (const ModelMatrixInfo& m : model.matrices())
    j["matrices"].push_back({{"name", m.name}, {"rows", m.rows}, {"columns", m.cols}});
  j["settings"] = nlohmann::ordered_json::object();
  for (const auto& [name, value] : s.values()) j["settings"][name] = value;
  return j;
}

nlohmann::ordered_json describe_vectors(const std::string& path, const WordVectors& v) {
  nlohmann::ordered_json j;
  j["file"] = path;
  j["kind"] = "vectors";
  j["format"] = vector_format_name(v.format);
  j["dimension"] = v.dim();
  j["vocabulary_size"] = v.size();
  j["duplicates_dropped"] = v.duplicates_dropped;
  return j;
}

}  // namespace

Json describe_file(const std::string& path, const WordVectors& loaded) {
  if (is_model_file(path)) return describe_model(path, ModelFile::open(path));
  return describe_vectors(path, loaded);
}

namespace {

std::string with_commas(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

void print_text(const nlohmann::ordered_json& j) {
  const auto line = [](const char* label, const std::string& value) { std::cout << fmt::format("{:<16}{}\n", label, value); };
  line("file", j["file"].get<std::string>());
  const bool model = j["kind"] == "model";
  const std::string format = j["format"].get<std::string>();
  const VectorFormat f = model ? VectorFormat::Model : parse_vector_format(format);
  line("format", model ? fmt::format("{}, format version {} ({:.1f} MB)", format_description(f),
                                     j["format_version"].get<int>(), j["size_bytes"].get<double>() / 1e6)
                       : fmt::format("{} ({})", format, format_description(f)));
  line("kind", model ? "model (continue it with train --continue)" : "vectors");
  if (model) line("model", j["model"].get<std::string>());
  if (j.contains("loss"))
    line("output layer", j["loss"] == "hs" ? "hierarchical softmax" : "negative sampling");
  if (j.contains("subwords"))
    line("subwords", j["subwords"].is_null()
                         ? std::string("none (words outside the vocabulary have no vector)")
                         : fmt::format("n-grams of {}-{} characters in {} buckets (any word gets a vector)",
                                       j["subwords"]["min_n"].get<int>(), j["subwords"]["max_n"].get<int>(),
                                       j["subwords"]["buckets"].get<std::uint64_t>()));
  line("dimension", std::to_string(j["dimension"].get<int>()));
  line("vocabulary", std::to_string(j["vocabulary_size"].get<std::uint64_t>()) + " words");
  if (!model) return;
  line("corpus words", with_commas(j["corpus_words"].get<std::uint64_t>()) + " (the sum of the vocabulary's counts)");
  line("trained on", fmt::format("{} words, {} epoch(s) in {} run(s)", with_commas(j["trained_words"].get<std::uint64_t>()),
                                 j["epochs_trained"].get<std::uint64_t>(), j["training_runs"].get<std::uint64_t>()));
  if (!j["cooccurrence_file"].is_null()) line("co-occurrences", j["cooccurrence_file"].get<std::string>());
  std::string matrices;
  for (const auto& m : j["matrices"])
    matrices += fmt::format("{}{} {} x {}", matrices.empty() ? "" : ", ", m["name"].get<std::string>(),
                            m["rows"].get<std::uint64_t>(), m["columns"].get<std::uint64_t>());
  line("matrices", matrices);
  std::cout << "settings\n";
  for (const auto& [name, value] : j["settings"].items()) {
    std::string text = value.get<std::string>();
    for (std::size_t p = 0; (p = text.find('\n', p)) != std::string::npos; p += 2) text.replace(p, 1, ", ");
    std::cout << fmt::format("  {} = {}\n", name, text);
  }
}

}  // namespace

int run_info(const std::vector<std::string>& args) {
  std::string path;
  po::options_description o("Options");
  o.add_options()("file", po::value(&path), "a model file or a vector file")(
      "json", "print one JSON object instead of text");
  o.add(logging_options());
  po::positional_options_description positional;
  positional.add("file", 1);
  po::variables_map vm;
  if (!parse_or_help(args, o, &positional, kInfoUsage, vm)) return 0;
  configure_logging(vm);
  if (path.empty()) throw UsageError("give the file to describe: wordvec info FILE (a model or vector file)");
  FilePlan plan;
  plan_vector_input(plan, path, "FILE");
  plan.check();
  const nlohmann::ordered_json j = is_model_file(path) ? describe_model(path, ModelFile::open(path))
                                                      : describe_vectors(path, load_vectors(path));
  if (vm.count("json"))
    print_json(j, 2);
  else
    print_text(j);
  return 0;
}

}  // namespace wordvec::cli
