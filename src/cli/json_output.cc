#include "json_output.h"

#include <cstdio>

namespace wordvec::cli {

void print_json(const Json& j, int indent) {
  const std::string text = j.dump(indent, ' ', false, Json::error_handler_t::replace);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

Json neighbors_json(const std::vector<Neighbor>& neighbors) {
  Json out = Json::array();
  for (const Neighbor& n : neighbors) out.push_back({{"word", n.word}, {"similarity", n.similarity}});
  return out;
}

}  // namespace wordvec::cli
