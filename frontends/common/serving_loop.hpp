#pragma once
// What a reactor_frontend runs on each of its threads: an event loop that
// serves one listening socket. The readiness loop (event_loop: epoll, kqueue)
// and the completion loop (io_uring) are both this.

#include <memory>

#include "common/registry.hpp"
#include "httpcore/frontend.hpp"

namespace httpcore::frontends {

class serving_loop {
 public:
  virtual ~serving_loop() = default;
  /// The thread body: serves until request_stop(), then drains and returns.
  virtual void run() = 0;
  /// From any thread: stop accepting, finish in-flight exchanges within the
  /// drain timeout, close the rest, and return from run().
  virtual void request_stop() noexcept = 0;
  /// Called by start() after run() began on its thread: returns once the loop
  /// serves, or throws what stopped it from setting up (the io_uring loop
  /// builds its ring on its own thread). The default loop is ready at once.
  virtual void wait_ready() {}
};

/// Makes the loop with index `index` over `listen_fd`, which it closes when
/// it stops accepting if `owns_listener` (one listener per loop), or leaves to
/// the caller (a listener the loops share).
using make_loop_fn = std::unique_ptr<serving_loop> (*)(std::size_t index, int listen_fd,
                                                       bool owns_listener, server::handler& handler,
                                                       const server_options& options,
                                                       connection_registry& registry);

}  // namespace httpcore::frontends
