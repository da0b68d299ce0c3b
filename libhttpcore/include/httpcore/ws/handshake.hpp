#pragma once
/// \file
/// The WebSocket opening handshake (RFC 6455 §4), sans-I/O, both roles.
///
/// Server: accept_handshake() checks a parsed request head (h1::request_head,
/// whose `upgrade` flag brought the caller here) and says what to answer:
/// 101 with the fields to write, 400 with the name of what was wrong, or 426
/// with `Sec-WebSocket-Version: 13` (§4.4). It also picks the subprotocol and
/// negotiates permessage-deflate (RFC 7692). Writing the response and
/// switching protocols is the caller's job (see h1::write_response_head).
///
/// Client: client_handshake builds the request from a caller-supplied 16-byte
/// nonce (the core has no random number generator: use a good one, §4.1 says
/// the nonce must be unpredictable) and checks the server's response head.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/h1/events.hpp"
#include "httpcore/h1/header.hpp"
#include "httpcore/h1/serializer.hpp"
#include "httpcore/ws/deflate_params.hpp"

namespace httpcore::ws {

/// Why a handshake failed. Request errors are the server's (400 unless
/// noted), response errors the client's (it must fail the connection).
enum class handshake_error : std::uint8_t {
  none,
  // The client's request (server side).
  method_not_get,              ///< method other than GET (§4.2.1 item 1)
  http_version_too_old,        ///< below HTTP/1.1 (§4.2.1 item 1)
  missing_host,                ///< no Host field (§4.2.1 item 2)
  missing_upgrade_websocket,   ///< Upgrade without the "websocket" token (§4.2.1 item 3)
  missing_connection_upgrade,  ///< Connection without the "upgrade" token (§4.2.1 item 4)
  missing_key,                 ///< no Sec-WebSocket-Key (§4.2.1 item 5)
  invalid_key,                 ///< a key that is not base64 of 16 bytes, or several keys
  unsupported_version,         ///< Sec-WebSocket-Version missing or not 13 (426, §4.4)
  invalid_subprotocols,        ///< Sec-WebSocket-Protocol is not 1#token
  invalid_extensions,          ///< Sec-WebSocket-Extensions does not follow §9.1
  // The server's response (client side).
  unexpected_status,            ///< status other than 101 (§4.1: the handshake failed)
  response_missing_upgrade,     ///< Upgrade is not "websocket"
  response_missing_connection,  ///< Connection without the "upgrade" token
  invalid_accept,               ///< Sec-WebSocket-Accept missing or wrong
  unrequested_subprotocol,      ///< a subprotocol we did not offer, or several
  unrequested_extension,        ///< an extension we did not offer, or repeated
  invalid_extension_response,   ///< permessage-deflate parameters that do not fit our offer
};

/// Stable, lower-case name of `e`, e.g. "invalid_key" (for a 400's body, logs).
std::string_view handshake_error_name(handshake_error e) noexcept;

/// The GUID of RFC 6455 §1.3, appended to the key before hashing.
inline constexpr std::string_view websocket_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

/// Sec-WebSocket-Accept for `key`: base64(SHA-1(key + GUID)) (§4.2.2 item 5.4).
std::string compute_accept(std::string_view key);

/// Header fields to write, as views into the object that returned them (keep
/// it alive and unchanged while they are used).
struct field_list {
  std::array<h1::header, 8> items{};
  std::size_t count = 0;
  std::span<const h1::header> span() const noexcept { return {items.data(), count}; }
};

// ---------------------------------------------------------------- server ----

struct server_options {
  /// The subprotocols this server speaks. The client's first one found here
  /// is chosen (the client lists them by preference, §4.1 item 10). Compared
  /// case-sensitively, as the registry's names are.
  std::span<const std::string_view> subprotocols;
  /// nullopt: never accept permessage-deflate.
  std::optional<deflate_options> deflate;
};

struct server_handshake_result {
  int status = 0;  ///< 101 (accepted), 400 or 426
  handshake_error error = handshake_error::none;
  std::string accept;                     ///< Sec-WebSocket-Accept (101 only)
  std::string subprotocol;                ///< chosen subprotocol, empty when none
  std::optional<deflate_params> deflate;  ///< set when permessage-deflate was agreed
  std::string extensions;  ///< the Sec-WebSocket-Extensions to answer, empty when none

  explicit operator bool() const noexcept { return status == 101; }
  std::string_view error_name() const noexcept { return handshake_error_name(error); }

  /// The response's fields. 101: Upgrade, Connection, Sec-WebSocket-Accept
  /// and, when chosen, Sec-WebSocket-Protocol and Sec-WebSocket-Extensions.
  /// 426: Sec-WebSocket-Version: 13. 400: none.
  field_list fields() const noexcept;
};

/// Checks the request in the order of §4.2.1 (version checked before the key,
/// so a client of another protocol version gets 426, not 400) and negotiates.
/// Fields may repeat: Upgrade, Connection, Sec-WebSocket-Protocol and
/// Sec-WebSocket-Extensions are read as the combined list of all their lines.
server_handshake_result accept_handshake(const h1::request_head& request,
                                         const server_options& options = {});

// ---------------------------------------------------------------- client ----

struct client_options {
  std::string_view host;                           ///< the Host field value (authority)
  std::string_view target = "/";                   ///< request-target, origin-form ("/chat?x=1")
  std::string_view origin;                         ///< Origin field; empty: none is sent
  std::span<const std::string_view> subprotocols;  ///< offered, by preference
  std::optional<deflate_options> deflate;          ///< nullopt: no permessage-deflate offer
};

struct client_handshake_result {
  handshake_error error = handshake_error::none;
  std::string subprotocol;                ///< the server's choice, empty when none
  std::optional<deflate_params> deflate;  ///< set when the server accepted permessage-deflate

  explicit operator bool() const noexcept { return error == handshake_error::none; }
  std::string_view error_name() const noexcept { return handshake_error_name(error); }
};

/// One client handshake: the request to send, then the check of the answer.
class client_handshake {
 public:
  /// `nonce`: 16 random bytes (§4.1 item 7); its base64 is the key.
  client_handshake(const client_options& options, std::span<const std::uint8_t, 16> nonce);

  /// Host, Upgrade, Connection, Sec-WebSocket-Key, Sec-WebSocket-Version and
  /// the optional Origin, Sec-WebSocket-Protocol and Sec-WebSocket-Extensions.
  field_list fields() const noexcept;
  /// Appends the whole request head ("GET target HTTP/1.1", the fields, the
  /// empty line) to `out`; on error `out` is unchanged.
  h1::serialize_error write_request(std::string& out) const;

  const std::string& key() const noexcept { return key_; }
  const std::string& expected_accept() const noexcept { return accept_; }

  /// Checks the server's response head (§4.1, the client's final steps).
  client_handshake_result check_response(const h1::response_head& response) const;

 private:
  std::string host_, target_, origin_;
  std::vector<std::string> subprotocols_;
  std::string protocol_field_;  // the subprotocols joined by ", "
  std::optional<deflate_options> deflate_;
  std::string extension_offer_;
  std::string key_, accept_;
};

}  // namespace httpcore::ws
