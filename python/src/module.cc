// wordvec._wordvec: the Python module's native half. Training runs the
// command line's `wordvec train` in-process (same options, defaults and
// messages) on a thread of its own while the caller's thread watches for
// Ctrl-C; vectors are the library's matrices, shown to numpy without a copy.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/cli.h"
#include "cli/signals.h"
#include "wordvec/core/error.h"
#include "wordvec/core/version.h"
#include "wordvec/io/vectors_io.h"
#include "wordvec/query/evaluation.h"
#include "wordvec/query/neighbors.h"
#include "wordvec/text/corpus_input.h"
#include "wordvec/text/vocabulary.h"
#include "wordvec/train/dimension.h"

namespace py = pybind11;
using namespace wordvec;

namespace {

// ---- training ---------------------------------------------------------

// The Python objects a run reports to. It lives on the calling thread; the
// callbacks the trainer's threads call hold only a pointer to it, take the
// GIL, and never let a Python exception into the trainer: the first one is
// kept, the run is stopped, and the caller raises it.
struct PythonReports {
  py::object progress;  // callable(dict) or None
  py::object logger;    // logging.Logger
  std::mutex mutex;
  std::optional<py::error_already_set> error;

  void keep(py::error_already_set&& e) {
    std::lock_guard<std::mutex> lock(mutex);
    if (!error) error.emplace(std::move(e));
    cli::request_stop(SIGINT);
  }
};

py::dict progress_dict(const TrainingProgress& p) {
  py::dict d;
  d["stage"] = p.stage;
  d["unit"] = p.unit;
  d["fraction"] = p.fraction;
  d["done"] = p.words_done;
  d["total"] = p.words_total;
  d["words_per_sec_per_thread"] = p.words_per_second_per_thread;
  d["learning_rate"] = p.learning_rate;
  d["loss"] = p.loss;
  d["epoch"] = p.epoch;
  d["elapsed"] = p.elapsed_seconds;
  d["eta"] = p.eta_seconds;
  d["finished"] = p.finished;
  return d;
}

cli::FrontEnd front_end(PythonReports& reports) {
  cli::FrontEnd fe;
  PythonReports* r = &reports;
  if (!reports.progress.is_none())
    fe.progress = [r](const TrainingProgress& p) {
      py::gil_scoped_acquire gil;
      try {
        r->progress(progress_dict(p));
      } catch (py::error_already_set& e) {
        r->keep(std::move(e));
      }
    };
  fe.log = [r](int level, const std::string& message) {
    static constexpr int kPythonLevel[] = {5, 10, 20, 30, 40, 50, 50};  // spdlog trace..off -> logging
    py::gil_scoped_acquire gil;
    try {
      r->logger.attr("log")(kPythonLevel[level < 0 ? 0 : level > 6 ? 6 : level], message);
    } catch (py::error_already_set& e) {
      r->keep(std::move(e));
    }
  };
  return fe;
}

// Runs `wordvec train ARGS` and returns its exit status (0, or 128 + signal
// when stopped). The GIL is released while it runs; every 50 ms the calling
// thread takes it back to run Python's signal handlers, and a
// KeyboardInterrupt (or any exception they raise) stops the run cleanly and is
// raised once it has stopped. One run at a time per process (the command's
// logger and stop request are the process's): a second caller waits.
int train(const std::vector<std::string>& args, py::object progress, py::object logger, std::mutex& one_run) {
  PythonReports reports{std::move(progress), std::move(logger), {}, {}};
  const cli::FrontEnd fe = front_end(reports);
  std::atomic<bool> done{false};
  int status = 1;
  std::exception_ptr failure;
  {
    py::gil_scoped_release release;
    const std::lock_guard<std::mutex> lock(one_run);
    std::thread runner([&] {
      try {
        status = cli::run_train(args, fe);
      } catch (...) {
        failure = std::current_exception();
      }
      done.store(true);
    });
    while (!done.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      py::gil_scoped_acquire gil;
      if (PyErr_CheckSignals() != 0) reports.keep(py::error_already_set());
    }
    runner.join();
    cli::clear_stop_request();
  }
  if (reports.error) throw std::move(*reports.error);
  if (failure) std::rethrow_exception(failure);
  return status;
}

// ---- corpora from Python ------------------------------------------------

bool is_token_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

// Writes sentences (lists of str tokens) as corpus lines, a batch per call:
// the tokens are read with the C API, not one pybind11 call per word.
class SentenceFile {
 public:
  explicit SentenceFile(const std::string& path) : path_(path), file_(std::fopen(path.c_str(), "wb")) {
    if (file_ == nullptr) throw file_error(path, std::strerror(errno));
  }
  ~SentenceFile() {
    if (file_ != nullptr) std::fclose(file_);
  }
  // Returns the tokens written.
  std::size_t write(const py::iterable& batch) {
    std::size_t tokens = 0;
    for (const py::handle sentence : batch) {
      if (PyUnicode_Check(sentence.ptr()) || PyBytes_Check(sentence.ptr()))
        throw py::type_error("sentence " + std::to_string(sentences_) +
                             " is a string; a corpus iterable yields lists of tokens (str), e.g. [\"the\", \"cat\"]");
      line_.clear();
      for (const py::handle token : py::iter(sentence)) {
        Py_ssize_t size = 0;
        const char* text = PyUnicode_Check(token.ptr()) ? PyUnicode_AsUTF8AndSize(token.ptr(), &size) : nullptr;
        if (text == nullptr) {
          PyErr_Clear();
          throw py::type_error("sentence " + std::to_string(sentences_) + ": token " +
                               py::repr(token).cast<std::string>() + " is not a str");
        }
        if (size == 0 || std::any_of(text, text + size, is_token_space))
          throw py::value_error("sentence " + std::to_string(sentences_) + ": token " +
                                py::repr(token).cast<std::string>() +
                                " is empty or contains whitespace; tokens are separated by whitespace");
        if (!line_.empty()) line_ += ' ';
        line_.append(text, static_cast<std::size_t>(size));
        ++tokens;
      }
      line_ += '\n';
      if (std::fwrite(line_.data(), 1, line_.size(), file_) != line_.size())
        throw file_error(path_, std::strerror(errno));
      ++sentences_;
    }
    return tokens;
  }
  void close() {
    if (file_ == nullptr) return;
    const bool failed = std::fclose(file_) != 0;
    file_ = nullptr;
    if (failed) throw file_error(path_, std::strerror(errno));
  }

 private:
  std::string path_;
  std::FILE* file_;
  std::string line_;
  std::size_t sentences_ = 0;
};

// The vocabulary size of a corpus (files, folders, compressed), as train counts it.
std::size_t vocabulary_size(const std::vector<std::string>& inputs, long long min_count, const std::string& glob) {
  if (min_count < 1) throw py::value_error("min_count must be at least 1, got " + std::to_string(min_count));
  py::gil_scoped_release release;
  CorpusInputOptions options;
  options.glob = glob;
  const PreparedCorpus corpus(inputs, options, {});
  VocabOptions vo;
  vo.min_count = static_cast<std::uint64_t>(min_count);
  return Vocabulary::build(corpus.path(), vo, nullptr, std::max(1u, std::thread::hardware_concurrency())).size();
}

// ---- vectors --------------------------------------------------------------

// A vector file's words and matrix (zero-copy to numpy), with the unit-length
// copy for queries built on first use.
class Vectors {
 public:
  explicit Vectors(WordVectors v) : raw_(std::move(v)) {}

  const WordVectors& raw() const { return raw_; }
  WordVectors& raw() { return raw_; }
  bool has_subwords() const { return raw_.subwords != nullptr; }

  const NearestNeighbors& queries() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!queries_) {
      WordVectors copy;
      copy.words = raw_.words;
      copy.vectors = raw_.vectors.clone();
      copy.subwords = raw_.subwords;
      queries_ = std::make_unique<NearestNeighbors>(std::move(copy));
    }
    return *queries_;
  }
  // After .vectors changed in place: the unit rows are built again on the next query.
  void forget_unit_rows() {
    std::lock_guard<std::mutex> lock(mutex_);
    queries_.reset();
  }
  bool has_unit_rows() const { return queries_ != nullptr; }

 private:
  WordVectors raw_;
  std::mutex mutex_;
  std::unique_ptr<NearestNeighbors> queries_;
};

py::array_t<float> matrix_view(const Matrix& m, py::handle owner, bool writable) {
  py::array_t<float> a({m.rows(), m.cols()}, {m.stride() * sizeof(float), sizeof(float)}, m.data(), owner);
  if (!writable) a.attr("setflags")(py::arg("write") = false);
  return a;
}

std::vector<float> as_floats(const py::array_t<float, py::array::c_style | py::array::forcecast>& v, std::size_t dim) {
  if (v.ndim() != 1 || static_cast<std::size_t>(v.shape(0)) != dim)
    throw py::value_error("expected a vector of " + std::to_string(dim) + " floats");
  return {v.data(), v.data() + dim};
}

py::list neighbors_list(const std::vector<Neighbor>& ns) {
  py::list out;
  for (const Neighbor& n : ns) out.append(py::make_tuple(n.word, n.similarity));
  return out;
}

py::dict section_dict(const AnalogySection& s) {
  py::dict d;
  d["section"] = s.name;
  d["correct"] = s.correct;
  d["incorrect"] = s.attempted - s.correct;
  d["skipped"] = s.total - s.attempted;
  return d;
}

AnalogyMethod analogy_method(const std::string& name) {
  if (name == "add" || name == "3cosadd") return AnalogyMethod::CosAdd;
  if (name == "mul" || name == "3cosmul") return AnalogyMethod::CosMul;
  throw py::value_error("method must be 'add' (3CosAdd) or 'mul' (3CosMul), got '" + name + "'");
}

VectorFormat format_for_save(const std::string& format) {
  if (format == "model") throw py::value_error("model files are written by train(save_model=PATH), not by save()");
  return parse_vector_format(format);
}

}  // namespace

PYBIND11_MODULE(_wordvec, m) {
  m.doc() = "wordvec's native half; use the `wordvec` package.";

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const OptionError& e) {  // the library names a field; say it as the command line does
      PyErr_SetString(PyExc_ValueError, (cli::flag_of(e.field()) + " " + e.requirement()).c_str());
    } catch (const cli::UsageError& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const FileError& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    } catch (const Error& e) {
      PyErr_SetString(PyExc_ValueError, e.what());
    }
  });

  // Lives as long as the module (never freed: a run may be ending while the interpreter exits).
  auto* one_run = new std::mutex;
  m.def(
      "train",
      [one_run](const std::vector<std::string>& args, py::object progress, py::object logger) {
        return train(args, std::move(progress), std::move(logger), *one_run);
      },
      py::arg("args"), py::arg("progress"), py::arg("logger"),
      "Runs `wordvec train ARGS` in-process; returns the exit status.");
  m.def("version", &library_version, "The release of the library (wordvec --version's).");
  m.def("train_help", &cli::train_help, "`wordvec train --help`: every option with its default.");

  m.def(
      "suggest_dimension",
      [](double vocab_size) {
        const DimensionSuggestion s = suggest_dimension(vocab_size);
        py::dict d;
        d["dimension"] = s.dimension;
        d["entropy_at"] = s.entropy_at;
        d["entropy_before"] = s.entropy_before;
        d["rule_of_thumb"] = s.rule_of_thumb;
        return d;
      },
      py::arg("vocab_size"));
  m.def(
      "dimension_entropy",
      [](double n, double vocab_size) {
        if (!(n >= 2) || !(vocab_size >= 2)) throw py::value_error("min_entropy needs n >= 2 and vocab_size >= 2");
        return dimension_entropy(n, vocab_size);
      },
      py::arg("n"), py::arg("vocab_size"));
  m.def("vocabulary_size", &vocabulary_size, py::arg("inputs"), py::arg("min_count"), py::arg("glob") = "");

  py::class_<SentenceFile>(m, "SentenceFile")
      .def(py::init<const std::string&>())
      .def("write", &SentenceFile::write)
      .def("close", &SentenceFile::close);

  py::class_<Vectors>(m, "Vectors")
      .def_static(
          "read",
          [](const std::string& path) {
            py::gil_scoped_release release;
            return std::make_unique<Vectors>(read_vectors(path));
          },
          py::arg("path"))
      .def_property_readonly("words", [](const Vectors& v) { return v.raw().words; })
      .def_property_readonly("format", [](const Vectors& v) { return std::string(vector_format_name(v.raw().format)); })
      .def_property_readonly("duplicates_dropped", [](const Vectors& v) { return v.raw().duplicates_dropped; })
      .def_property_readonly("first_duplicate", [](const Vectors& v) { return v.raw().first_duplicate; })
      .def_property_readonly("has_subwords", &Vectors::has_subwords)
      .def_property_readonly("matrix",
                             [](py::object self) {
                               Vectors& v = self.cast<Vectors&>();
                               return matrix_view(v.raw().vectors, self, true);
                             })
      .def_property_readonly("unit_matrix",
                             [](py::object self) {
                               Vectors& v = self.cast<Vectors&>();
                               return matrix_view(v.queries().normalized().vectors, self, false);
                             })
      .def("forget_unit_rows", &Vectors::forget_unit_rows)
      .def_property_readonly("has_unit_rows", &Vectors::has_unit_rows)
      .def("has_vector", [](Vectors& v, const std::string& word) { return v.queries().has_vector(word); })
      .def("built_vector",  // a word outside the vocabulary, from its n-grams (raw, as fastText)
           [](const Vectors& v, const std::string& word) -> std::optional<py::array_t<float>> {
             if (!v.raw().subwords) return std::nullopt;
             py::array_t<float> out(static_cast<py::ssize_t>(v.raw().dim()));
             if (!v.raw().subwords->vector_of(word, out.mutable_data())) return std::nullopt;
             return out;
           })
      .def("unit_vector",
           [](Vectors& v, const std::string& word) {
             const std::vector<float> u = v.queries().vector_of(word);
             return py::array_t<float>(static_cast<py::ssize_t>(u.size()), u.data());
           })
      .def(
          "nearest_to",
          [](Vectors& v, const py::array_t<float, py::array::c_style | py::array::forcecast>& vector, std::size_t k,
             const std::vector<int>& exclude, std::size_t limit) {
            const NearestNeighbors& q = v.queries();
            const std::vector<float> x = as_floats(vector, v.raw().dim());
            py::gil_scoped_release release;
            auto result = q.nearest_to(x.data(), k, exclude, limit);
            py::gil_scoped_acquire gil;
            return neighbors_list(result);
          },
          py::arg("vector"), py::arg("k"), py::arg("exclude"), py::arg("limit") = 0)
      .def(
          "nearest_to_many",
          [](Vectors& v, const py::array_t<float, py::array::c_style | py::array::forcecast>& queries, std::size_t k,
             const std::vector<std::vector<int>>& exclude) {
            const NearestNeighbors& q = v.queries();
            if (queries.ndim() != 2 || static_cast<std::size_t>(queries.shape(1)) != v.raw().dim())
              throw py::value_error("expected queries of shape (n, " + std::to_string(v.raw().dim()) + ")");
            Matrix m(static_cast<std::size_t>(queries.shape(0)), v.raw().dim());
            for (std::size_t r = 0; r < m.rows(); ++r) std::copy_n(queries.data(r, 0), m.cols(), m.row(r));
            std::vector<std::vector<Neighbor>> result;
            {
              py::gil_scoped_release release;
              result = q.nearest_to_many(m, k, exclude);
            }
            py::list out;
            for (const auto& ns : result) out.append(neighbors_list(ns));
            return out;
          },
          py::arg("queries"), py::arg("k"), py::arg("exclude"))
      .def("similarity", [](Vectors& v, const std::string& a, const std::string& b) { return v.queries().similarity(a, b); })
      .def(
          "analogy",
          [](Vectors& v, const std::string& a, const std::string& b, const std::string& c, std::size_t k,
             const std::string& method) { return neighbors_list(v.queries().analogy(a, b, c, k, analogy_method(method))); },
          py::arg("a"), py::arg("b"), py::arg("c"), py::arg("k"), py::arg("method"))
      .def(
          "evaluate_analogies",
          [](Vectors& v, const std::string& path, std::size_t restrict_vocab) {
            const NearestNeighbors& q = v.queries();
            AnalogyResult r;
            {
              py::gil_scoped_release release;
              r = evaluate_analogies(q, path, restrict_vocab);
            }
            py::list sections;
            for (const AnalogySection& s : r.sections) sections.append(section_dict(s));
            py::dict d;
            d["accuracy"] = r.accuracy();
            d["sections"] = sections;
            d["semantic"] = section_dict(r.semantic);
            d["syntactic"] = section_dict(r.syntactic);
            d["overall"] = section_dict(r.overall);
            return d;
          },
          py::arg("path"), py::arg("restrict_vocab"))
      .def(
          "evaluate_pairs",
          [](Vectors& v, const std::string& path, bool build_unknown) {
            const NearestNeighbors& q = v.queries();
            SimilarityResult r;
            {
              py::gil_scoped_release release;
              r = evaluate_similarity(q, path, build_unknown);
            }
            py::dict d;
            d["pairs"] = r.pairs;
            d["skipped"] = r.skipped;
            d["built"] = r.built;
            d["spearman"] = r.spearman;
            d["pearson"] = r.pearson;
            return d;
          },
          py::arg("path"), py::arg("build_unknown"))
      .def(
          "save",
          [](const Vectors& v, const std::string& path, const std::string& format) {
            const VectorFormat f = format_for_save(format);
            py::gil_scoped_release release;
            write_vectors(path, v.raw().words, v.raw().vectors, f);
          },
          py::arg("path"), py::arg("format"));
}
