// httpcore::tls sessions, client and server wired to each other in memory
// (no sockets): the handshake and data whole and one byte at a time, ALPN
// outcomes, SNI, certificate refusals by the client role (wrong name,
// expired, self-signed, untrusted by default), old protocol versions, a
// truncated record, garbage and cleartext HTTP instead of a ClientHello, the
// handshake deadline, close_notify, and resumption across ticket rotations.
#include "httpcore/tls/session.hpp"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <string>
#include <string_view>
#include <vector>

#include "support/tls_certs.hpp"
#include "support/tls_pair.hpp"

namespace {

namespace tls = httpcore::tls;
using httpcore::test::deliver;
using httpcore::test::pem_pair;
using httpcore::test::test_ca;
using httpcore::test::tls_pair;

constexpr std::int64_t t0 = 1'000'000;

const test_ca& ca() {
  static const test_ca instance;
  return instance;
}

const pem_pair& localhost_cert() {
  static const pem_pair leaf = ca().issue("DNS:localhost,IP:127.0.0.1");
  return leaf;
}

std::shared_ptr<const tls::server_context> server_ctx(std::vector<std::string> alpn = {"http/1.1"},
                                                      const pem_pair& cert = localhost_cert()) {
  tls::server_config config;
  config.certificates.push_back(cert.config());
  config.alpn = std::move(alpn);
  return tls::server_context::make(config);
}

std::shared_ptr<const tls::client_context> client_ctx(std::vector<std::string> alpn = {},
                                                      bool tls13 = true) {
  tls::client_config config;
  config.ca_pem = ca().pem();
  config.alpn = std::move(alpn);
  config.allow_tls13 = tls13;
  return tls::client_context::make(config);
}

tls_pair connect(std::shared_ptr<const tls::server_context> server,
                 std::shared_ptr<const tls::client_context> client,
                 std::string_view host = "localhost") {
  return tls_pair{tls::session::connect(std::move(client), host, t0),
                  tls::session::accept(std::move(server), t0)};
}

std::string pattern(std::size_t n) {
  std::string s(n, '\0');
  for (std::size_t i = 0; i < n; ++i) s[i] = static_cast<char>('a' + (i * 7) % 26);
  return s;
}

// ------------------------------------------------------------ handshake ----

// to_string names every value of the TLS enums, each its own name; one past
// the last is "unknown".
TEST(TlsSession, EveryEnumValueHasAName) {
  const std::vector<std::string_view> states = {"handshaking", "established", "closed", "failed"};
  for (std::size_t v = 0; v < states.size(); ++v)
    EXPECT_EQ(to_string(static_cast<tls::state>(v)), states[v]);
  EXPECT_EQ(to_string(static_cast<tls::state>(states.size())), "unknown");
  const std::vector<std::string_view> errors = {"none",
                                                "handshake_timeout",
                                                "plain_http",
                                                "not_tls",
                                                "protocol_version",
                                                "handshake_failure",
                                                "no_application_protocol",
                                                "certificate_expired",
                                                "certificate_name_mismatch",
                                                "certificate_untrusted",
                                                "certificate_invalid",
                                                "peer_alert",
                                                "bad_record",
                                                "truncated",
                                                "protocol_error",
                                                "internal"};
  for (std::size_t v = 0; v < errors.size(); ++v) {
    const std::string_view name = to_string(static_cast<tls::error>(v));
    EXPECT_EQ(name, errors[v]) << v;
    EXPECT_EQ(name.data()[name.size()], '\0');
  }
  EXPECT_EQ(static_cast<std::size_t>(tls::error::internal) + 1, errors.size());
  EXPECT_EQ(to_string(static_cast<tls::error>(errors.size())), "unknown");
}

TEST(TlsSession, HandshakeAndDataBothWays) {
  auto p = connect(server_ctx(), client_ctx());
  EXPECT_FALSE(p.client.output().empty()) << "connect() queues the ClientHello";
  p.pump();
  ASSERT_EQ(p.client.state(), tls::state::established) << p.client.failure().detail;
  ASSERT_EQ(p.server.state(), tls::state::established) << p.server.failure().detail;
  EXPECT_EQ(p.client.version(), "TLSv1.3");
  EXPECT_EQ(p.server.version(), "TLSv1.3");
  EXPECT_EQ(p.server.server_name(), "localhost");
  EXPECT_TRUE(p.server.is_server());
  EXPECT_FALSE(p.client.is_server());

  p.client.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  p.pump();
  EXPECT_EQ(p.server_received, "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  const std::string big = pattern(100'000);  // several records
  p.server.send(big);
  p.pump();
  EXPECT_EQ(p.client_received, big);
}

// Every byte its own receive(): every record and handshake message is split
// at every offset, in both directions, for TLS 1.3 and 1.2.
void byte_at_a_time(bool tls13) {
  auto p = connect(server_ctx(), client_ctx({}, tls13));
  // Sent before the handshake is over: held, then sent (a write that must
  // wait for the peer's bytes).
  const std::string request = pattern(40'000);
  p.client.send(request);
  EXPECT_EQ(p.client.pending_plaintext(), request.size());
  p.pump(1);
  ASSERT_EQ(p.client.state(), tls::state::established) << p.client.failure().detail;
  ASSERT_EQ(p.server.state(), tls::state::established) << p.server.failure().detail;
  EXPECT_EQ(p.client.version(), tls13 ? "TLSv1.3" : "TLSv1.2");
  EXPECT_EQ(p.client.pending_plaintext(), 0u);
  EXPECT_EQ(p.server_received, request);
  const std::string response = pattern(20'000);
  p.server.send(response);
  p.pump(1);
  EXPECT_EQ(p.client_received, response);
}

TEST(TlsSession, EveryByteSeparatelyTls13) {
  byte_at_a_time(true);
}

TEST(TlsSession, EveryByteSeparatelyTls12) {
  byte_at_a_time(false);
}

// The ClientHello, and then the client's whole second flight with the data
// after it, cut in two at every offset.
TEST(TlsSession, ClientFlightsSplitAtEveryOffset) {
  const auto server = server_ctx();
  const auto client = client_ctx();
  auto probe = connect(server, client);
  const std::string hello(probe.client.output());
  for (std::size_t cut = 1; cut < hello.size(); ++cut) {
    auto p = connect(server, client);
    std::string plain;
    p.client.consume_output(p.client.output().size());
    p.server.receive(std::string_view(hello).substr(0, cut), plain);
    EXPECT_TRUE(p.server.output().empty()) << "a partial ClientHello is answered at " << cut;
    p.server.receive(std::string_view(hello).substr(cut), plain);
    ASSERT_FALSE(p.server.output().empty()) << "no ServerHello after a cut at " << cut;
    ASSERT_EQ(p.server.state(), tls::state::handshaking);
  }

  auto q = connect(server, client);
  deliver(q.client, q.server, q.server_received);
  deliver(q.server, q.client, q.client_received);
  q.client.send("ping");
  const std::string second(q.client.output());  // Finished, then the data
  for (std::size_t cut = 1; cut < second.size(); ++cut) {
    auto p = connect(server, client);
    deliver(p.client, p.server, p.server_received);
    deliver(p.server, p.client, p.client_received);
    p.client.send("ping");
    const std::string flight(p.client.output());
    p.client.consume_output(flight.size());
    p.server.receive(std::string_view(flight).substr(0, std::min(cut, flight.size())),
                     p.server_received);
    p.server.receive(std::string_view(flight).substr(std::min(cut, flight.size())),
                     p.server_received);
    ASSERT_EQ(p.server.state(), tls::state::established) << "cut at " << cut;
    ASSERT_EQ(p.server_received, "ping") << "cut at " << cut;
  }
}

// TLS 1.3 tickets are written by the server as the handshake completes: the
// client has a resumable session without the server being called again.
TEST(TlsSession, TicketsAreQueuedWhenTheHandshakeCompletes) {
  auto p = connect(server_ctx(), client_ctx());
  deliver(p.client, p.server, p.server_received);  // ClientHello
  deliver(p.server, p.client, p.client_received);  // ServerHello .. Finished
  deliver(p.client, p.server, p.server_received);  // client Finished
  EXPECT_EQ(p.server.state(), tls::state::established);
  ASSERT_FALSE(p.server.output().empty()) << "NewSessionTicket not written";
  deliver(p.server, p.client, p.client_received);
  EXPECT_FALSE(p.client.saved_session().empty());
  EXPECT_TRUE(p.client_received.empty());
}

// ------------------------------------------------------------------ ALPN ---

struct alpn_case {
  std::vector<std::string> server, client;
  std::string agreed;
};

TEST(TlsSession, AlpnByServerPreference) {
  const alpn_case cases[] = {
      {{"h2", "http/1.1"}, {"http/1.1", "h2"}, "h2"},
      {{"http/1.1", "h2"}, {"h2", "http/1.1"}, "http/1.1"},
      {{"h2", "http/1.1"}, {"http/1.1"}, "http/1.1"},
      {{"http/1.1"}, {}, ""},  // no ALPN from the client: served, nothing agreed
      {{}, {"http/1.1"}, ""},  // a server without ALPN ignores the offer
  };
  for (const auto& c : cases) {
    auto p = connect(server_ctx(c.server), client_ctx(c.client));
    p.pump();
    ASSERT_EQ(p.server.state(), tls::state::established) << p.server.failure().detail;
    EXPECT_EQ(p.server.alpn(), c.agreed);
    EXPECT_EQ(p.client.alpn(), c.agreed);
  }
}

TEST(TlsSession, AlpnWithNothingInCommonIsRefused) {
  auto p = connect(server_ctx({"http/1.1"}), client_ctx({"h3", "spdy/3"}));
  p.pump();
  EXPECT_EQ(p.server.state(), tls::state::failed);
  EXPECT_EQ(p.server.failure().code, tls::error::no_application_protocol);
  EXPECT_EQ(p.client.state(), tls::state::failed);
  EXPECT_EQ(p.client.failure().code, tls::error::no_application_protocol);
  EXPECT_EQ(p.client.failure().alert, 120);  // no_application_protocol (RFC 7301)
}

// ---------------------------------------------------------- certificates ---

tls::failure client_failure(tls_pair& p) {
  p.pump();
  EXPECT_EQ(p.client.state(), tls::state::failed);
  EXPECT_EQ(p.server.state(), tls::state::failed) << "the server heard no alert";
  EXPECT_GE(p.server.failure().alert, 0);
  return p.client.failure();
}

TEST(TlsSession, ClientRefusesAWrongHostName) {
  auto p = connect(server_ctx(), client_ctx(), "example.org");
  const auto f = client_failure(p);
  EXPECT_EQ(f.code, tls::error::certificate_name_mismatch) << tls::error_name(f.code);
  EXPECT_EQ(f.detail, "hostname mismatch");
  EXPECT_TRUE(p.client_received.empty());
}

TEST(TlsSession, ClientRefusesAWrongIpAddress) {
  auto p = connect(server_ctx(), client_ctx(), "127.0.0.2");
  EXPECT_EQ(client_failure(p).code, tls::error::certificate_name_mismatch);
  auto ok = connect(server_ctx(), client_ctx(), "127.0.0.1");
  ok.pump();
  EXPECT_EQ(ok.client.state(), tls::state::established) << ok.client.failure().detail;
  EXPECT_EQ(ok.server.server_name(), "") << "an IP address is not sent as SNI";
}

TEST(TlsSession, ClientRefusesAnExpiredCertificate) {
  const auto expired =
      ca().issue("DNS:localhost", -10 * httpcore::test::one_day, -httpcore::test::one_day);
  auto p = connect(server_ctx({}, expired), client_ctx());
  const auto f = client_failure(p);
  EXPECT_EQ(f.code, tls::error::certificate_expired) << tls::error_name(f.code);
  EXPECT_EQ(f.detail, "certificate has expired");
}

TEST(TlsSession, ClientRefusesASelfSignedCertificate) {
  const auto self = httpcore::test::self_signed("DNS:localhost");
  auto p = connect(server_ctx({}, self), client_ctx());
  const auto f = client_failure(p);
  EXPECT_EQ(f.code, tls::error::certificate_untrusted) << tls::error_name(f.code);
  EXPECT_EQ(f.detail, "self-signed certificate");
}

// Verification is on by default: a client configured with nothing but the
// system's CAs refuses the test CA's certificate.
TEST(TlsSession, VerificationIsOnByDefault) {
  auto p = connect(server_ctx(), tls::client_context::make({}));
  const auto f = client_failure(p);
  EXPECT_EQ(f.code, tls::error::certificate_untrusted) << tls::error_name(f.code);
  // And off when asked (the certificate is then not looked at).
  tls::client_config off;
  off.verify_peer = false;
  auto q = connect(server_ctx(), tls::client_context::make(off), "example.org");
  q.pump();
  EXPECT_EQ(q.client.state(), tls::state::established);
}

TEST(TlsSession, CertificateChosenBySni) {
  const auto a = ca().issue("DNS:a.test");
  const auto b = ca().issue("DNS:b.test,DNS:*.b.test");
  tls::server_config config;
  config.certificates = {a.config(), b.config()};
  const auto server = tls::server_context::make(config);
  for (std::string host : {"a.test", "b.test", "www.b.test"}) {
    auto p = connect(server, client_ctx(), host);
    p.pump();
    EXPECT_EQ(p.client.state(), tls::state::established) << host << p.client.failure().detail;
    EXPECT_EQ(p.server.server_name(), host);
  }
  // A name neither covers gets the first certificate, which the client refuses.
  auto p = connect(server, client_ctx(), "c.test");
  EXPECT_EQ(client_failure(p).code, tls::error::certificate_name_mismatch);
}

// --------------------------------------------------------- bad input -------

tls::failure server_failure_for(std::string_view bytes) {
  auto server = tls::session::accept(server_ctx(), t0);
  std::string plain;
  EXPECT_EQ(server.receive(bytes, plain), tls::state::failed);
  EXPECT_TRUE(plain.empty());
  return server.failure();
}

TEST(TlsSession, PlainHttpInsteadOfAClientHello) {
  const auto f = server_failure_for("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
  EXPECT_EQ(f.code, tls::error::plain_http) << tls::error_name(f.code) << ": " << f.detail;
  EXPECT_EQ(f.detail, "http request");
}

TEST(TlsSession, GarbageInsteadOfAClientHello) {
  const auto f = server_failure_for(std::string(64, '\x01'));
  EXPECT_EQ(f.code, tls::error::not_tls) << tls::error_name(f.code) << ": " << f.detail;
  EXPECT_EQ(f.offset, 5u) << "fails on the first record header";
  // A handshake record header announcing more than a record may hold.
  const auto g = server_failure_for(std::string("\x16\x03\x01\x7f\xff", 5));
  EXPECT_EQ(g.code, tls::error::bad_record) << tls::error_name(g.code) << ": " << g.detail;
  // A handshake record whose content is not a ClientHello.
  const auto h = server_failure_for(std::string("\x16\x03\x01\x00\x04\x02\x00\x00\x00", 9));
  EXPECT_EQ(h.code, tls::error::protocol_error) << tls::error_name(h.code) << ": " << h.detail;
}

// A ClientHello from a client that speaks TLS 1.0 or 1.1 at most.
std::string old_client_hello(int max_version) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_min_proto_version(ctx, TLS1_VERSION);
  SSL_CTX_set_max_proto_version(ctx, max_version);
  SSL_CTX_set_cipher_list(ctx, "DEFAULT:@SECLEVEL=0");
  SSL* ssl = SSL_new(ctx);
  BIO* in = BIO_new(BIO_s_mem());
  BIO* out = BIO_new(BIO_s_mem());
  SSL_set_bio(ssl, in, out);
  SSL_set_connect_state(ssl);
  SSL_do_handshake(ssl);
  char* data = nullptr;
  const long size = BIO_get_mem_data(out, &data);
  std::string hello(data, static_cast<std::size_t>(size));
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  return hello;
}

TEST(TlsSession, Tls10And11AreRefused) {
  for (int version : {TLS1_VERSION, TLS1_1_VERSION}) {
    const std::string hello = old_client_hello(version);
    ASSERT_FALSE(hello.empty());
    auto server = tls::session::accept(server_ctx(), t0);
    std::string plain;
    EXPECT_EQ(server.receive(hello, plain), tls::state::failed);
    EXPECT_EQ(server.failure().code, tls::error::protocol_version)
        << tls::error_name(server.failure().code) << ": " << server.failure().detail;
    EXPECT_FALSE(server.output().empty()) << "no protocol_version alert queued";
  }
}

// The connection ends in the middle of a record: nothing of it is released,
// and the end is a truncation.
TEST(TlsSession, TruncatedRecord) {
  auto p = connect(server_ctx(), client_ctx());
  p.pump();
  p.client.send("secret data");
  const std::string record(p.client.output());
  p.client.consume_output(record.size());
  std::string plain;
  EXPECT_EQ(p.server.receive(std::string_view(record).substr(0, record.size() - 1), plain),
            tls::state::established);
  EXPECT_TRUE(plain.empty()) << "plaintext of an incomplete record";
  EXPECT_EQ(p.server.receive_eof(), tls::state::failed);
  EXPECT_EQ(p.server.failure().code, tls::error::truncated);
  EXPECT_TRUE(plain.empty());
}

// A record whose authentication tag does not match.
TEST(TlsSession, TamperedRecord) {
  auto p = connect(server_ctx(), client_ctx());
  p.pump();
  p.client.send("secret data");
  std::string record(p.client.output());
  p.client.consume_output(record.size());
  record[record.size() - 3] ^= 0x20;
  std::string plain;
  EXPECT_EQ(p.server.receive(record, plain), tls::state::failed);
  EXPECT_EQ(p.server.failure().code, tls::error::bad_record) << p.server.failure().detail;
  EXPECT_EQ(p.server.failure().offset, p.to_server + record.size()) << "the failing record's end";
  EXPECT_TRUE(plain.empty());
}

TEST(TlsSession, CloseNotifyThenEndIsClean) {
  auto p = connect(server_ctx(), client_ctx());
  p.pump();
  p.client.send("last words");
  p.client.close();
  EXPECT_EQ(p.client.state(), tls::state::closed);
  p.client.send("ignored after close");
  p.pump();
  EXPECT_EQ(p.server_received, "last words");
  EXPECT_TRUE(p.server.peer_closed());
  EXPECT_EQ(p.server.receive_eof(), tls::state::established) << "not a truncation";
  // The server still answers (half-close), then closes too.
  p.server.send("bye");
  p.server.close();
  p.pump();
  EXPECT_EQ(p.client_received, "bye");
  EXPECT_TRUE(p.client.peer_closed());
}

TEST(TlsSession, EndWithoutCloseNotifyIsATruncation) {
  auto p = connect(server_ctx(), client_ctx());
  p.pump();
  p.server.send("partial body");
  p.pump();
  EXPECT_EQ(p.client.receive_eof(), tls::state::failed);
  EXPECT_EQ(p.client.failure().code, tls::error::truncated);
}

TEST(TlsSession, HandshakeDeadline) {
  tls::server_config config;
  config.certificates.push_back(localhost_cert().config());
  config.handshake_timeout_us = 5'000'000;
  auto server = tls::session::accept(tls::server_context::make(config), t0);
  EXPECT_EQ(server.deadline_us(), t0 + 5'000'000);
  std::string plain;
  auto client = tls::session::connect(client_ctx(), "localhost", t0);
  const std::string hello(client.output());
  server.receive(std::string_view(hello).substr(0, 10), plain);  // then nothing more
  EXPECT_EQ(server.on_timer(t0 + 4'999'999), tls::state::handshaking);
  EXPECT_EQ(server.on_timer(t0 + 5'000'000), tls::state::failed);
  EXPECT_EQ(server.failure().code, tls::error::handshake_timeout);
  // Once the handshake is over there is no deadline.
  auto p = connect(tls::server_context::make(config), client_ctx());
  p.pump();
  EXPECT_EQ(p.server.deadline_us(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(p.server.on_timer(t0 + 60'000'000), tls::state::established);
}

// ------------------------------------------------------------ resumption ---

// Connects with `saved`; true when the server resumed it. `renewed` gets the
// session the client holds afterwards (a new ticket when the server sent one).
bool resumes(tls::server_credentials& creds, const std::string& saved, bool tls13 = true,
             std::string* renewed = nullptr) {
  tls_pair p(tls::session::connect(client_ctx({}, tls13), "localhost", t0, saved),
             tls::session::accept(creds.current(), t0));
  p.pump();
  EXPECT_EQ(p.server.state(), tls::state::established) << p.server.failure().detail;
  EXPECT_EQ(p.client.resumed(), p.server.resumed());
  if (renewed != nullptr) *renewed = p.client.saved_session();
  return p.server.resumed();
}

std::string fresh_ticket(tls::server_credentials& creds, bool tls13 = true) {
  tls_pair p(tls::session::connect(client_ctx({}, tls13), "localhost", t0),
             tls::session::accept(creds.current(), t0));
  p.pump();
  EXPECT_FALSE(p.server.resumed());
  return p.client.saved_session();
}

void resumption_across_rotations(bool tls13) {
  tls::server_config config;
  config.certificates.push_back(localhost_cert().config());
  config.ticket_keys_kept = 2;
  config.ticket_key_period_us = 60'000'000;
  tls::server_credentials creds(config, t0);
  const std::string saved = fresh_ticket(creds, tls13);
  ASSERT_FALSE(saved.empty());
  EXPECT_TRUE(resumes(creds, saved, tls13));
  creds.on_timer(t0 + 59'999'999);  // not yet
  EXPECT_TRUE(resumes(creds, saved, tls13));
  creds.on_timer(t0 + 60'000'000);  // one rotation: the old key is still accepted
  EXPECT_EQ(creds.next_rotation_us(), t0 + 120'000'000);
  std::string renewed;
  EXPECT_TRUE(resumes(creds, saved, tls13, &renewed));
  creds.rotate_ticket_keys();  // two: the ticket's key is gone
  EXPECT_FALSE(resumes(creds, saved, tls13));
  // The ticket resumed under the previous key was renewed under the current
  // one, so that client goes on resuming.
  EXPECT_TRUE(resumes(creds, renewed, tls13));
  EXPECT_FALSE(resumes(creds, "not a session", tls13)) << "a bad saved session: full handshake";
}

TEST(TlsSession, ResumptionAcrossTicketKeyRotationTls13) {
  resumption_across_rotations(true);
}

TEST(TlsSession, ResumptionAcrossTicketKeyRotationTls12) {
  resumption_across_rotations(false);
}

}  // namespace
