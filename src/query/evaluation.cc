#include "wordvec/query/evaluation.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "wordvec/core/error.h"
#include "wordvec/core/files.h"

namespace wordvec {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Upper-cased word -> row, over the first `limit` rows; the first variant wins.
std::unordered_map<std::string, int> case_insensitive_ids(const WordVectors& v, std::size_t limit) {
  std::unordered_map<std::string, int> ids;
  for (std::size_t r = 0; r < std::min(limit, v.size()); ++r) ids.emplace(upper(v.words[r]), static_cast<int>(r));
  return ids;
}

struct Question {
  int a, b, c, expected;
  std::size_t section;
};

// Cosines of the distinct words of a block of questions with every candidate.
class BlockScorer {
 public:
  BlockScorer(const WordVectors& unit_vectors, std::size_t candidates)
      : v_(unit_vectors), candidates_(candidates), slot_(candidates, -1) {}

  void load(const Question* questions, std::size_t count) {
    for (int id : words_) slot_[id] = -1;
    words_.clear();
    for (std::size_t q = 0; q < count; ++q)
      for (int id : {questions[q].a, questions[q].b, questions[q].c})
        if (slot_[id] < 0) {
          slot_[id] = static_cast<int>(words_.size());
          words_.push_back(id);
        }
    const std::size_t dim = v_.dim(), stride = v_.vectors.stride();
    gathered_.resize(words_.size() * stride);
    for (std::size_t w = 0; w < words_.size(); ++w)
      std::memcpy(gathered_.data() + w * stride, v_.vectors.row(words_[w]), dim * sizeof(float));
    cosines_.resize(words_.size() * candidates_);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(words_.size()),
                static_cast<int>(candidates_), static_cast<int>(dim), 1.0f, gathered_.data(),
                static_cast<int>(stride), v_.vectors.data(), static_cast<int>(stride), 0.0f, cosines_.data(),
                static_cast<int>(candidates_));
  }

  // The candidate maximising cos(x,B) + cos(x,C) - cos(x,A), excluding A, B and C.
  int best_answer(const Question& q) {
    const float* a = row(q.a);
    const float* b = row(q.b);
    const float* c = row(q.c);
    combined_.resize(candidates_);
    float* s = combined_.data();
    for (std::size_t x = 0; x < candidates_; ++x) s[x] = b[x] + c[x] - a[x];  // vectorised
    s[q.a] = s[q.b] = s[q.c] = -INFINITY;
    return static_cast<int>(argmax(s, candidates_));
  }

 private:
  const float* row(int id) const { return cosines_.data() + static_cast<std::size_t>(slot_[id]) * candidates_; }

  // First index of the maximum: a vectorisable max pass, then a search for it.
  static std::size_t argmax(const float* s, std::size_t n) {
    float best = -INFINITY;
    for (std::size_t i = 0; i < n; ++i) best = s[i] > best ? s[i] : best;
    return static_cast<std::size_t>(std::find(s, s + n, best) - s);
  }

  const WordVectors& v_;
  std::size_t candidates_;
  std::vector<int> slot_, words_;  // candidate id -> row of cosines_, and back
  std::vector<float> gathered_, cosines_, combined_;
};

std::vector<double> average_ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> ranks(x.size());
  for (std::size_t i = 0; i < order.size();) {
    std::size_t j = i;
    while (j + 1 < order.size() && x[order[j + 1]] == x[order[i]]) ++j;
    for (std::size_t k = i; k <= j; ++k) ranks[order[k]] = (i + j) / 2.0 + 1;
    i = j + 1;
  }
  return ranks;
}

}  // namespace

double pearson_r(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i] / n;
    my += y[i] / n;
  }
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : std::numeric_limits<double>::quiet_NaN();
}

double spearman_rho(const std::vector<double>& x, const std::vector<double>& y) {
  return pearson_r(average_ranks(x), average_ranks(y));
}

AnalogyResult evaluate_analogies(const NearestNeighbors& index, const std::string& path, std::size_t restrict_vocab) {
  const WordVectors& v = index.normalized();
  const std::size_t candidates = std::min(restrict_vocab, v.size());
  const auto ids = case_insensitive_ids(v, candidates);
  readable_file_size(path);  // a directory or FIFO is an error, not an empty file
  std::ifstream in(path);
  if (!in) throw file_error(path, std::strerror(errno));

  AnalogyResult result;
  std::vector<Question> questions;
  std::string line;
  unsigned long long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (line[0] == ':') {
      AnalogySection s;
      s.name = line.substr(line.find_first_not_of(": "));
      s.syntactic = s.name.rfind("gram", 0) == 0;
      result.sections.push_back(s);
      continue;
    }
    if (result.sections.empty()) throw file_error(path, line_no, "a question before the first ': section' line");
    std::istringstream words(line);
    std::string w[4], extra;
    if (!(words >> w[0] >> w[1] >> w[2] >> w[3]) || (words >> extra))
      throw file_error(path, line_no, "expected four words 'A B C D'");
    AnalogySection& section = result.sections.back();
    ++section.total;
    int id[4];
    bool known = true;
    for (int i = 0; i < 4; ++i) {
      const auto it = ids.find(upper(w[i]));
      known = known && it != ids.end();
      id[i] = known ? it->second : -1;
    }
    if (known) questions.push_back({id[0], id[1], id[2], id[3], result.sections.size() - 1});
  }

  // 3CosAdd's argmax over x of cos(x, B) + cos(x, C) - cos(x, A) does not depend on
  // the query's norm, so instead of one sgemm row per question (gensim's way) we
  // take one row of cosines per distinct word of a block of questions and add
  // three rows per question. Questions come grouped by section and share words,
  // so this is several times less arithmetic for the same answers.
  const std::size_t block = 512;
  BlockScorer scorer(v, candidates);
  for (std::size_t start = 0; start < questions.size(); start += block) {
    const std::size_t count = std::min(block, questions.size() - start);
    scorer.load(questions.data() + start, count);
    for (std::size_t q = start; q < start + count; ++q) {
      const Question& question = questions[q];
      const int best = scorer.best_answer(question);
      AnalogySection& section = result.sections[question.section];
      ++section.attempted;
      // Case-insensitive: the prediction is right if it is the expected word up to case.
      section.correct += upper(v.words[best]) == upper(v.words[question.expected]);
    }
  }
  result.overall.name = "overall";
  result.semantic.name = "semantic";
  result.syntactic.name = "syntactic";
  for (const AnalogySection& s : result.sections)
    for (AnalogySection* sum : {&result.overall, s.syntactic ? &result.syntactic : &result.semantic}) {
      sum->total += s.total;
      sum->attempted += s.attempted;
      sum->correct += s.correct;
    }
  return result;
}

SimilarityResult evaluate_similarity(const NearestNeighbors& index, const std::string& path, bool build_unknown) {
  const auto ids = case_insensitive_ids(index.normalized(), 300000);
  readable_file_size(path);  // a directory or FIFO is an error, not an empty file
  std::ifstream in(path);
  if (!in) throw file_error(path, std::strerror(errno));
  SimilarityResult result;
  result.file = path;
  std::vector<double> gold, cosine;
  std::string line;
  unsigned long long line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    std::istringstream fields(line);
    std::string a, b, score_text;
    if (!std::getline(fields, a, '\t') || !std::getline(fields, b, '\t') || !std::getline(fields, score_text, '\t'))
      throw file_error(path, line_no, "expected 'word1<TAB>word2<TAB>score'");
    char* end = nullptr;
    const double score = std::strtod(score_text.c_str(), &end);
    if (end == score_text.c_str() || !std::isfinite(score)) throw file_error(path, line_no, "the score is not a number");
    ++result.pairs;
    const WordVectors& v = index.normalized();
    std::vector<float> built[2];
    const float* vector[2] = {nullptr, nullptr};
    const std::string* word[2] = {&a, &b};
    for (int i = 0; i < 2; ++i) {
      const auto it = ids.find(upper(*word[i]));
      if (it != ids.end()) {
        vector[i] = v.vectors.row(static_cast<std::size_t>(it->second));
      } else if (build_unknown && v.subwords && index.has_vector(lower(*word[i]))) {
        built[i] = index.vector_of(lower(*word[i]));
        vector[i] = built[i].data();
      }
    }
    if (vector[0] == nullptr || vector[1] == nullptr) {
      ++result.skipped;
      continue;
    }
    result.built += !built[0].empty() || !built[1].empty();
    gold.push_back(score);
    cosine.push_back(cblas_sdot(static_cast<int>(v.dim()), vector[0], 1, vector[1], 1));
  }
  result.spearman = spearman_rho(gold, cosine);
  result.pearson = pearson_r(gold, cosine);
  return result;
}

}  // namespace wordvec
