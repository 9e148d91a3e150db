// The dimension sweep rendered for people: `wordvec dim --sweep` writes both.
#pragma once

#include <string>

#include "wordvec/query/dimension_sweep.h"

namespace wordvec::cli {

// dim, suggested (0/1), seconds, then one column per metric (empty: undefined).
std::string sweep_csv(const SweepResult& result);
// A self-contained SVG line chart: one line per metric, the suggestion marked.
std::string sweep_svg(const SweepResult& result, const std::string& title);

}  // namespace wordvec::cli
