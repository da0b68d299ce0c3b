// Base64 (RFC 4648 §4, the standard alphabet with '=' padding), for the
// WebSocket handshake: Sec-WebSocket-Key and Sec-WebSocket-Accept.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace httpcore::detail {

// Appends the encoding of `bytes` to `out`, padded to a multiple of 4.
void base64_encode(std::span<const std::uint8_t> bytes, std::string& out);
std::string base64_encode(std::span<const std::uint8_t> bytes);

// Decodes strict, canonical base64: length a multiple of 4, only the alphabet,
// padding only at the end, and the unused low bits of the last symbol zero
// (RFC 4648 §3.5), so that every byte string has exactly one accepted
// encoding. Anything else (whitespace included) gives nullopt.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace httpcore::detail
