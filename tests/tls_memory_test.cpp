// Bytes an idle TLS connection holds: server sessions that finished a
// handshake and an exchange are kept open while every heap byte (OpenSSL's
// and ours) is counted. SSL_MODE_RELEASE_BUFFERS and a freed output buffer
// keep it at about 14 KiB (OpenSSL's SSL object, keys and cipher contexts);
// without them it is about 47 KiB (the record buffers stay allocated).
#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "httpcore/tls/session.hpp"
#include "support/tls_certs.hpp"
#include "support/tls_pair.hpp"

namespace {

// Live heap bytes, with each block's size kept in a header in front of it.
std::atomic<long long> g_live{0};
constexpr std::size_t header = 16;  // keeps the alignment malloc gives

void* counted_malloc(std::size_t n) {
  auto* base = static_cast<unsigned char*>(std::malloc(n + header));
  if (base == nullptr) return nullptr;
  *reinterpret_cast<std::size_t*>(base) = n;
  g_live += static_cast<long long>(n);
  return base + header;
}

void counted_free(void* p) {
  if (p == nullptr) return;
  auto* base = static_cast<unsigned char*>(p) - header;
  g_live -= static_cast<long long>(*reinterpret_cast<std::size_t*>(base));
  std::free(base);
}

void* counted_realloc(void* p, std::size_t n) {
  if (p == nullptr) return counted_malloc(n);
  auto* base = static_cast<unsigned char*>(p) - header;
  const std::size_t old = *reinterpret_cast<std::size_t*>(base);
  auto* grown = static_cast<unsigned char*>(std::realloc(base, n + header));
  if (grown == nullptr) return nullptr;
  *reinterpret_cast<std::size_t*>(grown) = n;
  g_live += static_cast<long long>(n) - static_cast<long long>(old);
  return grown + header;
}

// OpenSSL's allocations go through the counters from before its first one.
const bool g_hooked = CRYPTO_set_mem_functions(
    [](std::size_t n, const char*, int) { return counted_malloc(n); },
    [](void* p, std::size_t n, const char*, int) { return counted_realloc(p, n); },
    [](void* p, const char*, int) { counted_free(p); });

}  // namespace

void* operator new(std::size_t n) {
  if (void* p = counted_malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  counted_free(p);
}

namespace {

namespace tls = httpcore::tls;
using httpcore::test::tls_pair;
constexpr std::int64_t t0 = 1'000'000;

TEST(TlsMemory, IdleServerConnectionBytes) {
  ASSERT_TRUE(g_hooked) << "OpenSSL allocated before the counters were installed";
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
  const long long before = g_live.load();
  for (int i = 0; i < connections; ++i) open_one();
  const long long per_connection = (g_live.load() - before) / connections;
  std::printf("bytes per idle TLS 1.3 server connection: %lld\n", per_connection);
  RecordProperty("idle_tls_connection_bytes", static_cast<int>(per_connection));
  EXPECT_GT(per_connection, 0);
  EXPECT_LT(per_connection, 20 * 1024) << "record buffers are not released when idle";
}

}  // namespace
