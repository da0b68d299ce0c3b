#pragma once
/// \file
/// The WebSocket frame format (RFC 6455 §5.2): opcodes, the two roles, and the
/// masking transform, shared by the parser and the writer.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace httpcore::ws {

/// A frame's opcode. Values 3-7 and 11-15 are reserved; the parser rejects them.
enum class opcode : std::uint8_t {
  continuation = 0,  ///< the next fragment of the message in progress
  text = 1,          ///< a message of UTF-8 text
  binary = 2,        ///< a message of arbitrary bytes
  close = 8,         ///< starts or answers the closing handshake
  ping = 9,          ///< asks for a pong carrying the same payload
  pong = 10,         ///< answers a ping, or is an unsolicited heartbeat
};

/// Which end of the connection we are. A server parses client frames (which
/// must be masked) and writes unmasked frames; a client does the opposite.
enum class role : std::uint8_t { server, client };

/// Control frames (close, ping, pong) have the opcode's high bit set.
constexpr bool is_control(opcode op) noexcept {
  return (static_cast<std::uint8_t>(op) & 0x8) != 0;
}

/// Whether RFC 6455 defines the opcode (0-2, 8-10).
constexpr bool is_defined(std::uint8_t op) noexcept {
  return op <= 2 || (op >= 8 && op <= 10);
}

/// The largest payload a control frame may carry (RFC 6455 §5.5).
inline constexpr std::size_t max_control_payload = 125;

/// The largest frame header: 2 bytes, 8 bytes of extended length, 4 of key.
inline constexpr std::size_t max_frame_header_bytes = 14;

/// The 4-byte key a client masks its payloads with (RFC 6455 §5.3). The
/// caller supplies it (from a strong random source); the core has no RNG.
using masking_key = std::array<std::byte, 4>;

/// XORs `bytes` with the key, in place. `offset` is the position of bytes[0]
/// within the frame's payload, so a payload may be (un)masked in pieces. The
/// transform is its own inverse. Works a machine word at a time.
void apply_mask(std::span<std::byte> bytes, const masking_key& key, std::uint64_t offset) noexcept;

}  // namespace httpcore::ws
