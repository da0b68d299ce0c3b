// The io_uring event loop (uring_loop.hpp).

#include "io_uring/uring_loop.hpp"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <system_error>

#include "common/session_io.hpp"
#ifdef HTTPCORE_HAVE_TLS
#include "common/tls_layer.hpp"
#endif

namespace httpcore::frontends::uring {
namespace {

// Submission slots per ring; the completion queue is 8 times larger.
constexpr unsigned kRingEntries = 1024;
// Receive buffers lent to the kernel, per loop: 2 MiB in all, whatever the
// number of connections. A burst that finds them all in use ends those
// receives with ENOBUFS; they are armed again next turn, when the buffers
// are back (each is given back as soon as its bytes are copied out).
constexpr unsigned kBufferCount = 128;
constexpr unsigned kBufferSize = 16 * 1024;
// A multishot receive delivers all the socket has in one turn, up to every
// free buffer, which is right while the session takes bytes as they come.
// Once this much output waits for the peer (the session will soon stop
// reading: session_config::max_queued_output), receives become single-shot:
// one buffer per turn, so little arrives that the session cannot take.
constexpr std::size_t kSingleShotFrom = 64 * 1024;
// Received bytes a connection may hold while its session takes none (it
// stopped wanting input: output backpressure, closing, or a layer holding
// plaintext). Its receive is cancelled at once; what arrives before the
// cancellation lands is at most what fits in the loop's buffers, twice (the
// turn that saw the session stop and the next): a peer that sends more is
// not one this loop can have produced, and is cut off.
constexpr std::size_t kMaxHeldInput = 2 * std::size_t{kBufferCount} * kBufferSize;
// Bytes copied into one send. The session's output cannot be sent in place:
// its chunks move and grow while the kernel would still be reading them
// (each queued response, WebSocket message or timer may touch them), so each
// send owns a copy, and the session counts the bytes written when the send
// completes (its backpressure and minimum send rate stay exact).
constexpr std::size_t kSendMax = 256 * 1024;
// Sends this large go out with IORING_OP_SEND_ZC: the kernel sends from our
// pages instead of copying them into socket buffers. Below it the copy is
// cheaper than what zero copy costs (pinning the pages and a second
// completion, the notification, before the buffer may be reused); above it
// the copy it saves grows with the size while that cost stays per send. On
// loopback the kernel copies anyway, so it only pays on a real interface.
// The kernel holds the pages until the peer has taken the bytes, so they
// count against our memory while a peer does not read: a connection has one
// zero-copy buffer at a time, and sends the rest by copy meanwhile.
constexpr std::size_t kZeroCopyFrom = 64 * 1024;
// Send buffers kept for reuse, and the largest kept.
constexpr std::size_t kSpareBuffers = 16;
constexpr std::size_t kSpareBufferMax = 64 * 1024;
// Out of descriptors with none in reserve: how long accepting pauses.
constexpr std::int64_t kAcceptPauseUs = 100'000;
// At stop: how long the loop waits for the kernel to finish cancelled work.
constexpr std::int64_t kFinishWaitUs = 2'000'000;
// Registered-file slots, at most.
constexpr rlim_t kMaxSlots = 65536;

// What a completion is for. Connections and zero-copy sends are pointers
// with the operation in their low bits; the loop's own operations have the
// top bit set.
enum tag : std::uint64_t { receive_tag = 1, send_tag = 2, zero_copy_tag = 3 };
constexpr std::uint64_t kTagMask = 7;
constexpr std::uint64_t kOwn = 1ull << 63;
enum own_op : std::uint32_t {
  ignored = 1,
  accepted = 2,
  woken = 3,
  slot_freed = 4,
  listener_readable = 5
};

std::uint64_t own(own_op op, std::uint32_t value = 0) {
  return kOwn | (std::uint64_t{op} << 32) | value;
}
template <class T>
std::uint64_t tagged(T* p, tag t) {
  return reinterpret_cast<std::uintptr_t>(p) | t;
}

const int kNoFile = -1;  // what a cleared registered-file slot holds

}  // namespace

struct loop::connection {
  connection(int f, server::handler& h, const server::session_config& config, std::string peer,
             server::clock_now now)
      : fd(f), id(next_connection_id()), session(h, config, std::move(peer), now) {}

  int fd;
  int slot = -1;     // registered-file slot; -1: the descriptor is used
  std::uint64_t id;  // how mailbox commands find it
  server::session session;
  std::unique_ptr<byte_layer> layer;  // TLS below the session; null: cleartext
  // Received, not yet taken: [from, size) of bytes. Allocated only while the
  // session pushes back (rare), so an idle connection pays 8 bytes for it.
  struct held_input {
    std::string bytes;
    std::size_t from = 0;
  };
  std::unique_ptr<held_input> held;
  std::string out;                      // the bytes of the send in flight
  zero_copy_send* zero_copy = nullptr;  // ...when it is a zero-copy send
  bool zero_copy_held = false;          // the kernel holds a zero-copy buffer of ours
  unsigned ops = 0;                     // completions still due to this object
  bool receiving = false;               // a receive is armed
  bool multishot = false;               // ...and it is multishot
  bool cancelling = false;              // and its cancellation is queued
  bool sending = false;
  bool eof = false;       // a receive returned 0
  bool eof_told = false;  // and the session (or layer) heard of it
  bool dead = false;
  bool dirty = false;  // in dirty_
  std::size_t index = 0;
  std::size_t heap_slot = deadline_heap<connection>::npos;
  std::int64_t deadline = 0;

  int target() const noexcept { return slot >= 0 ? slot : fd; }
  unsigned char file_flag() const noexcept { return slot >= 0 ? IOSQE_FIXED_FILE : 0; }
  bool holding() const noexcept { return held != nullptr; }  // never empty when held
};

// A zero-copy send outlives its result: its bytes stay ours until the
// kernel's notification says it has let go of them.
struct loop::zero_copy_send {
  connection* c;
  std::string bytes;
};

loop::loop(std::size_t index, int listen_fd, bool owns_listener, server::handler& handler,
           const server_options& options, connection_registry& registry)
    : index_(index),
      listen_fd_(listen_fd),
      owns_listener_(owns_listener),
      handler_(handler),
      options_(options),
      registry_(registry),
      ready_future_(ready_.get_future()) {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
  mailbox_ = std::make_shared<mailbox>([fd = wake_fd_] {
    std::uint64_t one = 1;
    [[maybe_unused]] auto r = ::write(fd, &one, sizeof one);
  });
}

loop::~loop() {
  mailbox_->close();  // peers the application still holds post nowhere from now on
  for (auto* list : {&conns_, &dying_})
    for (auto& c : *list) {
      ::close(c->fd);
      if (!c->dead) registry_.release();
    }
  conns_.clear();
  dying_.clear();
  buffers_.reset();  // set_up() failed after making them: the ring has nothing of theirs
  ring_.reset();
  if (wake_fd_ >= 0) ::close(wake_fd_);
  if (owns_listener_ && listen_fd_ >= 0) ::close(listen_fd_);
}

void loop::request_stop() noexcept {
  stop_requested_.store(true, std::memory_order_release);
  std::uint64_t one = 1;
  [[maybe_unused]] auto r = ::write(wake_fd_, &one, sizeof one);
}

void loop::wait_ready() {
  ready_future_.get();
}

void loop::run() {
  try {
    set_up();
  } catch (...) {
    buffers_.reset();
    ring_.reset();
    ready_.set_exception(std::current_exception());
    return;
  }
  ready_.set_value();
  serve();
  finish();
  // Here too, not in the destructor (see ring::ring). Buffers the kernel may
  // still be filling (it did not finish in time) are left to the process.
  if (in_flight_ == 0) buffers_.reset();
  ring_.reset();
  static_cast<void>(buffers_.release());
}

// On the loop's own thread (see ring::ring).
void loop::set_up() {
  ring_ = std::make_unique<ring>(kRingEntries);
  buffers_ = std::make_unique<buffer_ring>(ring_->get(), 0, kBufferCount, kBufferSize);
  // Registered files: the kernel looks each connection's socket up once,
  // not on every operation. As many slots as descriptors may be open (the
  // kernel's own bound); connections beyond them use their descriptor.
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  auto slots = static_cast<unsigned>(std::min(lim.rlim_cur, kMaxSlots));
  if (io_uring_register_files_sparse(&ring_->get(), slots) == 0) slots_ = slots;
}

void loop::serve() {
  mailbox_->set_owner([this](ws_command& cmd) { run_here(cmd); });
  listening_ = true;
  arm_wakeup();
  io_uring& r = ring_->get();
  for (;;) {
    auto now = clock_.now();
    if (stop_requested_.load(std::memory_order_acquire) && !draining_) begin_drain(now);
    // Whatever this turn's completions, mail and timers changed: sends,
    // receives to arm or cancel, closes. Stepping may add to dirty_.
    for (std::size_t i = 0; i < dirty_.size(); ++i) {
      connection* c = dirty_[i];
      c->dirty = false;
      if (!c->dead) step(*c, now);
    }
    dirty_.clear();
    // After stepping: the last connection may just have closed, with no
    // completion left to come that would end the wait below.
    if (draining_ && (conns_.empty() || now.monotonic_us >= drain_deadline_)) break;
    if (listening_ && !accept_armed_ &&
        (accept_resume_ == 0 || now.monotonic_us >= accept_resume_)) {
      accept_resume_ = 0;
      if (starved_)
        arm_listener_poll();
      else
        arm_accept();
    }
    ring_->submit_and_wait(timeout_us(now));
    now = clock_.now();
    nofile_fresh_ = false;
    unsigned head = 0, seen = 0;
    io_uring_cqe* cqe = nullptr;
    io_uring_for_each_cqe(&r, head, cqe) {
      handle(*cqe, now);
      ++seen;
    }
    io_uring_cq_advance(&r, seen);
    deliver_mail(now);
    expire(now);
    bury();
  }
}

// Past the drain timeout, or every connection closed: whoever is left is cut
// off, and the loop waits for the kernel to finish with every buffer and
// socket of ours before the ring goes.
void loop::finish() {
  mailbox_->close();
  finishing_ = true;
  for (connection* c : dirty_) c->dirty = false;
  dirty_.clear();
  while (!conns_.empty()) close(*conns_.back(), false);
  io_uring_sqe* sqe = ring_->sqe();
  io_uring_prep_cancel64(sqe, 0, IORING_ASYNC_CANCEL_ANY);
  io_uring_sqe_set_data64(sqe, own(ignored));
  io_uring& r = ring_->get();
  const std::int64_t until = clock_.now().monotonic_us + kFinishWaitUs;
  for (;;) {
    auto now = clock_.now();
    bury();
    if (in_flight_ == 0 || now.monotonic_us >= until) break;
    ring_->submit_and_wait(std::min<std::int64_t>(until - now.monotonic_us, 100'000));
    unsigned head = 0, seen = 0;
    io_uring_cqe* cqe = nullptr;
    io_uring_for_each_cqe(&r, head, cqe) {
      handle(*cqe, now);
      ++seen;
    }
    io_uring_cq_advance(&r, seen);
  }
}

void loop::handle(const io_uring_cqe& cqe, server::clock_now now) {
  const std::uint64_t data = io_uring_cqe_get_data64(&cqe);
  const bool more = (cqe.flags & IORING_CQE_F_MORE) != 0;
  if (data & kOwn) {
    switch (static_cast<own_op>((data >> 32) & 0x7fffffff)) {
      case accepted:
        on_accept(cqe.res, cqe.flags, now);
        break;
      case listener_readable:
        accept_armed_ = false;
        --in_flight_;
        if (listening_ && cqe.res > 0) accept_starved(now);
        break;
      case woken:
        --in_flight_;
        if (!finishing_) arm_wakeup();
        break;
      case slot_freed:
        --in_flight_;
        free_slots_.push_back(static_cast<int>(data & 0xffffffff));
        break;
      case ignored:
        break;
    }
    return;
  }
  const auto t = static_cast<tag>(data & kTagMask);
  void* p = reinterpret_cast<void*>(data & ~kTagMask);
  if (t == zero_copy_tag) {
    auto* z = static_cast<zero_copy_send*>(p);
    connection& c = *z->c;
    if (cqe.flags & IORING_CQE_F_NOTIF) {  // the kernel let go of the bytes
      c.zero_copy_held = false;
      --c.ops;
      --in_flight_;
      delete z;
      return;
    }
    c.sending = false;
    c.zero_copy = nullptr;
    if (!more) {  // no notification follows (the send failed)
      c.zero_copy_held = false;
      --c.ops;
      --in_flight_;
    }
    on_sent(c, cqe.res, now);
    if (!more) delete z;
    return;
  }
  connection& c = *static_cast<connection*>(p);
  if (t == receive_tag) return on_receive(c, cqe.res, cqe.flags, now);
  --c.ops;
  --in_flight_;
  c.sending = false;
  return_send_buffer(c.out);
  on_sent(c, cqe.res, now);
}

void loop::on_accept(int res, unsigned flags, server::clock_now now) {
  if (!(flags & IORING_CQE_F_MORE)) {
    accept_armed_ = false;
    --in_flight_;
  }
  if (res >= 0) {
    if (!listening_) {
      ::close(res);
      return;
    }
    // io_uring's accept checks the descriptor limit in force when it was
    // armed; the process's limit now is the one to honour (lowered since:
    // the connection is closed, as the readiness loop's reserve does).
    if (!nofile_fresh_) {
      rlimit lim{};
      nofile_ = ::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY
                    ? static_cast<std::uint64_t>(lim.rlim_cur)
                    : UINT64_MAX;
      nofile_fresh_ = true;
    }
    if (static_cast<std::uint64_t>(res) >= nofile_) {
      ::close(res);
      return;
    }
    tune_accepted(res);
    admit(res, peer_address(res), now);
    return;
  }
  if (!listening_ || (res != -EMFILE && res != -ENFILE)) return;  // that connection is gone
  // Linux looks for a free descriptor before it looks at the backlog, so
  // with none free an accept fails at once even when no client waits: armed
  // again, it would fail again, and the loop would spin. Until a descriptor
  // comes back, the loop waits for the listener to be readable instead.
  starved_ = true;
  accept_starved(now);
}

// Out of descriptors: the acceptor's reserve accepts and closes what is
// pending, as in the readiness loop, so no client waits in the backlog.
void loop::accept_starved(server::clock_now now) {
  for (;;) {
    auto r = acceptor_.accept(listen_fd_, true);
    switch (r.what) {
      case acceptor::status::accepted:  // a descriptor came back
        starved_ = false;
        admit(r.fd, std::move(r.peer), now);
        break;
      case acceptor::status::dropped:
        break;
      case acceptor::status::again:
        return;
      case acceptor::status::exhausted:
        accept_resume_ = now.monotonic_us + kAcceptPauseUs;
        return;
    }
  }
}

void loop::admit(int fd, std::string peer, server::clock_now now) {
  registry_.count_loop_accept(index_);
  if (!registry_.try_admit()) {
    reject_overloaded(fd, options_.tls != nullptr);
    return;
  }
  auto owned = std::make_unique<connection>(fd, handler_, options_.session, std::move(peer), now);
  connection& c = *owned;
  if (!free_slots_.empty() || slots_used_ < slots_) {
    const int slot = free_slots_.empty() ? static_cast<int>(slots_used_) : free_slots_.back();
    if (io_uring_register_files_update(&ring_->get(), static_cast<unsigned>(slot), &fd, 1) == 1) {
      c.slot = slot;
      free_slots_.empty() ? void(++slots_used_) : free_slots_.pop_back();
    }
  }
#ifdef HTTPCORE_HAVE_TLS
  if (options_.tls) c.layer = make_tls_layer(fd, *options_.tls, now.monotonic_us);
#endif
  c.session.set_peer_factory(mailbox_.get(), c.id);
  c.index = conns_.size();
  by_id_.emplace(c.id, &c);
  conns_.push_back(std::move(owned));
  mark(c);  // its first step arms the receive
}

void loop::on_receive(connection& c, int res, unsigned flags, server::clock_now now) {
  if (!(flags & IORING_CQE_F_MORE)) {  // this receive is over
    c.receiving = false;
    c.cancelling = false;
    --c.ops;
    --in_flight_;
  }
  if (flags & IORING_CQE_F_BUFFER) {  // a buffer was lent: it goes back at once
    const auto id = static_cast<std::uint16_t>(flags >> IORING_CQE_BUFFER_SHIFT);
    if (res > 0 && !c.dead) offer(c, buffers_->data(id, static_cast<std::size_t>(res)), now);
    buffers_->give_back(id);
    if (res > 0) return;
  }
  if (c.dead) return;
  if (res == 0) {
    c.eof = true;
    mark(c);
  } else if (res == -ENOBUFS || res == -ECANCELED || res == -EINTR || res == -EAGAIN) {
    mark(c);  // armed again if the session still wants input
  } else {
    close(c, false);  // reset, or another error: the connection is broken
  }
}

// Received bytes go to the session (or layer) at once, before their buffer
// goes back; what it does not take now waits in `held`.
void loop::offer(connection& c, std::span<const std::byte> bytes, server::clock_now now) {
  try {
    if (!c.holding()) bytes = bytes.subspan(take_input(c, bytes, now));
  } catch (...) {
    return close(c, false);  // a handler threw: only this connection is dropped
  }
  if (!bytes.empty()) {
    if (!c.held) c.held = std::make_unique<connection::held_input>();
    if (c.held->bytes.size() - c.held->from + bytes.size() > kMaxHeldInput) return close(c, false);
    c.held->bytes.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  mark(c);
}

std::size_t loop::take_input(connection& c, std::span<const std::byte> bytes,
                             server::clock_now now) {
  server::session& s = c.session;
  std::size_t taken = 0;
  while (taken < bytes.size() && wants_input(s, c.layer.get())) {
    std::size_t n = 0;
    if (c.layer) {
      n = c.layer->take_wire(bytes.subspan(taken), s, now);
    } else {
      auto room = s.read_buffer();
      n = std::min(room.size(), bytes.size() - taken);
      if (n > 0) {
        std::memcpy(room.data(), bytes.data() + taken, n);
        s.commit_input(n, now);
      }
    }
    if (n == 0) break;
    taken += n;
  }
  return taken;
}

// What a connection's state asks for now: held input to the session, the
// end of the stream when it has taken all, a send when none is in flight,
// the close when it is done, and its receive armed exactly while it wants
// input.
void loop::step(connection& c, server::clock_now now) {
  server::session& s = c.session;
  byte_layer* layer = c.layer.get();
  try {
    if (c.holding()) {
      auto rest = std::as_bytes(std::span<const char>(c.held->bytes)).subspan(c.held->from);
      c.held->from += take_input(c, rest, now);
      if (c.held->from == c.held->bytes.size()) c.held.reset();  // an idle connection holds none
    }
    if (holds_input(layer) && wants_input(s, layer)) layer->take_wire({}, s, now);
    if (c.eof && !c.eof_told && !c.holding() && !holds_input(layer) && wants_input(s, layer)) {
      c.eof_told = true;
      layer ? layer->take_wire_eof(s, now) : s.on_peer_closed(now);
    }
    if (!c.sending) start_send(c, now);
  } catch (...) {
    return close(c, false);
  }
  if (!c.sending) {
    if (done(s, layer)) return close(c, true);
    // After a 101 the session did not take over, the connection ends here.
    if (s.upgraded() && queued_output(s, layer) == 0) return close(c, true);
  } else if (!layer && s.done()) {
    // The session dropped its output (a reader too slow for the minimum
    // send rate): the send in flight is dropped with the connection.
    return close(c, false);
  }
  const bool want = !c.eof && !c.holding() && !holds_input(layer) && wants_input(s, layer);
  const bool backlog = queued_output(s, layer) >= kSingleShotFrom;
  if (want && !c.receiving) {
    arm_receive(c, !backlog);
  } else if ((!want || (backlog && c.multishot)) && c.receiving && !c.cancelling) {
    cancel(tagged(&c, receive_tag));
    c.cancelling = true;
  }
  deadlines_.set(c, next_deadline(s, layer));
}

void loop::start_send(connection& c, server::clock_now now) {
  std::string buf = take_send_buffer();
  if (c.layer) {
    auto wire = c.layer->wire_output(c.session, now);
    wire = wire.first(std::min(wire.size(), kSendMax));
    buf.assign(reinterpret_cast<const char*>(wire.data()), wire.size());
  } else {
    std::array<server::io_slice, 64> slices;
    const std::size_t count = c.session.output(slices);
    std::size_t total = 0;
    for (std::size_t i = 0; i < count; ++i) total += slices[i].size;
    buf.resize(std::min(total, kSendMax));
    std::size_t at = 0;
    for (std::size_t i = 0; i < count && at < buf.size(); ++i) {
      const std::size_t n = std::min(slices[i].size, buf.size() - at);
      std::memcpy(buf.data() + at, slices[i].data, n);
      at += n;
    }
  }
  if (buf.empty()) {
    return_send_buffer(buf);
    return;
  }
  c.sending = true;
  ++c.ops;
  ++in_flight_;
  io_uring_sqe* sqe = ring_->sqe();
  if (buf.size() >= kZeroCopyFrom && ring_->zero_copy_send() && !c.zero_copy_held) {
    auto* z = new zero_copy_send{&c, std::move(buf)};
    c.zero_copy_held = true;
    io_uring_prep_send_zc(sqe, c.target(), z->bytes.data(), z->bytes.size(), MSG_NOSIGNAL, 0);
    io_uring_sqe_set_data64(sqe, tagged(z, zero_copy_tag));
    c.zero_copy = z;
  } else {
    c.out = std::move(buf);
    io_uring_prep_send(sqe, c.target(), c.out.data(), c.out.size(), MSG_NOSIGNAL);
    io_uring_sqe_set_data64(sqe, tagged(&c, send_tag));
  }
  sqe->flags = static_cast<__u8>(sqe->flags | c.file_flag());
}

void loop::on_sent(connection& c, int res, server::clock_now now) {
  if (c.dead) return;
  if (res > 0) {
    try {
      const auto n = static_cast<std::size_t>(res);
      c.layer ? c.layer->wire_written(n) : c.session.consume_output(n, now);
    } catch (...) {
      return close(c, false);  // a streamed writer's handler threw
    }
    mark(c);
  } else if (res == 0 || res == -EAGAIN || res == -EINTR) {
    mark(c);  // nothing went out: try again
  } else {
    close(c, false);  // EPIPE, ECONNRESET...: the peer is gone
  }
}

void loop::arm_receive(connection& c, bool multishot) {
  io_uring_sqe* sqe = ring_->sqe();
  // Length 0: each receive fills at most one provided buffer.
  if (multishot) {
    io_uring_prep_recv_multishot(sqe, c.target(), nullptr, 0, 0);
  } else {
    io_uring_prep_recv(sqe, c.target(), nullptr, 0, 0);
  }
  c.multishot = multishot;
  sqe->flags = static_cast<__u8>(sqe->flags | IOSQE_BUFFER_SELECT | c.file_flag());
  sqe->buf_group = buffers_->group();
  io_uring_sqe_set_data64(sqe, tagged(&c, receive_tag));
  c.receiving = true;
  c.cancelling = false;
  ++c.ops;
  ++in_flight_;
}

void loop::cancel(std::uint64_t user_data) {
  io_uring_sqe* sqe = ring_->sqe();
  io_uring_prep_cancel64(sqe, user_data, 0);
  io_uring_sqe_set_data64(sqe, own(ignored));
}

void loop::arm_accept() {
  io_uring_sqe* sqe = ring_->sqe();
  io_uring_prep_multishot_accept(sqe, listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
  io_uring_sqe_set_data64(sqe, own(accepted));
  accept_armed_ = true;
  ++in_flight_;
}

void loop::arm_listener_poll() {
  io_uring_sqe* sqe = ring_->sqe();
  io_uring_prep_poll_add(sqe, listen_fd_, POLLIN);
  io_uring_sqe_set_data64(sqe, own(listener_readable));
  accept_armed_ = true;
  ++in_flight_;
}

void loop::arm_wakeup() {
  io_uring_sqe* sqe = ring_->sqe();
  io_uring_prep_read(sqe, wake_fd_, &wake_count_, sizeof wake_count_, 0);
  io_uring_sqe_set_data64(sqe, own(woken));
  ++in_flight_;
}

void loop::mark(connection& c) {
  if (c.dirty || c.dead) return;
  c.dirty = true;
  dirty_.push_back(&c);
}

// Sends other threads queued for this loop's connections; a connection that
// is gone ignores them.
void loop::deliver_mail(server::clock_now now) {
  mailbox_->take(mail_);
  for (ws_command& cmd : mail_) {
    auto it = by_id_.find(cmd.connection);
    if (it == by_id_.end()) continue;
    connection& c = *it->second;
    try {
      apply(cmd, c.session, now);
    } catch (...) {
      close(c, false);
      continue;
    }
    mark(c);
  }
  mail_.clear();
}

// A send made on this loop's own thread (from a callback of one of its
// sessions): applied now, written when the connection is stepped next.
void loop::run_here(ws_command& cmd) {
  auto it = by_id_.find(cmd.connection);
  if (it == by_id_.end()) return;
  connection& c = *it->second;
  apply(cmd, c.session, clock_.now());
  mark(c);
}

void loop::expire(server::clock_now now) {
  // Bounded: each expired connection is handled once per turn.
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
    mark(c);
  }
}

void loop::begin_drain(server::clock_now now) {
  draining_ = true;
  drain_deadline_ = now.monotonic_us + options_.drain_timeout_us;
  accept_resume_ = 0;
  if (listening_) {
    listening_ = false;
    if (accept_armed_) cancel(own(starved_ ? listener_readable : accepted));
    if (owns_listener_) {
      ::close(listen_fd_);  // the armed accept holds the socket until it is cancelled
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
    mark(*c);
  }
}

std::int64_t loop::timeout_us(server::clock_now now) const {
  std::int64_t until = deadlines_.next();
  if (draining_) until = std::min(until, drain_deadline_);
  if (accept_resume_ != 0) until = std::min(until, accept_resume_);
  if (until == deadline_heap<connection>::never) return -1;
  return std::max<std::int64_t>(until - now.monotonic_us, 0);
}

// The connection stops being served at once; its object, descriptor and
// registered slot stay until the kernel has completed every operation that
// refers to them (cancelled here), so that no later operation of another
// connection can meet them.
void loop::close(connection& c, bool graceful) {
  if (c.dead) return;
  c.dead = true;
  deadlines_.erase(c);
  registry_.release();
  by_id_.erase(c.id);
  if (c.receiving && !c.cancelling) {
    cancel(tagged(&c, receive_tag));
    c.cancelling = true;
  }
  if (c.sending) cancel(c.zero_copy ? tagged(c.zero_copy, zero_copy_tag) : tagged(&c, send_tag));
  if (graceful) half_close(c.fd);  // FIN now; unread input does not turn into RST
  std::size_t at = c.index;
  std::swap(conns_[at], conns_.back());
  conns_[at]->index = at;
  dying_.push_back(std::move(conns_.back()));
  conns_.pop_back();
}

// Frees closed connections whose last completion has come.
void loop::bury() {
  for (std::size_t i = 0; i < dying_.size();) {
    connection& c = *dying_[i];
    if (c.ops > 0 || c.dirty) {  // dirty_ still points at it until the next turn
      ++i;
      continue;
    }
    ::close(c.fd);
    if (c.slot >= 0) {
      io_uring_sqe* sqe = ring_->sqe();
      io_uring_prep_files_update(sqe, const_cast<int*>(&kNoFile), 1, c.slot);
      io_uring_sqe_set_data64(sqe, own(slot_freed, static_cast<std::uint32_t>(c.slot)));
      ++in_flight_;
    }
    return_send_buffer(c.out);
    std::swap(dying_[i], dying_.back());
    dying_.pop_back();
  }
}

std::string loop::take_send_buffer() {
  if (spare_buffers_.empty()) return {};
  std::string buf = std::move(spare_buffers_.back());
  spare_buffers_.pop_back();
  return buf;
}

void loop::return_send_buffer(std::string& buf) {
  if (buf.capacity() > kSpareBufferMax || spare_buffers_.size() >= kSpareBuffers) {
    std::string().swap(buf);
    return;
  }
  buf.clear();
  if (buf.capacity() > 0) spare_buffers_.push_back(std::move(buf));
  buf = std::string();
}

}  // namespace httpcore::frontends::uring
