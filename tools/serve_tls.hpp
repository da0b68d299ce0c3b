#pragma once
// `httpcore serve --tls-cert F --tls-key F [--tls-port N]`: the TLS port
// beside the plain one, served by a second front end of the same kind whose
// connections run TLS below the session, and the certificate reload on SIGHUP.
// Several --tls-cert/--tls-key pairs give several certificates, chosen by SNI.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "httpcore/frontend.hpp"

namespace httpcore::tools {

struct tls_certificate {
  std::string cert_file;  ///< PEM chain, leaf first
  std::string key_file;   ///< its PEM private key
};

struct tls_options {
  /// The first is the default (no SNI, or a name none covers); each of the
  /// others is served to a client whose SNI its leaf certificate covers.
  std::vector<tls_certificate> certificates;
  std::uint16_t port = 8443;
  std::int64_t handshake_timeout_us = 10'000'000;
  /// Session-ticket keys rotate this often; tickets stay valid for three
  /// periods (tls::server_config::ticket_keys_kept).
  std::int64_t ticket_rotation_us = 3'600'000'000;
};

/// The TLS side of `serve`, once started.
class tls_port {
 public:
  /// Loads the certificates and starts `f` on `options.port` with TLS. Throws
  /// std::runtime_error with a message fit for the user (a certificate that
  /// does not load, a port that cannot be bound).
  tls_port(std::unique_ptr<frontend> f, server::handler& h, server_options base,
           const tls_options& options);
  ~tls_port();

  frontend& front_end() { return *frontend_; }
  /// Reads every certificate and key file again for new connections; on
  /// failure the old ones stay and the reason is printed to standard error.
  void reload() noexcept;

 private:
  std::unique_ptr<frontend> frontend_;
  server_options options_;  // outlives the front end, which refers to it
  std::string cert_files_;  // for messages: "a.pem, b.pem"
};

}  // namespace httpcore::tools
