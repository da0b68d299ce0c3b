// A server TLS session between a socket and an HTTP session.

#include "common/tls_layer.hpp"

#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "httpcore/tls/session.hpp"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0  // macOS: SO_NOSIGPIPE is set on each accepted socket
#endif

namespace httpcore::frontends {
namespace {

// Ciphertext read per recv: one full record and its header.
constexpr std::size_t kRecordRead = 16 * 1024 + 512;
// The session's output is encrypted only while the layer holds less than
// this, so the session's own backpressure (max_queued_output) still sees the
// bytes a slow reader leaves unread.
constexpr std::size_t kMaxCiphertextBacklog = 64 * 1024;

bool transient(int err) noexcept {
  return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

class tls_layer final : public byte_layer {
 public:
  tls_layer(int fd, tls::session s) : fd_(fd), tls_(std::move(s)) {}

  io_result read_once(int fd, server::session& s, server::clock_now now, bool* eof,
                      bool* drained) override {
    if (holds_input()) {  // the session stopped taking it last time
      deliver(s, now);
      if (drained) *drained = false;
      return io_result::progress;
    }
    std::array<std::byte, kRecordRead> buf;
    auto n = ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
    if (n > 0) {
      if (drained) *drained = static_cast<std::size_t>(n) < buf.size();
      tls_.receive(std::span(buf.data(), static_cast<std::size_t>(n)), plain_);
      deliver(s, now);
      tell_peer_closed(s, now);
      return io_result::progress;
    }
    if (n == 0) {
      *eof = true;
      tls_.receive_eof();  // without close_notify: truncated, which ends the layer
      tell_peer_closed(s, now);
      return io_result::progress;
    }
    return transient(errno) ? io_result::would_block : io_result::error;
  }

  io_result write_once(int fd, server::session& s, server::clock_now now) override {
    encrypt(s, now);
    if (s.done()) tls_.close();  // close_notify goes out with the last bytes
    if (tls_.output().empty()) return io_result::progress;  // the session's bytes were taken
    return send_some(fd);
  }

  std::size_t queued_output(const server::session& s) const override {
    return s.queued_output() + tls_.output().size();
  }

  bool wants_input(const server::session& s) const override {
    return tls_.state() != tls::state::failed && !tls_.peer_closed() && s.wants_input();
  }

  bool holds_input() const override { return head_ < plain_.size(); }

  // The last bytes (close_notify, or a failed handshake's alert) are sent
  // from here too: the loop asks after its last write, and when the socket
  // takes them at once no readiness event would come to write them later.
  bool done(server::session& s) override {
    if (tls_.state() != tls::state::failed) {
      if (!s.done() || s.queued_output() > 0) return false;
      tls_.close();  // close_notify (nothing when the handshake never finished)
    }
    if (!tls_.output().empty() && send_some(fd_) == io_result::error) return true;
    return tls_.output().empty();
  }

  std::int64_t next_deadline(const server::session& s) const override {
    return std::min(s.next_deadline(), tls_.deadline_us());
  }

  void on_timer(server::session& s, server::clock_now now) override {
    tls_.on_timer(now.monotonic_us);  // the handshake's deadline
    if (now.monotonic_us >= s.next_deadline()) s.on_timer(now);
  }

  // The same steps as read_once()/write_once(), with the front end doing
  // the socket I/O: at most one record read's worth is decrypted at a time,
  // and none while plaintext waits for the session, so plain_ stays bounded.
  std::size_t take_wire(std::span<const std::byte> wire, server::session& s,
                        server::clock_now now) override {
    if (holds_input()) {
      deliver(s, now);
      if (holds_input()) return 0;
    }
    const std::size_t n = std::min(wire.size(), kRecordRead);
    if (n == 0) return 0;
    tls_.receive(wire.first(n), plain_);
    deliver(s, now);
    tell_peer_closed(s, now);
    return n;
  }

  void take_wire_eof(server::session& s, server::clock_now now) override {
    tls_.receive_eof();
    tell_peer_closed(s, now);
  }

  std::span<const std::byte> wire_output(server::session& s, server::clock_now now) override {
    encrypt(s, now);
    if (s.done()) tls_.close();
    const auto out = tls_.output();
    return std::as_bytes(std::span<const char>(out.data(), out.size()));
  }

  void wire_written(std::size_t n) override {
    tls_.consume_output(n);
    if (tls_.output().empty()) tls_.release_idle_memory();
  }

 private:
  io_result send_some(int fd) {
    const auto out = tls_.output();
    auto n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      tls_.consume_output(static_cast<std::size_t>(n));
      if (tls_.output().empty()) tls_.release_idle_memory();
      return io_result::progress;
    }
    return n == 0 || transient(errno) ? io_result::would_block : io_result::error;
  }

  // Plaintext into the session as far as it takes it; the rest waits.
  void deliver(server::session& s, server::clock_now now) {
    while (holds_input() && s.wants_input()) {
      auto room = s.read_buffer();
      const std::size_t n = std::min(room.size(), plain_.size() - head_);
      std::memcpy(room.data(), plain_.data() + head_, n);
      head_ += n;
      s.commit_input(n, now);
    }
    if (!holds_input()) {
      // Freed, not just cleared: after a large upload the string holds a
      // whole record's capacity (16 KiB), which an idle connection must not.
      std::string().swap(plain_);
      head_ = 0;
    }
  }

  // The session's output becomes records, within the backlog bound.
  void encrypt(server::session& s, server::clock_now now) {
    std::array<server::io_slice, 16> slices;
    while (s.queued_output() > 0 && tls_.output().size() < kMaxCiphertextBacklog) {
      const std::size_t count = s.output(slices);
      std::size_t taken = 0;
      for (std::size_t i = 0; i < count && tls_.output().size() < kMaxCiphertextBacklog; ++i) {
        tls_.send(std::string_view(static_cast<const char*>(slices[i].data), slices[i].size));
        taken += slices[i].size;
      }
      s.consume_output(taken, now);
    }
  }

  // close_notify or the end of the stream: the session hears of it once.
  void tell_peer_closed(server::session& s, server::clock_now now) {
    const bool ended = tls_.peer_closed() || tls_.state() == tls::state::failed;
    if (ended && !told_closed_ && !holds_input()) {
      told_closed_ = true;
      s.on_peer_closed(now);
    }
  }

  int fd_;
  tls::session tls_;
  std::string plain_;  // decrypted; [head_, size) not yet taken by the session
  std::size_t head_ = 0;
  bool told_closed_ = false;
};

}  // namespace

std::unique_ptr<byte_layer> make_tls_layer(int fd, tls::server_credentials& credentials,
                                           std::int64_t now_us) {
  credentials.on_timer(now_us);
  return std::make_unique<tls_layer>(fd, tls::session::accept(credentials.current(), now_us));
}

}  // namespace httpcore::frontends
