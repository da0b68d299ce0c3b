#pragma once
/// \file
/// Writing WebSocket frames (RFC 6455 §5.2), for both roles: servers send
/// unmasked frames; clients mask every frame with a key the caller supplies
/// (fresh and unpredictable for each frame, RFC 6455 §5.3; the core has no
/// random source). Lengths always use the shortest encoding.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "httpcore/ws/frame.hpp"

namespace httpcore::ws {

/// Bytes of the header of a frame with this payload length: 2, 4 or 10, plus 4 if masked.
constexpr std::size_t frame_header_size(std::uint64_t payload_length, bool masked) noexcept {
  std::size_t n = payload_length < 126 ? 2 : payload_length <= 0xFFFF ? 4 : 10;
  return masked ? n + 4 : n;
}

/// Writes a frame header into `out` and returns its size (frame_header_size).
/// With a key, the header says MASK and carries the key; the caller masks the
/// payload itself (apply_mask with offset 0). For writing headers next to a
/// payload that is sent from elsewhere (scatter-gather output).
std::size_t write_frame_header(std::span<std::byte, max_frame_header_bytes> out, opcode op,
                               std::uint64_t payload_length, bool fin = true, bool rsv1 = false,
                               const masking_key* mask_key = nullptr) noexcept;

/// Appends a whole frame to `out`: header, then the payload (masked with
/// `mask_key` if given, i.e. for the client role). rsv1 marks a compressed
/// message's first frame (permessage-deflate). The caller keeps control frames
/// within 125 bytes and unfragmented.
void append_frame(std::string& out, opcode op, std::span<const std::byte> payload, bool fin = true,
                  bool rsv1 = false, const masking_key* mask_key = nullptr);
inline void append_frame(std::string& out, opcode op, std::string_view payload, bool fin = true,
                         bool rsv1 = false, const masking_key* mask_key = nullptr) {
  append_frame(out, op, std::as_bytes(std::span<const char>(payload.data(), payload.size())), fin,
               rsv1, mask_key);
}

/// The payload of a close frame: the code in network byte order, then the
/// reason, cut to fit the 125-byte control frame limit on a UTF-8 character
/// boundary. close_code::no_status (1005) gives an empty payload (a close
/// frame without a code). The caller passes a code that is valid on the wire.
std::string close_payload(std::uint16_t code, std::string_view reason = {});

}  // namespace httpcore::ws
