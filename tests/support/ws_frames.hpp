// Building WebSocket frames for tests, including malformed ones the writer
// would never produce (reserved bits, non-minimal lengths, wrong masking).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "httpcore/ws/frame.hpp"
#include "httpcore/ws/writer.hpp"

namespace httpcore::test {

// The key of RFC 6455 §5.7's masked example.
inline constexpr ws::masking_key kTestKey = {std::byte{0x37}, std::byte{0xfa}, std::byte{0x21},
                                             std::byte{0x3d}};

constexpr std::uint8_t kFin = 0x80, kRsv1 = 0x40, kRsv2 = 0x20, kRsv3 = 0x10;

constexpr std::uint8_t op_bits(ws::opcode op) {
  return static_cast<std::uint8_t>(op);
}

// A frame with first byte `b0` (FIN, RSV, opcode) and `payload`, masked with
// kTestKey if `masked`. `length_form` 7, 16 or 64 forces a length encoding
// (0: the shortest); `declared` overrides the length the header states.
inline std::string raw_frame(std::uint8_t b0, std::string_view payload, bool masked,
                             int length_form = 0,
                             std::optional<std::uint64_t> declared = std::nullopt) {
  const std::uint64_t len = declared.value_or(payload.size());
  if (length_form == 0) length_form = len < 126 ? 7 : len <= 0xFFFF ? 16 : 64;
  std::string out;
  out += static_cast<char>(b0);
  const char mask_bit = masked ? '\x80' : '\0';
  if (length_form == 7) {
    out += static_cast<char>(mask_bit | static_cast<char>(len));
  } else if (length_form == 16) {
    out += static_cast<char>(mask_bit | 126);
    out += static_cast<char>((len >> 8) & 0xFF);
    out += static_cast<char>(len & 0xFF);
  } else {
    out += static_cast<char>(mask_bit | 127);
    for (int i = 7; i >= 0; --i) out += static_cast<char>((len >> (8 * i)) & 0xFF);
  }
  std::string body(payload);
  if (masked) {
    for (auto b : kTestKey) out += static_cast<char>(b);
    for (std::size_t i = 0; i < body.size(); ++i)
      body[i] = static_cast<char>(body[i] ^ static_cast<char>(kTestKey[i % 4]));
  }
  return out + body;
}

// Well-formed frames as each side sends them, through the writer.
inline std::string client_frame(ws::opcode op, std::string_view payload, bool fin = true,
                                bool rsv1 = false) {
  std::string out;
  ws::append_frame(out, op, payload, fin, rsv1, &kTestKey);
  return out;
}
inline std::string server_frame(ws::opcode op, std::string_view payload, bool fin = true,
                                bool rsv1 = false) {
  std::string out;
  ws::append_frame(out, op, payload, fin, rsv1);
  return out;
}

}  // namespace httpcore::test
