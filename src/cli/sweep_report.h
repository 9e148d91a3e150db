// The dimension sweep rendered for people: `wordvec dim --sweep` writes the CSV
// and the chart, `dim --trend` and `serve --sweep` read the CSVs back and draw
// the knee of each vocabulary size's curve against the suggestion.
#pragma once

#include <string>
#include <vector>

#include "wordvec/query/dimension_sweep.h"

namespace wordvec::cli {

// dim, words (N), suggested (0/1), seconds, then one column per metric (empty: undefined).
std::string sweep_csv(const SweepResult& result);
// The inverse of sweep_csv; errors name `name` and the line.
SweepResult parse_sweep_csv(const std::string& text, const std::string& name);
// The *.csv files of a folder, sorted: what read_sweep_csvs looks at in it.
std::vector<std::string> csv_files_in(const std::string& folder);
// Every sweep CSV among `paths` (files, or folders whose *.csv files are read),
// parsed; errors name the file.
std::vector<SweepResult> read_sweep_csvs(const std::vector<std::string>& paths);

// A self-contained SVG line chart: one line per metric, the suggestion marked.
std::string sweep_svg(const SweepResult& result, const std::string& title);

// The trend over vocabulary sizes: a table (N, suggestion, knee per metric) as
// text and as CSV; the knees and the suggestion against N (SVG); and the mean
// curves of one metric, one line per N (SVG).
std::string trend_table(const SweepTrend& trend);
std::string trend_csv(const SweepTrend& trend);
std::string trend_svg(const SweepTrend& trend);
std::string trend_curves_svg(const SweepTrend& trend, std::size_t metric);

}  // namespace wordvec::cli
