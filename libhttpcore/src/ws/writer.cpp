// Frame writing: header with the shortest length encoding, payload masked
// for the client role.

#include "httpcore/ws/writer.hpp"

#include <algorithm>

#include "httpcore/ws/close_code.hpp"

namespace httpcore::ws {

std::size_t write_frame_header(std::span<std::byte, max_frame_header_bytes> out, opcode op,
                               std::uint64_t payload_length, bool fin, bool rsv1,
                               const masking_key* mask_key) noexcept {
  auto byte = [](unsigned v) { return static_cast<std::byte>(v & 0xFF); };
  out[0] = byte((fin ? 0x80u : 0u) | (rsv1 ? 0x40u : 0u) | static_cast<unsigned>(op));
  const unsigned mask_bit = mask_key ? 0x80u : 0u;
  std::size_t n = 2;
  if (payload_length < 126) {
    out[1] = byte(mask_bit | static_cast<unsigned>(payload_length));
  } else if (payload_length <= 0xFFFF) {
    out[1] = byte(mask_bit | 126u);
    out[2] = byte(static_cast<unsigned>(payload_length >> 8));
    out[3] = byte(static_cast<unsigned>(payload_length));
    n = 4;
  } else {
    out[1] = byte(mask_bit | 127u);
    for (std::size_t i = 0; i < 8; ++i)
      out[2 + i] = byte(static_cast<unsigned>(payload_length >> (56 - 8 * i)));
    n = 10;
  }
  if (mask_key) {
    for (std::size_t i = 0; i < 4; ++i) out[n + i] = (*mask_key)[i];
    n += 4;
  }
  return n;
}

void append_frame(std::string& out, opcode op, std::span<const std::byte> payload, bool fin,
                  bool rsv1, const masking_key* mask_key) {
  std::byte header[max_frame_header_bytes];
  const std::size_t header_size =
      write_frame_header(std::span(header), op, payload.size(), fin, rsv1, mask_key);
  const std::size_t start = out.size();
  out.resize(start + header_size + payload.size());
  auto* dst = reinterpret_cast<std::byte*>(out.data()) + start;
  std::copy(header, header + header_size, dst);
  if (!payload.empty()) {
    std::copy(payload.begin(), payload.end(), dst + header_size);
    if (mask_key) apply_mask(std::span(dst + header_size, payload.size()), *mask_key, 0);
  }
}

std::string close_payload(std::uint16_t code, std::string_view reason) {
  std::string out;
  if (code == close_code::no_status) return out;
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code & 0xFF));
  constexpr std::size_t room = max_control_payload - 2;
  if (reason.size() > room) {
    // Cut before the character that straddles the limit: back up over
    // continuation bytes (10xxxxxx) to the byte that starts it.
    std::size_t cut = room;
    while (cut > 0 && (static_cast<unsigned char>(reason[cut]) & 0xC0) == 0x80) --cut;
    reason = reason.substr(0, cut);
  }
  out.append(reason);
  return out;
}

}  // namespace httpcore::ws
