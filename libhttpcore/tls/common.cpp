// What both roles' contexts share, and OpenSSL's error text.

#include <openssl/err.h>

#include "context_impl.hpp"

namespace httpcore::tls::detail {

void apply_common_settings(SSL_CTX* ctx) {
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  // RELEASE_BUFFERS: an idle connection holds no record buffers (about
  // 34 KiB otherwise). PARTIAL_WRITE and MOVING_WRITE_BUFFER: a write that
  // stops (it needs the peer's bytes first) is retried from the session's
  // own copy of what was left.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                            SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
}

std::string alpn_wire_format(const std::vector<std::string>& protocols) {
  std::string wire;
  for (const auto& p : protocols) {
    if (p.empty() || p.size() > 255) {
      throw config_error("alpn: protocol name '" + p + "' is empty or longer than 255 bytes");
    }
    wire.push_back(static_cast<char>(p.size()));
    wire += p;
  }
  return wire;
}

std::string take_openssl_reason() {
  const unsigned long code = ERR_peek_error();
  const char* reason = code != 0 ? ERR_reason_error_string(code) : nullptr;
  std::string text = reason != nullptr ? reason
                     : code != 0       ? "error " + std::to_string(code)
                                       : "unknown";
  ERR_clear_error();
  return text;
}

}  // namespace httpcore::tls::detail
