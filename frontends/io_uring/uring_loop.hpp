#pragma once
// The io_uring event loop: one ring per thread; the kernel accepts
// (multishot), receives into a ring of provided buffers (multishot, so an
// idle connection holds no buffer) and sends, and the loop makes one system
// call per turn to submit everything the turn queued and collect what
// completed. Sessions, their byte_layer (TLS), deadlines, the mailbox and
// draining work as in the readiness loop (common/event_loop.cpp); only how
// bytes move differs.

#include <atomic>
#include <cstdint>
#include <future>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.hpp"
#include "common/deadline_heap.hpp"
#include "common/mailbox.hpp"
#include "common/registry.hpp"
#include "common/serving_loop.hpp"
#include "common/socket.hpp"
#include "httpcore/frontend.hpp"
#include "io_uring/ring.hpp"

namespace httpcore::frontends::uring {

class loop final : public serving_loop {
 public:
  loop(std::size_t index, int listen_fd, bool owns_listener, server::handler& handler,
       const server_options& options, connection_registry& registry);
  ~loop() override;
  loop(const loop&) = delete;
  loop& operator=(const loop&) = delete;

  void run() override;
  void request_stop() noexcept override;
  void wait_ready() override;

  static std::unique_ptr<serving_loop> make(std::size_t index, int listen_fd, bool owns_listener,
                                            server::handler& handler, const server_options& options,
                                            connection_registry& registry) {
    return std::make_unique<loop>(index, listen_fd, owns_listener, handler, options, registry);
  }

 private:
  struct connection;
  struct zero_copy_send;

  void set_up();
  void serve();
  void finish();
  void handle(const io_uring_cqe& cqe, server::clock_now now);
  void on_accept(int res, unsigned flags, server::clock_now now);
  void accept_starved(server::clock_now now);
  void admit(int fd, std::string peer, server::clock_now now);
  std::size_t take_input(connection& c, std::span<const std::byte> bytes, server::clock_now now);
  void on_receive(connection& c, int res, unsigned flags, server::clock_now now);
  void on_sent(connection& c, int res, server::clock_now now);
  void offer(connection& c, std::span<const std::byte> bytes, server::clock_now now);
  void step(connection& c, server::clock_now now);
  void start_send(connection& c, server::clock_now now);
  void arm_receive(connection& c, bool multishot);
  void cancel(std::uint64_t user_data);
  void arm_accept();
  void arm_listener_poll();
  void arm_wakeup();
  void mark(connection& c);
  void deliver_mail(server::clock_now now);
  void run_here(ws_command& cmd);
  void expire(server::clock_now now);
  void begin_drain(server::clock_now now);
  void close(connection& c, bool graceful);
  void bury();
  std::int64_t timeout_us(server::clock_now now) const;
  std::string take_send_buffer();
  void return_send_buffer(std::string& buf);

  std::size_t index_;
  int listen_fd_;
  bool owns_listener_;
  server::handler& handler_;
  const server_options& options_;
  connection_registry& registry_;
  frontend_clock clock_;
  acceptor acceptor_;  // descriptor exhaustion: its reserve accepts and closes

  std::unique_ptr<ring> ring_;
  std::unique_ptr<buffer_ring> buffers_;
  unsigned slots_ = 0;           // registered-file slots
  unsigned slots_used_ = 0;      // [0, slots_used_) have been handed out
  std::vector<int> free_slots_;  // ...and these of them given back
  std::promise<void> ready_;
  std::future<void> ready_future_;

  std::vector<std::unique_ptr<connection>> conns_;  // live connections
  std::vector<std::unique_ptr<connection>> dying_;  // closed, completions still due
  std::vector<connection*> dirty_;                  // to step before the next submission
  deadline_heap<connection> deadlines_;
  std::unordered_map<std::uint64_t, connection*> by_id_;  // live connections, for the mailbox
  std::shared_ptr<mailbox> mailbox_;
  std::vector<ws_command> mail_;
  std::vector<std::string> spare_buffers_;  // send buffers kept for reuse

  int wake_fd_ = -1;  // eventfd: other threads' mail and request_stop()
  std::uint64_t wake_count_ = 0;
  std::size_t in_flight_ = 0;  // operations whose last completion has not come
  bool accept_armed_ = false;  // an accept, or while starved_ a poll, watches the listener
  bool starved_ = false;       // out of descriptors: poll the listener, accept by hand
  bool finishing_ = false;     // stopped: waiting for the kernel to finish cancelled work
  std::uint64_t nofile_ = 0;   // RLIMIT_NOFILE, read at most once a turn
  bool nofile_fresh_ = false;
  bool listening_ = false;
  std::atomic<bool> stop_requested_{false};
  bool draining_ = false;
  std::int64_t drain_deadline_ = 0;
  std::int64_t accept_resume_ = 0;  // nonzero: accepting paused (no descriptors) until then
};

}  // namespace httpcore::frontends::uring
