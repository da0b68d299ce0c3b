#pragma once
// A tiny blocking HTTP/1.1 client for the front-end tests: it writes raw bytes
// and reads responses with its own minimal parser (not the core's, so a core
// bug cannot hide behind the same code on both ends). Every read has a
// timeout so that a broken server fails a test instead of hanging it.

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
#include <utility>
#include <vector>

#include "httpcore/ascii.hpp"

namespace httpcore::test {

struct http_response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The first field called `name` (case-insensitive), or "".
  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (httpcore::ascii_iequals(n, name)) return v;
    }
    return {};
  }
};

/// A blocking TCP connection to 127.0.0.1:port with send and receive timeouts
/// (so a broken server fails a test instead of hanging it) and TCP_NODELAY;
/// `rcvbuf` > 0 shrinks the receive buffer. Throws std::runtime_error.
inline int connect_loopback(std::uint16_t port, int timeout_ms, int rcvbuf = 0) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (rcvbuf > 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    int err = errno;
    ::close(fd);
    throw std::runtime_error(std::string("connect: ") + std::strerror(err));
  }
  return fd;
}

class test_client {
 public:
  /// Connects to 127.0.0.1:port; throws std::runtime_error when it cannot.
  explicit test_client(std::uint16_t port, int timeout_ms = 10'000)
      : fd_(connect_loopback(port, timeout_ms)) {}
  ~test_client() { close(); }
  test_client(const test_client&) = delete;
  test_client& operator=(const test_client&) = delete;

  int fd() const { return fd_; }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  /// Closes with RST instead of FIN (SO_LINGER 0), as a crashed client would.
  void reset() {
    linger l{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close();
  }
  void shutdown_write() { ::shutdown(fd_, SHUT_WR); }

  /// Writes everything; false when the peer is gone.
  bool send(std::string_view bytes) {
    while (!bytes.empty()) {
      auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }

  /// Reads one response (a 1xx counts as one). nullopt on timeout, error or
  /// a close before the response is complete.
  std::optional<http_response> read_response(bool head_request = false) {
    std::size_t end;
    while ((end = buf_.find("\r\n\r\n")) == std::string::npos)
      if (!fill()) return std::nullopt;
    http_response r;
    std::string_view head(buf_.data(), end);
    std::size_t line_end = head.find("\r\n");
    std::string_view status_line = head.substr(0, line_end);
    if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/") return std::nullopt;
    r.status = std::stoi(std::string(status_line.substr(9, 3)));
    while (line_end != std::string_view::npos) {
      std::size_t start = line_end + 2;
      line_end = head.find("\r\n", start);
      std::string_view line = head.substr(
          start, line_end == std::string_view::npos ? std::string_view::npos : line_end - start);
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return std::nullopt;
      std::string_view value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      r.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
    }
    buf_.erase(0, end + 4);
    if (head_request || r.status / 100 == 1 || r.status == 204 || r.status == 304) return r;
    if (std::string cl = r.header("Content-Length"); !cl.empty()) {
      std::size_t n = std::stoull(cl);
      if (!read_bytes(n, r.body)) return std::nullopt;
    } else if (r.header("Transfer-Encoding") == "chunked") {
      if (!read_chunked(r.body)) return std::nullopt;
    } else {
      while (fill()) {
      }
      r.body = std::move(buf_);
      buf_.clear();
    }
    return r;
  }

  /// Reads (and discards) until the server closes; false on timeout.
  bool wait_closed() {
    buf_.clear();
    for (;;) {
      char tmp[16384];
      auto n = ::recv(fd_, tmp, sizeof tmp, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
      buf_.append(tmp, static_cast<std::size_t>(n));
    }
  }
  /// What wait_closed() read before the close.
  const std::string& leftover() const { return buf_; }

  /// Reads up to n raw bytes (at least one unless the peer closed).
  std::size_t read_some(std::size_t n) {
    std::string tmp(n, '\0');
    auto got = ::recv(fd_, tmp.data(), n, 0);
    return got > 0 ? static_cast<std::size_t>(got) : 0;
  }

 private:
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
  bool read_bytes(std::size_t n, std::string& out) {
    while (buf_.size() < n)
      if (!fill()) return false;
    out.append(buf_, 0, n);
    buf_.erase(0, n);
    return true;
  }
  bool read_line(std::string& line) {
    std::size_t eol;
    while ((eol = buf_.find("\r\n")) == std::string::npos)
      if (!fill()) return false;
    line = buf_.substr(0, eol);
    buf_.erase(0, eol + 2);
    return true;
  }
  bool read_chunked(std::string& out) {
    for (;;) {
      std::string line;
      if (!read_line(line)) return false;
      std::size_t size = std::stoull(line, nullptr, 16);
      if (size == 0) {
        do {  // trailers, up to the empty line
          if (!read_line(line)) return false;
        } while (!line.empty());
        return true;
      }
      if (!read_bytes(size, out) || !read_line(line)) return false;
    }
  }

  int fd_ = -1;
  std::string buf_;
};

}  // namespace httpcore::test
