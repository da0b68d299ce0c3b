// The Redis backend's caller side: recording topics and queueing messages,
// never waiting on the network (the Redis thread, redis_thread.cpp, does that).

#include "httpcore/redis/redis_backend.hpp"

#include <random>

#include "backend_state.hpp"
#include "envelope.hpp"

namespace httpcore::redis {

redis_backend::redis_backend(redis_config config)
    : shared_(std::make_unique<shared>(std::move(config))) {
  std::uint64_t id = shared_->config.instance_id;
  if (id == 0) {
    std::random_device rd;
    while (id == 0) id = (std::uint64_t{rd()} << 32) ^ rd();
  }
  shared_->instance_id = id;
  shared_->counters.instance_id = id;
}

redis_backend::~redis_backend() {
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
  }
  shared_->wake.notify();
  if (shared_->thread.joinable()) shared_->thread.join();
}

void redis_backend::attach(app::hub_sink& sink) {
  shared_->sink = &sink;
  shared_->thread = std::thread([s = shared_.get()] { run_redis_thread(*s); });
}

void redis_backend::subscribe(std::string_view topic) {
  {
    std::lock_guard lock(shared_->mutex);
    if (shared_->topics.size() >= shared_->config.max_topics) {
      ++shared_->counters.topics_refused;
      return;
    }
    if (!shared_->topics.emplace(topic).second) return;
    ++shared_->topics_version;
  }
  shared_->wake.notify();
}

void redis_backend::unsubscribe(std::string_view topic) {
  {
    std::lock_guard lock(shared_->mutex);
    auto it = shared_->topics.find(topic);
    if (it == shared_->topics.end()) return;
    shared_->topics.erase(it);
    ++shared_->topics_version;
  }
  shared_->wake.notify();
}

std::size_t redis_backend::publish(std::string_view topic, std::string_view message, bool text) {
  // Local subscribers first, and only here: the copy that comes back from
  // Redis carries our origin and is dropped (redis_thread.cpp).
  std::size_t local = shared_->sink->deliver(topic, message, text);
  shared& s = *shared_;
  {
    std::lock_guard lock(s.mutex);
    if (message.size() > s.config.max_message_bytes) {
      ++s.counters.dropped_too_large;
      return local;
    }
    if (!s.link_up) {
      ++s.counters.dropped_disconnected;
      return local;
    }
    // The sequence is taken and the message queued under one lock, so the
    // queue's order is the sequence's order (a receiver drops anything older
    // than what it has seen from us).
    envelope e{s.instance_id, s.next_sequence, text, message};
    if (!s.queue.push({s.config.channel_prefix + std::string(topic), encode(e)})) return local;
    ++s.next_sequence;
  }
  s.wake.notify();
  return local;
}

redis_stats redis_backend::stats() const {
  std::lock_guard lock(shared_->mutex);
  redis_stats out = shared_->counters;
  out.outbound = shared_->queue.stats();
  return out;
}

std::uint64_t redis_backend::instance_id() const noexcept {
  return shared_->instance_id;
}

}  // namespace httpcore::redis
