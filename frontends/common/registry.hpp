#pragma once
// The counters every front end keeps: live connections (the connection limit
// is checked against them), accepted and rejected totals. Lock-free so that
// stats() can be read from any thread while loops admit and release.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

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

  /// Event-loop front ends: `n` loops count their accepts apart
  /// (frontend_stats::accepted_by_loop). Before the loops start.
  void set_loops(std::size_t n) {
    by_loop_ = n ? std::make_unique<std::atomic<std::uint64_t>[]>(n) : nullptr;
    loops_ = n;
  }
  /// Loop `index` accepted a connection (admitted or not).
  void count_loop_accept(std::size_t index) noexcept {
    if (index < loops_) by_loop_[index].fetch_add(1, std::memory_order_relaxed);
  }

  frontend_stats stats() const noexcept {
    frontend_stats s{live_.load(std::memory_order_acquire),
                     accepted_.load(std::memory_order_relaxed),
                     rejected_.load(std::memory_order_relaxed),
                     threads_.load(std::memory_order_acquire),
                     {}};
    try {
      s.accepted_by_loop.reserve(loops_);
      for (std::size_t i = 0; i < loops_; ++i)
        s.accepted_by_loop.push_back(by_loop_[i].load(std::memory_order_relaxed));
    } catch (...) {  // out of memory: the totals are still right
      s.accepted_by_loop.clear();
    }
    return s;
  }

 private:
  std::size_t limit_ = 0;
  std::atomic<std::size_t> live_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::atomic<std::size_t> threads_{0};
  std::unique_ptr<std::atomic<std::uint64_t>[]> by_loop_;
  std::size_t loops_ = 0;
};

}  // namespace httpcore::frontends
