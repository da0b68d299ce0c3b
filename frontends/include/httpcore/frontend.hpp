#pragma once
/// \file
/// I/O front ends: the only code that touches sockets, threads and clocks. Each
/// drives httpcore::server::session objects and nothing else, so every front
/// end behaves the same (docs/design.md, rule 2). Which one a program gets by default
/// is chosen at build time (-DHTTPCORE_FRONTEND=epoll|io_uring|kqueue|threads); every
/// front end the platform supports is also built, for the tests.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/server/session.hpp"

namespace httpcore {

namespace tls {
class server_credentials;  // httpcore/tls/context.hpp (target httpcore::tls)
}

struct server_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  ///< 0: any free port (see frontend::port())
  /// Event loops (epoll, io_uring, kqueue) or pool workers (threads). 0: the front
  /// end's default: one loop per core, or for threads 8 workers per core (at
  /// least 16), since a worker is held by a handler while it runs and by a
  /// WebSocket for its whole life (idle and slow clients hold none).
  unsigned threads = 0;
  /// Event loops (epoll, io_uring, kqueue): pin loop i to the i-th CPU the
  /// process may run on (modulo their number), so a loop keeps its caches
  /// and its listener's connections stay on one core. The threads front end
  /// ignores it.
  bool pin_threads = false;
  std::size_t max_connections = 10000;         ///< above it: 503 and close
  std::int64_t drain_timeout_us = 10'000'000;  ///< stop(): how long in-flight requests get
  server::session_config session{};
  /// Serve TLS on this port (every front end): each connection's session
  /// runs over a TLS session made from tls->current() when it is accepted. Null: cleartext. start()
  /// throws std::invalid_argument when the library was built without TLS.
  std::shared_ptr<tls::server_credentials> tls;
};

/// Live numbers, readable from any thread.
struct frontend_stats {
  std::size_t connections = 0;          ///< open now
  std::uint64_t accepted = 0;           ///< since start
  std::uint64_t rejected_overload = 0;  ///< answered 503
  /// Threads the front end runs while started (event loops; or pool workers
  /// plus the dispatcher), 0 before start() and after stop().
  std::size_t threads = 0;
  /// Event-loop front ends: connections each loop accepted since start (one
  /// entry per loop, in loop order; each loop has its own SO_REUSEPORT
  /// listener where the kernel balances them). Empty for the threads front end.
  std::vector<std::uint64_t> accepted_by_loop;
};

class frontend {
 public:
  virtual ~frontend() = default;
  virtual std::string_view name() const noexcept = 0;
  /// Binds, listens and starts serving on background threads. Throws
  /// std::system_error when the address cannot be bound.
  virtual void start(server::handler& h, const server_options& options) = 0;
  /// The bound port (useful after start() with port 0).
  virtual std::uint16_t port() const noexcept = 0;
  /// Graceful stop: stop accepting, let in-flight exchanges finish within the
  /// drain timeout, close idle connections, join the threads. Idempotent.
  virtual void stop() = 0;
  virtual frontend_stats stats() const noexcept = 0;
};

/// The front ends built into this binary, the build-time default first.
std::span<const std::string_view> frontend_names() noexcept;
/// A front end by name, or nullptr when it is not built here.
std::unique_ptr<frontend> make_frontend(std::string_view name);
/// Why the named front end cannot serve in this process now, in one line
/// (io_uring refused by a seccomp filter or kernel.io_uring_disabled, or a
/// kernel without the features it needs); empty when it can, or when the
/// name is not built here (make_frontend() says that).
std::string frontend_unavailable(std::string_view name);
/// The build-time default (HTTPCORE_FRONTEND).
std::unique_ptr<frontend> make_default_frontend();

/// Blocks until SIGINT or SIGTERM arrives, then calls f.stop(). For programs
/// such as `httpcore serve`.
void run_until_signal(frontend& f);
/// The same for several front ends (stopped in order); SIGHUP, when
/// `on_hangup` is given, calls it on the waiting thread (e.g. to reload TLS
/// certificates) and goes on waiting.
void run_until_signal(std::span<frontend* const> frontends, const std::function<void()>& on_hangup);

}  // namespace httpcore
