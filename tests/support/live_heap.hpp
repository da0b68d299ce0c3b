// Live heap bytes of the whole program, OpenSSL's included: for the tests
// that measure what an idle connection holds. Each block's size is kept in a
// header in front of it. Replaces the global operator new and delete and
// OpenSSL's allocator, so include it in exactly one file of a test program
// (the OpenSSL hook is installed during static initialisation, before
// OpenSSL's first allocation: check live_heap_hooked).
#pragma once

#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>
#include <new>

namespace httpcore::test {

inline std::atomic<long long> g_live_heap{0};

namespace live_heap_detail {

constexpr std::size_t header = 16;  // keeps the alignment malloc gives

inline void* counted_malloc(std::size_t n) {
  auto* base = static_cast<unsigned char*>(std::malloc(n + header));
  if (base == nullptr) return nullptr;
  *reinterpret_cast<std::size_t*>(base) = n;
  g_live_heap += static_cast<long long>(n);
  return base + header;
}

inline void counted_free(void* p) {
  if (p == nullptr) return;
  auto* base = static_cast<unsigned char*>(p) - header;
  g_live_heap -= static_cast<long long>(*reinterpret_cast<std::size_t*>(base));
  std::free(base);
}

inline void* counted_realloc(void* p, std::size_t n) {
  if (p == nullptr) return counted_malloc(n);
  auto* base = static_cast<unsigned char*>(p) - header;
  const std::size_t old = *reinterpret_cast<std::size_t*>(base);
  auto* grown = static_cast<unsigned char*>(std::realloc(base, n + header));
  if (grown == nullptr) return nullptr;
  *reinterpret_cast<std::size_t*>(grown) = n;
  g_live_heap += static_cast<long long>(n) - static_cast<long long>(old);
  return grown + header;
}

}  // namespace live_heap_detail

/// True when OpenSSL's allocations go through the counter.
inline const bool live_heap_hooked = CRYPTO_set_mem_functions(
    [](std::size_t n, const char*, int) { return live_heap_detail::counted_malloc(n); },
    [](void* p, std::size_t n, const char*, int) {
      return live_heap_detail::counted_realloc(p, n);
    },
    [](void* p, const char*, int) { live_heap_detail::counted_free(p); });

}  // namespace httpcore::test

void* operator new(std::size_t n) {
  if (void* p = httpcore::test::live_heap_detail::counted_malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  httpcore::test::live_heap_detail::counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  httpcore::test::live_heap_detail::counted_free(p);
}
