#pragma once
// The counters every front end keeps: live connections (the connection limit
// is checked against them), accepted and rejected totals. Lock-free so that
// stats() can be read from any thread while loops admit and release.

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "httpcore/frontend.hpp"

namespace httpcore::frontends {

class connection_registry {
 public:
  void set_limit(std::size_t limit) noexcept { limit_ = limit; }

  /// Counts a freshly accepted connection; false when it would exceed the
  /// limit (the caller then answers 503 and closes it).
  bool try_admit() noexcept {
    accepted_.fetch_add(1, std::memory_order_relaxed);
    if (live_.fetch_add(1, std::memory_order_acq_rel) >= limit_) {
      live_.fetch_sub(1, std::memory_order_acq_rel);
      rejected_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    return true;
  }

  /// An admitted connection was answered 503 later (the threads front end,
  /// when no worker was free for it); release() it too when it is closed.
  void count_rejected() noexcept { rejected_.fetch_add(1, std::memory_order_relaxed); }

  /// An admitted connection was closed.
  void release() noexcept { live_.fetch_sub(1, std::memory_order_acq_rel); }

  /// The threads the front end runs now, for frontend_stats::threads.
  void set_threads(std::size_t n) noexcept { threads_.store(n, std::memory_order_release); }

  frontend_stats stats() const noexcept {
    return {live_.load(std::memory_order_acquire), accepted_.load(std::memory_order_relaxed),
            rejected_.load(std::memory_order_relaxed), threads_.load(std::memory_order_acquire)};
  }

 private:
  std::size_t limit_ = 0;
  std::atomic<std::size_t> live_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::size_t> threads_{0};
};

}  // namespace httpcore::frontends
