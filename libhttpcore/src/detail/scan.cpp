// Scalar scanners and the run-time dispatch. The SSE4.2 and AVX2 sets live in
// scan_sse42.cpp and scan_avx2.cpp.
#include "detail/scan.hpp"

#include <atomic>

namespace httpcore::detail {

namespace {

std::size_t scalar_field_value(const char* p, std::size_t n) noexcept {
  return find_non_class_scalar<class_field_value>(p, n);
}
std::size_t scalar_target(const char* p, std::size_t n) noexcept {
  return find_non_class_scalar<class_target>(p, n);
}
std::size_t scalar_token(const char* p, std::size_t n) noexcept {
  return find_non_class_scalar<class_token>(p, n);
}

constexpr scanner_set scalar_set{"scalar", &scalar_field_value, &scalar_target, &scalar_token};

// Lazy dispatch without a per-call "initialised?" check: each public function
// jumps through an atomic pointer that starts at a resolver. The first call
// resolves the best set, stores its function (every racing thread stores the
// same value, so relaxed order is enough: code and tables are immutable) and
// forwards; later calls are one load and one indirect call. The atomics are
// constant-initialised, so calls from other static initialisers are safe.
using scan_fn = decltype(&find_non_field_value);

std::size_t resolve_field_value(const char* p, std::size_t n) noexcept;
std::size_t resolve_target(const char* p, std::size_t n) noexcept;
std::size_t resolve_token(const char* p, std::size_t n) noexcept;

constinit std::atomic<scan_fn> field_value_fn{&resolve_field_value};
constinit std::atomic<scan_fn> target_fn{&resolve_target};
constinit std::atomic<scan_fn> token_fn{&resolve_token};

std::size_t resolve_field_value(const char* p, std::size_t n) noexcept {
  const scan_fn f = active_scanners().field_value;
  field_value_fn.store(f, std::memory_order_relaxed);
  return f(p, n);
}
std::size_t resolve_target(const char* p, std::size_t n) noexcept {
  const scan_fn f = active_scanners().target;
  target_fn.store(f, std::memory_order_relaxed);
  return f(p, n);
}
std::size_t resolve_token(const char* p, std::size_t n) noexcept {
  const scan_fn f = active_scanners().token;
  token_fn.store(f, std::memory_order_relaxed);
  return f(p, n);
}

}  // namespace

const scanner_set& scalar_scanners() noexcept {
  return scalar_set;
}

const scanner_set& active_scanners() noexcept {
  // A function-local static: initialised once, thread-safely, on first use.
  static const scanner_set& best = []() -> const scanner_set& {
    if (const scanner_set* s = avx2_scanners()) return *s;
    if (const scanner_set* s = sse42_scanners()) return *s;
    return scalar_set;
  }();
  return best;
}

std::size_t find_non_field_value(const char* p, std::size_t n) noexcept {
  return field_value_fn.load(std::memory_order_relaxed)(p, n);
}
std::size_t find_non_target(const char* p, std::size_t n) noexcept {
  return target_fn.load(std::memory_order_relaxed)(p, n);
}
std::size_t find_non_token(const char* p, std::size_t n) noexcept {
  return token_fn.load(std::memory_order_relaxed)(p, n);
}

}  // namespace httpcore::detail
