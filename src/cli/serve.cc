// wordvec serve: the explorer page and its JSON API over HTTP (cpp-httplib).
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <charconv>
#include <filesystem>
#include <optional>
#include <thread>

#include "cli.h"
#include "json_output.h"
#include "signals.h"
#include "sweep_report.h"
#include "wordvec/core/error.h"
#include "wordvec/io/model_file.h"
#include "wordvec/query/explorer.h"
#include "wordvec/query/neighbors.h"
#include "wordvec/train/dimension.h"

extern "C" void openblas_set_num_threads(int threads);

namespace wordvec::cli {

extern const char kExplorerPage[];  // src/cli/explorer.html, embedded by the Makefile

namespace {

const char* kServeUsage =
    "usage: wordvec serve --vectors FILE [--host 127.0.0.1] [--port 8080] [--sweep DIR]\n"
    "\n"
    "Serves a page to explore a model in a browser, with the JSON API behind it\n"
    "(docs/serve.md): nearest neighbours, analogies, a 2-D map of a word's\n"
    "neighbourhood (PCA), prefix completion and the model's description with its\n"
    "minimum-entropy dimension. A model trained with --subwords answers for any\n"
    "word. Listens on 127.0.0.1 unless --host says otherwise (the page has no\n"
    "authentication: expose it only to people who may read the model). Requests\n"
    "never touch the file system. Ctrl-C stops it.\n"
    "\n"
    "--sweep DIR adds the evidence for the dimension rule: the sweep CSVs in DIR\n"
    "(wordvec dim --sweep, one or more per vocabulary size) drawn as in dim --trend.";

// Requests are bounded: a word, a k, a body.
constexpr std::size_t kMaxWordBytes = 256;
constexpr std::size_t kMaxBodyBytes = 16 * 1024;
constexpr std::size_t kMaxMapK = 200;
constexpr std::size_t kMaxCompletions = 100;

// A request the API refuses: the HTTP status and a one-line reason.
struct ApiError {
  int status;
  std::string message;
};

// A request's parameters: the query string, or a JSON object body (POST).
class Params {
 public:
  explicit Params(const httplib::Request& request) : request_(request) {
    if (request.method != "POST") return;
    try {
      body_ = Json::parse(request.body);
    } catch (const Json::parse_error&) {
      throw ApiError{400, "the body is not valid JSON"};
    }
    if (!body_.is_object()) throw ApiError{400, "the body must be a JSON object"};
  }

  std::optional<std::string> text(const std::string& name) const {
    if (body_.is_object() && body_.contains(name)) {
      const Json& v = body_[name];
      if (v.is_string()) return v.get<std::string>();
      if (v.is_number_integer()) return std::to_string(v.get<long long>());
      throw ApiError{400, "'" + name + "' must be a string"};
    }
    if (request_.has_param(name)) return request_.get_param_value(name);
    return std::nullopt;
  }

  std::string word(const std::string& name) const {
    const std::optional<std::string> w = text(name);
    if (!w || w->empty()) throw ApiError{400, "missing parameter '" + name + "' (a word)"};
    if (w->size() > kMaxWordBytes)
      throw ApiError{400, "'" + name + "' is longer than " + std::to_string(kMaxWordBytes) + " bytes"};
    return *w;
  }

  std::size_t count(const std::string& name, std::size_t fallback, std::size_t most) const {
    const std::optional<std::string> t = text(name);
    if (!t) return fallback;
    std::size_t value = 0;
    const auto [end, error] = std::from_chars(t->data(), t->data() + t->size(), value);
    if (error != std::errc() || end != t->data() + t->size() || value < 1 || value > most)
      throw ApiError{400, "'" + name + "' must be an integer in [1, " + std::to_string(most) + "], got '" +
                              t->substr(0, 32) + "'"};
    return value;
  }

 private:
  const httplib::Request& request_;
  Json body_;
};

void send_json(httplib::Response& response, const Json& body, int status = 200) {
  response.status = status;
  response.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

// The word's vector or a 404 naming it.
void require_vector(const NearestNeighbors& index, const std::string& word) {
  if (!index.has_vector(word))
    throw ApiError{404, "'" + word + "' is not in the vocabulary" +
                            std::string(index.normalized().subwords ? " and has no character n-grams" : "")};
}

Json word_status(const NearestNeighbors& index, const std::string& word) {
  return {{"word", word}, {"in_vocabulary", index.contains(word)}, {"built_from_subwords", !index.contains(word)}};
}

class Explorer {
 public:
  Explorer(std::string path, std::size_t max_k, std::optional<SweepTrend> trend)
      : path_(std::move(path)),
        index_(load_vectors(path_)),
        batched_(index_),
        prefixes_(index_.normalized().words),
        max_k_(max_k),
        trend_(std::move(trend)) {
    max_k_ = std::min(max_k_, std::max<std::size_t>(1, index_.size()));
    info_ = describe();
    if (trend_) {
      sweep_json_ = trend_json(*trend_);
      trend_svg_ = trend_svg(*trend_);
      for (std::size_t m = 0; m < trend_->metric_names.size(); ++m) curves_svgs_.push_back(trend_curves_svg(*trend_, m));
    }
  }

  void route(httplib::Server& server) const {
    server.Get("/", [](const httplib::Request&, httplib::Response& r) { r.set_content(kExplorerPage, "text/html; charset=utf-8"); });
    handle(server, "/api/info", [this](const Params&) { return info_; });
    handle(server, "/api/nn", [this](const Params& p) { return nearest(p); });
    handle(server, "/api/analogy", [this](const Params& p) { return analogy(p); });
    handle(server, "/api/map", [this](const Params& p) { return map(p); });
    handle(server, "/api/complete", [this](const Params& p) { return complete(p); });
    handle(server, "/api/sweep", [this](const Params&) { return sweep(); });
    server.Get("/sweep/trend.svg", [this](const httplib::Request&, httplib::Response& r) { send_svg(r, trend_svg_); });
    server.Get("/sweep/curves.svg", [this](const httplib::Request& request, httplib::Response& r) {
      try {
        send_svg(r, curves_svgs_.at(Params(request).count("metric", 1, std::max<std::size_t>(1, curves_svgs_.size())) - 1));
      } catch (const ApiError& e) {
        send_json(r, {{"error", e.message}}, e.status);
      } catch (const std::out_of_range&) {
        send_json(r, {{"error", "no sweep loaded (serve --sweep DIR)"}}, 404);
      }
    });
    server.set_error_handler([](const httplib::Request& request, httplib::Response& r) {
      if (r.status == 404 && r.body.empty()) send_json(r, {{"error", "no such page: " + request.path.substr(0, 200)}}, 404);
    });
  }

  std::size_t size() const { return index_.size(); }

 private:
  // GET with a query string, or POST with a JSON object: the same answer.
  template <class F>
  void handle(httplib::Server& server, const std::string& path, F answer) const {
    const auto handler = [answer](const httplib::Request& request, httplib::Response& response) {
      try {
        send_json(response, answer(Params(request)));
      } catch (const ApiError& e) {
        send_json(response, {{"error", e.message}}, e.status);
      } catch (const Error& e) {
        send_json(response, {{"error", e.what()}}, 400);
      }
    };
    server.Get(path, handler);
    server.Post(path, handler);
  }

  Json nearest(const Params& p) const {
    const std::string word = p.word("word");
    const std::size_t k = p.count("k", 10, max_k_);
    require_vector(index_, word);
    Json j = word_status(index_, word);
    j["neighbors"] = neighbors_json(batched_.nearest(word, k));
    return j;
  }

  Json analogy(const Params& p) const {
    const std::string a = p.word("a"), b = p.word("b"), c = p.word("c");
    const std::size_t k = p.count("k", 10, max_k_);
    const std::string method = p.text("method").value_or("add");
    if (method != "add" && method != "mul") throw ApiError{400, "'method' must be add or mul, got '" + method.substr(0, 32) + "'"};
    for (const std::string* w : {&a, &b, &c}) require_vector(index_, *w);
    const auto answers = index_.analogy(a, b, c, k, method == "mul" ? AnalogyMethod::CosMul : AnalogyMethod::CosAdd);
    return {{"a", a}, {"b", b}, {"c", c}, {"method", method}, {"answers", neighbors_json(answers)}};
  }

  Json map(const Params& p) const {
    const std::string word = p.word("word");
    const std::size_t k = p.count("k", 30, std::min(max_k_, kMaxMapK));
    require_vector(index_, word);
    Json points = Json::array();
    for (const MapPoint& m : neighbourhood_map(index_, word, k))
      points.push_back({{"word", m.word}, {"similarity", m.similarity}, {"x", m.x}, {"y", m.y}});
    Json j = word_status(index_, word);
    j["points"] = std::move(points);
    return j;
  }

  Json complete(const Params& p) const {
    const std::string prefix = p.text("prefix").value_or("");
    if (prefix.size() > kMaxWordBytes) throw ApiError{400, "'prefix' is longer than " + std::to_string(kMaxWordBytes) + " bytes"};
    const std::size_t limit = p.count("limit", 10, kMaxCompletions);
    return {{"prefix", prefix}, {"words", prefixes_.complete(prefix, limit)}};
  }

  Json sweep() const {
    if (!trend_) throw ApiError{404, "no sweep loaded (serve --sweep DIR)"};
    return sweep_json_;
  }

  void send_svg(httplib::Response& r, const std::string& svg) const {
    if (svg.empty()) return send_json(r, {{"error", "no sweep loaded (serve --sweep DIR)"}}, 404);
    r.set_content(svg, "image/svg+xml");
  }

  static Json trend_json(const SweepTrend& t) {
    Json curves = Json::array();
    for (const SweepCurve& c : t.curves)
      curves.push_back({{"words", c.words}, {"runs", c.runs}, {"suggested", c.suggested}, {"dims", c.dims},
                        {"mean", c.mean}, {"knee", c.knee}});
    return {{"metrics", t.metric_names}, {"tolerance", t.tolerance}, {"curves", std::move(curves)}};
  }

  Json describe() const {
    Json j = describe_file(path_, index_.normalized());
    const DimensionSuggestion s = suggest_dimension(static_cast<double>(index_.size()));
    j["subwords_loaded"] = index_.normalized().subwords != nullptr;
    j["suggested_dimension"] = {{"vocabulary_size", index_.size()},
                                {"dimension", s.dimension},
                                {"rule_of_thumb", s.rule_of_thumb},
                                {"explanation", "the smallest dimension whose minimum-entropy criterion is negative "
                                                "for this vocabulary (wordvec dim)"}};
    j["sweep"] = trend_.has_value();
    j["limits"] = {{"k", max_k_}, {"map_k", std::min(max_k_, kMaxMapK)}, {"word_bytes", kMaxWordBytes},
                   {"completions", kMaxCompletions}};
    return j;
  }

  std::string path_;
  NearestNeighbors index_;
  mutable BatchedNeighbors batched_;  // concurrent /api/nn requests share one pass over the vectors
  PrefixIndex prefixes_;
  std::size_t max_k_;
  std::optional<SweepTrend> trend_;  // --sweep DIR
  Json info_, sweep_json_;
  std::string trend_svg_;
  std::vector<std::string> curves_svgs_;  // one per metric
};

}  // namespace

int run_serve(const std::vector<std::string>& args) {
  std::string vectors_path, host = "127.0.0.1", sweep_dir;
  int port = 8080;
  unsigned threads = 8;
  std::size_t max_k = 1000;
  po::options_description o("Options");
  o.add_options()("vectors", po::value(&vectors_path)->required(), "vector file (any supported format) or model file")(
      "host", po::value(&host)->default_value(host), "address to listen on (0.0.0.0: every interface)")(
      "port", po::value(&port)->default_value(port), "port to listen on, [0, 65535]; 0 picks a free one (logged)")(
      "threads", po::value(&threads)->default_value(threads), "requests served at once, [1, 256]")(
      "max-k", po::value(&max_k)->default_value(max_k), "largest k a request may ask for, [1, 100000]")(
      "sweep", po::value(&sweep_dir), "also show the dimension sweeps in this folder (wordvec dim --sweep CSVs)");
  o.add(logging_options());
  po::variables_map vm;
  if (!parse_or_help(args, o, nullptr, kServeUsage, vm)) return 0;
  configure_logging(vm);
  if (port < 0 || port > 65535) throw UsageError("--port " + std::to_string(port) + ": must be in [0, 65535]");
  if (threads < 1 || threads > 256) throw UsageError("--threads " + std::to_string(threads) + ": must be in [1, 256]");
  if (max_k < 1 || max_k > 100000) throw UsageError("--max-k " + std::to_string(max_k) + ": must be in [1, 100000]");
  FilePlan plan;
  plan_vector_input(plan, vectors_path, "--vectors");
  plan.check();

  openblas_set_num_threads(1);  // requests run in parallel; one BLAS thread each
  std::optional<SweepTrend> trend;
  if (!sweep_dir.empty()) {
    if (!std::filesystem::is_directory(sweep_dir)) throw UsageError("--sweep " + sweep_dir + ": not a folder");
    trend = summarise_sweeps(read_sweep_csvs({sweep_dir}));
    spdlog::info("--sweep {}: {} vocabulary sizes", sweep_dir, trend->curves.size());
  }
  const Explorer explorer(vectors_path, max_k, std::move(trend));
  httplib::Server server;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(kMaxBodyBytes);
  server.set_tcp_nodelay(true);  // else Nagle's algorithm and delayed ACKs add 40 ms to each answer
  // SO_REUSEADDR (restart without waiting for TIME_WAIT) but not httplib's
  // default SO_REUSEPORT, with which a second server on a busy port would
  // start and silently share its requests.
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  });
  explorer.route(server);
  const int bound = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound < 0) throw Error("cannot listen on " + host + ":" + std::to_string(port) + " (in use, or not an address of this machine)");
  spdlog::info("serving {} ({} words) on http://{}:{}/ with {} threads; Ctrl-C stops", vectors_path, explorer.size(),
               host, bound, threads);
  std::atomic<bool> listening_over{false};
  InterruptWatcher interrupts([&] {
    // httplib stops only a running server: a Ctrl-C just before
    // listen_after_bind() sets it running would be lost, and the server would
    // then run on. Wait for it to run (or for listening to end) first.
    while (!server.is_running() && !listening_over) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    server.stop();
  });
  const bool listened = server.listen_after_bind();
  listening_over = true;
  if (!listened && !interrupts.interrupted()) throw Error("the server stopped listening");
  spdlog::info("stopped");
  return 0;
}

}  // namespace wordvec::cli
