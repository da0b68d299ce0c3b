#pragma once
// The messages on their way to Redis, bounded: those waiting for the Redis
// thread and those written to Redis whose reply has not come back yet count
// against one limit, in bytes and in messages. What would pass it is dropped
// and counted, never waited for: a publisher (a front-end thread) must not
// block because Redis is slow or gone. Pure and not thread-safe (the backend
// holds it under its lock); time is passed in.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace httpcore::redis {

struct outbound_limits {
  std::size_t max_bytes = 4u << 20;  ///< waiting + in flight, channel and body counted
  std::size_t max_messages = 4096;   ///< waiting + in flight
};

struct outbound_stats {
  std::size_t waiting = 0, in_flight = 0, bytes = 0;  ///< now
  std::uint64_t accepted = 0;                         ///< push() took it
  std::uint64_t dropped_full = 0;                     ///< push() refused it: over a bound
  std::uint64_t acknowledged = 0;                     ///< Redis answered its PUBLISH
  std::uint64_t lost = 0;  ///< the connection ended before its reply (or before it went out)
};

class outbound_queue {
 public:
  struct item {
    std::string channel;
    std::string body;
  };

  explicit outbound_queue(outbound_limits limits) : limits_(limits) {}

  /// Queues `it` unless that would pass a bound (then counted dropped_full).
  bool push(item it);
  /// The oldest waiting item, now in flight since `now_us`; nullopt if none.
  std::optional<item> take(std::int64_t now_us);
  /// The oldest message in flight got its reply.
  void acknowledged() noexcept;
  /// The connection ended: everything in flight and waiting is lost.
  void lose_all() noexcept;
  /// When the oldest message in flight was sent; nullopt when none is.
  std::optional<std::int64_t> oldest_in_flight_us() const noexcept;
  bool has_waiting() const noexcept { return !waiting_.empty(); }
  outbound_stats stats() const noexcept;

 private:
  struct sent {
    std::size_t bytes;
    std::int64_t at_us;
  };
  outbound_limits limits_;
  std::deque<item> waiting_;
  std::deque<sent> in_flight_;
  std::size_t bytes_ = 0;
  outbound_stats counts_{};
};

}  // namespace httpcore::redis
