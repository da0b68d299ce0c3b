#pragma once
/// \file
/// The hub's Redis backend: hub messages travel between instances over Redis
/// pub/sub, one Redis channel per topic (channel_prefix + topic), each
/// message in an envelope (envelope.hpp) that names the instance that
/// published it.
///
/// Delivery: publish() hands the message to the local subscribers at once
/// and queues it for Redis; when it comes back from Redis this instance
/// recognises its own origin and drops it, so each local subscriber gets it
/// exactly once, with or without Redis. Messages of other instances are
/// delivered to the local subscribers of their topic. One sender's messages
/// keep their order: one publishing connection, FIFO, and a receiver drops
/// anything not newer than what it delivered from that origin.
///
/// I/O: a thread of its own runs hiredis's asynchronous API over poll(2)
/// (hiredis_poll.hpp), with two connections (a subscribed connection
/// cannot publish). Nothing here blocks a caller: subscribe() and
/// unsubscribe() record the wanted topics, publish() queues (bounded,
/// outbound_queue.hpp) and wakes that thread.
///
/// Redis gone (refused, closed, silent past reply_timeout_us): local delivery
/// goes on; messages published meanwhile reach local subscribers only
/// (counted dropped_disconnected), those queued or unanswered are counted
/// lost; the thread reconnects with exponential backoff (backoff.hpp) and
/// subscribes again to every topic with a local subscriber, and once Redis
/// has confirmed those, tells the hub (hub_sink::resynced(): an application
/// resends state). Other instances' messages published during the outage are
/// never seen here (Redis pub/sub keeps nothing for an absent subscriber).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "httpcore/app/hub_backend.hpp"
#include "httpcore/redis/backoff.hpp"
#include "httpcore/redis/outbound_queue.hpp"

namespace httpcore::redis {

struct redis_config {
  std::string host = "127.0.0.1";  ///< resolved on the Redis thread (an address avoids DNS)
  std::uint16_t port = 6379;
  std::string channel_prefix = "httpcore.hub.";
  /// Each connection attempt (both connections) must succeed within this.
  std::int64_t connect_timeout_us = 2'000'000;
  /// A PUBLISH or PING not answered within this ends the connection.
  std::int64_t reply_timeout_us = 3'000'000;
  /// How often the publishing connection proves Redis alive (PING).
  std::int64_t ping_interval_us = 1'000'000;
  backoff_config reconnect{};
  outbound_limits outbound{};
  /// Larger messages are delivered locally only (counted dropped_too_large).
  std::size_t max_message_bytes = 1u << 20;
  /// Topics subscribed at Redis, at most; more stay local (topics_refused).
  std::size_t max_topics = 10'000;
  /// This instance's id in every envelope; 0: a random one.
  std::uint64_t instance_id = 0;
  /// One line per change of the link (up, lost, attempt failed), from the
  /// Redis thread; empty: none.
  std::function<void(std::string_view)> log{};
};

struct redis_stats {
  bool connected = false;  ///< both connections up now
  std::uint64_t instance_id = 0;
  std::uint64_t connects = 0;             ///< times both connections came up
  std::uint64_t connection_failures = 0;  ///< attempts failed or connections lost
  outbound_stats outbound{};
  std::uint64_t dropped_disconnected = 0;  ///< published while Redis was not reachable
  std::uint64_t dropped_too_large = 0;
  std::uint64_t received = 0;       ///< other instances' messages delivered here
  std::uint64_t own_echoes = 0;     ///< this instance's messages back from Redis, dropped
  std::uint64_t stale = 0;          ///< not newer than the origin's last one, dropped
  std::uint64_t bad_envelopes = 0;  ///< undecodable, dropped
  std::uint64_t topics_refused = 0;
  /// Times the hub was told it missed messages (hub_sink::resynced()):
  /// once per outage, when Redis has confirmed every subscription again.
  std::uint64_t resyncs = 0;
};

class redis_backend final : public app::hub_backend {
 public:
  /// Nothing connects before attach() (the hub's constructor) starts the thread.
  explicit redis_backend(redis_config config);
  /// Stops the thread and closes both connections.
  ~redis_backend() override;
  redis_backend(const redis_backend&) = delete;
  redis_backend& operator=(const redis_backend&) = delete;

  void attach(app::hub_sink& sink) override;
  void subscribe(std::string_view topic) override;
  void unsubscribe(std::string_view topic) override;
  std::size_t publish(std::string_view topic, std::string_view message, bool text) override;

  redis_stats stats() const;
  std::uint64_t instance_id() const noexcept;

  struct shared;  // state the callers and the Redis thread share (backend_state.hpp)

 private:
  std::unique_ptr<shared> shared_;
};

}  // namespace httpcore::redis
