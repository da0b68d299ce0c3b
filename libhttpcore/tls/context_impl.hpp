#pragma once
// What a context holds, for the session to make its SSL objects from.

#include <memory>
#include <string>
#include <vector>

#include "httpcore/tls/context.hpp"
#include "openssl_ptr.hpp"
#include "ticket_keys.hpp"

namespace httpcore::tls {

struct server_context::impl {
  server_config config;
  std::shared_ptr<ticket_keys> keys;
  /// One per certificate, in the configuration's order; [0] is the default.
  std::vector<detail::ssl_ctx_ptr> contexts;
  /// config.alpn in ALPN's wire format (length-prefixed names).
  std::string alpn_wire;
};

struct client_context::impl {
  client_config config;
  detail::ssl_ctx_ptr context;
  std::string alpn_wire;
};

namespace detail {

/// Settings both roles share: TLS 1.2 and 1.3 only, no renegotiation, no
/// compression, record buffers released when idle, partial writes.
void apply_common_settings(SSL_CTX* ctx);

/// `protocols` in ALPN's wire format; throws config_error for a name that
/// is empty or longer than 255 bytes.
std::string alpn_wire_format(const std::vector<std::string>& protocols);

}  // namespace detail
}  // namespace httpcore::tls
