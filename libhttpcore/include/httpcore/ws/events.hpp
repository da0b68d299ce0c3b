#pragma once
/// \file
/// The events the WebSocket frame parser produces: plain values whose views
/// point into the bytes given to the feed() call that produced them (or, for a
/// control frame that arrived in pieces, into the parser). They stay valid
/// until the next call, or until the caller changes those bytes.
///
/// A data frame arrives as data_frame_begin, zero or more data_payload pieces,
/// and data_frame_end; a control frame arrives whole, as one control_frame,
/// possibly between the frames of a fragmented message.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <variant>

#include "httpcore/ws/error.hpp"
#include "httpcore/ws/frame.hpp"

namespace httpcore::ws {

/// Every byte given was consumed; give more.
struct need_more {};

/// A text, binary or continuation frame's header was read.
struct data_frame_begin {
  opcode message_type =
      opcode::binary;          ///< text or binary: the message's type, also on continuations
  bool first_fragment = true;  ///< this frame starts a message
  bool fin = true;             ///< this frame ends its message
  bool compressed = false;     ///< the message had RSV1 (permessage-deflate)
  std::uint64_t length = 0;    ///< payload bytes of this frame
};

/// A piece of the current data frame's payload, already unmasked (in the
/// caller's buffer). For an uncompressed text message, these bytes are known
/// to be UTF-8 so far (a sequence may continue in the next piece).
struct data_payload {
  std::span<std::byte> bytes;
  std::string_view text() const noexcept {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
};

/// The current data frame's payload is complete.
struct data_frame_end {
  bool message_end = false;  ///< the frame had FIN: the message is complete
};

/// A whole close, ping or pong frame, unmasked and checked.
struct control_frame {
  opcode op = opcode::ping;
  std::span<const std::byte> payload;  ///< at most 125 bytes
  /// Close only: the status code, or close_code::no_status (1005) when the payload is empty.
  std::uint16_t close_code = 0;
  /// Close only: the UTF-8 reason after the code (may be empty).
  std::string_view close_reason;
};

using event =
    std::variant<need_more, data_frame_begin, data_payload, data_frame_end, control_frame>;

/// What one feed() call did.
struct result {
  std::size_t consumed = 0;  ///< bytes of the input that are done with
  event ev;                  ///< the event produced, or need_more
  error err;                 ///< set when the input breaks the protocol; ev is then need_more
};

}  // namespace httpcore::ws
