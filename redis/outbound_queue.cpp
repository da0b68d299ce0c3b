// The bounded queue to Redis and its counters.

#include "httpcore/redis/outbound_queue.hpp"

namespace httpcore::redis {

bool outbound_queue::push(item it) {
  std::size_t size = it.channel.size() + it.body.size();
  std::size_t count = waiting_.size() + in_flight_.size();
  if (count + 1 > limits_.max_messages || size > limits_.max_bytes ||
      bytes_ > limits_.max_bytes - size) {
    ++counts_.dropped_full;
    return false;
  }
  bytes_ += size;
  ++counts_.accepted;
  waiting_.push_back(std::move(it));
  return true;
}

std::optional<outbound_queue::item> outbound_queue::take(std::int64_t now_us) {
  if (waiting_.empty()) return std::nullopt;
  item it = std::move(waiting_.front());
  waiting_.pop_front();
  in_flight_.push_back({it.channel.size() + it.body.size(), now_us});
  return it;
}

void outbound_queue::acknowledged() noexcept {
  if (in_flight_.empty()) return;
  bytes_ -= in_flight_.front().bytes;
  in_flight_.pop_front();
  ++counts_.acknowledged;
}

void outbound_queue::lose_all() noexcept {
  counts_.lost += waiting_.size() + in_flight_.size();
  waiting_.clear();
  in_flight_.clear();
  bytes_ = 0;
}

std::optional<std::int64_t> outbound_queue::oldest_in_flight_us() const noexcept {
  if (in_flight_.empty()) return std::nullopt;
  return in_flight_.front().at_us;
}

outbound_stats outbound_queue::stats() const noexcept {
  outbound_stats s = counts_;
  s.waiting = waiting_.size();
  s.in_flight = in_flight_.size();
  s.bytes = bytes_;
  return s;
}

}  // namespace httpcore::redis
