// divergence_classifier_mutations (a ctest entry): proves that the divergence
// classifier (divergences.hpp) excuses only the difference each register entry
// describes.
//
// For every register regression (fuzz/regressions/<target>/<ID>-<what>) it
// runs the input through both engines as that differential target does,
// requires that the classifier names ID, and then mutates one thing at a time
// on httpcore's side of the real event log: a status, a field value, a body
// byte, keep-alive, upgrade, the number of messages. Each mutation is a
// simulated httpcore bug next to a known divergence; the classifier must
// refuse every one that still leaves a difference. A mutation that makes the
// engines agree is not counted (it undid the divergence).
//
// Only messages both engines completed are mutated: where the reference engine
// refused a message, there is nothing to compare httpcore's with.
//
// It also replays fuzz/regressions/simulated_bugs.tsv: httpcore bugs, each
// simulated by httpcore reading another input than the reference engine,
// that an earlier, broader rule excused.
//
//   divergence_classifier_mutations REGRESSIONS_DIR [-v]
//
// Exit status: 0 when every regression is explained by its entry and every
// mutation is refused; 1 otherwise (each failure is printed); 2 on a usage
// error or when the folder holds no regression.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "comparison.hpp"
#include "httpcore/h1/lenient.hpp"

namespace fs = std::filesystem;
using namespace httpcore::fuzz;

namespace {

// Strings built by appends: GCC 12 at -O3 misreads `"x" + std::string` as an
// overlapping copy (-Wrestrict).
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string s;
  (s += ... += parts);
  return s;
}

bool is_head(const std::string& e) {
  return e.rfind("request ", 0) == 0 || e.rfind("response ", 0) == 0;
}

// Where complete message k lies in an event list: [head, end] inclusive, the
// way digest_of() counts them (an "eof complete" ends a message too).
struct span_of {
  std::size_t head, end;
};
std::vector<span_of> complete_messages(const httpcore::conformance::event_list& ev) {
  std::vector<span_of> out;
  constexpr std::size_t none = ~std::size_t{0};
  std::size_t open = none;
  for (std::size_t i = 0; i < ev.size(); ++i) {
    if (is_head(ev[i])) {
      open = i;
    } else if (open != none && (ev[i].rfind("end", 0) == 0 || ev[i] == "eof complete")) {
      out.push_back({open, i});
      open = none;
    } else if (ev[i] == "error" || ev[i].rfind("upgrade ", 0) == 0) {
      break;
    }
  }
  return out;
}

// Replaces the bare value after " key=" on the first line of a head event.
bool set_bare(std::string& head, const std::string& key, const std::string& value) {
  std::size_t line_end = head.find('\n');
  std::size_t at = head.rfind(cat(" ", key, "="), line_end);
  if (at == std::string::npos) return false;
  std::size_t from = at + key.size() + 2;
  std::size_t to = std::min(head.find_first_of(" \n", from), head.size());
  if (head.substr(from, to - from) == value) return false;
  head.replace(from, to - from, value);
  return true;
}

std::string bare(const std::string& head, const std::string& key) {
  std::size_t line_end = head.find('\n');
  std::size_t at = head.rfind(cat(" ", key, "="), line_end);
  if (at == std::string::npos) return {};
  std::size_t from = at + key.size() + 2;
  return head.substr(from, std::min(head.find_first_of(" \n", from), head.size()) - from);
}

struct mutation {
  std::string what;
  httpcore::conformance::event_list events;
};

// Every single-thing change to httpcore's complete message k.
std::vector<mutation> mutations_of(const httpcore::conformance::event_list& ev, std::size_t k,
                                   const span_of& m, std::size_t theirs_count,
                                   bool lenient_keep_alive, bool upgraded_after) {
  std::vector<mutation> out;
  auto add = [&](std::string what, std::function<bool(httpcore::conformance::event_list&)> change) {
    httpcore::conformance::event_list copy = ev;
    if (change(copy)) out.push_back({cat("message ", std::to_string(k), ": ", what), copy});
  };
  const std::string& head = ev[m.head];
  if (head.rfind("response ", 0) == 0) {
    int status = std::atoi(bare(head, "status").c_str());
    int other = status % 100 == 99 ? status - 1 : status + 1;
    add(cat("status ", std::to_string(status), " -> ", std::to_string(other)),
        [&](auto& e) { return set_bare(e[m.head], "status", std::to_string(other)); });
  }
  add("keep-alive flipped", [&](auto& e) {
    return set_bare(e[m.head], "keep-alive", bare(head, "keep-alive") == "1" ? "0" : "1");
  });
  if (head.rfind("request ", 0) == 0)
    add("upgrade flipped", [&](auto& e) {
      return set_bare(e[m.head], "upgrade", bare(head, "upgrade") == "1" ? "0" : "1");
    });
  // The first field's value gains a byte (`header "name": "value"`).
  add("a field value changed", [&](auto& e) {
    std::size_t at = e[m.head].find("\n    header ");
    if (at == std::string::npos) return false;
    std::size_t value = e[m.head].find("\": \"", at);
    if (value == std::string::npos) return false;
    e[m.head].insert(value + 4, "X");
    return true;
  });
  // A body byte: the first one changed, or one added to an empty body.
  add("a body byte changed", [&](auto& e) {
    for (std::size_t i = m.head + 1; i < m.end; ++i)
      if (e[i].rfind("body \"", 0) == 0) {
        char& first = e[i][6];
        if (first == '"' || first == '\\') {
          e[i].insert(6, "X");
        } else {
          first = first == 'X' ? 'Y' : 'X';
        }
        return true;
      }
    e.insert(e.begin() + static_cast<std::ptrdiff_t>(m.end), "body \"X\"");
    return true;
  });
  add("message dropped", [&](auto& e) {
    e.erase(e.begin() + static_cast<std::ptrdiff_t>(m.head),
            e.begin() + static_cast<std::ptrdiff_t>(m.end) + 1);
    return true;
  });
  // A copy of message k lands where message k+1 was. Where the reference
  // engine has no message k+1 (it stopped: closed, refused, upgraded), there
  // is nothing to compare the copy with, unless httpcore's own message k
  // closed the connection (an interim response never does) or upgraded, when
  // httpcore may have nothing after it.
  std::string keep = bare(head, "keep-alive"), upgrade = bare(head, "upgrade");
  bool interim = bare(head, "status").substr(0, 1) == "1";  // 1xx: never the last (D23)
  bool ours_stops =
      (keep == "0" && !lenient_keep_alive && !interim) || upgrade == "1" || upgraded_after;
  if (theirs_count > k + 1 || ours_stops)
    add("message repeated", [&](auto& e) {
      httpcore::conformance::event_list again(e.begin() + static_cast<std::ptrdiff_t>(m.head),
                                              e.begin() + static_cast<std::ptrdiff_t>(m.end) + 1);
      if (again.back() == "eof complete") return false;  // only the last message ends so
      e.insert(e.begin() + static_cast<std::ptrdiff_t>(m.end) + 1, again.begin(), again.end());
      return true;
    });
  return out;
}

// \r \n \t \\ \xHH in a simulated_bugs.tsv column.
std::string unescape(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 >= s.size()) {
      out += s[i];
      continue;
    }
    char e = s[++i];
    if (e == 'x' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += e == 'r' ? '\r' : e == 'n' ? '\n' : e == 't' ? '\t' : e;
    }
  }
  return out;
}

// A differential target's input: the lenient flag bits, a split byte, the bytes.
std::string fuzz_input(std::string_view flags, const std::string& bytes) {
  unsigned bits = 0;
  for (std::size_t i = 0; i < std::size(httpcore::h1::lenient_flag_names); ++i) {
    std::string_view name = httpcore::h1::lenient_flag_names[i];
    for (std::size_t at = flags.find(name); at != std::string_view::npos;
         at = flags.find(name, at + 1))
      if ((at == 0 || flags[at - 1] == ',') &&
          (at + name.size() == flags.size() || flags[at + name.size()] == ','))
        bits |= 1u << i;
  }
  std::string out;
  out += static_cast<char>(bits & 0xff);
  out += static_cast<char>((bits >> 8) & 0x0f);
  out += '\0';
  return out + bytes;
}

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: divergence_classifier_mutations REGRESSIONS_DIR [-v]\n");
    return 2;
  }
  bool verbose = argc > 2 && std::string(argv[2]) == "-v";
  fs::path root = argv[1];
  struct target {
    const char* name;
    std::function<bool(const std::string&, comparison&)> compare;
  };
  const target targets[] = {
      {"diff_llhttp_request",
       [](const std::string& b, comparison& c) {
         return compare_with_llhttp(reinterpret_cast<const std::uint8_t*>(b.data()), b.size(), true,
                                    c);
       }},
      {"diff_llhttp_response",
       [](const std::string& b, comparison& c) {
         return compare_with_llhttp(reinterpret_cast<const std::uint8_t*>(b.data()), b.size(),
                                    false, c);
       }},
      {"diff_http_parser_request",
       [](const std::string& b, comparison& c) {
         return compare_with_http_parser(reinterpret_cast<const std::uint8_t*>(b.data()), b.size(),
                                         c);
       }},
  };
  int regressions = 0, failures = 0;
  long tried = 0, refused = 0;
  for (const target& t : targets) {
    fs::path dir = root / t.name;
    if (!fs::is_directory(dir)) continue;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      std::string name = f.filename().string(), want = name.substr(0, name.find('-'));
      std::string label = cat(t.name, "/", name), bytes;
      ++regressions;
      comparison c;
      if (!read_file(f, bytes) || !t.compare(bytes, c) || !c.at) {
        std::printf("FAILED %s: no difference between the engines to classify\n", label.c_str());
        ++failures;
        continue;
      }
      const char* got = classify(c.view());
      if (!got || want != got) {
        if (verbose)
          print_difference(label.c_str(), c.in, "httpcore", c.ours, "reference", c.theirs, c.at);
        std::printf("FAILED %s: classified as %s, not %s\n", label.c_str(), got ? got : "nothing",
                    want.c_str());
        ++failures;
        continue;
      }
      if (verbose)
        print_difference(label.c_str(), c.in, "httpcore", c.ours, "reference", c.theirs, c.at);
      std::size_t theirs = c.their_digest.messages.size();
      std::vector<span_of> ours = complete_messages(c.ours.events);
      long here = 0;
      for (std::size_t k = 0; k < ours.size() && k < theirs; ++k)
        for (mutation& m :
             mutations_of(c.ours.events, k, ours[k], theirs,
                          httpcore::conformance::mode_sets_lenient(c.in.mode, "keep_alive"),
                          k + 1 == ours.size() && c.our_digest.end == digest::ending::upgraded)) {
          comparison mc = c;
          mc.ours.events = std::move(m.events);
          mc.refresh();
          if (!mc.at) continue;  // the mutation undid the divergence
          ++tried;
          ++here;
          if (const char* id = classify(mc.view())) {
            std::printf("FAILED %s: %s was still explained, by %s\n", label.c_str(), m.what.c_str(),
                        id);
            if (verbose)
              print_difference("the mutated difference", mc.in, "httpcore (mutated)", mc.ours,
                               "reference", mc.theirs, mc.at);
            ++failures;
          } else {
            ++refused;
          }
        }
      if (verbose) std::printf("ok %s (%s): %ld mutations\n", label.c_str(), got, here);
    }
  }
  // The simulated bugs: httpcore reads another input than the reference does.
  int simulated = 0;
  std::ifstream table(root / "simulated_bugs.tsv");
  for (std::string line; std::getline(table, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> col;
    for (std::size_t at = 0;;) {
      std::size_t tab = line.find('\t', at);
      col.push_back(line.substr(at, tab - at));
      if (tab == std::string::npos) break;
      at = tab + 1;
    }
    const target* t = nullptr;
    for (const target& x : targets)
      if (col.size() == 5 && col[0] == x.name) t = &x;
    std::string label = cat("simulated_bugs.tsv: ", col[0], " (once excused by ",
                            col.size() > 1 ? col[1] : "?", ")");
    comparison real, bug;
    ++simulated;
    if (!t || !t->compare(fuzz_input(col[2], unescape(col[3])), real) ||
        !t->compare(fuzz_input(col[2], unescape(col[4])), bug)) {
      std::printf("FAILED %s: unreadable line or no comparison\n", label.c_str());
      ++failures;
      continue;
    }
    real.ours = bug.ours;
    real.refresh();
    ++tried;
    if (!real.at) {
      std::printf("FAILED %s: the simulated bug leaves no difference\n", label.c_str());
      ++failures;
    } else if (const char* id = classify(real.view())) {
      std::printf("FAILED %s: explained by %s\n", label.c_str(), id);
      if (verbose)
        print_difference(label.c_str(), real.in, "httpcore (simulated bug)", real.ours, "reference",
                         real.theirs, real.at);
      ++failures;
    } else {
      ++refused;
    }
  }
  if (regressions == 0 || simulated == 0) {
    std::printf("divergence_classifier_mutations: no regression or no simulated_bugs.tsv in %s\n",
                root.c_str());
    return 2;
  }
  std::printf(
      "%d regressions explained by their entries; %ld mutations (%d of them simulated "
      "bugs) tried, %ld refused, %d failures\n",
      regressions, tried, simulated, refused, failures);
  return failures == 0 ? 0 : 1;
}
