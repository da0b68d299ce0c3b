#pragma once
// A tiny blocking WebSocket client for the front-end tests, with its own frame
// code (not the core's, so a core bug cannot hide behind the same code on both
// ends): it sends the opening handshake, masked frames, and reads frames with
// a timeout so that a broken server fails a test instead of hanging it.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "support/test_client.hpp"

namespace httpcore::test {

struct ws_frame {
  int opcode = -1;
  bool fin = false;
  std::string payload;

  std::uint16_t close_code() const {
    if (payload.size() < 2) return 1005;
    return static_cast<std::uint16_t>((static_cast<unsigned char>(payload[0]) << 8) |
                                      static_cast<unsigned char>(payload[1]));
  }
};

class ws_client {
 public:
  static constexpr int text = 1, binary = 2, close_op = 8, ping = 9, pong = 10;

  /// Connects and upgrades; throws std::runtime_error when either fails.
  /// `rcvbuf` > 0 shrinks the receive buffer (a slow consumer's small window).
  explicit ws_client(std::uint16_t port, std::string_view path = "/ws/echo", int rcvbuf = 0,
                     int timeout_ms = 10'000) {
    fd_ = connect_loopback(port, timeout_ms, rcvbuf);
    std::string request = "GET " + std::string(path) +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\n\r\n";
    if (!send_raw(request)) throw std::runtime_error("handshake: send failed");
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) throw std::runtime_error("handshake: no response");
    head_ = buf_.substr(0, end + 4);
    buf_.erase(0, end + 4);
    if (!head_.starts_with("HTTP/1.1 101 ") ||
        head_.find("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") == std::string::npos)
      throw std::runtime_error("handshake refused: " + head_);
  }
  ~ws_client() { close_tcp(); }
  ws_client(const ws_client&) = delete;
  ws_client& operator=(const ws_client&) = delete;

  const std::string& response_head() const { return head_; }

  bool send(int opcode, std::string_view payload, bool fin = true) {
    std::string f;
    f += static_cast<char>((fin ? 0x80 : 0) | opcode);
    const unsigned char key[4] = {0x12, 0x34, 0x56, 0x78};
    if (payload.size() < 126) {
      f += static_cast<char>(0x80 | payload.size());
    } else if (payload.size() <= 0xffff) {
      f += static_cast<char>(0x80 | 126);
      f += static_cast<char>(payload.size() >> 8);
      f += static_cast<char>(payload.size() & 0xff);
    } else {
      f += static_cast<char>(0x80 | 127);
      for (int i = 7; i >= 0; --i) f += static_cast<char>((payload.size() >> (8 * i)) & 0xff);
    }
    f.append(reinterpret_cast<const char*>(key), 4);
    for (std::size_t i = 0; i < payload.size(); ++i)
      f += static_cast<char>(payload[i] ^ static_cast<char>(key[i % 4]));
    return send_raw(f);
  }
  bool send_text(std::string_view s) { return send(text, s); }
  bool send_close(std::uint16_t code, std::string_view reason = {}) {
    std::string p;
    p += static_cast<char>(code >> 8);
    p += static_cast<char>(code & 0xff);
    p += reason;
    return send(close_op, p);
  }

  /// The next frame; nullopt on timeout or when the server closed TCP.
  std::optional<ws_frame> read_frame() {
    for (;;) {
      if (auto f = decode()) return f;
      if (!fill()) return std::nullopt;
    }
  }

  /// The next data or close frame, answering pings on the way.
  std::optional<ws_frame> read_message() {
    for (;;) {
      auto f = read_frame();
      if (!f) return f;
      if (f->opcode == ping) {
        send(pong, f->payload);
        continue;
      }
      if (f->opcode == pong) continue;
      return f;
    }
  }

  /// Reads until the server closes TCP; true if it did (not a timeout).
  bool wait_tcp_close() {
    buf_.clear();
    for (;;) {
      char tmp[65536];
      auto n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
    }
  }

  void close_tcp() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  /// Closes with RST (SO_LINGER 0), as a crashed client would.
  void reset() {
    linger l{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close_tcp();
  }

 private:
  bool send_raw(std::string_view bytes) {
    while (!bytes.empty()) {
      auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  bool fill() {
    char tmp[65536];
    for (;;) {
      auto n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      buf_.append(tmp, static_cast<std::size_t>(n));
      return true;
    }
  }
  std::optional<ws_frame> decode() {
    auto b = [&](std::size_t i) { return static_cast<unsigned char>(buf_[i]); };
    if (buf_.size() < 2) return std::nullopt;
    ws_frame f;
    f.fin = (b(0) & 0x80) != 0;
    f.opcode = b(0) & 0x0f;
    std::uint64_t len = b(1) & 0x7f;
    std::size_t at = 2;
    if (len == 126) {
      if (buf_.size() < 4) return std::nullopt;
      len = (b(2) << 8) | b(3);
      at = 4;
    } else if (len == 127) {
      if (buf_.size() < 10) return std::nullopt;
      len = 0;
      for (std::size_t i = 0; i < 8; ++i) len = (len << 8) | b(2 + i);
      at = 10;
    }
    if (b(1) & 0x80) throw std::runtime_error("a server frame is masked");
    if (buf_.size() < at + len) return std::nullopt;
    f.payload = buf_.substr(at, static_cast<std::size_t>(len));
    buf_.erase(0, at + static_cast<std::size_t>(len));
    return f;
  }

  int fd_ = -1;
  std::string buf_;
  std::string head_;
};

}  // namespace httpcore::test
