// The threads front end: blocking sockets and a bounded pool of workers. An
// acceptor thread admits connections and queues them; each worker serves one
// connection at a time from its first byte to its close, waiting in poll() so
// that session deadlines, shutdown and WebSocket sends from other threads
// (its mailbox's wake-up descriptor) reach it.

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "common/clock.hpp"
#include "common/frontend_list.hpp"
#include "common/mailbox.hpp"
#include "common/registry.hpp"
#include "common/session_io.hpp"
#include "common/socket.hpp"
#include "common/wakeup.hpp"

namespace httpcore::frontends {
namespace {

constexpr int kAcceptPauseMs = 100;  // out of descriptors with none in reserve
constexpr int kIdleQueueCheckMs = 100;

int ms_until(std::int64_t deadline_us, std::int64_t now_us) {
  if (deadline_us == std::numeric_limits<std::int64_t>::max()) return -1;
  return static_cast<int>(
      std::clamp<std::int64_t>((deadline_us - now_us + 999) / 1000, 0, INT_MAX));
}

bool readable_now(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0;
}

class threads_frontend final : public frontend {
 public:
  ~threads_frontend() override { stop(); }
  std::string_view name() const noexcept override { return "threads"; }
  void start(server::handler& h, const server_options& options) override;
  std::uint16_t port() const noexcept override { return port_; }
  void stop() override;
  frontend_stats stats() const noexcept override { return registry_.stats(); }

 private:
  struct pending {
    int fd;
    std::string peer;
  };

  // What a worker keeps across its connections: its clock (the Date text is
  // formatted once a second per worker) and its mailbox, whose commands apply
  // to the connection it serves now (by id).
  struct worker {
    frontend_clock clock;
    wakeup_fd wake;
    std::shared_ptr<mailbox> box;
    std::vector<ws_command> mail;
    server::session* current = nullptr;
    std::uint64_t current_id = 0;

    void deliver(ws_command& cmd) {
      if (current != nullptr && cmd.connection == current_id) apply(cmd, *current, clock.now());
    }
    void deliver_all() {
      wake.drain();
      box->take(mail);
      for (ws_command& cmd : mail) deliver(cmd);
      mail.clear();
    }
  };

  void accept_loop();
  void worker_loop(worker& w);
  std::optional<pending> next_connection();
  void serve(pending conn, worker& w);

  server::handler* handler_ = nullptr;
  server_options options_;
  connection_registry registry_;
  std::uint16_t port_ = 0;
  int listener_ = -1;
  int stop_pipe_[2] = {-1, -1};  // written once by stop(); stays readable for every poll()
  std::atomic<bool> stopping_{false};

  // Admitted connections waiting for a worker. Bounded by the connection
  // limit, since only admitted connections are queued.
  std::mutex queue_mutex_;
  std::condition_variable queue_ready_;
  std::deque<pending> queue_;
  std::atomic<std::size_t> waiting_{0};
  std::atomic<std::size_t> idle_workers_{0};  // waiting in next_connection()

  std::thread acceptor_thread_;
  std::vector<std::thread> workers_;
  // Made in start(), on the caller's thread, so that running out of
  // descriptors for their wake-ups fails start() rather than a worker thread.
  std::vector<std::unique_ptr<worker>> worker_state_;
  std::mutex lifecycle_;
};

void threads_frontend::start(server::handler& h, const server_options& options) {
  std::lock_guard lock(lifecycle_);
  if (acceptor_thread_.joinable()) throw std::logic_error("frontend already started");
  if (options.tls) throw std::invalid_argument("the threads front end does not serve TLS yet");
  ignore_sigpipe();
  handler_ = &h;
  options_ = options;
  registry_.set_limit(options_.max_connections);
  stopping_ = false;
  listener_ = open_listener(options_.host, options_.port, false);
  port_ = bound_port(listener_);
  if (::pipe(stop_pipe_) != 0) {
    int err = errno;
    ::close(listener_);
    throw std::system_error(err, std::generic_category(), "pipe");
  }
  // A worker holds its connection for the whole keep-alive lifetime, so the
  // pool is larger than the core count an event loop would use.
  unsigned n =
      options_.threads ? options_.threads : std::max(16u, 8 * std::thread::hardware_concurrency());
  try {
    for (unsigned i = 0; i < n; ++i) {
      auto w = std::make_unique<worker>();
      w->box = std::make_shared<mailbox>([&wake = w->wake] { wake.notify(); });
      worker_state_.push_back(std::move(w));
    }
  } catch (...) {
    worker_state_.clear();
    ::close(listener_);
    ::close(stop_pipe_[0]);
    ::close(stop_pipe_[1]);
    listener_ = stop_pipe_[0] = stop_pipe_[1] = -1;
    throw;
  }
  for (auto& w : worker_state_) workers_.emplace_back([this, w = w.get()] { worker_loop(*w); });
  acceptor_thread_ = std::thread([this] { accept_loop(); });
  registry_.set_threads(workers_.size() + 1);  // and the acceptor
}

void threads_frontend::stop() {
  std::lock_guard lock(lifecycle_);
  if (!acceptor_thread_.joinable()) return;
  {
    std::lock_guard q(queue_mutex_);
    stopping_ = true;
  }
  char byte = 1;
  [[maybe_unused]] auto w = ::write(stop_pipe_[1], &byte, 1);
  queue_ready_.notify_all();
  acceptor_thread_.join();
  for (auto& t : workers_) t.join();
  workers_.clear();
  registry_.set_threads(0);
  worker_state_.clear();  // mailboxes closed by their workers: held peers post nowhere
  // Connections no worker had started on yet: nothing of theirs was read.
  for (auto& c : queue_) {
    close_connection(c.fd);
    registry_.release();
  }
  queue_.clear();
  waiting_ = 0;
  ::close(listener_);
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
  listener_ = stop_pipe_[0] = stop_pipe_[1] = -1;
}

void threads_frontend::accept_loop() {
  acceptor acc;
  bool paused = false;
  for (;;) {
    pollfd fds[2] = {{listener_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    int n = ::poll(fds, 2, paused ? kAcceptPauseMs : -1);
    if (fds[1].revents != 0) return;
    if (n < 0) continue;  // EINTR
    paused = false;
    for (;;) {
      auto r = acc.accept(listener_, false);
      if (r.what == acceptor::status::again) break;
      if (r.what == acceptor::status::exhausted) {
        paused = true;
        break;
      }
      if (r.what == acceptor::status::dropped) continue;
      if (!registry_.try_admit()) {
        reject_overloaded(r.fd);
        continue;
      }
      {
        std::lock_guard q(queue_mutex_);
        queue_.push_back({r.fd, std::move(r.peer)});
        waiting_ = queue_.size();
      }
      queue_ready_.notify_one();
    }
  }
}

std::optional<threads_frontend::pending> threads_frontend::next_connection() {
  std::unique_lock q(queue_mutex_);
  ++idle_workers_;
  queue_ready_.wait(q, [this] { return stopping_ || !queue_.empty(); });
  --idle_workers_;
  if (stopping_) return std::nullopt;
  pending c = std::move(queue_.front());
  queue_.pop_front();
  waiting_ = queue_.size();
  return c;
}

void threads_frontend::worker_loop(worker& w) {
  w.box->set_owner([&w](ws_command& cmd) { w.deliver(cmd); });
  while (auto c = next_connection()) serve(std::move(*c), w);
  w.box->close();  // peers still held by the application post nowhere now
}

void threads_frontend::serve(pending conn, worker& w) {
  const int fd = conn.fd;
  frontend_clock& clock = w.clock;
  bool graceful = true;
  try {
    server::session s(*handler_, options_.session, std::move(conn.peer), clock.now());
    std::uint64_t id = next_connection_id();
    s.set_peer_factory(w.box.get(), id);
    w.deliver_all();  // mail for this worker's earlier connections: dropped
    w.current = &s;
    w.current_id = id;
    // Mail must not reach the session while it is destroyed (its on_close may send).
    struct unbind {
      worker& w;
      ~unbind() { w.current = nullptr; }
    } unbind_at_exit{w};
    bool shutting = false, wrote = false;
    std::int64_t drain_deadline = std::numeric_limits<std::int64_t>::max();
    for (;;) {
      auto now = clock.now();
      if (!shutting && stopping_) {
        shutting = true;
        s.begin_shutdown(now);
        drain_deadline = now.monotonic_us + options_.drain_timeout_us;
      }
      if (s.done()) break;
      if (s.upgraded() && s.queued_output() == 0) {
        // The 101 is written and HTTP/1 is over; no protocol after it is
        // served yet, so the connection ends here (with s.upgraded_bytes()).
        break;
      }
      if (shutting && now.monotonic_us >= drain_deadline) {
        graceful = false;
        break;
      }
      // Between requests, a worker gives its keep-alive connection up when
      // every worker is busy and connections wait in the queue: a blocking
      // pool would otherwise be held by idle clients while new ones starve.
      if (wrote && s.idle() && waiting_ > 0 && idle_workers_ == 0 && !readable_now(fd)) break;
      if (now.monotonic_us >= s.next_deadline()) {
        s.on_timer(now);
        continue;
      }
      short want = static_cast<short>((s.wants_input() ? POLLIN : 0) |
                                      (s.queued_output() > 0 ? POLLOUT : 0));
      pollfd fds[3] = {{fd, want, 0},
                       {stop_pipe_[0], static_cast<short>(shutting ? 0 : POLLIN), 0},
                       {w.wake.fd(), POLLIN, 0}};
      int timeout = ms_until(std::min(s.next_deadline(), drain_deadline), now.monotonic_us);
      // An idle keep-alive connection looks at the queue now and then (above).
      if (s.idle() && (timeout < 0 || timeout > kIdleQueueCheckMs)) timeout = kIdleQueueCheckMs;
      if (::poll(fds, 3, timeout) <= 0) continue;  // a deadline, or EINTR
      if (fds[2].revents != 0) w.deliver_all();    // sends from other threads
      now = clock.now();
      short got = fds[0].revents;
      bool acted = false;
      if ((got & (POLLOUT | POLLERR | POLLHUP)) && s.queued_output() > 0) {
        acted = true;
        if (write_once(fd, s, now) == io_result::error) {
          graceful = false;
          break;
        }
        wrote = true;
      }
      if ((got & (POLLIN | POLLERR | POLLHUP)) && s.wants_input()) {
        acted = true;
        bool eof = false;
        if (read_once(fd, s, now, &eof) == io_result::error) {
          graceful = false;
          break;
        }
      }
      if (!acted && (got & (POLLERR | POLLNVAL))) {
        graceful = false;
        break;
      }
    }
  } catch (...) {
    graceful = false;  // a handler threw: this connection ends, the worker goes on
  }
  if (graceful) {
    close_connection(fd);
  } else {
    ::close(fd);
  }
  registry_.release();
}

}  // namespace

std::unique_ptr<frontend> make_threads_frontend() {
  return std::make_unique<threads_frontend>();
}

}  // namespace httpcore::frontends
