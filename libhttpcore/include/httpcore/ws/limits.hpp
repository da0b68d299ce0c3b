#pragma once
/// \file
/// Size limits of the WebSocket frame parser. Exceeding either fails the
/// connection with close code 1009 (message too big).

#include <cstdint>

namespace httpcore::ws {

struct limits {
  /// Payload bytes of one frame, as its header announces (checked before any payload).
  std::uint64_t max_frame_bytes = 16u << 20;
  /// Payload bytes of one message, all its fragments together (on the wire,
  /// i.e. before inflating; the deflate layer limits the inflated size).
  std::uint64_t max_message_bytes = 16u << 20;
};

}  // namespace httpcore::ws
