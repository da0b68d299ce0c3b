#pragma once
/// \file
/// What a TLS server or client is set up with. Both roles speak TLS 1.2 and
/// 1.3 only, with renegotiation and compression off; nothing here can turn
/// that back on.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace httpcore::tls {

/// A configuration that cannot be used: a file that cannot be read, PEM that
/// does not parse, a key that does not match its certificate, an empty
/// certificate list. what() names the file or item and OpenSSL's reason.
class config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One certificate chain (leaf first, then intermediates) and its private
/// key, PEM-encoded: read from the files when their names are given (again
/// on every reload), otherwise taken from the *_pem text.
struct certificate_config {
  std::string chain_file;
  std::string key_file;
  std::string chain_pem;
  std::string key_pem;
};

/// ALPN protocols this build serves, by the server's preference: "h2" first
/// once HTTP/2 is built in, then "http/1.1".
std::vector<std::string> default_alpn();

struct server_config {
  /// The first is served when the ClientHello has no SNI, or a name none of
  /// them covers; the others are chosen by SNI (a name their leaf
  /// certificate covers, wildcards included).
  std::vector<certificate_config> certificates;
  /// Protocols offered through ALPN, by preference. A client offering none
  /// of them is refused (no_application_protocol); a client that sends no
  /// ALPN is served (HTTP/1.1 is then implied).
  std::vector<std::string> alpn = default_alpn();
  /// TLS 1.2 suites (OpenSSL's cipher list syntax): forward secret AEADs
  /// only. TLS 1.3 uses OpenSSL's default suites (all are AEAD).
  std::string tls12_ciphers =
      "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
      "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
      "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
  /// A handshake not complete after this long fails (handshake_timeout).
  std::int64_t handshake_timeout_us = 10'000'000;
  /// Session resumption through tickets (stateless: no server-side cache).
  bool session_tickets = true;
  /// Ticket keys rotate this often (server_credentials::on_timer); tickets
  /// under the previous `ticket_keys_kept - 1` keys are still accepted (and
  /// renewed), so a ticket lives at most period * kept.
  std::int64_t ticket_key_period_us = 3'600'000'000;
  int ticket_keys_kept = 3;
};

struct client_config {
  /// Trusted CAs, PEM: a file, or the text; with both empty, the system's
  /// default store (OpenSSL's default paths).
  std::string ca_file;
  std::string ca_pem;
  /// Verify the server's chain and host name. Off only for tests against
  /// throwaway certificates.
  bool verify_peer = true;
  /// Protocols offered through ALPN, in preference order (none: no ALPN).
  std::vector<std::string> alpn;
  /// False: offer TLS 1.2 only (for a server that mishandles 1.3, and tests).
  bool allow_tls13 = true;
  std::int64_t handshake_timeout_us = 10'000'000;
};

}  // namespace httpcore::tls
