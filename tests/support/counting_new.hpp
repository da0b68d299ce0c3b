// Counts heap allocations, for the tests that prove a parser allocates nothing
// while parsing (docs/design.md, rule 1). It replaces the global operator new and
// delete, so include it in exactly one file of a test program.
#pragma once

#include <atomic>
#include <cstdlib>
#include <new>

namespace httpcore::test {
inline std::atomic<long> g_allocations{0};
}  // namespace httpcore::test

void* operator new(std::size_t n) {
  httpcore::test::g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
