// The request line (RFC 9112 §3) and the status line (RFC 9112 §4).

#include <algorithm>
#include <string_view>

#include "detail/scan.hpp"
#include "detail/target_form.hpp"
#include "h1/line_end.hpp"
#include "h1/parser_internal.hpp"

namespace httpcore::h1 {
namespace {

using httpcore::detail::is_alpha;
using httpcore::detail::is_digit;

// HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3). Returns the index of
// the first of the `avail` bytes at p that cannot be part of one, or 8 if none
// of the first min(avail, 8) bytes is wrong. Checking a prefix lets an input
// that is not HTTP fail at the same offset however it is split.
std::size_t version_mismatch(const char* p, std::size_t avail) noexcept {
  if (avail >= 8) {
    // The usual case, a whole version: one 8-byte compare with the digits
    // masked out, and the two digits. Only a mismatch needs the loop below.
    constexpr std::uint64_t digit_bytes = 0xFF00FF0000000000ULL;  // bytes 5 and 7
    const std::uint64_t w = syntax::load_u64(p);
    if ((w & ~digit_bytes) == (syntax::load_u64("HTTP/0.0") & ~digit_bytes) && is_digit(p[5]) &&
        is_digit(p[7]))
      return 8;
  }
  static constexpr std::string_view kShape = "HTTP/9.9";
  for (std::size_t i = 0; i < std::min<std::size_t>(avail, 8); ++i) {
    bool ok = kShape[i] == '9' ? is_digit(p[i]) : p[i] == kShape[i];
    if (!ok) return i;
  }
  return 8;
}

// The request-target module's forms and the parser's names for them.
static_assert(static_cast<int>(target_kind::origin) == static_cast<int>(target_form::origin) &&
              static_cast<int>(target_kind::absolute) == static_cast<int>(target_form::absolute) &&
              static_cast<int>(target_kind::authority) ==
                  static_cast<int>(target_form::authority) &&
              static_cast<int>(target_kind::asterisk) == static_cast<int>(target_form::asterisk));

// Where the start line ends, once its last field is read: after a CR the
// state that wants the LF; after a bare LF the flags allow, the first field
// line. Any other byte is refused with `not_an_end`, or with the line-end
// error the byte names. One rule for the request line and the status line.
struct start_line_end {
  errc error;      // errc::ok when the byte ends the line
  lex_state next;  // the state after the byte, when it does
};
start_line_end classify_start_line_end(char byte, const lenient_flags& lenient,
                                       errc not_an_end) noexcept {
  switch (const line_end v = classify_line_end(byte, false, line_kind::start_line, lenient)) {
    case line_end::cr:
      return {errc::ok, lex_state::start_line_lf};
    case line_end::after_byte:  // a bare LF the flags allow
      return {errc::ok, lex_state::field_line_start};
    case line_end::none:
      return {not_an_end, lex_state::start_line_lf};
    default:
      return {line_end_error(v), lex_state::start_line_lf};
  }
}

}  // namespace

// The start-line states in one loop, so that a complete line is parsed
// without going back through the parser's dispatch after each piece.
parser::step parser::parse_start_line(cursor& c) noexcept {
  for (;;) {
    step s;
    switch (state_) {
      case lex_state::method:
        s = parse_method(c);
        break;
      case lex_state::target:
        s = parse_target(c);
        break;
      case lex_state::request_version:
        s = parse_request_version(c);
        break;
      case lex_state::status_version:
        s = parse_status_version(c);
        break;
      case lex_state::status_code:
        s = parse_status_code(c);
        break;
      case lex_state::reason:
        s = parse_reason(c);
        break;
      case lex_state::start_line_lf:
        s = parse_start_line_lf(c);
        break;
      default:
        return step::next;  // the start line is done
    }
    if (s != step::next) return s;
  }
}

inline parser::step parser::parse_method(cursor& c) noexcept {
  // Methods are short: a plain table loop beats a call to the vector scanner.
  while (c.pos < c.limit && httpcore::detail::is_tchar(static_cast<unsigned char>(c.byte())))
    ++c.pos;
  if (c.at_end()) return more(c);
  char ch = c.byte();
  if (c.pos == c.origin) {
    if (syntax::is_ows(ch)) return fail(c, errc::leading_whitespace, c.pos);
    return fail(c, errc::invalid_method, c.pos);
  }
  if (ch != ' ') {
    if (ch == '\r' || ch == '\n') return fail(c, errc::invalid_request_line, c.pos);
    return fail(c, errc::invalid_method, c.pos);
  }
  method_end_ = static_cast<std::uint32_t>(c.pos - c.origin);
  method_id_ = method_from_token({c.data + c.origin, method_end_});
  ++c.pos;
  target_begin_ = static_cast<std::uint32_t>(c.pos - c.origin);
  state_ = lex_state::target;
  return step::next;
}

inline parser::step parser::parse_target(cursor& c) noexcept {
  std::size_t target_start = c.origin + target_begin_;
  // One byte past the limit is enough to know the target is too long.
  std::size_t stop = std::min(c.limit, target_start + limits_.max_target_bytes + 1);
  c.pos += httpcore::detail::find_non_target(c.data + c.pos, stop - c.pos);
  if (c.pos - target_start > limits_.max_target_bytes)
    return fail(c, errc::target_too_long, target_start + limits_.max_target_bytes);
  if (c.at_end()) return more(c);
  char ch = c.byte();
  if (ch != ' ') {
    if (ch == '\r' || ch == '\n') return fail(c, errc::invalid_request_line, c.pos);
    return fail(c, errc::invalid_target, c.pos);
  }
  if (c.pos == target_start) return fail(c, errc::invalid_request_line, c.pos);
  target_end_ = static_cast<std::uint32_t>(c.pos - c.origin);
  ++c.pos;
  state_ = lex_state::request_version;
  return step::next;
}

inline parser::step parser::parse_request_version(cursor& c) noexcept {
  // "HTTP/x.y", judged as soon as its bytes arrive (a bad version should not
  // wait for the line end), then the CR (or LF) after it.
  std::size_t avail = c.limit - c.pos;
  if (std::size_t bad = version_mismatch(c.data + c.pos, avail); bad != 8)
    return fail(c, errc::invalid_version, c.pos + bad);
  if (avail < 8) return more(c);
  version_major_ = c.data[c.pos + 5] - '0';
  version_minor_ = c.data[c.pos + 7] - '0';
  std::string_view target(c.data + c.origin + target_begin_, target_end_ - target_begin_);
  // The HTTP/2 connection preface (RFC 9113 §3.4), all 24 bytes of it, as the
  // very first bytes of a connection: hand it to the HTTP/2 layer. Anything
  // else that starts "PRI * HTTP/2.0" is an HTTP/1 request line of version 2.0
  // and is judged as one below (unsupported_version).
  if (stream_offset_ + c.origin == 0 && method_id_ == httpcore::method::pri && target == "*" &&
      version_major_ == 2 && version_minor_ == 0) {
    static constexpr std::string_view preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
    std::string_view seen(c.data + c.origin, std::min(c.size - c.origin, preface.size()));
    if (preface.substr(0, seen.size()) == seen) {
      if (seen.size() < preface.size()) return more(c);
      upgrade_ = upgrade_kind::h2_preface;
      state_ = lex_state::upgraded;
      c.pos = c.origin;
      c.ev = upgraded{upgrade_};
      return step::emit;
    }
  }
  bool supported = version_major_ == 1 && version_minor_ <= 1;
  if (!supported && !lenient_.version) return fail(c, errc::unsupported_version, c.pos);

  // The target's form must suit the method (RFC 9112 §3.2), judged by the
  // request-target module's shape tests (detail/target_form.hpp). The form
  // found here is the one request_head reports.
  const httpcore::detail::request_form form = httpcore::detail::classify_request_target(
      target, method_id_ == httpcore::method::connect, method_id_ == httpcore::method::options);
  if (form.fit != httpcore::detail::form_fit::fits) {
    const bool wrong = form.fit == httpcore::detail::form_fit::wrong_form;
    return fail(c, wrong ? errc::target_form_mismatch : errc::invalid_target,
                c.origin + target_begin_);
  }
  target_form_ = static_cast<target_kind>(form.form);

  if (avail < 9) return more(c);
  c.pos += 8;
  const start_line_end end =
      classify_start_line_end(c.byte(), lenient_, errc::invalid_request_line);
  if (end.error != errc::ok) return fail(c, end.error, c.pos);
  ++c.pos;
  state_ = end.next;
  return step::next;
}

inline parser::step parser::parse_status_version(cursor& c) noexcept {
  std::size_t avail = c.limit - c.pos;
  if (std::size_t bad = version_mismatch(c.data + c.pos, avail); bad != 8) {
    bool space = bad == 0 && syntax::is_ows(c.byte());
    return fail(c, space ? errc::leading_whitespace : errc::invalid_version, c.pos + bad);
  }
  if (avail < 9) return more(c);
  version_major_ = c.data[c.pos + 5] - '0';
  version_minor_ = c.data[c.pos + 7] - '0';
  if (!(version_major_ == 1 && version_minor_ <= 1) && !lenient_.version)
    return fail(c, errc::unsupported_version, c.pos);
  if (c.data[c.pos + 8] != ' ') return fail(c, errc::invalid_status_line, c.pos + 8);
  c.pos += 9;
  state_ = lex_state::status_code;
  return step::next;
}

inline parser::step parser::parse_status_code(cursor& c) noexcept {
  // Three digits, then SP or the line end. Digits are checked as they arrive
  // so that the error offset does not depend on how the input was split.
  for (std::size_t i = c.pos; i < c.limit && i < c.pos + 3; ++i)
    if (!is_digit(c.data[i])) return fail(c, errc::invalid_status, i);
  if (c.limit - c.pos < 4) return more(c);
  const char* p = c.data + c.pos;
  status_ = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
  c.pos += 3;
  reason_begin_ = reason_end_ = static_cast<std::uint32_t>(c.pos - c.origin);
  // status-line = HTTP-version SP status-code SP [ reason-phrase ]. Many servers
  // omit the second SP when there is no reason; a client accepts that.
  if (p[3] == ' ') {
    ++c.pos;
    reason_begin_ = static_cast<std::uint32_t>(c.pos - c.origin);
    state_ = lex_state::reason;
    return step::next;
  }
  state_ = lex_state::reason;
  if (p[3] == '\r' || p[3] == '\n') return step::next;
  return fail(c, errc::invalid_status, c.pos);
}

inline parser::step parser::parse_reason(cursor& c) noexcept {
  c.pos += httpcore::detail::find_non_field_value(c.data + c.pos, c.limit - c.pos);
  if (c.at_end()) return more(c);
  reason_end_ = static_cast<std::uint32_t>(c.pos - c.origin);
  const start_line_end end = classify_start_line_end(c.byte(), lenient_, errc::invalid_reason);
  if (end.error != errc::ok) return fail(c, end.error, c.pos);
  ++c.pos;
  state_ = end.next;
  return step::next;
}

inline parser::step parser::parse_start_line_lf(cursor& c) noexcept {
  if (c.at_end()) return more(c);
  const line_end v = classify_line_end(c.byte(), true, line_kind::start_line, lenient_);
  if (is_refusal(v)) return fail(c, line_end_error(v), c.pos);
  if (v == line_end::after_byte) ++c.pos;  // else a bare CR the flags allow ended the line
  state_ = lex_state::field_line_start;
  return step::next;
}

}  // namespace httpcore::h1
