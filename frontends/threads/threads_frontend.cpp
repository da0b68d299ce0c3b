// The threads front end: blocking-style workers that never wait on a client.
//
// A dispatcher thread accepts connections and keeps every connection that has
// nothing to do in one poll() set ("parked"): fresh ones that have sent
// nothing yet, idle keep-alive ones, slow clients between their bytes, and
// readers that have not taken our output yet. When a parked connection becomes
// readable or writable, or its session's deadline passes, the dispatcher queues
// it for the pool. A worker moves the bytes that are there, runs the session,
// and parks the connection again as soon as the socket would block: a worker
// is held only while a client has bytes for it (or while a handler runs), so
// idle, silent or slow clients cannot starve the pool. A connection that waits
// in the queue too long because every worker is busy (slow handlers) gets the
// session's canned 503, if it is between requests.
//
// A WebSocket holds its worker for its whole life (its mailbox belongs to that
// worker): the worker waits in poll() on the socket, the stop pipe and its
// mailbox's wake-up descriptor, as before. So does a deferred response
// (response::defer()) until it is finished: its steps come through that
// mailbox, as a blocking handler would have held the worker anyway. Size the
// pool with `threads`.
//
// TLS (options.tls) is a byte_layer under each session (common/session_io.hpp):
// every call below that moves bytes or asks a session what it waits for goes
// through it, so the dispatcher parks a connection on what the layer waits
// for (a handshake's records) and until the earlier of the session's deadline
// and the layer's (the handshake timeout).

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <climits>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
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
#ifdef HTTPCORE_HAVE_TLS
#include "common/tls_layer.hpp"
#endif

namespace httpcore::frontends {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kAcceptPauseUs = 100'000;  // out of descriptors with none in reserve
// Socket calls a worker makes for one connection before it lets the others in
// the queue go first (the connection goes back through the dispatcher).
constexpr int kTurnBudget = 32;
// How long a connection between requests may wait for a worker before it is
// answered 503: every worker has been busy (in handlers) that long.
constexpr std::int64_t kOverloadWaitUs = 1'000'000;
constexpr std::int64_t kOverloadCheckUs = 50'000;

int ms_until(std::int64_t deadline_us, std::int64_t now_us) {
  if (deadline_us == kNever) return -1;
  return static_cast<int>(
      std::clamp<std::int64_t>((deadline_us - now_us + 999) / 1000, 0, INT_MAX));
}

struct connection {
  connection(int f, server::handler& h, const server::session_config& config, std::string peer,
             server::clock_now now)
      : fd(f), id(next_connection_id()), session(h, config, std::move(peer), now) {}

  int fd;
  std::uint64_t id;  // how mailbox commands find it
  server::session session;
  std::unique_ptr<byte_layer> layer;  // TLS below the session; null: cleartext
  bool shutting = false;              // begin_shutdown() was called
  std::int64_t queued_at = 0;         // when it joined the ready queue
  short events = 0;                   // what it waits for while parked
  std::int64_t deadline = 0;          // its session's, while parked
};
using connection_ptr = std::unique_ptr<connection>;

class threads_frontend final : public frontend {
 public:
  ~threads_frontend() override { stop(); }
  std::string_view name() const noexcept override { return "threads"; }
  void start(server::handler& h, const server_options& options) override;
  std::uint16_t port() const noexcept override { return port_; }
  void stop() override;
  frontend_stats stats() const noexcept override { return registry_.stats(); }

 private:
  // What a worker keeps across connections: its clock (the Date text is
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

  enum class outcome { park, close, abort, held };

  // The dispatcher thread.
  void dispatch_loop();
  bool accept_all(server::clock_now now);
  void park_here(connection_ptr c);
  void shut_parked(server::clock_now now);
  void answer_overloaded(std::int64_t now_us);
  // Worker threads.
  void worker_loop(worker& w);
  connection_ptr next_ready(worker& w);
  void serve(connection_ptr c, worker& w);
  outcome run_turn(connection& c, worker& w);
  outcome serve_held(connection& c, worker& w);
  void park(connection_ptr c);
  // Either.
  void close(connection_ptr c, bool graceful);

  server::handler* handler_ = nullptr;
  server_options options_;
  connection_registry registry_;
  std::uint16_t port_ = 0;
  int listener_ = -1;
  int stop_pipe_[2] = {-1, -1};  // written once by stop(); stays readable for every poll()
  std::atomic<bool> stopping_{false};
  std::atomic<bool> abandon_{false};  // the drain timeout passed: cut everyone off
  std::atomic<std::size_t> open_{0};  // connections alive anywhere

  // Shared between the dispatcher and the workers, under mutex_.
  std::mutex mutex_;
  std::condition_variable ready_cv_;
  std::deque<connection_ptr> ready_;   // waiting for a worker, oldest first
  std::vector<connection_ptr> inbox_;  // parked by workers, for the dispatcher to watch
  bool dispatcher_done_ = false;       // nobody watches the inbox any more
  std::int64_t last_taken_us_ = 0;     // when a worker last took from ready_
  std::unique_ptr<wakeup_fd> dispatch_wake_;

  // The dispatcher's own.
  frontend_clock dispatch_clock_;
  acceptor acceptor_;
  std::vector<connection_ptr> parked_;
  std::vector<connection_ptr> still_parked_;  // reused by each round
  std::vector<pollfd> pollfds_;

  std::thread dispatcher_thread_;
  std::vector<std::thread> workers_;
  // Made in start(), on the caller's thread, so that running out of
  // descriptors for their wake-ups fails start() rather than a worker thread.
  std::vector<std::unique_ptr<worker>> worker_state_;
  std::mutex lifecycle_;
};

void threads_frontend::start(server::handler& h, const server_options& options) {
  std::lock_guard lock(lifecycle_);
  if (dispatcher_thread_.joinable()) throw std::logic_error("frontend already started");
#ifndef HTTPCORE_HAVE_TLS
  if (options.tls) throw std::invalid_argument("this build has no TLS (httpcore::tls)");
#endif
  ignore_sigpipe();
  handler_ = &h;
  options_ = options;
  registry_.set_limit(options_.max_connections);
  stopping_ = false;
  abandon_ = false;
  dispatcher_done_ = false;
  listener_ = open_listener(options_.host, options_.port, false);
  port_ = bound_port(listener_);
  if (::pipe(stop_pipe_) != 0) {
    int err = errno;
    ::close(listener_);
    throw std::system_error(err, std::generic_category(), "pipe");
  }
  // A worker is held by handlers and WebSockets, not by idle clients; more
  // workers than cores let a blocking handler or a WebSocket not stop the rest.
  unsigned n =
      options_.threads ? options_.threads : std::max(16u, 8 * std::thread::hardware_concurrency());
  try {
    dispatch_wake_ = std::make_unique<wakeup_fd>();
    for (unsigned i = 0; i < n; ++i) {
      auto w = std::make_unique<worker>();
      w->box = std::make_shared<mailbox>([&wake = w->wake] { wake.notify(); });
      worker_state_.push_back(std::move(w));
    }
  } catch (...) {
    worker_state_.clear();
    dispatch_wake_.reset();
    ::close(listener_);
    ::close(stop_pipe_[0]);
    ::close(stop_pipe_[1]);
    listener_ = stop_pipe_[0] = stop_pipe_[1] = -1;
    throw;
  }
  for (auto& w : worker_state_) workers_.emplace_back([this, w = w.get()] { worker_loop(*w); });
  dispatcher_thread_ = std::thread([this] { dispatch_loop(); });
  registry_.set_threads(workers_.size() + 1);  // and the dispatcher
}

void threads_frontend::stop() {
  std::lock_guard lock(lifecycle_);
  if (!dispatcher_thread_.joinable()) return;
  stopping_ = true;
  char byte = 1;
  [[maybe_unused]] auto w = ::write(stop_pipe_[1], &byte, 1);
  dispatcher_thread_.join();  // returns once every connection is closed, or at the drain timeout
  {
    std::lock_guard q(mutex_);
    ready_cv_.notify_all();
  }
  for (auto& t : workers_) t.join();
  workers_.clear();
  registry_.set_threads(0);
  worker_state_.clear();  // mailboxes closed by their workers: held peers post nowhere
  dispatch_wake_.reset();
  ::close(stop_pipe_[0]);
  ::close(stop_pipe_[1]);
  stop_pipe_[0] = stop_pipe_[1] = -1;
}

// ------------------------------------------------------------ dispatcher ----

void threads_frontend::dispatch_loop() {
  bool listening = true;
  std::int64_t accept_resume = 0;  // nonzero: accepting paused until then
  std::int64_t drain_deadline = kNever;
  for (;;) {
    auto now = dispatch_clock_.now();
    if (stopping_ && listening) {
      listening = false;
      ::close(listener_);
      listener_ = -1;
      drain_deadline = now.monotonic_us + options_.drain_timeout_us;
      shut_parked(now);
    }
    if (!listening && (open_ == 0 || now.monotonic_us >= drain_deadline)) break;

    // The wake-up, the stop pipe and the listener first; then every parked socket.
    pollfds_.clear();
    pollfds_.push_back({dispatch_wake_->fd(), POLLIN, 0});
    pollfds_.push_back({stop_pipe_[0], static_cast<short>(listening ? POLLIN : 0), 0});
    bool accepting = listening && accept_resume == 0;
    pollfds_.push_back({accepting ? listener_ : -1, POLLIN, 0});
    std::int64_t wake_at = std::min(drain_deadline, accept_resume ? accept_resume : kNever);
    for (auto& c : parked_) {
      pollfds_.push_back({c->fd, c->events, 0});
      wake_at = std::min(wake_at, c->deadline);
    }
    {
      std::lock_guard q(mutex_);
      if (!ready_.empty()) wake_at = std::min(wake_at, now.monotonic_us + kOverloadCheckUs);
    }
    int timeout = ms_until(wake_at, now.monotonic_us);
    int n = ::poll(pollfds_.data(), pollfds_.size(), timeout);
    now = dispatch_clock_.now();
    if (n < 0) continue;  // EINTR

    // Whatever became ready, or whose deadline passed, goes to the pool
    // (parked_[i] was polled in pollfds_[3 + i]).
    std::vector<connection_ptr> due;
    still_parked_.clear();
    for (std::size_t i = 0; i < parked_.size(); ++i) {
      bool ready = pollfds_[3 + i].revents != 0 || now.monotonic_us >= parked_[i]->deadline;
      (ready ? due : still_parked_).push_back(std::move(parked_[i]));
    }
    parked_.swap(still_parked_);
    if (pollfds_[0].revents != 0) dispatch_wake_->drain();
    std::vector<connection_ptr> arrived;
    {
      std::lock_guard q(mutex_);
      arrived.swap(inbox_);
      for (auto& c : due) {
        c->queued_at = now.monotonic_us;
        ready_.push_back(std::move(c));
      }
      // One worker per connection: waking every idle worker for each
      // connection costs them all a context switch (a TLS handshake makes a
      // connection due several times).
      for (std::size_t i = 0; i < due.size(); ++i) ready_cv_.notify_one();
    }
    // Polled from the next round on (new connections: their request often
    // came with them, so that poll() returns at once).
    for (auto& c : arrived) park_here(std::move(c));
    if (accept_resume != 0 && now.monotonic_us >= accept_resume) accept_resume = 0;
    if (accepting && pollfds_[2].revents != 0 && !accept_all(now))
      accept_resume = now.monotonic_us + kAcceptPauseUs;
    answer_overloaded(now.monotonic_us);
  }
  // Stopped, and everyone closed or past the drain timeout: cut off the rest.
  abandon_ = true;
  std::deque<connection_ptr> left;
  {
    std::lock_guard q(mutex_);
    dispatcher_done_ = true;
    left.swap(ready_);
    for (auto& c : inbox_) left.push_back(std::move(c));
    inbox_.clear();
    ready_cv_.notify_all();
  }
  for (auto& c : left) close(std::move(c), false);
  for (auto& c : parked_) close(std::move(c), false);
  parked_.clear();
}

// Accepts until the backlog is empty; false when out of descriptors with none
// in reserve (accepting pauses for a while then).
bool threads_frontend::accept_all(server::clock_now now) {
  for (;;) {
    auto r = acceptor_.accept(listener_, true);
    if (r.what == acceptor::status::again) return true;
    if (r.what == acceptor::status::exhausted) return false;
    if (r.what == acceptor::status::dropped) continue;
    if (!registry_.try_admit()) {
      reject_overloaded(r.fd, options_.tls != nullptr);
      continue;
    }
    ++open_;
    auto c =
        std::make_unique<connection>(r.fd, *handler_, options_.session, std::move(r.peer), now);
#ifdef HTTPCORE_HAVE_TLS
    if (options_.tls) c->layer = make_tls_layer(c->fd, *options_.tls, now.monotonic_us);
#endif
    park_here(std::move(c));
  }
}

// On the dispatcher: watch `c` until it has something to do.
void threads_frontend::park_here(connection_ptr c) {
  server::session& s = c->session;
  if (stopping_ && !c->shutting) {
    c->shutting = true;
    s.begin_shutdown(dispatch_clock_.now());
  }
  byte_layer* layer = c->layer.get();
  if (done(s, layer)) return close(std::move(c), true);
  const bool wants = wants_input(s, layer);
  c->events =
      static_cast<short>((wants ? POLLIN : 0) | (queued_output(s, layer) > 0 ? POLLOUT : 0));
  // Plaintext the layer already holds is not on the socket: poll() would not
  // report it, so the connection is due at once.
  c->deadline = wants && holds_input(layer) ? 0 : next_deadline(s, layer);
  parked_.push_back(std::move(c));
}

// Stopping: idle parked connections close now, the others finish their exchange.
void threads_frontend::shut_parked(server::clock_now now) {
  std::vector<connection_ptr> all;
  all.swap(parked_);
  for (auto& c : all) {
    c->shutting = true;
    c->session.begin_shutdown(now);
    park_here(std::move(c));
  }
}

// When no worker has taken a connection from the queue for a while, every
// worker is stuck (in handlers, or on WebSockets): connections between
// requests that have waited that long are answered 503 and closed (nothing of
// their next request was read). A long queue that moves is only busy.
void threads_frontend::answer_overloaded(std::int64_t now_us) {
  std::vector<connection_ptr> refused;
  {
    std::lock_guard q(mutex_);
    if (now_us - last_taken_us_ < kOverloadWaitUs) return;
    for (auto it = ready_.begin(); it != ready_.end();) {
      connection& c = **it;
      if (now_us - c.queued_at < kOverloadWaitUs) break;  // oldest first
      if (c.session.idle()) {
        refused.push_back(std::move(*it));
        it = ready_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (auto& c : refused) {
    registry_.count_rejected();
    int fd = c->fd;
    const bool tls = c->layer != nullptr;
    c.reset();
    reject_overloaded(fd, tls);
    registry_.release();
    --open_;
  }
}

// --------------------------------------------------------------- workers ----

void threads_frontend::worker_loop(worker& w) {
  w.box->set_owner([&w](ws_command& cmd) { w.deliver(cmd); });
  while (auto c = next_ready(w)) serve(std::move(c), w);
  w.box->close();  // peers still held by the application post nowhere now
}

connection_ptr threads_frontend::next_ready(worker& w) {
  std::unique_lock q(mutex_);
  ready_cv_.wait(q, [this] { return dispatcher_done_ || !ready_.empty(); });
  if (ready_.empty()) return nullptr;
  last_taken_us_ = w.clock.now().monotonic_us;
  connection_ptr c = std::move(ready_.front());
  ready_.pop_front();
  return c;
}

void threads_frontend::serve(connection_ptr c, worker& w) {
  server::session& s = c->session;
  s.set_peer_factory(w.box.get(), c->id);
  w.deliver_all();  // mail for this worker's earlier connections: dropped
  w.current = &s;
  w.current_id = c->id;
  outcome o;
  try {
    o = run_turn(*c, w);
    while (o == outcome::held) {
      o = serve_held(*c, w);
      if (o == outcome::park) o = run_turn(*c, w);  // a deferred response is done
    }
  } catch (...) {
    o = outcome::abort;  // a handler threw: this connection ends, the worker goes on
  }
  w.current = nullptr;  // mail must not reach a session that another thread may own next
  switch (o) {
    case outcome::park:
      return park(std::move(c));
    case outcome::close:
      return close(std::move(c), true);
    default:
      return close(std::move(c), false);
  }
}

// Moves what the socket has now, without waiting for more.
threads_frontend::outcome threads_frontend::run_turn(connection& c, worker& w) {
  server::session& s = c.session;
  byte_layer* layer = c.layer.get();
  for (int budget = kTurnBudget; budget > 0; --budget) {
    auto now = w.clock.now();
    if (abandon_) return outcome::abort;
    if (stopping_ && !c.shutting) {
      c.shutting = true;
      s.begin_shutdown(now);
    }
    if (done(s, layer)) return outcome::close;
    // The 101 is written and HTTP/1 is over; no protocol after it is served
    // yet, so the connection ends here (with s.upgraded_bytes()).
    if (s.upgraded() && queued_output(s, layer) == 0) return outcome::close;
    if (s.websocket() || s.awaiting_deferred()) return outcome::held;
    if (now.monotonic_us >= next_deadline(s, layer)) {
      on_timer(s, layer, now);
      continue;
    }
    bool moved = false;
    if (queued_output(s, layer) > 0) {
      auto r = write_once(c.fd, s, layer, now);
      if (r == io_result::error) return outcome::abort;
      moved = r == io_result::progress;
    }
    if (wants_input(s, layer)) {
      bool eof = false;
      auto r = read_once(c.fd, s, layer, now, &eof);
      if (r == io_result::error) return outcome::abort;
      moved = moved || r == io_result::progress;
    }
    if (!moved) return outcome::park;  // the socket would block: wait in the dispatcher
  }
  return outcome::park;  // its turn is over; back in line behind the others
}

// A WebSocket, or a deferred response until it is finished, keeps this
// worker: it waits here, where its mailbox wakes it.
threads_frontend::outcome threads_frontend::serve_held(connection& c, worker& w) {
  server::session& s = c.session;
  byte_layer* layer = c.layer.get();
  const int fd = c.fd;
  std::int64_t drain_deadline = kNever;
  for (;;) {
    auto now = w.clock.now();
    if (abandon_) return outcome::abort;
    if (stopping_ && drain_deadline == kNever) {
      c.shutting = true;
      s.begin_shutdown(now);
      drain_deadline = now.monotonic_us + options_.drain_timeout_us;
    }
    if (done(s, layer)) return outcome::close;
    if (!s.websocket() && !s.awaiting_deferred()) return outcome::park;
    if (now.monotonic_us >= drain_deadline) return outcome::abort;
    if (now.monotonic_us >= next_deadline(s, layer)) {
      on_timer(s, layer, now);
      continue;
    }
    const bool wants = wants_input(s, layer);
    // Plaintext the layer holds is not on the socket: read it without waiting.
    const bool held = wants && holds_input(layer);
    short want =
        static_cast<short>((wants ? POLLIN : 0) | (queued_output(s, layer) > 0 ? POLLOUT : 0));
    pollfd fds[3] = {{fd, want, 0},
                     {stop_pipe_[0], static_cast<short>(c.shutting ? 0 : POLLIN), 0},
                     {w.wake.fd(), POLLIN, 0}};
    int timeout =
        held ? 0 : ms_until(std::min(next_deadline(s, layer), drain_deadline), now.monotonic_us);
    if (::poll(fds, 3, timeout) < 0) continue;  // EINTR
    if (fds[2].revents != 0) w.deliver_all();   // sends from other threads
    now = w.clock.now();
    short got = fds[0].revents;
    if (held) got |= POLLIN;
    if (got == 0) continue;  // a deadline, or only mail
    bool acted = false;
    if ((got & (POLLOUT | POLLERR | POLLHUP)) && queued_output(s, layer) > 0) {
      acted = true;
      if (write_once(fd, s, layer, now) == io_result::error) return outcome::abort;
    }
    if ((got & (POLLIN | POLLERR | POLLHUP)) && wants_input(s, layer)) {
      acted = true;
      bool eof = false;
      if (read_once(fd, s, layer, now, &eof) == io_result::error) return outcome::abort;
    }
    if (!acted && (got & (POLLERR | POLLNVAL))) return outcome::abort;
  }
}

// From a worker: hand `c` back to the dispatcher to watch.
void threads_frontend::park(connection_ptr c) {
  {
    std::lock_guard q(mutex_);
    if (!dispatcher_done_) {
      inbox_.push_back(std::move(c));
      dispatch_wake_->notify();
      return;
    }
  }
  close(std::move(c), false);  // past the drain timeout: nobody would watch it
}

void threads_frontend::close(connection_ptr c, bool graceful) {
  int fd = c->fd;
  c.reset();  // the session first: its on_close may still send (to nowhere)
  if (graceful) {
    close_connection(fd);
  } else {
    ::close(fd);
  }
  registry_.release();
  if (--open_ == 0 && stopping_) dispatch_wake_->notify();  // the drain may be over
}

}  // namespace

std::unique_ptr<frontend> make_threads_frontend() {
  return std::make_unique<threads_frontend>();
}

}  // namespace httpcore::frontends
