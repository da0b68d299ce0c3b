#pragma once
/// \file
/// The WebSocket frame parser (RFC 6455 §5): a sans-I/O state machine that
/// turns the bytes after the opening handshake into frame events.
///
/// Usage (server role):
/// \code
///   httpcore::ws::parser p(httpcore::ws::role::server);
///   for (;;) {
///     auto r = p.feed(unconsumed_bytes);       // one event per call
///     if (r.err) { send_close(r.err.close_code); close(); break; }
///     if (!std::holds_alternative<need_more>(r.ev))
///       handle(r.ev);                          // views point into unconsumed_bytes
///     drop_front(r.consumed);
///     if (std::holds_alternative<need_more>(r.ev)) read_more_and_append();
///   }
/// \endcode
///
/// Contract:
/// - The input is mutable: payloads are unmasked in place, and events point
///   into it (zero copy). Bytes not consumed must be given again, unchanged,
///   followed by new bytes. The parser keeps offsets, never pointers, across
///   calls, so the caller may move its buffer.
/// - Frame headers split between calls are gathered inside the parser; control
///   frames split between calls are gathered in a 125-byte array inside it and
///   delivered whole. Nothing is allocated.
/// - Feeding a stream whole, byte by byte or split anywhere yields the same
///   events, except that a data frame's payload may arrive in more, smaller
///   pieces; errors have the same code and offset.
/// - Never reads outside the span it is given.
/// - An error is terminal until reset(). Events already delivered stay valid:
///   for a text message, the payload up to the first invalid byte is
///   delivered before the invalid_utf8 error.

#include <cstddef>
#include <cstdint>
#include <span>

#include "httpcore/ws/error.hpp"
#include "httpcore/ws/events.hpp"
#include "httpcore/ws/frame.hpp"
#include "httpcore/ws/limits.hpp"
#include "httpcore/ws/utf8.hpp"

namespace httpcore::ws {

/// What the handshake negotiated that changes framing.
struct parser_options {
  /// permessage-deflate was negotiated: RSV1 may be set on a message's first
  /// frame, marking it compressed. Compressed text is not checked as UTF-8 here
  /// (the deflate layer checks it after inflating).
  bool allow_rsv1 = false;
};

/// Where the parser is. Each value names the thing it expects next.
enum class parse_state : std::uint8_t {
  frame_start,      ///< first header byte: FIN, RSV1-3, opcode
  payload_length,   ///< second header byte: MASK, 7-bit length
  extended_length,  ///< 2 or 8 bytes of length
  mask,             ///< 4 bytes of masking key (frames from a client)
  data_payload,     ///< payload of a text, binary or continuation frame
  data_frame_end,   ///< data_frame_end is due
  control_payload,  ///< payload of a control frame, gathered until whole
  closed,           ///< the peer's close frame was delivered; more bytes are an error
  /// An error was found; every feed() reports it (terminal until reset). Entered
  /// already when a text payload's valid part is delivered before its first
  /// invalid byte: the next feed() reports invalid_utf8.
  failed,
};

class parser {
 public:
  explicit parser(role r, limits lim = {}, parser_options options = {}) noexcept;

  /// Parses from the start of `in` until one event is ready or the input is used up.
  result feed(std::span<std::byte> in) noexcept;

  parse_state state() const noexcept { return state_; }

  /// A message (possibly fragmented) has begun and not yet ended.
  bool in_message() const noexcept { return in_message_; }

  /// Forgets everything, keeping role, limits and options.
  void reset() noexcept;

  role parser_role() const noexcept { return role_; }
  const limits& parser_limits() const noexcept { return limits_; }
  const parser_options& options() const noexcept { return options_; }

 private:
  struct cursor;  // defined in the implementation
  enum class step : std::uint8_t { next, need_more, emit, fail };

  step parse_header_byte(cursor& c) noexcept;
  step check_first_byte(cursor& c, std::uint8_t b) noexcept;
  step check_second_byte(cursor& c, std::uint8_t b) noexcept;
  step check_length(cursor& c) noexcept;
  std::uint8_t extended_length_end() const noexcept;  // header size without the key
  step header_complete(cursor& c) noexcept;
  step parse_data_payload(cursor& c) noexcept;
  step end_data_frame(cursor& c) noexcept;
  step parse_control_payload(cursor& c) noexcept;
  step deliver_control(cursor& c, std::span<std::byte> payload) noexcept;
  step fail(cursor& c, error_code code, std::uint64_t at) noexcept;

  role role_;
  limits limits_;
  parser_options options_;
  parse_state state_ = parse_state::frame_start;
  error error_;
  std::uint64_t stream_offset_ = 0;  // bytes consumed since reset: error offsets

  // The frame header being read, gathered byte by byte.
  std::uint8_t header_[max_frame_header_bytes] = {};
  std::uint8_t header_size_ = 0;     // bytes gathered
  std::uint8_t header_need_ = 2;     // bytes the header has, once known
  std::uint64_t header_offset_ = 0;  // stream offset of its first byte

  // The current frame.
  opcode opcode_ = opcode::continuation;
  bool fin_ = false;
  bool frame_rsv1_ = false;  // RSV1 on a message's first frame
  bool masked_ = false;
  masking_key key_{};
  std::uint64_t length_ = 0;
  std::uint64_t payload_done_ = 0;  // payload bytes consumed so far

  // The message in progress (text or binary, possibly fragmented).
  bool in_message_ = false;
  opcode message_type_ = opcode::binary;
  bool compressed_ = false;
  std::uint64_t message_bytes_ = 0;
  utf8_validator utf8_;

  // A control frame's payload, when it arrived split across calls.
  std::byte control_[max_control_payload] = {};
};

}  // namespace httpcore::ws
