#pragma once
// The WebSocket protocol's text messages: a client's `{"x":X,"y":Y,"c":C}`,
// the update every client receives (the same form), and the errors.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "palette.hpp"

namespace canvas {

/// Longer messages are refused before parsing: the longest meaningful one,
/// with generous whitespace, is far below it.
inline constexpr std::size_t max_message_bytes = 256;

/// A pixel, or the reason the message is not one (e.g. "x out of range
/// (0-255)", "malformed JSON at byte 7"). Accepts exactly the members x, y
/// and c, each an integer in range; anything else is refused.
std::variant<pixel, std::string> parse_pixel(std::string_view message);

/// `{"x":X,"y":Y,"c":C}`: what every client receives once `p` is stored.
std::string format_pixel(const pixel& p);

/// `{"error":"<reason>"}` (`reason` holds no character JSON must escape).
std::string format_error(std::string_view reason);
/// `{"error":"cooldown","retry_ms":N}`.
std::string format_cooldown(std::int64_t retry_ms);

}  // namespace canvas
