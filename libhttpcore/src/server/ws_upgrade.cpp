// A server session switching to WebSocket: the handler's accept_websocket()
// (the opening handshake and its answer), the switch once the 101 is past the
// HTTP/1 parser, and the entry points that reach the channel afterwards.

#include <cstdint>
#include <utility>

#include "httpcore/server/session.hpp"
#include "httpcore/ws/handshake.hpp"
#include "server/exchange_state.hpp"
#include "server/ws_channel.hpp"

namespace httpcore::server {
namespace {

// The peer a session makes when no front end gave it a factory (sans-I/O use):
// it sends straight into the session, so it must be used on the session's
// thread; once the session is gone it does nothing.
class local_peer final : public ws_peer {
 public:
  local_peer(std::shared_ptr<session*> target, std::uint64_t id)
      : target_(std::move(target)), id_(id) {}
  std::uint64_t id() const noexcept override { return id_; }
  void send_text(std::string_view text) override {
    if (session* s = *target_) s->ws_send(as_bytes(text), true, {});
  }
  void send_binary(std::span<const std::byte> bytes) override {
    if (session* s = *target_) s->ws_send(bytes, false, {});
  }
  void send_shared(std::shared_ptr<const std::string> message, bool text) override {
    if (session* s = *target_) s->ws_send(std::move(message), text, {});
  }
  void close(std::uint16_t code, std::string_view reason) override {
    if (session* s = *target_) s->ws_close(code, reason, {});
  }

 private:
  static std::span<const std::byte> as_bytes(std::string_view s) noexcept {
    return std::as_bytes(std::span<const char>(s.data(), s.size()));
  }
  std::shared_ptr<session*> target_;
  std::uint64_t id_;
};

}  // namespace

bool response::accept_websocket(ws_handler& h, const ws_accept_options& options) {
  if (state_ != state::idle) return false;
  return port_->accept_websocket(*this, h, options);
}

bool session::accept_websocket(ws_handler& h, const ws_accept_options& options) {
  if (current_ == nullptr) return false;
  ws::server_options hs;
  hs.subprotocols = options.subprotocols;
  if (options.compression != nullptr) hs.deflate = options.deflate;
  ws::server_handshake_result r = ws::accept_handshake(*current_, hs);
  // The HTTP/1 parser switches protocols only on a request it saw as an
  // upgrade (Upgrade + Connection: upgrade); anything else stays HTTP/1.
  if (r && !current_->upgrade) {
    r.status = 400;
    r.error = ws::handshake_error::missing_connection_upgrade;
  }
  if (!r) {
    ws::field_list fields = r.fields();  // 426: Sec-WebSocket-Version: 13
    for (const auto& f : fields.span()) x_->res.add_header(f.name, f.value);
    x_->res.add_header("Content-Type", "text/plain");
    std::string body(r.error_name());
    body += '\n';
    x_->res.send(r.status, body);
    return false;
  }
  x_->ws_codec =
      r.deflate && options.compression != nullptr ? options.compression->make(*r.deflate) : nullptr;
  ws::field_list fields = r.fields();
  for (const auto& f : fields.span()) x_->res.add_header(f.name, f.value);
  close_after_ = false;  // the connection goes on, in another protocol
  x_->res.send(101, {});
  x_->ws_app = &h;
  return true;
}

// The 101 went out and the parser has handed over the bytes after the
// request: from here on the channel reads them.
void session::start_websocket(clock_now now) {
  std::shared_ptr<ws_peer> peer;
  if (peers_ != nullptr) {
    peer = peers_->make_peer(connection_id_);
  } else {
    if (!self_) self_ = std::make_shared<session*>(this);
    // Without a front end to number connections, the session's address tells
    // live sessions apart (the core keeps no global counter: no atomics here).
    if (connection_id_ == 0) connection_id_ = reinterpret_cast<std::uintptr_t>(this);
    peer = std::make_shared<local_peer>(self_, connection_id_);
  }
  ws_ = std::make_unique<ws_channel>(*this, *x_->ws_app, config_.websocket, std::move(x_->ws_codec),
                                     std::move(peer), now.monotonic_us);
  release_exchange();  // HTTP/1 is over: its parser and response go
  phase_ = phase::websocket;
  phase_start_us_ = now.monotonic_us;
  ws_->open();
  process_websocket(now);  // frames that came with the request
}

void session::process_websocket(clock_now now) {
  if (phase_ != phase::websocket) return;
  if (in_begin_ < in_end_ && ws_->wants_input() && queued_bytes_ < config_.max_queued_output) {
    std::size_t used = ws_->feed({in_.get() + in_begin_, in_end_ - in_begin_}, now.monotonic_us);
    in_begin_ += used;
  }
  if (ws_->finished()) {
    phase_ = phase::closing;
    phase_start_us_ = now.monotonic_us;
  }
}

void session::ws_send(std::span<const std::byte> payload, bool text, clock_now now) {
  if (phase_ != phase::websocket || ws_ == nullptr) return;
  if (now.monotonic_us != 0) now_ = now;
  ws_->send(payload, text);
}

void session::ws_send(std::shared_ptr<const std::string> payload, bool text, clock_now now) {
  if (phase_ != phase::websocket || ws_ == nullptr) return;
  if (now.monotonic_us != 0) now_ = now;
  ws_->send(std::move(payload), text);
}

void session::ws_close(std::uint16_t code, std::string_view reason, clock_now now) {
  if (phase_ != phase::websocket || ws_ == nullptr) return;
  if (now.monotonic_us != 0) now_ = now;
  ws_->close(code, reason, now_.monotonic_us);
}

}  // namespace httpcore::server
