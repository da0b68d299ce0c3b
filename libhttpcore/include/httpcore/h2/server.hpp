#pragma once
/// \file
/// HTTP/2 for servers (httpcore::h2, over nghttp2): put server_protocol() in
/// session_config::h2 and every server::session serves HTTP/2 to the
/// connections that ask for it (the connection preface with prior knowledge
/// or after ALPN "h2", or `Upgrade: h2c` on a body-less HTTP/1.1 request),
/// driving the same server::handler as HTTP/1. Limits: session_config::http2.

#include "httpcore/server/protocol.hpp"

namespace httpcore::h2 {

/// The HTTP/2 server protocol; one for the whole process, thread-safe.
const server::protocol_factory& server_protocol() noexcept;

/// The ALPN protocol identifier for HTTP/2 over TLS (RFC 9113 §3.2).
inline constexpr std::string_view alpn_id = "h2";

}  // namespace httpcore::h2
