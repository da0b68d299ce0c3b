#pragma once
// The one thing that differs between the epoll and kqueue front ends: how a
// thread waits for socket readiness. Everything else (accepting, sessions,
// deadlines, shutdown) is the shared event_loop, so both behave identically.

#include <cstddef>
#include <memory>
#include <span>

namespace httpcore::frontends {

/// Readiness is edge-triggered: reported once when it appears, so the loop
/// reads and writes until the socket would block. Errors and hang-ups are
/// reported as both readable and writable; the next I/O call tells which.
struct poll_event {
  void* token = nullptr;
  bool readable = false;
  bool writable = false;
};

class poller {
 public:
  virtual ~poller() = default;
  /// Watches a listening socket for incoming connections.
  virtual void add_listener(int fd, void* token) = 0;
  /// Stops watching a listening socket (connections stop being watched when
  /// their descriptor is closed).
  virtual void remove_listener(int fd) = 0;
  /// Watches a connection for reading and writing.
  virtual void add_connection(int fd, void* token) = 0;
  /// Waits up to timeout_ms (-1: no limit) and fills `out`. Returns early,
  /// possibly with no event, after wake().
  virtual std::size_t wait(std::span<poll_event> out, int timeout_ms) = 0;
  /// Interrupts wait() from any thread.
  virtual void wake() = 0;
};

using make_poller_fn = std::unique_ptr<poller> (*)();

}  // namespace httpcore::frontends
