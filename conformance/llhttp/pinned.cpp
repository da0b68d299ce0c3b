// See pinned.hpp.

#include "pinned.hpp"

#include <fstream>

namespace httpcore::conformance {

std::vector<std::string> quoted_events(const event_list& events) {
  std::vector<std::string> out;
  for (const std::string& e : events) out.push_back(quote(e));
  return out;
}

bool read_pinned(const std::string& path, pinned_outputs& out, std::string& problem) {
  std::ifstream in(path);
  if (!in) return problem = "cannot read " + path, false;
  std::string line, id;
  for (std::size_t n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    if (line[0] != '\t') {
      id = line;
      out[id];
    } else if (id.empty() || line.size() < 3 || line[1] != '"' || line.back() != '"') {
      return problem = path + ":" + std::to_string(n) + ": not an event line", false;
    } else {
      out[id].push_back(line.substr(1));
    }
  }
  return true;
}

bool write_pinned(const std::string& path, const pinned_outputs& pins) {
  std::ofstream out(path);
  out << "# httpcore's normalised events for each case conformance/llhttp/divergences.tsv\n"
         "# lists (see pinned.hpp). Written by httpcore-conformance --update-pinned.\n";
  for (const auto& [id, events] : pins) {
    out << id << "\n";
    for (const std::string& e : events) out << '\t' << e << "\n";
  }
  return static_cast<bool>(out);
}

}  // namespace httpcore::conformance
