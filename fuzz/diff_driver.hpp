// The body of the differential targets: the same bytes through httpcore and a
// reference engine, compared after normalisation (differential.hpp). A
// difference that the register (divergences.hpp) does not explain aborts with
// both event logs. Differences it explains are counted, and the counts are
// printed when the fuzzer exits.
//
// Environment, for a person looking at a campaign:
//   HTTPCORE_DIFF_VERBOSE=1   print every explained difference (=2: every input)
//   HTTPCORE_DIFF_SHOW=D09    print only the differences one entry explains
//   HTTPCORE_DIFF_SURVEY=1    do not abort: print the first unexplained
//                             difference of each kind (both engines' error names
//                             and endings) and go on
//   HTTPCORE_DIFF_FLAGS=0x..  keep only these lenient-flag bits (0: strict only)
#pragma once

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "comparison.hpp"

namespace httpcore::fuzz {

struct diff_settings {
  int verbose = 0;
  bool survey = false;
  const char* show = nullptr;
};

// Plain arrays, not vectors: they are read by an atexit handler, after static
// objects constructed later than the handler's registration are destroyed.
inline unsigned long explained_counts[64];

inline void print_explained_counts() {
  std::string line;
  for (std::size_t i = 0; i < divergence_count() && i < std::size(explained_counts); ++i)
    if (explained_counts[i] > 0)
      line += " " + std::string(divergence_id(i)) + "=" + std::to_string(explained_counts[i]);
  std::fprintf(stderr, "diff: differences explained by the register:%s\n",
               line.empty() ? " none" : line.c_str());
}

inline const diff_settings& settings() {
  static const diff_settings s = [] {
    std::atexit(print_explained_counts);
    diff_settings v;
    const char* verbose = std::getenv("HTTPCORE_DIFF_VERBOSE");
    const char* survey = std::getenv("HTTPCORE_DIFF_SURVEY");
    v.verbose = verbose ? std::atoi(verbose) : 0;
    v.survey = survey && *survey && *survey != '0';
    v.show = std::getenv("HTTPCORE_DIFF_SHOW");
    return v;
  }();
  return s;
}

// Counts an explained difference (one count per id: two rules may share an
// entry) and prints it when asked to.
inline void note_explained(const char* id, const diff_input& in, const outcome& ours,
                           const char* their_name, const outcome& theirs, std::size_t at) {
  for (std::size_t i = 0; i < divergence_count() && i < std::size(explained_counts); ++i)
    if (std::string_view(divergence_id(i)) == id) {
      ++explained_counts[i];
      break;
    }
  const diff_settings& s = settings();
  if (s.verbose || (s.show && std::string_view(s.show) == id)) {
    std::string title = std::string("difference explained by ") + id;
    print_difference(title.c_str(), in, "httpcore", ours, their_name, theirs, at);
  }
}

// An unexplained difference: abort, or in a survey print the first of its kind.
inline void unexplained(const char* title, const diff_input& in, const outcome& ours,
                        const digest& our_digest, const char* their_name, const outcome& theirs,
                        const digest& their_digest, std::size_t at) {
  if (settings().survey) {
    static std::set<std::string> seen;
    std::string kind = ours.error + "/" + ending_name(our_digest.end) + " vs " + theirs.error +
                       "/" + ending_name(their_digest.end);
    if (!seen.insert(kind).second) return;
    print_difference(("SURVEY: unexplained difference " + kind).c_str(), in, "httpcore", ours,
                     their_name, theirs, at);
    return;
  }
  print_difference(title, in, "httpcore", ours, their_name, theirs, at);
  std::abort();
}

inline int diff_against_llhttp(const std::uint8_t* data, std::size_t size, bool request) {
  const diff_settings& s = settings();
  comparison c;
  if (!compare_with_llhttp(data, size, request, c)) return 0;
  if (!c.at) {
    if (s.verbose >= 2)
      print_difference("the engines agree", c.in, "httpcore", c.ours, "llhttp 9.2.1", c.theirs,
                       c.at);
    return 0;
  }
  if (const char* id = classify(c.view())) {
    note_explained(id, c.in, c.ours, "llhttp 9.2.1", c.theirs, *c.at);
    return 0;
  }
  unexplained("MISMATCH: httpcore and llhttp differ, and no register entry explains it", c.in,
              c.ours, c.our_digest, "llhttp 9.2.1", c.theirs, c.their_digest, *c.at);
  return 0;
}

}  // namespace httpcore::fuzz
