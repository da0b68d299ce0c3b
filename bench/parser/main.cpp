// httpcore-bench-parser: BM_Parse/<engine>/<case> on Google Benchmark.
// Before any timing, every engine parses every case and must report the same
// message count and the same sink as every other engine (see engine.hpp).

#include <benchmark/benchmark.h>

#include <array>
#include <cstdio>
#include <string>

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

}  // namespace
}  // namespace bench

int main(int argc, char** argv) {
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
