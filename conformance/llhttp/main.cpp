// httpcore-conformance: runs llhttp's own markdown test suite against httpcore
// (or, to prove the runner itself, against llhttp) and prints a table per file.
//
//   httpcore-conformance llhttp DIR [--engine httpcore|llhttp] [--verbose]
//                        [--divergences FILE] [--case TEXT]
//
// Exit status: 0 when nothing failed, 1 when something did, 2 when the suite
// directory is missing or the command line is wrong (so `make test` can say
// "skipped" instead of "failed").

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "engines.hpp"

#ifndef HTTPCORE_DIVERGENCES_TSV
#define HTTPCORE_DIVERGENCES_TSV "conformance/llhttp/divergences.tsv"
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
  std::string dir, engine = "httpcore", divergences = HTTPCORE_DIVERGENCES_TSV, only;
  bool verbose = false;
};

int usage(const char* why) {
  if (why) std::fprintf(stderr, "httpcore-conformance: %s\n\n", why);
  std::fputs(
      "usage: httpcore-conformance llhttp DIR [--engine httpcore|llhttp] [--verbose]\n"
      "                            [--divergences FILE] [--case TEXT]\n\n"
      "Runs llhttp's markdown test suite (request/*.md, response/*.md, url.md in DIR).\n"
      "  --engine       httpcore (default) or llhttp, which must pass its own suite\n"
      "  --verbose      print every failure with both normalised event lists\n"
      "  --divergences  the table of cases httpcore differs on by design\n"
      "                 (default: " HTTPCORE_DIVERGENCES_TSV
      ")\n"
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
  int passed = 0, failed = 0, skipped = 0;
};

enum class verdict { pass, fail, skip };

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
    } else if (a == "--engine" || a == "--divergences" || a == "--case") {
      const std::string* v = value();
      if (!v) return usage(("missing value after " + a).c_str());
      (a == "--engine" ? opt.engine : a == "--case" ? opt.only : opt.divergences) = *v;
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
  if (oracle && !llhttp_available()) {
    std::printf("httpcore-conformance: built without llhttp (llhttp.h / libllhttp not found)\n");
    return 2;
  }
  std::error_code ec;
  if (!std::filesystem::is_directory(opt.dir, ec)) {
    std::printf("httpcore-conformance: the llhttp suite directory %s does not exist; skipped\n",
                opt.dir.c_str());
    return 2;
  }
  std::vector<std::string> files = suite_files(opt.dir);
  if (files.empty()) {
    std::printf(
        "httpcore-conformance: llhttp suite not found: %s has no request/*.md, response/*.md "
        "or url.md; skipped\n",
        opt.dir.c_str());
    return 2;
  }
  // llhttp is the reference: divergences excuse httpcore only.
  std::map<std::string, std::string> divergences;
  if (!oracle && !read_divergences(opt.divergences, divergences)) {
    std::printf("httpcore-conformance: cannot read the divergence table %s\n",
                opt.divergences.c_str());
    return 2;
  }

  std::printf("llhttp suite %s, engine %s\n\n", opt.dir.c_str(), opt.engine.c_str());
  std::vector<std::pair<std::string, tally>> table;
  std::vector<std::string> failures, skips;
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
            settle_errors(bytewise.events);
            settle_errors(actual.events);
            if (bytewise.events != actual.events) {
              problem = "fed byte by byte, the events differ from those fed whole";
              split = std::move(bytewise);
            }
          }
        }
      }
      if (expected) settle_errors(*expected);
      settle_errors(actual.events);
      bool same = problem.empty() && expected && *expected == actual.events;
      auto listed = divergences.find(id);
      verdict v = same ? verdict::pass : verdict::fail;
      std::string why;
      if (listed != divergences.end()) {
        divergence_used[id] = true;
        if (same) {
          why = "passes, but divergences.tsv lists it as " + listed->second;
        } else if (problem.empty()) {
          v = verdict::skip;
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
    table.emplace_back(file, t);
  }
  if (opt.only.empty()) {
    for (const auto& [id, reg] : divergences)
      if (!divergence_used.count(id)) {
        failures.push_back("FAILED divergences.tsv names a case the suite does not have: " + id);
        ++total.failed;
      }
  }

  if (!opt.verbose)
    for (const auto& f : failures) std::printf("%s\n", f.c_str());
  for (const auto& s : skips) std::printf("%s\n", s.c_str());
  if (!failures.empty() || !skips.empty()) std::printf("\n");
  std::printf("%-34s %7s %7s %7s\n", "file", "passed", "failed", "skipped");
  for (const auto& [file, t] : table)
    std::printf("%-34s %7d %7d %7d\n", file.c_str(), t.passed, t.failed, t.skipped);
  int cases = total.passed + total.failed + total.skipped;
  if (cases > 0 && total.skipped * 20 > cases)
    std::printf("\nwarning: %d of %d cases skipped, more than the 5%% allowed\n", total.skipped,
                cases);
  if (oracle)
    std::printf(
        "\nnote: url.md checks acceptance only with llhttp (its API has no URL splitter)\n");
  std::printf("\n%d passed, %d failed, %d skipped\n", total.passed, total.failed, total.skipped);
  return total.failed == 0 ? 0 : 1;
}
