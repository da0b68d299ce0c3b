// One thread, one heap of deadlines.

#include "timer_thread.hpp"

namespace httpcore::app {

timer_thread::timer_thread(std::size_t max_pending)
    : max_pending_(max_pending), thread_([this] { run(); }) {}

timer_thread::~timer_thread() {
  {
    std::lock_guard lock(m_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
  // What still waits goes unlocked: a callback may own a deferred response,
  // whose destructor posts to its connection.
  std::priority_queue<entry, std::vector<entry>, std::greater<>> left;
  {
    std::lock_guard lock(m_);
    left.swap(queue_);
  }
}

bool timer_thread::schedule(std::chrono::milliseconds delay, std::function<void()> fn) {
  {
    std::lock_guard lock(m_);
    if (stopping_ || queue_.size() >= max_pending_) return false;
    queue_.push({clock::now() + delay, seq_++, std::move(fn)});
  }
  cv_.notify_one();
  return true;
}

void timer_thread::run() {
  std::unique_lock lock(m_);
  while (!stopping_) {
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    auto at = queue_.top().at;
    if (clock::now() < at) {
      cv_.wait_until(lock, at);
      continue;
    }
    std::function<void()> fn = std::move(const_cast<entry&>(queue_.top()).fn);
    queue_.pop();
    lock.unlock();
    fn();
    fn = nullptr;  // destroyed unlocked as well
    lock.lock();
  }
}

}  // namespace httpcore::app
