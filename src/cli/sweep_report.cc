// The dimension sweep rendered for people: CSV tables and SVG charts.
#include "sweep_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "wordvec/core/error.h"
#include "wordvec/core/files.h"
#include "wordvec/train/dimension.h"

namespace wordvec::cli {

namespace {

std::string format(const char* fmt, double a, double b = 0, double c = 0, double d = 0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, fmt, a, b, c, d);
  return buf;
}

std::string escape_xml(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else if (c == '"') out += "&quot;";
    else out += c;
  }
  return out;
}

// 10000 -> "10k", 2500000 -> "2.5M": tick labels for vocabulary sizes.
std::string compact(double v) {
  if (v >= 1e6) return format(v >= 1e7 ? "%.0fM" : "%.3gM", v / 1e6);
  if (v >= 1e3) return format(v >= 1e4 ? "%.0fk" : "%.3gk", v / 1e3);
  return format("%.0f", v);
}

// A line chart: x on a log scale (dimensions, vocabulary sizes), y from 0.
struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;
  bool dashed = false;
};
struct Marker {  // a labelled vertical line
  double x;
  std::string label;
};
struct Chart {
  std::string title, x_label;
  std::vector<double> x_ticks;
  bool compact_ticks = false;
  bool y_from_zero = true;  // else the y axis starts near the lowest score
  std::vector<Series> series;
  std::vector<Marker> markers;
};

// The smallest 1, 2 or 5 x 10^k at least `raw`: a tick step.
double nice_step(double raw) {
  const double power = std::pow(10.0, std::floor(std::log10(std::max(raw, 1e-9))));
  for (double m : {1.0, 2.0, 5.0})
    if (m * power >= raw * (1 - 1e-9)) return m * power;
  return 10 * power;
}

std::string render(const Chart& chart) {
  const double width = 720, height = 400, left = 60, right = 250, top = 40, bottom = 50;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  double x_lo = INFINITY, x_hi = -INFINITY, y_min = INFINITY, y_max = -INFINITY;
  auto widen = [&](double x) { x_lo = std::min(x_lo, x), x_hi = std::max(x_hi, x); };
  for (const Series& s : chart.series)
    for (const auto& [x, y] : s.points) {
      widen(x);
      if (std::isfinite(y)) y_min = std::min(y_min, y), y_max = std::max(y_max, y);
    }
  for (const Marker& m : chart.markers) widen(m.x);
  for (double t : chart.x_ticks) widen(t);
  if (!(x_lo > 0)) x_lo = 1;
  if (!(x_hi > x_lo)) x_hi = x_lo * 2;
  if (!std::isfinite(y_max)) y_min = 0, y_max = 1;
  if (chart.y_from_zero) y_min = std::min(0.0, y_min);
  const double step = nice_step(std::max(y_max - y_min, 1e-6) / 5);
  const double y_lo = std::floor(y_min / step) * step;
  const int steps = std::max(1, static_cast<int>(std::ceil((y_max - y_lo) / step - 1e-9)));
  const double y_hi = y_lo + steps * step;
  const double log_lo = std::log(x_lo), log_hi = std::log(x_hi);
  auto x_of = [&](double x) { return left + plot_w * (std::log(x) - log_lo) / (log_hi - log_lo); };
  auto y_of = [&](double v) { return top + plot_h * (1 - (std::clamp(v, y_lo, y_hi) - y_lo) / (y_hi - y_lo)); };
  const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf"};

  std::string svg = format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                           "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
                           width, height, width, height);
  svg += format("<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", width, height);
  svg += "<text x=\"" + format("%.0f", left) + "\" y=\"24\" font-size=\"14\">" + escape_xml(chart.title) + "</text>\n";
  svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left, top + plot_h,
                left + plot_w, top + plot_h);
  svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left, top, left,
                top + plot_h);
  for (double t : chart.x_ticks)
    svg += format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", x_of(t), top + plot_h + 16) +
           (chart.compact_ticks ? compact(t) : format("%.0f", t)) + "</text>\n";
  svg += format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">", left + plot_w / 2, height - 12) +
         escape_xml(chart.x_label) + " (log scale)</text>\n";
  for (int i = 0; i <= steps; ++i) {
    const double v = y_lo + step * i;
    svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, y_of(v),
                  left + plot_w, y_of(v));
    svg += format(step >= 1 ? "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.0f</text>\n"
                             : "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n",
                  left - 6, y_of(v) + 4, v);
  }
  for (const Marker& m : chart.markers) {
    svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"gray\" stroke-dasharray=\"5,4\"/>\n",
                  x_of(m.x), top, x_of(m.x), top + plot_h);
    svg += format("<text x=\"%.1f\" y=\"%.1f\" fill=\"gray\">", x_of(m.x) + 4, top + 12) + escape_xml(m.label) +
           "</text>\n";
  }
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    const std::string colour = colours[i % 7];
    const std::string dash = s.dashed ? "\" stroke-dasharray=\"6,4" : "";
    std::string points;
    for (const auto& [x, y] : s.points)
      if (std::isfinite(y)) points += format("%.1f,%.1f ", x_of(x), y_of(y));
    svg += "<polyline fill=\"none\" stroke=\"" + colour + dash + "\" stroke-width=\"2\" points=\"" + points + "\"/>\n";
    if (!s.dashed)
      for (const auto& [x, y] : s.points)
        if (std::isfinite(y))
          svg += format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" ", x_of(x), y_of(y)) + "fill=\"" + colour + "\"/>\n";
    const double ly = top + 20 + 18 * i;
    svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" ", left + plot_w + 12, ly, left + plot_w + 32,
                  ly) +
           "stroke=\"" + colour + dash + "\" stroke-width=\"2\"/>\n";
    svg += format("<text x=\"%.1f\" y=\"%.1f\">", left + plot_w + 36, ly + 4) + escape_xml(s.name) + "</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) fields.emplace_back();
    else fields.back() += c;
  }
  return fields;
}

double parse_number(const std::string& field, const std::string& where) {
  if (field.empty()) return NAN;
  char* end = nullptr;
  const double v = std::strtod(field.c_str(), &end);
  if (*end != '\0' || !std::isfinite(v)) throw Error(where + ": '" + field + "' is not a number");
  return v;
}

// The first columns of every sweep CSV: how a reader tells one from another table.
constexpr const char* kSweepHeader = "dim,words,suggested,seconds";

bool is_sweep_csv(const std::string& text) { return text.rfind(kSweepHeader, 0) == 0; }

std::string read_text(const std::string& path) {
  readable_file_size(path);  // a missing, unreadable or special file: an Error naming it
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw Error(path + ": cannot read");
  return text.str();
}

}  // namespace

std::string sweep_csv(const SweepResult& r) {
  std::string csv = kSweepHeader;
  for (const auto& name : r.metric_names) csv += ",\"" + name + "\"";
  csv += "\n";
  for (const auto& p : r.points) {
    csv += std::to_string(p.dim) + "," + std::to_string(r.words) + "," + (p.dim == r.suggested ? "1" : "0") +
           format(",%.2f", p.seconds);
    for (double m : sweep_scores(r, p)) csv += std::isnan(m) ? "," : format(",%.4f", m);  // undefined: empty
    csv += "\n";
  }
  return csv;
}

SweepResult parse_sweep_csv(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  std::string line;
  SweepResult r;
  if (!std::getline(in, line) || !is_sweep_csv(line))
    throw Error(name + ":1: not a dimension sweep CSV (wordvec dim --sweep writes one; the header starts '" +
                kSweepHeader + "')");
  const std::vector<std::string> header = split_csv_line(line);
  r.metric_names.assign(header.begin() + 4, header.end());
  if (r.metric_names.empty()) throw Error(name + ":1: no score columns");
  const bool analogy = r.metric_names.back().size() >= 5 &&
                       r.metric_names.back().compare(r.metric_names.back().size() - 5, 5, "(acc)") == 0;
  for (int number = 2; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::string where = name + ":" + std::to_string(number);
    const std::vector<std::string> f = split_csv_line(line);
    if (f.size() != header.size())
      throw Error(where + ": " + std::to_string(f.size()) + " fields, the header has " + std::to_string(header.size()));
    SweepPoint p;
    const double dim = parse_number(f[0], where), words = parse_number(f[1], where);
    if (!(dim >= 1 && dim <= 100000 && dim == std::floor(dim)) || !(words >= 2 && words == std::floor(words)))
      throw Error(where + ": dim must be a whole number >= 1 and words >= 2");
    p.dim = static_cast<int>(dim);
    p.seconds = parse_number(f[3], where);
    for (std::size_t i = 4; i < f.size(); ++i) p.similarity.push_back(parse_number(f[i], where));
    if (analogy) {
      p.analogy = p.similarity.back();
      p.similarity.pop_back();
    }
    if (r.points.empty()) r.words = static_cast<std::size_t>(words);
    else if (r.words != static_cast<std::size_t>(words))
      throw Error(where + ": words changes within the file (" + f[1] + " after " + std::to_string(r.words) + ")");
    r.points.push_back(std::move(p));
  }
  if (r.points.empty()) throw Error(name + ": no rows below the header");
  r.suggested = suggest_dimension(static_cast<double>(r.words)).dimension;
  return r;
}

std::vector<std::string> csv_files_in(const std::string& folder) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(folder, ec))
    if (entry.path().extension() == ".csv" && entry.is_regular_file(ec)) files.push_back(entry.path().string());
  if (ec) throw Error(folder + ": cannot list the folder: " + ec.message());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<SweepResult> read_sweep_csvs(const std::vector<std::string>& paths) {
  std::vector<SweepResult> sweeps;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!std::filesystem::is_directory(path, ec)) {
      sweeps.push_back(parse_sweep_csv(read_text(path), path));
      continue;
    }
    std::size_t found = 0;
    for (const std::string& file : csv_files_in(path)) {
      const std::string text = read_text(file);
      if (!is_sweep_csv(text)) continue;  // another table in the folder
      sweeps.push_back(parse_sweep_csv(text, file));
      ++found;
    }
    if (found == 0) throw Error(path + ": no dimension sweep CSVs in the folder (wordvec dim --sweep writes them)");
  }
  return sweeps;
}

std::string sweep_svg(const SweepResult& r, const std::string& title) {
  Chart chart;
  chart.title = title;
  chart.x_label = "dimension";
  chart.markers.push_back({static_cast<double>(r.suggested), "suggested n = " + std::to_string(r.suggested)});
  for (std::size_t m = 0; m < r.metric_names.size(); ++m) chart.series.push_back({r.metric_names[m], {}});
  for (const SweepPoint& p : r.points) {
    chart.x_ticks.push_back(p.dim);
    const std::vector<double> scores = sweep_scores(r, p);
    for (std::size_t m = 0; m < scores.size(); ++m) chart.series[m].points.emplace_back(p.dim, scores[m]);
  }
  return render(chart);
}

std::string trend_table(const SweepTrend& t) {
  std::string out = format("knee: the smallest dimension within %.3g %% of the best mean score\n", 100 * t.tolerance);
  out += "       N  runs  suggested";
  for (const std::string& m : t.metric_names) out += "  knee " + m;
  out += "\n";
  for (const SweepCurve& c : t.curves) {
    out += format("%8.0f  %4.0f  %9.0f", c.words, c.runs, c.suggested);
    for (std::size_t m = 0; m < t.metric_names.size(); ++m)
      out += std::string(7 + t.metric_names[m].size() - 4, ' ') + format("%4.0f", c.knee[m]);
    out += "\n";
  }
  return out;
}

std::string trend_csv(const SweepTrend& t) {
  std::string csv = "words,runs,suggested";
  for (const std::string& m : t.metric_names) csv += ",\"knee " + m + "\"";
  csv += "\n";
  for (const SweepCurve& c : t.curves) {
    csv += format("%.0f,%.0f,%.0f", c.words, c.runs, c.suggested);
    for (int k : c.knee) csv += k > 0 ? format(",%.0f", k) : ",";
    csv += "\n";
  }
  return csv;
}

std::string trend_svg(const SweepTrend& t) {
  Chart chart;
  chart.title = format("knee (within %.3g %% of the best) against vocabulary size", 100 * t.tolerance);
  chart.x_label = "N";
  chart.compact_ticks = true;
  if (t.curves.empty()) return render(chart);
  // The suggestion as a line over the whole range of N, from 1/2 the smallest to 2x the largest.
  Series suggestion{"suggested (minimum entropy)", {}, true};
  const double lo = t.curves.front().words / 2.0, hi = t.curves.back().words * 2.0;
  for (double n = lo; n <= hi * 1.0001; n *= std::pow(hi / lo, 1.0 / 24))
    suggestion.points.emplace_back(n, suggest_dimension(std::round(n)).dimension);
  chart.series.push_back(std::move(suggestion));
  for (std::size_t m = 0; m < t.metric_names.size(); ++m) {
    Series knees{"knee " + t.metric_names[m], {}};
    for (const SweepCurve& c : t.curves) knees.points.emplace_back(c.words, c.knee[m] > 0 ? c.knee[m] : NAN);
    chart.series.push_back(std::move(knees));
  }
  for (const SweepCurve& c : t.curves) chart.x_ticks.push_back(c.words);
  return render(chart);
}

std::string trend_curves_svg(const SweepTrend& t, std::size_t metric) {
  Chart chart;
  chart.title = metric < t.metric_names.size() ? t.metric_names[metric] + " against dimension, one line per N" : "";
  chart.x_label = "dimension";
  chart.y_from_zero = false;
  for (const SweepCurve& c : t.curves) {
    Series line{"N = " + compact(c.words) + format(": knee %.0f, suggested %.0f", metric < c.knee.size() ? c.knee[metric] : 0,
                                                    c.suggested),
                {}};
    for (std::size_t d = 0; d < c.dims.size() && metric < c.mean.size(); ++d)
      line.points.emplace_back(c.dims[d], c.mean[metric][d]);
    chart.series.push_back(std::move(line));
    for (int d : c.dims)
      if (std::find(chart.x_ticks.begin(), chart.x_ticks.end(), d) == chart.x_ticks.end()) chart.x_ticks.push_back(d);
  }
  return render(chart);
}

}  // namespace wordvec::cli
