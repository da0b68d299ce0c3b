// libFuzzer target: a server TLS session (httpcore::tls) fed hostile records.
//
// Input: two control bytes, then the bytes a client sends.
//   byte 0: piece size for feeding (1..256)
//   byte 1: bit 0: the stream ends (receive_eof) after the last byte
// The session is fed the bytes whole, then a fresh one in pieces. Never a
// crash or a leak; never more plaintext than ciphertext; a failure carries
// an error and is terminal (later input changes nothing); and both feedings
// end alike: same state, same error, same plaintext, same bytes written.
// OpenSSL's randomness comes from a generator reset for every session, so
// the server's answers depend on the input alone (and runs are the same on
// every machine, as `make fuzz-smoke` needs).
#define OPENSSL_SUPPRESS_DEPRECATED  // RAND_set_rand_method: the only hook for this
#include <openssl/rand.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "httpcore/tls/session.hpp"
#include "support/tls_certs.hpp"

namespace {

namespace tls = httpcore::tls;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_tls_server: %s\n", what);
  std::abort();
}

// splitmix64: not random at all, which is the point.
std::uint64_t g_rng = 0;

int fixed_bytes(unsigned char* out, int size) {
  for (int i = 0; i < size; ++i) {
    g_rng += 0x9e3779b97f4a7c15ull;
    std::uint64_t z = g_rng;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    out[i] = static_cast<unsigned char>(z ^ (z >> 31));
  }
  return 1;
}
int fixed_status() {
  return 1;
}

const RAND_METHOD fixed_rand = {nullptr, fixed_bytes, nullptr, nullptr, fixed_bytes, fixed_status};

std::shared_ptr<const tls::server_context> make_context() {
  RAND_set_rand_method(&fixed_rand);
  const httpcore::test::test_ca ca;
  tls::server_config config;
  config.certificates.push_back(ca.issue("DNS:localhost").config());
  config.handshake_timeout_us = 1'000'000;
  return tls::server_context::make(config);
}

struct outcome {
  tls::state state;
  tls::error code;
  std::string plaintext;
  std::string written;
};

outcome run(std::string_view client, std::size_t piece, bool eof) {
  static const auto ctx = make_context();
  g_rng = 0;
  auto s = tls::session::accept(ctx, 0);
  outcome o;
  for (std::size_t i = 0; i < client.size(); i += piece) {
    const auto part = client.substr(i, piece);
    const std::size_t before = o.plaintext.size();
    const bool was_failed = s.state() == tls::state::failed;
    const std::size_t pending_output = s.output().size();
    s.receive(part, o.plaintext);
    if (was_failed) {
      if (s.state() != tls::state::failed) fail("a failure is not terminal");
      if (o.plaintext.size() != before) fail("plaintext after a failure");
      if (s.output().size() != pending_output) fail("output after a failure");
    }
    if (o.plaintext.size() > i + part.size()) fail("more plaintext than ciphertext");
    o.written += s.output();
    s.consume_output(s.output().size());
  }
  if (eof) s.receive_eof();
  s.on_timer(500'000);  // before the deadline: changes nothing
  o.written += s.output();
  o.state = s.state();
  o.code = s.failure().code;
  if ((o.state == tls::state::failed) != (o.code != tls::error::none)) {
    fail("a failed state without an error, or an error without one");
  }
  if (tls::error_name(o.code) == "unknown") fail("an error without a name");
  if (s.failure().offset > client.size()) fail("a failure offset past the input");
  if (o.state == tls::state::handshaking && s.on_timer(1'000'000) != tls::state::failed) {
    fail("the handshake deadline did not fail the session");
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t piece = std::size_t{data[0]} + 1;
  const bool eof = (data[1] & 1) != 0;
  const std::string_view client(reinterpret_cast<const char*>(data + 2), size - 2);
  const outcome whole = run(client, client.size() + 1, eof);
  const outcome pieces = run(client, piece, eof);
  if (whole.state != pieces.state) fail("pieces and whole end in different states");
  if (whole.code != pieces.code) fail("pieces and whole fail differently");
  if (whole.plaintext != pieces.plaintext) fail("pieces and whole decrypt differently");
  if (whole.written != pieces.written) fail("pieces and whole answer differently");
  return 0;
}
