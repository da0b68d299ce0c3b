// httpcore-bench-parser: BM_Parse/<engine>/<case> on Google Benchmark.
// Before any timing, every engine parses every case and must report the same
// message count and the same sink as every other engine (see engine.hpp).
//
// `--parse-count=<engine>/<case>/<n>` instead parses that case n times and
// exits, for instruction counts under callgrind, which are stable where times
// on a shared machine are not: the difference between two counts (say 2,000
// and 1,000 parses) divided by their difference is the cost of one parse,
// without the program's start-up (bench/parser/instructions does this).

#include <benchmark/benchmark.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "cases.hpp"
#include "engine.hpp"

namespace bench {
namespace {

struct engine_entry {
  const char* name;
  std::unique_ptr<engine> (*make)(kind);
};

constexpr std::array<engine_entry, 4> engines{{
    {"httpcore", make_httpcore_engine},
    {"llhttp9", make_llhttp9_engine},
    {"llhttp8", make_llhttp8_engine},
    {"http_parser", make_http_parser_engine},
}};

// Twice in a row, so that the state a message leaves behind is checked too.
bool check_all() {
  bool ok = true;
  for (const bench_case& c : cases()) {
    std::uint64_t want_sink = 0;
    for (const engine_entry& e : engines) {
      auto eng = e.make(c.role);
      tally t;
      bool parsed = eng->parse(c.bytes, t) && eng->parse(c.bytes, t);
      if (&e == &engines[0]) want_sink = t.sink;
      if (!parsed || t.messages != 2u * c.messages || t.sink != want_sink) {
        std::fprintf(
            stderr,
            "check failed: %s/%.*s parsed=%d messages=%llu (want %u) sink=%llu (%s: %llu)\n",
            e.name, static_cast<int>(c.name.size()), c.name.data(), parsed,
            static_cast<unsigned long long>(t.messages), 2u * c.messages,
            static_cast<unsigned long long>(t.sink), engines[0].name,
            static_cast<unsigned long long>(want_sink));
        ok = false;
      }
    }
  }
  return ok;
}

void run(benchmark::State& st, const engine_entry* e, const bench_case* c) {
  auto eng = e->make(c->role);
  tally t;
  for (auto _ : st) {
    if (!eng->parse(c->bytes, t)) {
      st.SkipWithError("parse error");
      break;
    }
    benchmark::ClobberMemory();
  }
  benchmark::DoNotOptimize(t.sink);
  st.SetBytesProcessed(static_cast<std::int64_t>(st.iterations() * c->bytes.size()));
  st.SetItemsProcessed(static_cast<std::int64_t>(st.iterations() * c->messages));
}

// "<engine>/<case>/<n>": parses the case n times with one engine. Returns the
// process's exit status.
int parse_count(std::string_view spec) {
  std::size_t slash1 = spec.find('/');
  std::size_t slash2 = spec.find('/', slash1 == std::string_view::npos ? 0 : slash1 + 1);
  if (slash1 == std::string_view::npos || slash2 == std::string_view::npos) {
    std::fprintf(stderr, "--parse-count wants <engine>/<case>/<n>\n");
    return 2;
  }
  std::string_view engine_name = spec.substr(0, slash1);
  std::string_view case_name = spec.substr(slash1 + 1, slash2 - slash1 - 1);
  unsigned long n = std::strtoul(std::string(spec.substr(slash2 + 1)).c_str(), nullptr, 10);
  for (const engine_entry& e : engines) {
    if (engine_name != e.name) continue;
    for (const bench_case& c : cases()) {
      if (case_name != c.name) continue;
      auto eng = e.make(c.role);
      tally t;
      for (unsigned long i = 0; i < n; ++i) {
        if (!eng->parse(c.bytes, t)) {
          std::fprintf(stderr, "parse error\n");
          return 1;
        }
      }
      std::printf("%llu messages, sink %llu\n", static_cast<unsigned long long>(t.messages),
                  static_cast<unsigned long long>(t.sink));
      return 0;
    }
  }
  std::fprintf(stderr, "no such engine or case: %.*s\n", static_cast<int>(spec.size()),
               spec.data());
  return 2;
}

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
  constexpr std::string_view count_flag = "--parse-count=";
  if (argc == 2 && std::strncmp(argv[1], count_flag.data(), count_flag.size()) == 0)
    return bench::parse_count(argv[1] + count_flag.size());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  if (!bench::check_all()) return 1;
  for (const bench::bench_case& c : bench::cases()) {
    for (const bench::engine_entry& e : bench::engines) {
      std::string name = std::string("BM_Parse/") + e.name + "/" + std::string(c.name);
      benchmark::RegisterBenchmark(name.c_str(), bench::run, &e, &c);
    }
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
