#pragma once
/// \file
/// A Redis command client: any thread sends a command, a callback gets its
/// reply, or an error that says precisely why there is none.
///
///     httpcore::redis::client redis({.host = "127.0.0.1", .port = 6379});
///     redis.command({"INCR", "visits"}, [later](httpcore::redis::result r) {
///       if (!r.ok()) return later->send(503, r.message);   // any thread may
///       later->send(200, std::to_string(r.value.integer)); // finish a deferred
///     });                                                  // response
///
/// I/O: one connection, driven by hiredis's asynchronous API over poll(2)
/// (hiredis_poll.hpp) on a thread of the client's own. command() never waits
/// on the network: it queues (bounded) and wakes that thread.
///
/// Callbacks: each command's callback runs exactly once, on the client's
/// thread, never inside command() (so a caller may hold its own locks while
/// calling command()). Commands are sent in the order command() took them,
/// on one connection, so their replies come in that order too. A callback
/// must not block (it holds up every other reply) and must not destroy the
/// client; it may call command().
///
/// Redis gone (refused, closed, no reply by the deadline): commands in flight
/// fail with `connection_lost` (whether Redis ran them is not known), the
/// thread reconnects with exponential backoff (backoff.hpp), and commands
/// issued until it is back fail at once with `not_connected`. While a
/// connection is being made (at start, or an attempt after a backoff),
/// commands wait for it, within their deadline.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/redis/backoff.hpp"

namespace httpcore::redis {

struct client_config {
  std::string host = "127.0.0.1";  ///< resolved on the client's thread (an address avoids DNS)
  std::uint16_t port = 6379;
  /// A connection attempt must succeed within this.
  std::int64_t connect_timeout_us = 2'000'000;
  /// A command not answered within this of its command() call fails with
  /// `timeout`; if it had been sent, the connection is closed and made again
  /// (Redis is stuck or the command is slow: a late reply is never mistaken
  /// for the next command's).
  std::int64_t reply_timeout_us = 2'000'000;
  backoff_config reconnect{};
  /// Commands waiting to be sent or for their reply, at most (count and
  /// bytes of their arguments); more fail with `queue_full`.
  std::size_t max_queued_commands = 4096;
  std::size_t max_queued_bytes = 4u << 20;
  /// A reply larger than this while being read closes the connection (its
  /// command and those in flight fail with `connection_lost`).
  std::size_t max_reply_bytes = 1u << 20;
  /// One line per change of the link (up, lost, attempt failed), from the
  /// client's thread; empty: none.
  std::function<void(std::string_view)> log{};
};

/// A reply, copied out of hiredis. RESP2 gives string, status, integer, nil,
/// array; an error inside an array (EXEC) is an element of kind `error`.
struct reply {
  enum class kind : std::uint8_t { string, status, integer, nil, array, error };
  kind type = kind::nil;
  std::string str;              ///< string, status, error
  long long integer = 0;        ///< integer
  std::vector<reply> elements;  ///< array
};

enum class client_error : std::uint8_t {
  none,
  not_connected,    ///< Redis unreachable now (between attempts); not sent
  timeout,          ///< no reply within reply_timeout_us
  queue_full,       ///< over max_queued_commands or max_queued_bytes; not sent
  redis_error,      ///< Redis answered with an error reply (message: its text)
  connection_lost,  ///< the connection ended after it was sent; ran or not, unknown
  stopped,          ///< the client is being destroyed; not sent
  bad_command,      ///< no arguments; not sent
};

/// "not connected", "timeout", ...: the error's name.
std::string_view to_string(client_error e) noexcept;

struct result {
  client_error error = client_error::none;
  std::string message;  ///< empty on success; else what happened, precisely
  reply value;          ///< the reply when ok()
  bool ok() const noexcept { return error == client_error::none; }
};

using callback = std::function<void(result)>;

struct client_stats {
  bool connected = false;                 ///< the connection is up now
  std::uint64_t connects = 0;             ///< times it came up
  std::uint64_t connection_failures = 0;  ///< attempts failed or connections lost
  std::size_t queued = 0;                 ///< now: waiting to be sent or for a reply
  std::size_t queued_bytes = 0;           ///< now: their arguments' bytes
  std::uint64_t commands = 0;             ///< command() calls
  std::uint64_t replies = 0;              ///< answered by Redis (errors included)
  std::uint64_t redis_errors = 0;         ///< of which error replies
  std::uint64_t timeouts = 0;
  std::uint64_t refused_not_connected = 0;
  std::uint64_t refused_queue_full = 0;
  std::uint64_t lost = 0;  ///< connection_lost
};

class client {
 public:
  /// Starts the client's thread, which connects at once. Throws
  /// std::invalid_argument for a bad backoff, std::system_error when no
  /// thread or descriptor can be had.
  explicit client(client_config config);
  /// Stops the thread and closes the connection; every command not yet
  /// answered gets `stopped` (or `connection_lost` if it was sent), on the
  /// client's thread, before this returns. Must not run concurrently with
  /// command() nor inside a callback.
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  /// From any thread: sends `args` (the command and its arguments, binary
  /// safe) and calls `done` once with the outcome, on the client's thread.
  void command(std::vector<std::string> args, callback done);
  /// The same for arguments the caller keeps (they are copied).
  void command(std::initializer_list<std::string_view> args, callback done);

  /// A snapshot of the counters (any thread).
  client_stats stats() const;

  struct shared;  // what callers and the client's thread share (client_state.hpp)

 private:
  std::unique_ptr<shared> shared_;
};

}  // namespace httpcore::redis
