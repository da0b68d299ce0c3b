#pragma once
/// \file
/// ASCII case-insensitive comparison, as HTTP compares field names, tokens
/// such as "chunked" or "websocket", and URI schemes (RFC 9110 §5.1, §5.6.2);
/// and the optional whitespace around list items and parameters (§5.6.3).

#include <string_view>

namespace httpcore {

/// True when `a` and `b` have the same length and bytes, except that an ASCII
/// letter matches its other case ('A'-'Z' and 'a'-'z'). Bytes 0x80-0xFF match
/// only themselves: no locale, no Unicode case folding. The library's only
/// such compare: the parser, find_header(), the WebSocket handshake and the
/// app all use it.
bool ascii_iequals(std::string_view a, std::string_view b) noexcept;

/// `s` without leading and trailing OWS (RFC 9110 §5.6.3: spaces and
/// horizontal tabs only). The view points into `s`.
std::string_view trim_ows(std::string_view s) noexcept;

}  // namespace httpcore
