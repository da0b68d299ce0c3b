#pragma once
// One readiness-driven event loop (the epoll and kqueue front ends run one per
// thread): it accepts from its listener, moves bytes between sockets and
// sessions, fires session deadlines and drains on shutdown. How it waits for
// readiness is the poller's business.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "common/deadline_heap.hpp"
#include "common/mailbox.hpp"
#include "common/poller.hpp"
#include "common/registry.hpp"
#include "common/serving_loop.hpp"
#include "common/socket.hpp"
#include "httpcore/frontend.hpp"

namespace httpcore::frontends {

class event_loop final : public serving_loop {
 public:
  /// `listen_fd` is closed by the loop when it stops accepting if
  /// `owns_listener` (one listener per loop), else left to the caller
  /// (shared). `index` numbers the loop in frontend_stats::accepted_by_loop.
  event_loop(std::unique_ptr<poller> p, std::size_t index, int listen_fd, bool owns_listener,
             server::handler& handler, const server_options& options,
             connection_registry& registry);
  ~event_loop() override;
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;

  void run() override;
  void request_stop() noexcept override;

  /// A make_loop_fn for reactor_frontend over the poller `make()` returns.
  template <std::unique_ptr<poller> (*make)()>
  static std::unique_ptr<serving_loop> with(std::size_t index, int listen_fd, bool owns_listener,
                                            server::handler& handler, const server_options& options,
                                            connection_registry& registry) {
    return std::make_unique<event_loop>(make(), index, listen_fd, owns_listener, handler, options,
                                        registry);
  }

 private:
  struct connection;

  void accept_all(server::clock_now now);
  void deliver_mail(server::clock_now now);
  void run_here(ws_command& cmd);
  void pump(connection& c, server::clock_now now);
  void settle(connection& c);
  void expire(server::clock_now now);
  void begin_drain(server::clock_now now);
  void close(connection& c, bool graceful);
  int timeout_ms(server::clock_now now) const;

  std::unique_ptr<poller> poller_;
  std::size_t index_;
  int listen_fd_;
  bool owns_listener_;
  bool listening_ = false;
  server::handler& handler_;
  const server_options& options_;
  connection_registry& registry_;
  frontend_clock clock_;
  acceptor acceptor_;
  char listener_tag_ = 0;  // its address is the listener's poll token

  std::vector<std::unique_ptr<connection>> conns_;  // this loop's live connections
  deadline_heap<connection> deadlines_;
  std::vector<connection*> again_;                        // ran out of read budget: pump next round
  std::vector<std::unique_ptr<connection>> graveyard_;    // freed after the event batch
  std::unordered_map<std::uint64_t, connection*> by_id_;  // live connections, for the mailbox
  std::shared_ptr<mailbox> mailbox_;                      // WebSocket sends from other threads
  std::vector<ws_command> mail_;                          // taken from it, reused

  std::atomic<bool> stop_requested_{false};
  bool draining_ = false;
  std::int64_t drain_deadline_ = 0;
  std::int64_t accept_resume_ = 0;  // nonzero: accepting paused (no descriptors) until then
};

}  // namespace httpcore::frontends
