// Bytes an idle TLS connection holds: server sessions that finished a
// handshake and an exchange are kept open while every heap byte (OpenSSL's
// and ours) is counted. SSL_MODE_RELEASE_BUFFERS and a freed output buffer
// keep it at about 14 KiB (OpenSSL's SSL object, keys and cipher contexts);
// without them it is about 47 KiB (the record buffers stay allocated).
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "httpcore/tls/session.hpp"
#include "support/live_heap.hpp"
#include "support/tls_certs.hpp"
#include "support/tls_pair.hpp"

namespace {

namespace tls = httpcore::tls;
using httpcore::test::tls_pair;
constexpr std::int64_t t0 = 1'000'000;

TEST(TlsMemory, IdleServerConnectionBytes) {
  ASSERT_TRUE(httpcore::test::live_heap_hooked)
      << "OpenSSL allocated before the counters were installed";
  const httpcore::test::test_ca ca;
  tls::server_config server_config;
  server_config.certificates.push_back(ca.issue("DNS:localhost").config());
  const auto server_ctx = tls::server_context::make(server_config);
  tls::client_config client_config;
  client_config.ca_pem = ca.pem();
  const auto client_ctx = tls::client_context::make(client_config);

  constexpr int connections = 64;
  std::vector<tls::session> idle;
  idle.reserve(connections + 1);
  auto open_one = [&] {
    tls_pair p(tls::session::connect(client_ctx, "localhost", t0),
               tls::session::accept(server_ctx, t0));
    p.pump();
    p.client.send("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n");
    p.pump();
    p.server.send("HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nHello, World!");
    p.pump();
    EXPECT_EQ(p.client_received.size(), 52u);
    p.server.release_idle_memory();
    idle.push_back(std::move(p.server));  // the client goes away
  };
  open_one();  // OpenSSL's one-time set-up (per-thread RNG, error strings) first
  const long long before = httpcore::test::g_live_heap.load();
  for (int i = 0; i < connections; ++i) open_one();
  const long long per_connection = (httpcore::test::g_live_heap.load() - before) / connections;
  std::printf("bytes per idle TLS 1.3 server connection: %lld\n", per_connection);
  RecordProperty("idle_tls_connection_bytes", static_cast<int>(per_connection));
  EXPECT_GT(per_connection, 0);
  EXPECT_LT(per_connection, 20 * 1024) << "record buffers are not released when idle";
}

}  // namespace
