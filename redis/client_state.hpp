#pragma once
// What the Redis client's callers (any thread) and its thread share: one lock
// over the commands waiting to be sent, the refusals waiting for their
// callback, the link's state and the counters, and the wake-up that tells
// the thread to look at them.

#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "common/wakeup.hpp"
#include "httpcore/redis/redis_client.hpp"

namespace httpcore::redis {

/// One command from command() to its callback.
struct pending_command {
  std::vector<std::string> args;  // emptied once sent
  std::size_t bytes = 0;          // of args, counted against max_queued_bytes
  std::int64_t deadline_us = 0;   // steady clock
  callback done;
};

/// Where the link is; command() refuses at once only in `down`.
enum class link_state : std::uint8_t { connecting, up, down };

struct client::shared {
  explicit shared(client_config c) : config(std::move(c)) {}

  const client_config config;
  frontends::wakeup_fd wake;
  std::thread thread;

  mutable std::mutex mutex;                         // guards everything below
  std::deque<pending_command> waiting;              // taken by the thread, sent in order
  std::deque<std::pair<callback, result>> refused;  // answered by the thread
  std::size_t queued = 0, queued_bytes = 0;         // waiting + in flight (not refused)
  link_state link = link_state::connecting;
  std::string down_reason;  // why the link is down, for not_connected
  bool stopping = false;
  client_stats counters{};  // all but queued, queued_bytes (filled by stats())
};

/// The client's thread: connects, sends, delivers replies, enforces
/// deadlines, reconnects, until `s.stopping`; then answers everything left.
void run_client_thread(client::shared& s);

/// Monotonic microseconds, the clock of every deadline here.
std::int64_t client_now_us() noexcept;

}  // namespace httpcore::redis
