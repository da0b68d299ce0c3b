#pragma once
// What the Redis backend's callers (front-end threads) and its Redis thread
// share: one lock over the wanted topics, the outbound queue and the
// counters, and the wake-up that tells the thread to look at them.

#include <cstdint>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "common/wakeup.hpp"
#include "httpcore/redis/outbound_queue.hpp"
#include "httpcore/redis/redis_backend.hpp"

namespace httpcore::redis {

struct redis_backend::shared {
  explicit shared(redis_config c) : config(std::move(c)), queue(config.outbound) {}

  const redis_config config;
  std::uint64_t instance_id = 0;
  frontends::wakeup_fd wake;
  app::hub_sink* sink = nullptr;  // set by attach(), before the thread starts
  std::thread thread;

  mutable std::mutex mutex;  // guards everything below
  outbound_queue queue;
  std::set<std::string, std::less<>> topics;  // with a local subscriber (at most max_topics)
  std::uint64_t topics_version = 0;           // bumped on every change
  bool link_up = false;                       // both connections up: publish() queues
  bool stopping = false;
  std::uint64_t next_sequence = 1;
  redis_stats counters{};  // all but outbound, filled from the queue by stats()
};

/// The Redis thread: connects, subscribes, publishes, reconnects, until
/// `s.stopping`. Closes both connections before it returns.
void run_redis_thread(redis_backend::shared& s);

}  // namespace httpcore::redis
