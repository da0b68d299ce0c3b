// What an idle TLS connection keeps in the server, on every front end, after
// it uploaded a body: clients over loopback make a TLS 1.3 handshake, POST
// 64 KiB to /echo, read the echo and stay open, while every heap byte of the
// process (OpenSSL's and ours) is counted. The TLS layer frees its plaintext
// buffer once the session has taken it; when it only cleared it, each idle
// connection kept a record's worth of capacity (16 KiB) on top of OpenSSL's
// state (about 14 KiB, tests/tls_memory_test.cpp).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "httpcore/tls/context.hpp"
#include "support/frontend_fixture.hpp"
#include "support/tls_client.hpp"
#include "tests/support/live_heap.hpp"
#include "tests/support/tls_certs.hpp"

namespace httpcore::test {
namespace {

constexpr std::size_t kUpload = 64 * 1024;

class TlsMemory : public frontend_test {};

TEST_P(TlsMemory, IdleConnectionAfterUploadHoldsNoRecordBuffer) {
  ASSERT_TRUE(live_heap_hooked) << "OpenSSL allocated before the counters were installed";
  const test_ca ca;
  tls::server_config config;
  config.certificates.push_back(ca.issue("DNS:localhost").config());
  auto o = options();
  o.tls = std::make_shared<tls::server_credentials>(config, 0);
  o.threads = 1;  // one loop or worker: no other thread's first-use state in the count
  start(o);
  tls::client_config client_config;
  client_config.ca_pem = ca.pem();
  const auto client_ctx = tls::client_context::make(client_config);
  const std::string body(kUpload, 'u');

  std::vector<int> open_fds;
  auto one = [&] {
    tls_client c(port(), client_ctx);
    const std::string request =
        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\n\r\n" + body;
    ASSERT_TRUE(c.exchange(request, "\r\n\r\n" + body));
    ASSERT_TRUE(c.received().starts_with("HTTP/1.1 200"));
    open_fds.push_back(c.fd());  // the client goes, its connection stays
  };
  constexpr int kConnections = 16;
  open_fds.reserve(kConnections + 1);
  one();  // one-time set-up (OpenSSL's per-thread state, the front end's tables) first
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const long long before = g_live_heap.load();
  for (int i = 0; i < kConnections; ++i) one();
  // The server finishes its side (the last write, then its idle trimming)
  // just after the client has read the last byte.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const long long per_connection = (g_live_heap.load() - before) / kConnections;
  std::printf("%s: bytes per idle TLS connection after a 64 KiB upload: %lld\n",
              std::string(GetParam()).c_str(), per_connection);
  EXPECT_GT(per_connection, 0);
  // OpenSSL's idle state is about 14 KiB and the session's under 1 KiB; a
  // record buffer kept by the layer would add 16 KiB.
  EXPECT_LT(per_connection, 24 * 1024) << "an idle TLS connection keeps a record-sized buffer";
  for (int fd : open_fds) ::close(fd);
}

INSTANTIATE_TEST_SUITE_P(AllFrontends, TlsMemory, ::testing::ValuesIn(frontend_names()),
                         frontend_test_name);

}  // namespace
}  // namespace httpcore::test
