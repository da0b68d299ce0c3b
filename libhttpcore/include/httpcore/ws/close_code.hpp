#pragma once
/// \file
/// Close status codes (RFC 6455 §7.4) and which of them may travel in a close frame.

#include <cstdint>

namespace httpcore::ws::close_code {

inline constexpr std::uint16_t normal = 1000;            ///< the purpose was fulfilled
inline constexpr std::uint16_t going_away = 1001;        ///< server shutdown, page left
inline constexpr std::uint16_t protocol_error = 1002;    ///< a frame broke RFC 6455
inline constexpr std::uint16_t unsupported_data = 1003;  ///< e.g. binary to a text-only endpoint
inline constexpr std::uint16_t no_status = 1005;         ///< never sent: the close frame was empty
inline constexpr std::uint16_t abnormal = 1006;          ///< never sent: no close frame at all
inline constexpr std::uint16_t invalid_payload = 1007;   ///< e.g. text that is not UTF-8
inline constexpr std::uint16_t policy_violation = 1008;
inline constexpr std::uint16_t message_too_big = 1009;
inline constexpr std::uint16_t mandatory_extension = 1010;  ///< client: server refused an extension
inline constexpr std::uint16_t internal_error = 1011;
inline constexpr std::uint16_t tls_handshake = 1015;  ///< never sent

/// Whether a close frame may carry `code` (RFC 6455 §7.4.1-2, IANA registry):
/// 1000-1003, 1007-1011, and 3000-4999 (registered and private codes). 1004,
/// 1005, 1006, 1015, the rest of 1000-2999 and anything below 1000 or above
/// 4999 may not.
constexpr bool valid_on_wire(std::uint16_t code) noexcept {
  if (code >= 3000 && code <= 4999) return true;
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1011);
}

}  // namespace httpcore::ws::close_code
