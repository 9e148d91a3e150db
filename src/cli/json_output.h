// The commands' machine-readable output. Every JSON document goes through one
// library (nlohmann) so that escaping (quotes, backslashes, control characters
// in file names), null for undefined numbers (NaN) and full precision are
// never hand-made.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "wordvec/query/neighbors.h"

namespace wordvec::cli {

using Json = nlohmann::ordered_json;

// Writes j to standard output and a newline, then flushes (a stream of JSON
// lines stays readable as it comes). indent < 0: one line. Bytes that are not
// UTF-8 (a file name in another encoding) become U+FFFD rather than an error.
void print_json(const Json& j, int indent = -1);

// What `wordvec info --json` says of a model file or of vectors read from
// `path` (a vector file is described from `loaded`, not read again).
Json describe_file(const std::string& path, const WordVectors& loaded);

// [{"word": ..., "similarity": ...}, ...]
Json neighbors_json(const std::vector<Neighbor>& neighbors);

}  // namespace wordvec::cli
