#pragma once
// Drives a server session through a WebSocket upgrade without sockets: the
// test writes client frames (masked, as a client must), the session's output
// is drained as a writev() would, and the server's frames are decoded by a
// small decoder of its own here (not the core's parser, so a parser bug cannot
// hide behind the same code on both ends).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/server/session.hpp"
#include "httpcore/server/websocket.hpp"
#include "httpcore/ws/writer.hpp"

namespace httpcore::test {

/// The sample handshake of RFC 6455 §1.3.
inline constexpr std::string_view kSampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
inline constexpr std::string_view kSampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

inline std::string ws_request(std::string_view target = "/ws", std::string_view extra = {}) {
  return "GET " + std::string(target) +
         " HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: " +
         std::string(kSampleKey) + "\r\nSec-WebSocket-Version: 13\r\n" + std::string(extra) +
         "\r\n";
}

/// One client frame, masked with a fixed key.
inline std::string client_frame(ws::opcode op, std::string_view payload, bool fin = true,
                                bool rsv1 = false) {
  static const ws::masking_key key{std::byte{0x37}, std::byte{0xfa}, std::byte{0x21},
                                   std::byte{0x3d}};
  std::string out;
  ws::append_frame(out, op, payload, fin, rsv1, &key);
  return out;
}

inline std::string client_close(std::uint16_t code, std::string_view reason = {}) {
  return client_frame(ws::opcode::close, ws::close_payload(code, reason));
}

struct server_frame {
  int opcode = -1;
  bool fin = false, rsv1 = false, masked = false;
  std::string payload;

  std::uint16_t close_code() const {
    if (payload.size() < 2) return 1005;
    return static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                      static_cast<unsigned char>(payload[1]));
  }
};

/// Decodes whole frames from the front of `bytes`, removing them.
inline std::vector<server_frame> decode_frames(std::string& bytes) {
  std::vector<server_frame> out;
  for (;;) {
    if (bytes.size() < 2) return out;
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(bytes[i]); };
    server_frame f;
    f.fin = (b(0) & 0x80) != 0;
    f.rsv1 = (b(0) & 0x40) != 0;
    f.opcode = b(0) & 0x0f;
    f.masked = (b(1) & 0x80) != 0;
    std::uint64_t len = b(1) & 0x7f;
    std::size_t at = 2;
    if (len == 126) {
      if (bytes.size() < 4) return out;
      len = (b(2) << 8) | b(3);
      at = 4;
    } else if (len == 127) {
      if (bytes.size() < 10) return out;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | b(2 + static_cast<std::size_t>(i));
      at = 10;
    }
    if (f.masked) at += 4;
    if (bytes.size() < at + len) return out;
    f.payload = bytes.substr(at, static_cast<std::size_t>(len));
    bytes.erase(0, at + static_cast<std::size_t>(len));
    out.push_back(std::move(f));
  }
}

/// Records what the application saw; echoes messages when `echo`.
class recording_ws : public server::ws_handler {
 public:
  struct message {
    std::string data;
    bool text;
  };
  struct closed {
    std::uint16_t code;
    std::string reason;
  };

  void on_open(const std::shared_ptr<server::ws_peer>& peer) override { peers.push_back(peer); }
  void on_message(const std::shared_ptr<server::ws_peer>& peer, std::string_view m,
                  bool text) override {
    messages.push_back({std::string(m), text});
    if (!echo) return;
    if (text) {
      peer->send_text(m);
    } else {
      peer->send_binary(m);
    }
  }
  void on_close(const std::shared_ptr<server::ws_peer>&, std::uint16_t code,
                std::string_view reason) override {
    closes.push_back({code, std::string(reason)});
  }

  bool echo = true;
  std::vector<std::shared_ptr<server::ws_peer>> peers;
  std::vector<message> messages;
  std::vector<closed> closes;
};

/// Accepts WebSocket on /ws (with `accept`), answers 404 elsewhere.
class upgrading_handler : public server::handler {
 public:
  explicit upgrading_handler(server::ws_handler& ws) : ws_(ws) {}
  void on_request(const server::request& req, server::response& res) override {
    if (req.target() == "/ws") {
      accepted = res.accept_websocket(ws_, accept);
    } else {
      res.send(404, "not found");
    }
  }
  server::ws_accept_options accept{};
  bool accepted = false;

 private:
  server::ws_handler& ws_;
};

inline server::clock_now at_us(std::int64_t us) {
  return {us, "Sun, 06 Nov 1994 08:49:37 GMT"};
}

/// A session plus the bytes it wrote, split into the HTTP head and frames.
class ws_session_driver {
 public:
  explicit ws_session_driver(server::session_config config = {})
      : ws_handler_(), handler_(ws_handler_), config_(config) {
    session_ = std::make_unique<server::session>(handler_, config_, "127.0.0.1:1", at_us(now_));
  }

  /// Feeds bytes in pieces of `split`, draining output after each when `drain`.
  void feed(std::string_view bytes, std::size_t split = std::numeric_limits<std::size_t>::max(),
            bool drain_output = true) {
    while (!bytes.empty()) {
      if (!session_->wants_input()) {
        if (drain_output) drain();
        if (!session_->wants_input()) return;
      }
      auto buf = session_->read_buffer();
      std::size_t n = std::min({split, buf.size(), bytes.size()});
      std::memcpy(buf.data(), bytes.data(), n);
      bytes.remove_prefix(n);
      session_->commit_input(n, at_us(now_));
      if (drain_output) drain();
    }
  }

  /// Writes everything queued "to the socket".
  void drain() {
    for (int guard = 0; guard < 100000 && session_->queued_output() > 0; ++guard) {
      server::io_slice slices[16];
      std::size_t n = session_->output(slices);
      std::size_t total = 0;
      for (std::size_t i = 0; i < n; ++i) {
        wire_.append(static_cast<const char*>(slices[i].data), slices[i].size);
        total += slices[i].size;
      }
      session_->consume_output(total, at_us(now_));
    }
  }

  /// The HTTP response head the session wrote (consumed from the wire).
  std::string take_head() {
    std::size_t end = wire_.find("\r\n\r\n");
    if (end == std::string::npos) return {};
    std::string head = wire_.substr(0, end + 4);
    wire_.erase(0, end + 4);
    return head;
  }

  /// Upgrades with the sample request; fails the test unless a 101 came back.
  void upgrade(std::string_view extra = {}) {
    feed(ws_request("/ws", extra));
    std::string head = take_head();
    ASSERT_TRUE(head.starts_with("HTTP/1.1 101 ")) << head;
    ASSERT_NE(head.find(std::string("Sec-WebSocket-Accept: ") + std::string(kSampleAccept)),
              std::string::npos)
        << head;
    ASSERT_TRUE(session_->websocket());
  }

  std::vector<server_frame> frames() { return decode_frames(wire_); }

  /// Advances the clock and fires the session's timer if it is due.
  void advance_us(std::int64_t us) {
    now_ += us;
    if (now_ >= session_->next_deadline()) session_->on_timer(at_us(now_));
    drain();
  }

  server::session& session() { return *session_; }
  void destroy() { session_.reset(); }
  std::int64_t now() const { return now_; }
  std::string& wire() { return wire_; }

  recording_ws ws_handler_;
  upgrading_handler handler_;

 private:
  server::session_config config_;
  std::int64_t now_ = 1'000'000;
  std::unique_ptr<server::session> session_;
  std::string wire_;
};

}  // namespace httpcore::test
