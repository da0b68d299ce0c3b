#pragma once
// TLS between the socket and the session (httpcore::tls): ciphertext on the
// socket, plaintext for the session. Built only with httpcore::tls; no
// OpenSSL header here or in any front end.

#include <cstdint>
#include <memory>

#include "common/session_io.hpp"

namespace httpcore::tls {
class server_credentials;
}

namespace httpcore::frontends {

/// A server-side TLS layer for the accepted socket `fd`, made from the
/// credentials' current context (a reload later does not affect it). Also
/// rotates the credentials' ticket keys when their period has passed.
std::unique_ptr<byte_layer> make_tls_layer(int fd, tls::server_credentials& credentials,
                                           std::int64_t now_us);

}  // namespace httpcore::frontends
