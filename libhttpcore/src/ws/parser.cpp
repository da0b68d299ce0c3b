// The WebSocket frame parser's state machine. Header bytes are checked one at
// a time as they arrive (and gathered, so a header may be split anywhere):
// every check depends only on the bytes before it, which is what makes errors
// and their offsets independent of how the input was split.

#include "httpcore/ws/parser.hpp"

#include <algorithm>
#include <cstring>

#include "httpcore/ws/close_code.hpp"

namespace httpcore::ws {

// The input of one feed() call and how far into it we are.
struct parser::cursor {
  std::span<std::byte> in;
  std::size_t pos = 0;  // bytes of `in` consumed
  event ev{};

  std::size_t available() const noexcept { return in.size() - pos; }
};

parser::parser(role r, limits lim, parser_options options) noexcept
    : role_(r), limits_(lim), options_(options) {}

void parser::reset() noexcept {
  *this = parser(role_, limits_, options_);
}

result parser::feed(std::span<std::byte> in) noexcept {
  if (state_ == parse_state::failed) return {0, need_more{}, error_};
  cursor c{in};
  step s = step::next;
  while (s == step::next) {
    switch (state_) {
      case parse_state::frame_start:
      case parse_state::payload_length:
      case parse_state::extended_length:
      case parse_state::mask:
        s = parse_header_byte(c);
        break;
      case parse_state::data_payload:
        s = parse_data_payload(c);
        break;
      case parse_state::data_frame_end:
        s = end_data_frame(c);
        break;
      case parse_state::control_payload:
        s = parse_control_payload(c);
        break;
      case parse_state::closed:
        s = c.available() > 0 ? fail(c, error_code::data_after_close, stream_offset_ + c.pos)
                              : step::need_more;
        break;
      case parse_state::failed:  // unreachable: checked above
        s = step::fail;
        break;
    }
  }
  stream_offset_ += c.pos;
  result r;
  r.consumed = c.pos;
  if (s == step::fail) {
    r.err = error_;
  } else if (s == step::emit) {
    r.ev = c.ev;
  }
  return r;
}

parser::step parser::fail(cursor& /*c*/, error_code code, std::uint64_t at) noexcept {
  error_.code = code;
  error_.offset = at;
  error_.close_code = error_close_code(code);
  state_ = parse_state::failed;
  return step::fail;
}

// ---------------------------------------------------------------- header ----

parser::step parser::parse_header_byte(cursor& c) noexcept {
  while (header_size_ < header_need_) {
    if (c.available() == 0) return step::need_more;
    const auto b = static_cast<std::uint8_t>(c.in[c.pos]);
    const std::uint64_t at = stream_offset_ + c.pos;
    if (header_size_ == 0) header_offset_ = at;
    header_[header_size_] = b;
    step s = step::next;
    switch (state_) {
      case parse_state::frame_start:
        s = check_first_byte(c, b);
        break;
      case parse_state::payload_length:
        s = check_second_byte(c, b);
        break;
      case parse_state::extended_length:
        // The 64-bit form must have its most significant bit clear (§5.2).
        if (header_size_ == 2 && (header_[1] & 0x7F) == 127 && (b & 0x80) != 0)
          s = fail(c, error_code::length_msb_set, at);
        break;
      default:  // mask: the key is taken whole in header_complete
        break;
    }
    if (s == step::fail) return s;
    ++header_size_;
    ++c.pos;
    if (state_ == parse_state::extended_length && header_size_ == extended_length_end()) {
      if (check_length(c) == step::fail) return step::fail;
      state_ = parse_state::mask;
    }
  }
  return header_complete(c);
}

std::uint8_t parser::extended_length_end() const noexcept {
  const unsigned len7 = header_[1] & 0x7Fu;
  return static_cast<std::uint8_t>(len7 == 126 ? 4 : len7 == 127 ? 10 : 2);
}

parser::step parser::check_first_byte(cursor& c, std::uint8_t b) noexcept {
  const std::uint64_t at = stream_offset_ + c.pos;
  const auto op = static_cast<std::uint8_t>(b & 0x0F);
  const bool rsv1 = (b & 0x40) != 0;
  fin_ = (b & 0x80) != 0;
  if ((b & 0x30) != 0) return fail(c, error_code::reserved_bits, at);
  if (!is_defined(op)) return fail(c, error_code::unknown_opcode, at);
  opcode_ = static_cast<opcode>(op);
  const bool control = is_control(opcode_);
  if (rsv1) {
    // RSV1 means "compressed" (RFC 7692 §6), which only a message's first frame can say.
    if (!options_.allow_rsv1) return fail(c, error_code::reserved_bits, at);
    if (control || opcode_ == opcode::continuation)
      return fail(c, error_code::rsv1_not_first_fragment, at);
  }
  if (control) {
    if (!fin_) return fail(c, error_code::fragmented_control, at);
  } else if (opcode_ == opcode::continuation) {
    if (!in_message_) return fail(c, error_code::unexpected_continuation, at);
  } else {
    if (in_message_) return fail(c, error_code::expected_continuation, at);
    frame_rsv1_ = rsv1;
  }
  state_ = parse_state::payload_length;
  return step::next;
}

parser::step parser::check_second_byte(cursor& c, std::uint8_t b) noexcept {
  const std::uint64_t at = stream_offset_ + c.pos;
  masked_ = (b & 0x80) != 0;
  const unsigned len7 = b & 0x7Fu;
  // Clients mask every frame, servers none (§5.1).
  if (role_ == role::server && !masked_) return fail(c, error_code::unmasked_client_frame, at);
  if (role_ == role::client && masked_) return fail(c, error_code::masked_server_frame, at);
  if (is_control(opcode_) && len7 > max_control_payload)
    return fail(c, error_code::control_too_long, at);
  const unsigned extended = len7 == 126 ? 2 : len7 == 127 ? 8 : 0;
  header_need_ = static_cast<std::uint8_t>(2 + extended + (masked_ ? 4 : 0));
  if (extended > 0) {
    state_ = parse_state::extended_length;
    return step::next;
  }
  state_ = parse_state::mask;
  return check_length(c);
}

parser::step parser::check_length(cursor& c) noexcept {
  const unsigned len7 = header_[1] & 0x7Fu;
  if (len7 < 126) {
    length_ = len7;
  } else {
    length_ = 0;
    for (std::uint8_t i = 2; i < extended_length_end(); ++i) length_ = (length_ << 8) | header_[i];
    // The shortest encoding is required (§5.2).
    if ((len7 == 126 && length_ < 126) || (len7 == 127 && length_ <= 0xFFFF))
      return fail(c, error_code::non_minimal_length, header_offset_ + 2);
  }
  if (is_control(opcode_)) return step::next;
  if (length_ > limits_.max_frame_bytes)
    return fail(c, error_code::frame_too_big, header_offset_ + 1);
  const std::uint64_t before = opcode_ == opcode::continuation ? message_bytes_ : 0;
  if (before > limits_.max_message_bytes || length_ > limits_.max_message_bytes - before)
    return fail(c, error_code::message_too_big, header_offset_ + 1);
  return step::next;
}

parser::step parser::header_complete(cursor& c) noexcept {
  if (masked_) std::memcpy(key_.data(), header_ + header_need_ - 4, 4);
  header_size_ = 0;
  header_need_ = 2;
  payload_done_ = 0;
  if (is_control(opcode_)) {
    state_ = parse_state::control_payload;
    return step::next;
  }
  const bool first = opcode_ != opcode::continuation;
  if (first) {
    in_message_ = true;
    message_type_ = opcode_;
    compressed_ = frame_rsv1_;
    message_bytes_ = 0;
    utf8_.reset();
  }
  message_bytes_ += length_;
  c.ev = data_frame_begin{message_type_, first, fin_, compressed_, length_};
  state_ = length_ > 0 ? parse_state::data_payload : parse_state::data_frame_end;
  return step::emit;
}

// --------------------------------------------------------------- payload ----

parser::step parser::parse_data_payload(cursor& c) noexcept {
  if (c.available() == 0) return step::need_more;
  const auto n =
      static_cast<std::size_t>(std::min<std::uint64_t>(c.available(), length_ - payload_done_));
  std::span<std::byte> piece = c.in.subspan(c.pos, n);
  if (masked_) apply_mask(piece, key_, payload_done_);
  if (message_type_ == opcode::text && !compressed_) {
    const std::size_t valid = utf8_.feed_until_invalid(piece);
    if (valid < n) {
      const std::uint64_t at = stream_offset_ + c.pos + valid;
      if (valid == 0) return fail(c, error_code::invalid_utf8, at);
      // Deliver the valid part now; the error is reported by the next call,
      // as it would be had the input been split at the invalid byte.
      fail(c, error_code::invalid_utf8, at);
      piece = piece.first(valid);
    }
  }
  c.pos += piece.size();
  payload_done_ += piece.size();
  if (state_ != parse_state::failed && payload_done_ == length_)
    state_ = parse_state::data_frame_end;
  c.ev = data_payload{piece};
  return step::emit;
}

parser::step parser::end_data_frame(cursor& c) noexcept {
  if (fin_) {
    // A text message must not end inside a UTF-8 sequence.
    if (message_type_ == opcode::text && !compressed_ && !utf8_.complete())
      return fail(c, error_code::invalid_utf8, stream_offset_ + c.pos);
    in_message_ = false;
  }
  c.ev = data_frame_end{fin_};
  state_ = parse_state::frame_start;
  return step::emit;
}

parser::step parser::parse_control_payload(cursor& c) noexcept {
  const auto length = static_cast<std::size_t>(length_);  // <= 125
  if (payload_done_ == 0 && c.available() >= length) {
    // Whole in this input: deliver it in place.
    std::span<std::byte> payload = c.in.subspan(c.pos, length);
    if (masked_) apply_mask(payload, key_, 0);
    c.pos += length;
    return deliver_control(c, payload);
  }
  // Split across calls: gather it here.
  const auto done = static_cast<std::size_t>(payload_done_);
  const std::size_t n = std::min(c.available(), length - done);
  std::memcpy(control_ + done, c.in.data() + c.pos, n);
  if (masked_) apply_mask(std::span(control_ + done, n), key_, done);
  c.pos += n;
  payload_done_ += n;
  if (payload_done_ < length_) return step::need_more;
  return deliver_control(c, std::span(control_, length));
}

parser::step parser::deliver_control(cursor& c, std::span<std::byte> payload) noexcept {
  const std::uint64_t payload_at = stream_offset_ + c.pos - payload.size();
  control_frame f;
  f.op = opcode_;
  f.payload = payload;
  if (opcode_ == opcode::close) {
    // Empty, or a valid code then a UTF-8 reason (§5.5.1, §7.4).
    if (payload.empty()) {
      f.close_code = close_code::no_status;
    } else if (payload.size() == 1) {
      return fail(c, error_code::invalid_close_payload, payload_at);
    } else {
      f.close_code = static_cast<std::uint16_t>((std::to_integer<unsigned>(payload[0]) << 8) |
                                                std::to_integer<unsigned>(payload[1]));
      if (!close_code::valid_on_wire(f.close_code))
        return fail(c, error_code::invalid_close_code, payload_at);
      const std::span<const std::byte> reason = payload.subspan(2);
      utf8_validator v;
      const std::size_t valid = v.feed_until_invalid(reason);
      if (valid < reason.size())
        return fail(c, error_code::invalid_close_reason, payload_at + 2 + valid);
      if (!v.complete())
        return fail(c, error_code::invalid_close_reason, payload_at + payload.size());
      f.close_reason = {reinterpret_cast<const char*>(reason.data()), reason.size()};
    }
    state_ = parse_state::closed;
  } else {
    state_ = parse_state::frame_start;
  }
  c.ev = f;
  return step::emit;
}

}  // namespace httpcore::ws
