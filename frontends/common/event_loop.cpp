// The shared event loop of the readiness-based front ends (epoll, kqueue).

#include "common/event_loop.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <climits>

#include "common/session_io.hpp"
#ifdef HTTPCORE_HAVE_TLS
#include "common/tls_layer.hpp"
#endif

namespace httpcore::frontends {
namespace {

// Reads per connection per round: a client streaming fast cannot starve the
// loop's other connections.
constexpr int kReadBudget = 16;
// Out of descriptors with none in reserve: how long accepting pauses.
constexpr std::int64_t kAcceptPauseUs = 100'000;

}  // namespace

struct event_loop::connection {
  connection(int f, server::handler& h, const server::session_config& config, std::string peer,
             server::clock_now now)
      : fd(f), id(next_connection_id()), session(h, config, std::move(peer), now) {}

  int fd;
  std::uint64_t id;  // how mailbox commands find it
  server::session session;
  std::unique_ptr<byte_layer> layer;  // TLS below the session; null: cleartext
  bool readable = true;               // until a read would block (edge-triggered readiness)
  bool writable = true;
  bool dead = false;      // closed; its memory lives until the event batch is done
  bool deferred = false;  // in again_
  std::size_t slot = 0;   // index in conns_
  std::size_t heap_slot = deadline_heap<connection>::npos;
  std::int64_t deadline = 0;
};

event_loop::event_loop(std::unique_ptr<poller> p, std::size_t index, int listen_fd,
                       bool owns_listener, server::handler& handler, const server_options& options,
                       connection_registry& registry)
    : poller_(std::move(p)),
      index_(index),
      listen_fd_(listen_fd),
      owns_listener_(owns_listener),
      handler_(handler),
      options_(options),
      registry_(registry),
      mailbox_(std::make_shared<mailbox>([p = poller_.get()] { p->wake(); })) {}

event_loop::~event_loop() {
  mailbox_->close();  // peers the application still holds post nowhere from now on
  for (auto& c : conns_) {
    ::close(c->fd);
    registry_.release();
  }
  if (owns_listener_ && listen_fd_ >= 0) ::close(listen_fd_);
}

void event_loop::request_stop() noexcept {
  stop_requested_.store(true, std::memory_order_release);
  poller_->wake();
}

void event_loop::run() {
  std::array<poll_event, 256> events;
  poller_->add_listener(listen_fd_, &listener_tag_);
  listening_ = true;
  mailbox_->set_owner([this](ws_command& cmd) { run_here(cmd); });
  for (;;) {
    auto now = clock_.now();
    if (stop_requested_.load(std::memory_order_acquire) && !draining_) begin_drain(now);
    if (draining_ && (conns_.empty() || now.monotonic_us >= drain_deadline_)) break;

    std::vector<connection*> retry;
    retry.swap(again_);
    std::size_t n = poller_->wait(events, retry.empty() ? timeout_ms(now) : 0);
    now = clock_.now();
    deliver_mail(now);
    for (std::size_t i = 0; i < n; ++i) {
      if (events[i].token == &listener_tag_) {
        accept_all(now);
        continue;
      }
      auto* c = static_cast<connection*>(events[i].token);
      if (c->dead) continue;  // closed earlier in this batch (kqueue reports filters apart)
      c->readable |= events[i].readable;
      c->writable |= events[i].writable;
      pump(*c, now);
    }
    for (connection* c : retry) {
      c->deferred = false;
      if (!c->dead) pump(*c, now);
    }
    if (accept_resume_ != 0 && now.monotonic_us >= accept_resume_) accept_all(now);
    expire(now);
    graveyard_.clear();
  }
  // Past the drain timeout: whoever is left is cut off.
  mailbox_->close();
  while (!conns_.empty()) close(*conns_.back(), false);
  graveyard_.clear();
}

// Sends other threads queued for this loop's connections (the poller's wake-up
// brought us here); a connection that is gone ignores them.
void event_loop::deliver_mail(server::clock_now now) {
  mailbox_->take(mail_);
  for (ws_command& cmd : mail_) {
    auto it = by_id_.find(cmd.connection);
    if (it == by_id_.end() || it->second->dead) continue;
    connection& c = *it->second;
    try {
      apply(cmd, c.session, now);
    } catch (...) {
      close(c, false);
      continue;
    }
    pump(c, now);
  }
  mail_.clear();
}

// A send made on this loop's own thread (from a callback of one of its
// sessions): applied now, written when the connection is pumped next round,
// so a session is never pumped from inside its own callback.
void event_loop::run_here(ws_command& cmd) {
  auto it = by_id_.find(cmd.connection);
  if (it == by_id_.end() || it->second->dead) return;
  connection& c = *it->second;
  apply(cmd, c.session, clock_.now());
  if (!c.deferred) again_.push_back(&c);
  c.deferred = true;
}

int event_loop::timeout_ms(server::clock_now now) const {
  std::int64_t until = deadlines_.next();
  if (draining_) until = std::min(until, drain_deadline_);
  if (accept_resume_ != 0) until = std::min(until, accept_resume_);
  if (until == deadline_heap<connection>::never) return -1;
  std::int64_t ms = (until - now.monotonic_us + 999) / 1000;  // never wake before it
  return static_cast<int>(std::clamp<std::int64_t>(ms, 0, INT_MAX));
}

void event_loop::accept_all(server::clock_now now) {
  if (!listening_) return;
  // Edge-triggered: accept until the backlog is empty, or the next edge never comes.
  for (;;) {
    auto r = acceptor_.accept(listen_fd_, true);
    if (r.what == acceptor::status::again) {
      accept_resume_ = 0;
      return;
    }
    if (r.what == acceptor::status::exhausted) {
      accept_resume_ = now.monotonic_us + kAcceptPauseUs;
      return;
    }
    if (r.what == acceptor::status::dropped) continue;
    registry_.count_loop_accept(index_);
    if (!registry_.try_admit()) {
      reject_overloaded(r.fd, options_.tls != nullptr);
      continue;
    }
    auto owned =
        std::make_unique<connection>(r.fd, handler_, options_.session, std::move(r.peer), now);
    connection& c = *owned;
#ifdef HTTPCORE_HAVE_TLS
    if (options_.tls) c.layer = make_tls_layer(c.fd, *options_.tls, now.monotonic_us);
#endif
    c.slot = conns_.size();
    c.session.set_peer_factory(mailbox_.get(), c.id);
    by_id_.emplace(c.id, &c);
    conns_.push_back(std::move(owned));
    try {
      poller_->add_connection(c.fd, &c);
    } catch (...) {  // the kernel cannot watch one more socket: refuse this one
      close(c, false);
      continue;
    }
    pump(c, now);  // the request often arrives with the connection
  }
}

void event_loop::pump(connection& c, server::clock_now now) {
  server::session& s = c.session;
  int reads = 0;
  try {
    for (;;) {
      bool moved = false;
      if (c.writable && queued_output(s, c.layer.get()) > 0) {
        auto r = write_once(c.fd, s, c.layer.get(), now);
        if (r == io_result::error) return close(c, false);
        moved = r == io_result::progress;
        c.writable = moved;
      }
      if ((c.readable || holds_input(c.layer.get())) && wants_input(s, c.layer.get())) {
        if (reads == kReadBudget) {
          if (!c.deferred) again_.push_back(&c);
          c.deferred = true;
          break;
        }
        ++reads;
        bool eof = false, drained = false;
        auto r = read_once(c.fd, s, c.layer.get(), now, &eof, &drained);
        if (r == io_result::error) return close(c, false);
        // A short read emptied the socket: the poller (edge-triggered epoll,
        // EV_CLEAR kqueue) reports the next bytes that arrive.
        c.readable = r == io_result::progress && !eof && !drained;
        moved = moved || r == io_result::progress;
      }
      if (!moved) break;
    }
  } catch (...) {
    // A handler threw: its session is in no state to go on, but the other
    // connections of this loop are, so only this one is dropped.
    return close(c, false);
  }
  settle(c);
}

void event_loop::settle(connection& c) {
  server::session& s = c.session;
  if (done(s, c.layer.get())) return close(c, true);
  if (s.upgraded() && queued_output(s, c.layer.get()) == 0) {
    // The 101 is written and HTTP/1 is over; no protocol after it is served
    // yet, so the connection ends here (the bytes the peer sent after its
    // request, s.upgraded_bytes(), are dropped with it).
    return close(c, true);
  }
  deadlines_.set(c, next_deadline(s, c.layer.get()));
}

void event_loop::expire(server::clock_now now) {
  // Bounded: each expired connection is handled once per round, even if its
  // session sets another deadline that has already passed.
  for (std::size_t budget = deadlines_.size(); budget > 0; --budget) {
    if (deadlines_.next() > now.monotonic_us) break;
    connection& c = *deadlines_.top();
    deadlines_.erase(c);
    try {
      on_timer(c.session, c.layer.get(), now);
    } catch (...) {
      close(c, false);
      continue;
    }
    pump(c, now);
  }
}

void event_loop::begin_drain(server::clock_now now) {
  draining_ = true;
  drain_deadline_ = now.monotonic_us + options_.drain_timeout_us;
  accept_resume_ = 0;
  if (listening_) {
    poller_->remove_listener(listen_fd_);
    listening_ = false;
    if (owns_listener_) {
      ::close(listen_fd_);
      listen_fd_ = -1;
    }
  }
  // Idle sessions close now; busy ones finish their exchange, then close.
  std::vector<connection*> all;
  all.reserve(conns_.size());
  for (auto& c : conns_) all.push_back(c.get());
  for (connection* c : all) {
    try {
      c->session.begin_shutdown(now);
    } catch (...) {
      close(*c, false);
      continue;
    }
    pump(*c, now);
  }
}

void event_loop::close(connection& c, bool graceful) {
  if (c.dead) return;
  c.dead = true;
  deadlines_.erase(c);
  if (c.deferred) std::erase(again_, &c);
  if (graceful) {
    close_connection(c.fd);
  } else {
    ::close(c.fd);
  }
  registry_.release();
  by_id_.erase(c.id);
  // Swap-remove from the registry; the object itself waits in the graveyard
  // because events of this batch may still point at it.
  std::size_t slot = c.slot;
  std::swap(conns_[slot], conns_.back());
  conns_[slot]->slot = slot;
  graveyard_.push_back(std::move(conns_.back()));
  conns_.pop_back();
}

}  // namespace httpcore::frontends
