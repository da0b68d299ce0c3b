#pragma once
/// \file
/// Errors of the WebSocket frame parser: a code with a stable name, the byte
/// offset in the stream where it was detected, and the close code (RFC 6455
/// §7.4.1) the connection should be failed with.

#include <cstdint>
#include <string_view>

namespace httpcore::ws {

/// What went wrong. Every code maps to one name (error_name) and one close
/// code (error_close_code). Once the parser reports an error it stays failed
/// until reset().
enum class error_code : std::uint8_t {
  none = 0,
  // Frame header (1002).
  reserved_bits,            ///< RSV2 or RSV3 set, or RSV1 without permessage-deflate
  rsv1_not_first_fragment,  ///< RSV1 on a continuation or control frame
  unknown_opcode,           ///< opcode 3-7 or 11-15
  unmasked_client_frame,    ///< server role: a client frame without the MASK bit
  masked_server_frame,      ///< client role: a server frame with the MASK bit
  non_minimal_length,       ///< 16-bit length below 126, or 64-bit length below 65536
  length_msb_set,           ///< 64-bit length with the most significant bit set
  control_too_long,         ///< control frame payload above 125 bytes
  fragmented_control,       ///< control frame without FIN
  // Message sequence (1002).
  unexpected_continuation,  ///< continuation frame with no message in progress
  expected_continuation,    ///< text or binary frame while a message is in progress
  data_after_close,         ///< a frame after the peer's close frame
  // Close frame payload.
  invalid_close_payload,  ///< a 1-byte close payload (1002)
  invalid_close_code,     ///< a status code not allowed on the wire, e.g. 1005 (1002)
  invalid_close_reason,   ///< a close reason that is not UTF-8 (1007)
  // Payload.
  invalid_utf8,  ///< a text message that is not UTF-8, or ends inside a sequence (1007)
  // Limits (1009).
  frame_too_big,    ///< frame length above limits::max_frame_bytes
  message_too_big,  ///< message length above limits::max_message_bytes
};

/// The code's stable identifier, e.g. "unknown_opcode".
std::string_view error_name(error_code code) noexcept;

/// The close code to fail the connection with: 1002, 1007 or 1009 (0 for none).
std::uint16_t error_close_code(error_code code) noexcept;

/// An error as the parser reports it.
struct error {
  error_code code = error_code::none;
  /// Offset of the offending byte, counted from the first byte ever fed to the
  /// parser (or since reset()); the same whatever way the input was split.
  std::uint64_t offset = 0;
  /// error_close_code(code), for convenience.
  std::uint16_t close_code = 0;

  explicit operator bool() const noexcept { return code != error_code::none; }
  std::string_view name() const noexcept { return error_name(code); }
};

}  // namespace httpcore::ws
