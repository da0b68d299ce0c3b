// The chunked transfer coding (RFC 9112 §7.1): chunk-size lines with their
// extensions, chunk data and the CRLF after it. These bytes are consumed as
// they are read; only chunk data and the trailer section produce events.

#include <cstdint>

#include "detail/byte_class.hpp"
#include "h1/line_end.hpp"
#include "h1/parser_internal.hpp"

namespace httpcore::h1 {
namespace {

using httpcore::detail::hex_value;

bool is_tchar(char ch) noexcept {
  return httpcore::detail::is_tchar(static_cast<unsigned char>(ch));
}
bool is_qdtext(char ch) noexcept {
  return httpcore::detail::is_qdtext(static_cast<unsigned char>(ch));
}
// quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) (RFC 9110 §5.6.4)
bool is_escapable(char ch) noexcept {
  return httpcore::detail::is_field_value_byte(static_cast<unsigned char>(ch));
}

}  // namespace

// chunk = chunk-size [ chunk-ext ] CRLF
// chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
// Whitespace before the first ';' is refused unless lenient (llhttp does the
// same); inside extensions the BWS the grammar allows is accepted, and only
// that: BWS comes before ';' or '=', never right before the line end.
parser::step parser::parse_chunk_line(cursor& c) noexcept {
  for (; c.pos < c.size; ++c.pos) {
    char ch = c.byte();
    if (state_ >= lex_state::chunk_ext_start && state_ <= lex_state::chunk_ext_after_value &&
        ch != '\r' && ch != '\n' && ++chunk_ext_bytes_ > limits_.max_chunk_extension_bytes)
      return fail(c, errc::chunk_extension_too_long, c.pos);
    switch (state_) {
      case lex_state::chunk_size: {
        int v = hex_value(ch);
        if (v >= 0) {
          if (body_remaining_ >> 60) return fail(c, errc::chunk_size_overflow, c.pos);
          body_remaining_ = (body_remaining_ << 4) | static_cast<std::uint64_t>(v);
          chunk_size_digits_ = true;
          continue;
        }
        if (!chunk_size_digits_) return fail(c, errc::invalid_chunk_size, c.pos);
        if (syntax::is_ows(ch) && lenient_.spaces_after_chunk_size) {
          state_ = lex_state::chunk_size_ws;
          continue;
        }
        if (ch == ';') {
          state_ = lex_state::chunk_ext_start;
          continue;
        }
        if (ch != '\r' && ch != '\n') return fail(c, errc::invalid_chunk_size, c.pos);
        break;
      }
      case lex_state::chunk_size_ws:
        if (syntax::is_ows(ch)) continue;
        if (ch == ';') {
          state_ = lex_state::chunk_ext_start;
          continue;
        }
        if (ch != '\r' && ch != '\n') return fail(c, errc::invalid_chunk_size, c.pos);
        break;
      case lex_state::chunk_ext_start:
        if (syntax::is_ows(ch)) continue;
        if (!is_tchar(ch)) return fail(c, errc::invalid_chunk_extension, c.pos);
        state_ = lex_state::chunk_ext_name;
        continue;
      case lex_state::chunk_ext_name:
      case lex_state::chunk_ext_after_name:
        if (is_tchar(ch) && state_ == lex_state::chunk_ext_name) continue;
        if (syntax::is_ows(ch)) {
          state_ = lex_state::chunk_ext_after_name;
          continue;
        }
        if (ch == '=') {
          state_ = lex_state::chunk_ext_value_start;
          continue;
        }
        if (ch == ';') {
          state_ = lex_state::chunk_ext_start;
          continue;
        }
        if (ch != '\r' && ch != '\n') return fail(c, errc::invalid_chunk_extension, c.pos);
        break;
      case lex_state::chunk_ext_value_start:
        if (syntax::is_ows(ch)) continue;
        if (ch == '"') {
          state_ = lex_state::chunk_ext_quoted;
          continue;
        }
        if (!is_tchar(ch)) return fail(c, errc::invalid_chunk_extension, c.pos);
        state_ = lex_state::chunk_ext_token;
        continue;
      case lex_state::chunk_ext_quoted:
        if (ch == '"') {
          state_ = lex_state::chunk_ext_quoted_end;
        } else if (ch == '\\') {
          state_ = lex_state::chunk_ext_quoted_escape;
        } else if (!is_qdtext(ch)) {
          return fail(c, errc::invalid_chunk_extension, c.pos);
        }
        continue;
      case lex_state::chunk_ext_quoted_escape:
        if (!is_escapable(ch)) return fail(c, errc::invalid_chunk_extension, c.pos);
        state_ = lex_state::chunk_ext_quoted;
        continue;
      case lex_state::chunk_ext_token:
      case lex_state::chunk_ext_quoted_end:
      case lex_state::chunk_ext_after_value:
        if (is_tchar(ch) && state_ == lex_state::chunk_ext_token) continue;
        if (syntax::is_ows(ch)) {
          state_ = lex_state::chunk_ext_after_value;
          continue;
        }
        if (ch == ';') {
          state_ = lex_state::chunk_ext_start;
          continue;
        }
        if (ch != '\r' && ch != '\n') return fail(c, errc::invalid_chunk_extension, c.pos);
        break;
      case lex_state::chunk_size_lf: {
        const line_end v = classify_line_end(ch, true, line_kind::chunk_size, lenient_);
        if (is_refusal(v)) return fail(c, line_end_error(v), c.pos);
        return end_chunk_size_line(c, v == line_end::after_byte ? c.pos + 1 : c.pos);
      }
      default:
        return fail(c, errc::invalid_chunk_size, c.pos);  // unreachable
    }
    // The line ends here: ch is CR or LF, after a complete size or extension.
    // An extension may not end in ';', '=' or whitespace (BWS comes before ';'
    // or '=' only).
    if (state_ == lex_state::chunk_ext_start || state_ == lex_state::chunk_ext_value_start ||
        state_ == lex_state::chunk_ext_after_name || state_ == lex_state::chunk_ext_after_value)
      return fail(c, errc::invalid_chunk_extension, c.pos);
    const line_end v = classify_line_end(ch, false, line_kind::chunk_size, lenient_);
    if (is_refusal(v)) return fail(c, line_end_error(v), c.pos);
    if (v == line_end::after_byte) return end_chunk_size_line(c, c.pos + 1);  // an allowed bare LF
    state_ = lex_state::chunk_size_lf;  // a CR: its LF is next
  }
  return step::need_more;
}

// The usual bytes between two chunks, "CRLF chunk-size CRLF" (or the first
// size line, without the CRLF before it), in one step with the size in a
// register. It takes only a complete, well-formed boundary without
// extensions and changes nothing otherwise, so that the byte-by-byte states
// (parse_chunk_data_end, parse_chunk_line) judge everything else, with the
// same errors at the same offsets however the input is split.
parser::step parser::parse_chunk_boundary(cursor& c, bool after_data) noexcept {
  const char* p = c.data + c.pos;
  const std::size_t avail = c.size - c.pos;
  std::size_t i = 0;
  if (after_data) {
    if (avail < 2 || p[0] != '\r' || p[1] != '\n') return parse_chunk_data_end(c);
    i = 2;
  }
  // 15 hex digits at most: 16 could overflow, which the slow path reports.
  const std::size_t digits_begin = i, digits_max = std::min(avail, i + 15);
  std::uint64_t size = 0;
  for (; i < digits_max; ++i) {
    const int v = hex_value(p[i]);
    if (v < 0) break;
    size = (size << 4) | static_cast<std::uint64_t>(v);
  }
  if (i == digits_begin || avail - i < 2 || p[i] != '\r' || p[i + 1] != '\n') {
    if (!after_data) return parse_chunk_line(c);
    c.pos += 2;  // the CRLF after the data was fine
    state_ = lex_state::chunk_size;
    return step::next;
  }
  body_remaining_ = size;
  step s = end_chunk_size_line(c, c.pos + i + 2);
  // Straight on to the data, without a round through feed()'s dispatch.
  if (s == step::next && state_ == lex_state::chunk_data) return parse_chunk_data(c);
  return s;
}

parser::step parser::end_chunk_size_line(cursor& c, std::size_t next) noexcept {
  c.pos = next;
  chunk_size_digits_ = false;
  chunk_ext_bytes_ = 0;
  if (body_remaining_ == 0) {
    // The last chunk: a trailer section follows, scanned like a head.
    in_trailers_ = true;
    field_count_ = 0;
    begin_section(c);
    state_ = lex_state::field_line_start;
    return step::next;
  }
  if (body_remaining_ > limits_.max_body_bytes - body_total_)
    return fail(c, errc::body_too_large, c.pos);
  body_total_ += body_remaining_;
  state_ = lex_state::chunk_data;
  return step::next;
}

parser::step parser::parse_chunk_data(cursor& c) noexcept {
  std::size_t avail = c.size - c.pos;
  if (avail == 0) return step::need_more;
  std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(avail, body_remaining_));
  c.ev = body_data{std::as_bytes(std::span<const char>(c.data + c.pos, take))};
  body_bytes_ += take;
  c.pos += take;
  body_remaining_ -= take;
  if (body_remaining_ == 0) state_ = lex_state::chunk_data_cr;
  return step::emit;
}

parser::step parser::parse_chunk_data_end(cursor& c) noexcept {
  if (c.pos == c.size) return step::need_more;
  const bool after_cr = state_ == lex_state::chunk_data_lf;
  const line_end v = classify_line_end(c.byte(), after_cr, line_kind::chunk_data_end, lenient_);
  if (is_refusal(v)) return fail(c, line_end_error(v), c.pos);
  if (v == line_end::cr) {
    ++c.pos;
    state_ = lex_state::chunk_data_lf;
    return step::next;
  }
  if (v == line_end::after_byte) ++c.pos;  // else the flags let the line end before this byte
  state_ = lex_state::chunk_size;
  return step::next;
}

}  // namespace httpcore::h1
