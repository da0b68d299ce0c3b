#pragma once
// A blocking TLS client for the front-end tests: a loopback socket (with the
// timeouts of connect_loopback) and a client tls::session driven by hand.

#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>

#include "httpcore/tls/context.hpp"
#include "httpcore/tls/session.hpp"
#include "support/test_client.hpp"

namespace httpcore::test {

class tls_client {
 public:
  /// Connects (throws std::runtime_error when it cannot); the handshake runs
  /// with the first exchange.
  tls_client(std::uint16_t port, std::shared_ptr<const tls::client_context> ctx,
             int timeout_ms = 10'000)
      : fd_(connect_loopback(port, timeout_ms)),
        tls_(tls::session::connect(std::move(ctx), "localhost", 0)) {}

  /// Sends `request` and reads until the plaintext received ends with
  /// `ending`; false when the connection or the TLS session fails first.
  bool exchange(const std::string& request, const std::string& ending) {
    tls_.send(request);
    while (plain_.size() < ending.size() ||
           plain_.compare(plain_.size() - ending.size(), ending.size(), ending) != 0) {
      if (!flush() || !read_some()) return false;
    }
    return true;
  }

  const std::string& received() const { return plain_; }
  /// The socket; the test closes it (the client may go first, leaving the
  /// server's connection open).
  int fd() const { return fd_; }

 private:
  bool flush() {
    while (!tls_.output().empty()) {
      auto out = tls_.output();
      auto n = ::send(fd_, out.data(), out.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      tls_.consume_output(static_cast<std::size_t>(n));
    }
    return true;
  }
  bool read_some() {
    std::array<std::byte, 16 * 1024> buf;
    auto n = ::recv(fd_, buf.data(), buf.size(), 0);
    if (n <= 0) return false;
    return tls_.receive(std::span(buf.data(), static_cast<std::size_t>(n)), plain_) !=
           tls::state::failed;
  }

  int fd_;
  tls::session tls_;
  std::string plain_;
};

}  // namespace httpcore::test
