// TLS on the front ends, what is theirs rather than the TLS layer's: a TLS
// port over its connection limit closes the connection without writing the
// cleartext 503 a plain port answers (a TLS client would read it as a broken
// record), and the limit frees up again for a real TLS exchange.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>
#include <string>

#include "httpcore/tls/context.hpp"
#include "support/frontend_fixture.hpp"
#include "support/tls_client.hpp"
#include "tests/support/tls_certs.hpp"

namespace httpcore::test {
namespace {

class FrontendTls : public frontend_test {
 protected:
  void start_tls(server_options o) {
    tls::server_config config;
    config.certificates.push_back(ca_.issue("DNS:localhost").config());
    o.tls = std::make_shared<tls::server_credentials>(config, 0);
    start(o);
    tls::client_config client_config;
    client_config.ca_pem = ca_.pem();
    client_ = tls::client_context::make(client_config);
  }

  const std::string hello_ending = "\r\n\r\nHello, World!";
  test_ca ca_;
  std::shared_ptr<const tls::client_context> client_;
};

// What the server sends on a fresh connection before it ends: the bytes
// received until EOF (or a reset), waiting at most 5 s.
std::string bytes_until_closed(int fd) {
  std::string got;
  char buf[4096];
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 5000) <= 0) return got + "<still open after 5 s>";
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) return got;
    got.append(buf, static_cast<std::size_t>(n));
  }
}

TEST_P(FrontendTls, OverTheConnectionLimitClosesWithoutCleartext) {
  auto o = options();
  o.max_connections = 1;
  start_tls(o);
  auto a = std::make_unique<tls_client>(port(), client_);
  ASSERT_TRUE(a->exchange(get("/hello"), hello_ending));  // admitted and live

  const int over = connect_loopback(port(), 10'000);
  EXPECT_EQ(bytes_until_closed(over), "") << "a TLS port wrote cleartext to a refused client";
  ::close(over);
  EXPECT_EQ(fe_->stats().rejected_overload, 1u);

  ::close(a->fd());  // room again
  a.reset();
  ASSERT_TRUE(eventually([&] { return fe_->stats().connections == 0; }));
  tls_client next(port(), client_);
  EXPECT_TRUE(next.exchange(get("/hello"), hello_ending));
  ::close(next.fd());
}

INSTANTIATE_TEST_SUITE_P(AllFrontends, FrontendTls, ::testing::ValuesIn(frontend_names()),
                         frontend_test_name);

}  // namespace
}  // namespace httpcore::test
