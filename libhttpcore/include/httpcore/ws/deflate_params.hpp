#pragma once
/// \file
/// Negotiation of permessage-deflate (RFC 7692 §7.1), both roles. This part
/// needs no zlib and lives in httpcore::core; the compression itself is
/// httpcore/ws/deflate.hpp (target httpcore::ws_deflate).
///
/// The four parameters of RFC 7692 describe the two directions separately:
/// "server_*" is what the server compresses with, "client_*" what the client
/// compresses with. A window of N bits is an LZ77 window of 2^N bytes, 8..15.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "httpcore/ws/extensions.hpp"

namespace httpcore::ws {

/// The parameters both endpoints agreed on (the "agreed parameters" of
/// RFC 7692 §7.1). Defaults: context kept across messages, 32 KiB windows.
struct deflate_params {
  bool server_no_context_takeover = false;  ///< the server resets its compressor per message
  bool client_no_context_takeover = false;  ///< the client resets its compressor per message
  int server_max_window_bits = 15;          ///< largest window the server compresses with
  int client_max_window_bits = 15;          ///< largest window the client compresses with

  friend bool operator==(const deflate_params&, const deflate_params&) = default;
};

/// What this endpoint wants, for either role. A server accepts an offer only
/// within these bounds; a client builds its offer from them.
struct deflate_options {
  /// Server: always compress without context takeover (announced in the
  /// response). Client: ask the server to do so (its response must agree).
  bool server_no_context_takeover = false;
  /// Server: require the client to reset per message. Client: announce that
  /// we will (the response may also impose it).
  bool client_no_context_takeover = false;
  /// Server: our window limit (used as given; announced only when the offer
  /// had server_max_window_bits, as §7.1.2.1 requires). Client: offered as
  /// server_max_window_bits when below 15.
  int server_max_window_bits = 15;
  /// Server: the limit we impose on the client, when its offer lets us
  /// (client_max_window_bits present); an offer without it is still accepted,
  /// with a 15-bit client window. Client: our own limit, offered as the
  /// value of client_max_window_bits when below 15.
  int client_max_window_bits = 15;
};

/// The result of a server's negotiation: the agreed parameters and the
/// Sec-WebSocket-Extensions value to answer with.
struct deflate_agreement {
  deflate_params params;
  std::string response;  ///< e.g. "permessage-deflate; client_max_window_bits=10"
};

/// Server side (RFC 7692 §7.1): picks the first permessage-deflate offer among
/// `offers` (the parsed Sec-WebSocket-Extensions fields of the request) that
/// is valid and acceptable. An offer is declined, and the next one tried,
/// when it has a parameter unknown to RFC 7692, a parameter twice, or an
/// invalid value (no_context_takeover with a value, a window not 8..15 or
/// with a leading zero, server_max_window_bits without a value). nullopt
/// when no offer is acceptable: the connection then goes on uncompressed.
/// Window values above the options' are lowered to them, never raised.
std::optional<deflate_agreement> negotiate_deflate(std::span<const extension> offers,
                                                   const deflate_options& options);

/// Client side: the offer to send in Sec-WebSocket-Extensions for `options`.
/// It always includes client_max_window_bits, so a server may limit us.
std::string format_deflate_offer(const deflate_options& options);

/// Client side (RFC 7692 §7.1): checks the server's accepted extension (one
/// element of its Sec-WebSocket-Extensions, named permessage-deflate) against
/// the offer made from `options`. nullopt when the response is invalid or
/// does not answer that offer (a parameter we did not offer, a window larger
/// than we asked for, server_no_context_takeover we asked for missing, ...):
/// the client must then fail the connection.
std::optional<deflate_params> check_deflate_response(const extension& response,
                                                     const deflate_options& options);

/// Formats agreed parameters as an extension string, every non-default
/// parameter with its value (e.g. for logs, or a server echoing them).
std::string format_deflate_params(const deflate_params& params);

}  // namespace httpcore::ws
