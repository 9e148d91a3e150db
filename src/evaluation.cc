#include "wordvec/evaluation.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "wordvec/error.h"

namespace wordvec {
namespace {

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
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
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : 0;
}

double spearman_rho(const std::vector<double>& x, const std::vector<double>& y) {
  return pearson_r(average_ranks(x), average_ranks(y));
}

AnalogyResult evaluate_analogies(const NearestNeighbors& index, const std::string& path, std::size_t restrict_vocab) {
  const WordVectors& v = index.normalized();
  const std::size_t candidates = std::min(restrict_vocab, v.size());
  const auto ids = case_insensitive_ids(v, candidates);
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

  // Score questions in blocks: Q (block x dim) times the candidates' matrix, one sgemm.
  const std::size_t dim = v.dim(), stride = v.vectors.stride(), block = 256;
  std::vector<float> queries(block * stride), scores(block * candidates);
  for (std::size_t start = 0; start < questions.size(); start += block) {
    const std::size_t count = std::min(block, questions.size() - start);
    for (std::size_t q = 0; q < count; ++q) {
      const Question& question = questions[start + q];
      float* row = queries.data() + q * stride;
      // gensim: the mean of the unit vectors of B, C and -A, then normalised.
      for (std::size_t d = 0; d < dim; ++d)
        row[d] = v.vectors.row(question.b)[d] + v.vectors.row(question.c)[d] - v.vectors.row(question.a)[d];
      const float norm = std::sqrt(cblas_sdot(static_cast<int>(dim), row, 1, row, 1));
      if (norm > 0) cblas_sscal(static_cast<int>(dim), 1.0f / norm, row, 1);
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, static_cast<int>(count), static_cast<int>(candidates),
                static_cast<int>(dim), 1.0f, queries.data(), static_cast<int>(stride), v.vectors.data(),
                static_cast<int>(stride), 0.0f, scores.data(), static_cast<int>(candidates));
    for (std::size_t q = 0; q < count; ++q) {
      const Question& question = questions[start + q];
      float* row = scores.data() + q * candidates;
      row[question.a] = row[question.b] = row[question.c] = -INFINITY;
      const auto best = static_cast<int>(std::max_element(row, row + candidates) - row);
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

SimilarityResult evaluate_similarity(const NearestNeighbors& index, const std::string& path) {
  const auto ids = case_insensitive_ids(index.normalized(), 300000);
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
    const auto ia = ids.find(upper(a)), ib = ids.find(upper(b));
    if (ia == ids.end() || ib == ids.end()) {
      ++result.skipped;
      continue;
    }
    const WordVectors& v = index.normalized();
    gold.push_back(score);
    cosine.push_back(cblas_sdot(static_cast<int>(v.dim()), v.vectors.row(ia->second), 1, v.vectors.row(ib->second), 1));
  }
  if (gold.size() >= 2) {
    result.spearman = spearman_rho(gold, cosine);
    result.pearson = pearson_r(gold, cosine);
  }
  return result;
}

}  // namespace wordvec
