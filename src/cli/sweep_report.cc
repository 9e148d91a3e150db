// The dimension sweep rendered for people: a CSV table and an SVG chart.
#include "sweep_report.h"

#include <cmath>
#include <cstdio>

namespace wordvec::cli {

namespace {

std::vector<double> metrics_of(const SweepResult& r, const SweepPoint& p) {
  std::vector<double> m = p.similarity;
  if (m.size() < r.metric_names.size()) m.push_back(p.analogy);
  return m;
}

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
    else out += c;
  }
  return out;
}

}  // namespace

std::string sweep_csv(const SweepResult& r) {
  std::string csv = "dim,suggested,seconds";
  for (const auto& name : r.metric_names) csv += ",\"" + name + "\"";
  csv += "\n";
  for (const auto& p : r.points) {
    csv += std::to_string(p.dim) + "," + (p.dim == r.suggested ? "1" : "0") + format(",%.2f", p.seconds);
    for (double m : metrics_of(r, p)) csv += std::isnan(m) ? "," : format(",%.4f", m);  // undefined: empty
    csv += "\n";
  }
  return csv;
}

std::string sweep_svg(const SweepResult& r, const std::string& title) {
  const double width = 640, height = 400, left = 60, right = 180, top = 40, bottom = 50;
  const double plot_w = width - left - right, plot_h = height - top - bottom;
  int lo = r.suggested, hi = r.suggested;
  double y_max = 0.1;
  for (const auto& p : r.points) {
    lo = std::min(lo, p.dim);
    hi = std::max(hi, p.dim);
    for (double m : metrics_of(r, p)) y_max = std::max(y_max, m);
  }
  y_max = std::ceil(y_max * 10) / 10;
  const double log_lo = std::log2(lo), log_hi = std::log2(std::max(hi, lo + 1));
  auto x_of = [&](double dim) { return left + plot_w * (std::log2(dim) - log_lo) / (log_hi - log_lo); };
  auto y_of = [&](double v) { return top + plot_h * (1 - std::max(0.0, v) / y_max); };
  const char* colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

  std::string svg = format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                           "font-family=\"sans-serif\" font-size=\"12\">\n",
                           width, height);
  svg += format("<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", width, height);
  svg += "<text x=\"" + format("%.0f", left) + "\" y=\"24\" font-size=\"14\">" + escape_xml(title) + "</text>\n";
  // Axes, ticks at the swept dimensions (log scale), grid for y.
  svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left, top + plot_h,
                left + plot_w, top + plot_h);
  svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", left, top, left,
                top + plot_h);
  for (const auto& p : r.points)
    svg += format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%.0f</text>\n", x_of(p.dim),
                  top + plot_h + 16, p.dim);
  svg += format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">dimension (log scale)</text>\n",
                left + plot_w / 2, height - 12);
  for (int i = 0; i <= 5; ++i) {
    const double v = y_max * i / 5;
    svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", left, y_of(v),
                  left + plot_w, y_of(v));
    svg += format("<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.2f</text>\n", left - 6, y_of(v) + 4, v);
  }
  // The suggestion.
  svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"gray\" stroke-dasharray=\"5,4\"/>\n",
                x_of(r.suggested), top, x_of(r.suggested), top + plot_h);
  svg += format("<text x=\"%.1f\" y=\"%.1f\" fill=\"gray\">suggested n = %.0f</text>\n", x_of(r.suggested) + 4,
                top + 12, r.suggested);
  // One line per metric.
  for (std::size_t m = 0; m < r.metric_names.size(); ++m) {
    const char* colour = colours[m % 6];
    std::string points;
    for (const auto& p : r.points) points += format("%.1f,%.1f ", x_of(p.dim), y_of(metrics_of(r, p)[m]));
    svg += "<polyline fill=\"none\" stroke=\"" + std::string(colour) + "\" stroke-width=\"2\" points=\"" + points +
           "\"/>\n";
    for (const auto& p : r.points)
      svg += format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" ", x_of(p.dim), y_of(metrics_of(r, p)[m])) + "fill=\"" +
             colour + "\"/>\n";
    const double ly = top + 20 + 18 * m;
    svg += format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" ", left + plot_w + 12, ly, left + plot_w + 32,
                  ly) +
           "stroke=\"" + colour + "\" stroke-width=\"2\"/>\n";
    svg += format("<text x=\"%.1f\" y=\"%.1f\">", left + plot_w + 36, ly + 4) + escape_xml(r.metric_names[m]) +
           "</text>\n";
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace wordvec::cli
