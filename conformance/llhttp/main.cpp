// httpcore-conformance: runs llhttp's own markdown test suite against httpcore
// (or, to prove the runner itself, against llhttp) and prints a table per file.
//
//   httpcore-conformance llhttp DIR [--engine httpcore|llhttp] [--verbose]
//                        [--divergences FILE] [--pinned FILE] [--update-pinned]
//                        [--case TEXT]
//
// A case divergences.tsv lists is still checked: httpcore's output for it must
// be the one pinned in divergences.pinned (pinned.hpp). Listed cases whose
// entry the parser issue requires (kRefusedByDesign) are reported on a line of
// their own; every other listed case is a skip, and more than 5% of the suite
// skipped is a failure.
//
// Exit status: 0 when nothing failed; 1 when something did, or when the suite
// directory, the table or the pinned outputs are missing or unreadable, or an
// engine is unavailable (a setup error is a failure, never a skip); 2 when the
// command line is wrong.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engines.hpp"
#include "pinned.hpp"

#ifndef HTTPCORE_DIVERGENCES_TSV
#define HTTPCORE_DIVERGENCES_TSV "conformance/llhttp/divergences.tsv"
#endif
#ifndef HTTPCORE_PINNED_OUTPUTS
#define HTTPCORE_PINNED_OUTPUTS "conformance/llhttp/divergences.pinned"
#endif

namespace httpcore::conformance {

bool parse_case_mode(std::string_view type, case_mode& mode, std::string& problem) {
  auto eat = [&](std::string_view prefix) {
    if (type.substr(0, prefix.size()) != prefix) return false;
    type.remove_prefix(prefix.size());
    return true;
  };
  if (eat("request")) {
    mode.request = true;
    // llhttp checks no Host (it has no flag for it), and most requests of its
    // suite have none: they are parsed under lenient host, as llhttp parses
    // them (docs/divergences.md D33). The differential fuzzers check Host.
    mode.more_lenient.emplace_back("host");
  } else if (eat("response")) {
    mode.request = false;
  } else {
    problem = "unknown case type '" + std::string(type) + "'";
    return false;
  }
  if (type.empty()) return true;
  if (type == "-finish") return mode.finish = true;
  if (type == "-lenient-all") return mode.lenient_all = true;
  if (eat("-lenient-") && !type.empty()) {
    for (char ch : type) mode.lenient += ch == '-' ? '_' : ch;
    return true;
  }
  problem = "unknown case type suffix '" + std::string(type) + "'";
  return false;
}

namespace {

struct options {
  std::string dir, engine = "httpcore", divergences = HTTPCORE_DIVERGENCES_TSV,
                   pinned = HTTPCORE_PINNED_OUTPUTS, only;
  bool verbose = false, update_pinned = false;
};

// The register entries issue 2 (the parser) requires: httpcore refuses, or
// reads otherwise, what these cases test. They are not counted toward the 5%
// bound on skips, and are reported on a line of their own.
constexpr const char* kRefusedByDesign[] = {
    "D01",  // obs-fold refused
    "D03",  // any token is a method
    "D04",  // only the protocol name HTTP
    "D05",  // no HTTP/0.9
    "D06",  // asterisk-form only with OPTIONS
    "D07",  // the HTTP/2 preface
};
bool refused_by_design(const std::string& entry) {
  for (const char* id : kRefusedByDesign)
    if (entry == id) return true;
  return false;
}

// A setup error: the run proves nothing, which is a failure.
int setup_error(const std::string& why) {
  std::printf("httpcore-conformance: %s\n", why.c_str());
  return 1;
}

int usage(const char* why) {
  if (why) std::fprintf(stderr, "httpcore-conformance: %s\n\n", why);
  std::fputs(
      "usage: httpcore-conformance llhttp DIR [--engine httpcore|llhttp] [--verbose]\n"
      "                            [--divergences FILE] [--pinned FILE] [--update-pinned]\n"
      "                            [--case TEXT]\n\n"
      "Runs llhttp's markdown test suite (request/*.md, response/*.md, url.md in DIR).\n"
      "  --engine       httpcore (default) or llhttp, which must pass its own suite\n"
      "  --verbose      print every failure with both normalised event lists\n"
      "  --divergences  the table of cases httpcore differs on by design\n"
      "                 (default: " HTTPCORE_DIVERGENCES_TSV
      ")\n"
      "  --pinned       httpcore's expected events for each listed case\n"
      "                 (default: " HTTPCORE_PINNED_OUTPUTS
      ")\n"
      "  --update-pinned  write httpcore's events for the listed cases there\n"
      "  --case         run only cases whose id (file.md#heading) contains TEXT\n",
      stderr);
  return 2;
}

// divergences.tsv: "file.md#heading<TAB>Dnn" per line; '#' starts a comment line.
bool read_divergences(const std::string& path, std::map<std::string, std::string>& out) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string id = line.substr(tab + 1);
    if (auto more = id.find('\t'); more != std::string::npos) id.resize(more);
    out[line.substr(0, tab)] = id;
  }
  return true;
}

void print_list(const char* title, const event_list& events) {
  std::printf("    %s:\n", title);
  if (events.empty()) std::printf("      (nothing)\n");
  for (const auto& e : events) std::printf("      %s\n", e.c_str());
}

struct tally {
  int passed = 0, failed = 0, skipped = 0, refused = 0;
};

enum class verdict { pass, fail, skip, refused };

// A case whose log ends inside a head normalises to no event at all, which an
// engine that does nothing also gives. Such a case is also run with an empty
// line after its input, through httpcore and llhttp, which must agree.
std::string completed_mismatch(const test_case& c, const case_mode& mode) {
  if (!llhttp_available()) return "its log has no event, and llhttp is not here to check more";
  test_case more = c;
  more.input += "\r\n";
  outcome ours = run_httpcore(more, mode, 0), theirs = run_llhttp(more, mode, 0);
  settle_errors(theirs.events, ours.events);
  if (ours.events == theirs.events) return {};
  return "its log has no event; completed with CRLF, httpcore gives " +
         quote(ours.events.empty() ? "nothing" : ours.events.front()) + ", llhttp " +
         quote(theirs.events.empty() ? "nothing" : theirs.events.front());
}

}  // namespace
}  // namespace httpcore::conformance

int main(int argc, char** argv) {
  using namespace httpcore::conformance;
  options opt;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h") return usage(nullptr);
  if (args[0] != "llhttp") return usage("the only suite this runner knows is 'llhttp'");
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> const std::string* { return i + 1 < args.size() ? &args[++i] : nullptr; };
    if (a == "--verbose" || a == "-v") {
      opt.verbose = true;
    } else if (a == "--update-pinned") {
      opt.update_pinned = true;
    } else if (a == "--engine" || a == "--divergences" || a == "--case" || a == "--pinned") {
      const std::string* v = value();
      if (!v) return usage(("missing value after " + a).c_str());
      (a == "--engine"        ? opt.engine
       : a == "--case"        ? opt.only
       : a == "--divergences" ? opt.divergences
                              : opt.pinned) = *v;
    } else if (!a.empty() && a[0] == '-') {
      return usage(("unknown option " + a).c_str());
    } else if (opt.dir.empty()) {
      opt.dir = a;
    } else {
      return usage("more than one directory given");
    }
  }
  if (opt.dir.empty()) return usage("no suite directory given");
  if (opt.engine != "httpcore" && opt.engine != "llhttp")
    return usage("--engine is httpcore or llhttp");
  bool oracle = opt.engine == "llhttp";
  if (oracle && !llhttp_available())
    return setup_error("built without llhttp (llhttp.h / libllhttp not found)");
  std::error_code ec;
  if (!std::filesystem::is_directory(opt.dir, ec))
    return setup_error("the llhttp suite directory " + opt.dir + " does not exist");
  std::vector<std::string> files = suite_files(opt.dir);
  if (files.empty())
    return setup_error("no llhttp suite in " + opt.dir +
                       ": it has no request/*.md, response/*.md or url.md");
  // llhttp is the reference: divergences excuse httpcore only.
  std::map<std::string, std::string> divergences;
  pinned_outputs pins, new_pins;
  std::string problem_reading;
  if (!oracle && !read_divergences(opt.divergences, divergences))
    return setup_error("cannot read the divergence table " + opt.divergences);
  if (!oracle && !opt.update_pinned && !read_pinned(opt.pinned, pins, problem_reading))
    return setup_error("the pinned outputs: " + problem_reading);

  std::printf("llhttp suite %s, engine %s\n\n", opt.dir.c_str(), opt.engine.c_str());
  std::vector<std::pair<std::string, tally>> table;
  std::vector<std::string> failures, skips, refusals;
  std::map<std::string, bool> divergence_used;
  tally total;
  for (const std::string& file : files) {
    tally t;
    std::vector<test_case> cases;
    try {
      cases = read_cases(opt.dir, file);
    } catch (const std::exception& e) {
      std::printf("%s: %s\n", file.c_str(), e.what());
      ++t.failed;
    }
    for (const test_case& c : cases) {
      std::string id = c.id();
      if (!opt.only.empty() && id.find(opt.only) == std::string::npos) continue;
      std::string problem = c.problem;
      std::optional<event_list> expected;
      outcome actual;
      std::optional<outcome> split;  // the byte-by-byte run, when it differs
      if (problem.empty() && c.is_url) {
        expected = normalise_url_log(c.log, problem);
        url_outcome u = oracle ? run_llhttp_url(c) : run_httpcore_url(c);
        actual = u.result;
        // Without components only acceptance is comparable.
        if (expected && !u.components) {
          bool rejected = !expected->empty() && expected->back() == error_event();
          *expected = {rejected ? error_event() : std::string("accepted")};
        }
      } else if (problem.empty()) {
        case_mode mode;
        if (parse_case_mode(c.meta.type, mode, problem)) {
          expected = normalise_log(c.log, c.meta.skip_body, problem);
          auto run = oracle ? run_llhttp : run_httpcore;
          actual = run(c, mode, 0);
          if (!c.meta.no_scan) {
            outcome bytewise = run(c, mode, 1);
            if (bytewise.events != actual.events) {
              problem = "fed byte by byte, the events differ from those fed whole";
              split = std::move(bytewise);
            }
          }
        }
      }
      if (expected) settle_errors(*expected, actual.events);
      bool same = problem.empty() && expected && *expected == actual.events;
      if (same && expected->empty() && !c.is_url && !oracle) {
        case_mode mode;
        parse_case_mode(c.meta.type, mode, problem);
        problem = completed_mismatch(c, mode);
        same = problem.empty();
      }
      auto listed = divergences.find(id);
      verdict v = same ? verdict::pass : verdict::fail;
      std::string why;
      if (listed != divergences.end()) {
        divergence_used[id] = true;
        // The error's name and offset are pinned too: "error" alone would let
        // a refusal move to another byte or reason unnoticed.
        std::vector<std::string> now = quoted_events(actual.events);
        if (!actual.error.empty())
          now.push_back(quote(actual.error + " at " + std::to_string(actual.error_offset)));
        new_pins[id] = now;
        auto pin = pins.find(id);
        if (same) {
          why = "passes, but divergences.tsv lists it as " + listed->second;
        } else if (!problem.empty()) {
        } else if (opt.update_pinned || (pin != pins.end() && pin->second == now)) {
          v = refused_by_design(listed->second) ? verdict::refused : verdict::skip;
        } else {
          why = pin == pins.end()
                    ? "listed as " + listed->second + ", but has no pinned output (--update-pinned)"
                    : "listed as " + listed->second +
                          ", and httpcore's output is no longer the pinned one";
          problem = why;
        }
      }
      if (!same && v == verdict::fail) why = problem.empty() ? "events differ" : problem;
      if (v == verdict::pass && !why.empty()) v = verdict::fail;  // a stale register entry
      switch (v) {
        case verdict::pass:
          ++t.passed;
          break;
        case verdict::skip:
          ++t.skipped;
          skips.push_back("skipped (" + listed->second + ") " + id);
          break;
        case verdict::refused:
          ++t.refused;
          refusals.push_back("refused by design (" + listed->second + ") " + id);
          break;
        case verdict::fail: {
          ++t.failed;
          failures.push_back("FAILED " + id + " (" + file + ":" + std::to_string(c.line) +
                             "): " + why);
          if (opt.verbose) {
            std::printf("FAILED %s (%s:%zu): %s\n", id.c_str(), file.c_str(), c.line, why.c_str());
            std::printf("    type: %s%s%s\n", c.is_url ? "url" : c.meta.type.c_str(),
                        c.meta.skip_body ? ", skipBody" : "",
                        c.meta.pause.empty() ? "" : (", pause " + c.meta.pause).c_str());
            std::printf("    input: %s\n", quote(c.input).c_str());
            print_list("expected (from the log)", expected.value_or(event_list{}));
            print_list(("actual (" + opt.engine + ")").c_str(), actual.events);
            if (!actual.note.empty()) std::printf("    note: %s\n", actual.note.c_str());
            if (split) {
              print_list("actual, fed byte by byte", split->events);
              if (!split->note.empty()) std::printf("    note: %s\n", split->note.c_str());
            }
            std::printf("\n");
          }
          break;
        }
      }
    }
    total.passed += t.passed;
    total.failed += t.failed;
    total.skipped += t.skipped;
    total.refused += t.refused;
    table.emplace_back(file, t);
  }
  if (opt.only.empty()) {
    for (const auto& [id, reg] : divergences)
      if (!divergence_used.count(id)) {
        failures.push_back("FAILED divergences.tsv names a case the suite does not have: " + id);
        ++total.failed;
      }
  }

  if (opt.update_pinned && !oracle) {
    if (!write_pinned(opt.pinned, new_pins)) return setup_error("cannot write " + opt.pinned);
    std::printf("pinned the outputs of %zu listed cases in %s\n", new_pins.size(),
                opt.pinned.c_str());
  }

  if (!opt.verbose)
    for (const auto& f : failures) std::printf("%s\n", f.c_str());
  for (const auto& s : skips) std::printf("%s\n", s.c_str());
  for (const auto& r : refusals) std::printf("%s\n", r.c_str());
  if (!failures.empty() || !skips.empty() || !refusals.empty()) std::printf("\n");
  std::printf("%-34s %7s %7s %7s %7s\n", "file", "passed", "failed", "skipped", "refused");
  for (const auto& [file, t] : table)
    std::printf("%-34s %7d %7d %7d %7d\n", file.c_str(), t.passed, t.failed, t.skipped, t.refused);
  int cases = total.passed + total.failed + total.skipped + total.refused;
  // The bound: skips (refusals by design excepted) may be at most 5% of the
  // suite. A run limited by --case is not the suite.
  bool over_bound = opt.only.empty() && total.skipped * 20 > cases;
  if (oracle)
    std::printf(
        "\nnote: url.md checks acceptance only with llhttp (its API has no URL splitter)\n");
  std::printf("\n%d passed, %d failed, %d skipped (%.1f%% of %d; at most 5%%)\n", total.passed,
              total.failed, total.skipped, cases ? 100.0 * total.skipped / cases : 0.0, cases);
  if (total.refused > 0)
    std::printf(
        "%d refused by design (entries the parser issue requires: D01 D03-D07), "
        "each pinned, not counted as skipped\n",
        total.refused);
  if (over_bound)
    std::printf("FAILED: %d of %d cases skipped, more than the 5%% allowed\n", total.skipped,
                cases);
  return total.failed == 0 && !over_bound ? 0 : 1;
}
