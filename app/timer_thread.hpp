#pragma once
// Runs callbacks after a delay on one thread of its own: what lets a handler
// answer later (server::response::defer()) without holding its loop thread.
// Bounded: at most `max_pending` callbacks wait at once.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

namespace httpcore::app {

class timer_thread {
 public:
  explicit timer_thread(std::size_t max_pending);
  /// Stops the thread; callbacks still waiting are destroyed without being called.
  ~timer_thread();
  timer_thread(const timer_thread&) = delete;
  timer_thread& operator=(const timer_thread&) = delete;

  /// Calls `fn` on the timer's thread once `delay` has passed. False (and `fn`
  /// dropped) when `max_pending` callbacks are waiting already.
  bool schedule(std::chrono::milliseconds delay, std::function<void()> fn);

 private:
  using clock = std::chrono::steady_clock;
  struct entry {
    clock::time_point at;
    std::uint64_t seq;  // first scheduled first among equal times
    std::function<void()> fn;
    bool operator>(const entry& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  void run();

  std::size_t max_pending_;
  std::mutex m_;
  std::condition_variable cv_;
  std::priority_queue<entry, std::vector<entry>, std::greater<>> queue_;
  std::uint64_t seq_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace httpcore::app
