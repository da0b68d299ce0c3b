// Field lines of a head or a trailer section (RFC 9112 §5), and what the
// head's fields say about framing and the connection (RFC 9112 §6, §9).

#include "detail/scan.hpp"
#include "h1/line_end.hpp"
#include "h1/parser_internal.hpp"
#include "httpcore/target.hpp"

namespace httpcore::h1 {

// A cheap first look: could this field be one that interpret_field acts on?
// (Host, Expect, Upgrade, Connection, Content-Length, Transfer-Encoding.)
inline bool parser::may_shape_message(field_offsets f) noexcept {
  switch (f.name_end - f.name_begin) {
    case 4:   // host
    case 6:   // expect
    case 7:   // upgrade
    case 10:  // connection
    case 14:  // content-length
    case 17:  // transfer-encoding
      return true;
    default:
      return false;
  }
}

// The field-line states as one switch whose cases fall through in the order
// of a line: name, ':', whitespace, value, CR, LF. The state is stored only
// when the input runs out (suspend), so a complete head is parsed in one pass.
parser::step parser::parse_field_lines(cursor& c) noexcept {
  const char* const d = c.data;
  // Locals, not members: the scanners are opaque calls after which members
  // would be reloaded, and a field written as four 32-bit members and then
  // copied as one 16-byte block stalls store forwarding at every line.
  const std::size_t origin = c.origin, limit = c.limit;
  std::size_t pos = c.pos;
  field_offsets f = field_;
  auto suspend = [&](lex_state at) {
    state_ = at;
    field_ = f;
    c.pos = pos;
    return more(c);
  };
  auto fail_at = [&](errc code, std::size_t at) {
    c.pos = pos;
    return fail(c, code, at);
  };
  auto end_section_at = [&](std::size_t next) {
    c.pos = pos;
    return end_section(c, next);
  };
  lex_state st = state_;
  for (;;) {
    switch (st) {
      case lex_state::field_line_start: {
        if (pos >= limit) return suspend(lex_state::field_line_start);
        char ch = d[pos];
        // An empty line ends the section.
        const line_end v = classify_line_end(ch, false, line_kind::section_end, lenient_);
        if (v == line_end::cr) {
          ++pos;
          st = lex_state::section_end_lf;
          continue;
        }
        if (v == line_end::after_byte) return end_section_at(pos + 1);  // an allowed bare LF
        if (is_refusal(v)) return fail_at(line_end_error(v), pos);
        // A line starting with whitespace is obs-fold (RFC 9112 §5.2), or, right
        // after the start line, whitespace that §2.2 says to reject.
        if (syntax::is_ows(ch)) return fail_at(errc::obs_fold, pos);
        f.name_begin = static_cast<std::uint32_t>(pos - origin);
        [[fallthrough]];
      }
      case lex_state::field_name: {
        pos += httpcore::detail::find_non_token(d + pos, limit - pos);
        if (pos >= limit) return suspend(lex_state::field_name);
        char ch = d[pos];
        std::size_t name_begin = origin + f.name_begin;
        if (ch != ':') {
          if (syntax::is_ows(ch) && pos != name_begin)
            return fail_at(errc::whitespace_before_colon, pos);
          return fail_at(errc::invalid_header_name, pos);
        }
        if (pos == name_begin) return fail_at(errc::empty_header_name, pos);
        f.name_end = static_cast<std::uint32_t>(pos - origin);
        ++pos;
        [[fallthrough]];
      }
      case lex_state::field_value_ows:
        while (pos < limit && syntax::is_ows(d[pos])) ++pos;
        if (pos >= limit) return suspend(lex_state::field_value_ows);
        f.value_begin = static_cast<std::uint32_t>(pos - origin);
        [[fallthrough]];
      case lex_state::field_value: {
        for (;;) {
          pos += httpcore::detail::find_non_field_value(d + pos, limit - pos);
          if (pos >= limit) return suspend(lex_state::field_value);
          char ch = d[pos];
          if (ch == '\r' || ch == '\n') break;
          // NUL, other controls and DEL (RFC 9110 §5.5). Lenient: let them through.
          if (!lenient_.headers) return fail_at(errc::invalid_header_value, pos);
          ++pos;
        }
        // Trailing whitespace is not part of the value (RFC 9110 §5.5).
        std::size_t end = pos;
        while (end > origin + f.value_begin && syntax::is_ows(d[end - 1])) --end;
        f.value_end = static_cast<std::uint32_t>(end - origin);
        const line_end v = classify_line_end(d[pos], false, line_kind::field_line, lenient_);
        if (is_refusal(v)) return fail_at(line_end_error(v), pos);
        ++pos;
        if (v == line_end::after_byte) break;  // an allowed bare LF ended the line
        [[fallthrough]];                       // a CR: its LF is next
      }
      case lex_state::field_line_lf: {
        if (pos >= limit) return suspend(lex_state::field_line_lf);
        const line_end v = classify_line_end(d[pos], true, line_kind::field_line, lenient_);
        if (is_refusal(v)) return fail_at(line_end_error(v), pos);
        pos += v == line_end::after_byte;  // (a field line never ends in a bare CR)
        break;
      }
      case lex_state::section_end_lf: {
        if (pos >= limit) return suspend(lex_state::section_end_lf);
        const line_end v = classify_line_end(d[pos], true, line_kind::section_end, lenient_);
        if (is_refusal(v)) return fail_at(line_end_error(v), pos);
        return end_section_at(v == line_end::after_byte ? pos + 1 : pos);
      }
      default:
        c.pos = pos;
        return step::next;  // not a field-line state
    }
    // A field line is complete.
    if (field_count_ == limits_.max_headers) {
      return fail_at(in_trailers_ ? errc::trailers_too_large : errc::too_many_headers,
                     origin + f.name_begin);
    }
    fields_[field_count_++] = f;
    if (!in_trailers_ && may_shape_message(f)) {
      c.pos = pos;
      step s = interpret_field(c, f);
      if (s != step::next) return s;
    }
    st = lex_state::field_line_start;
  }
}

parser::step parser::end_section(cursor& c, std::size_t next) noexcept {
  for (std::uint32_t i = 0; i < field_count_; ++i) {
    const field_offsets& f = fields_[i];
    headers_[i] = {{c.data + c.origin + f.name_begin, f.name_end - f.name_begin},
                   {c.data + c.origin + f.value_begin, f.value_end - f.value_begin}};
  }
  return in_trailers_ ? complete_trailers(c, next) : complete_head(c, next);
}

// The fields that decide framing and the connection's fate are interpreted as
// each line ends, so that an error points at the offending field.
parser::step parser::interpret_field(cursor& c, field_offsets f) noexcept {
  std::string_view name(c.data + c.origin + f.name_begin, f.name_end - f.name_begin);
  std::size_t value_at = c.origin + f.value_begin;
  std::string_view value(c.data + value_at, f.value_end - f.value_begin);
  switch (name.size()) {
    case 4:
      if (role_ == role::server && syntax::ascii_iequals(name, "host"))
        return interpret_host(c, value, value_at);
      break;
    case 6:
      if (syntax::ascii_iequals(name, "expect") && syntax::ascii_iequals(value, "100-continue"))
        expect_continue_ = true;
      break;
    case 7:
      if (syntax::ascii_iequals(name, "upgrade") && !value.empty()) has_upgrade_ = true;
      break;
    case 10:
      if (syntax::ascii_iequals(name, "connection")) {
        // The usual values, a single token, without walking a list.
        if (syntax::ascii_iequals(value, "keep-alive")) {
          conn_keep_alive_ = true;
          break;
        }
        if (syntax::ascii_iequals(value, "close")) {
          conn_close_ = true;
          break;
        }
        syntax::for_each_list_element(value, [this](std::string_view token, std::size_t) {
          if (syntax::ascii_iequals(token, "close"))
            conn_close_ = true;
          else if (syntax::ascii_iequals(token, "keep-alive"))
            conn_keep_alive_ = true;
          else if (syntax::ascii_iequals(token, "upgrade"))
            conn_upgrade_ = true;
          return true;
        });
      }
      break;
    case 14:
      if (syntax::ascii_iequals(name, "content-length"))
        return interpret_content_length(c, value, value_at);
      break;
    case 17:
      if (syntax::ascii_iequals(name, "transfer-encoding")) {
        // The usual value: a list of exactly "chunked", the first one seen.
        if (!te_chunked_seen_ && syntax::ascii_iequals(value, "chunked")) {
          has_transfer_encoding_ = true;
          te_chunked_seen_ = te_chunked_last_ = true;
          count_transfer_coding(c, value);
          return step::next;
        }
        return interpret_transfer_encoding(c, value, value_at);
      }
      break;
    default:
      break;
  }
  return step::next;
}

// Content-Length = 1*DIGIT (RFC 9110 §8.6). Lists such as "5, 5" and a second
// field, even an equal one, are rejected: each has been used to smuggle requests.
parser::step parser::interpret_content_length(cursor& c, std::string_view value,
                                              std::size_t at) noexcept {
  if (has_content_length_) return fail(c, errc::duplicate_content_length, at);
  if (value.empty()) return fail(c, errc::invalid_content_length, at);
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char ch = value[i];
    if (ch < '0' || ch > '9') return fail(c, errc::invalid_content_length, at + i);
    std::uint64_t digit = static_cast<std::uint64_t>(ch - '0');
    if (n > (UINT64_MAX - digit) / 10) return fail(c, errc::content_length_overflow, at + i);
    n = n * 10 + digit;
  }
  has_content_length_ = true;
  content_length_ = n;
  return step::next;
}

// Host = uri-host [ ":" port ] (RFC 9110 §7.2), on one field line only (RFC
// 9112 §3.2): with two values, or one that is not a host, a proxy, a cache and
// the origin can each take the request to be for a different host.
parser::step parser::interpret_host(cursor& c, std::string_view value, std::size_t at) noexcept {
  if (lenient_.host) return step::next;
  if (has_host_) return fail(c, errc::duplicate_host, at);
  has_host_ = true;
  target_result host = parse_host(value);
  if (!host.ok()) return fail(c, errc::invalid_host, at + host.error_offset);
  return step::next;
}

// One more coding listed by Transfer-Encoding; `token` points into the head.
void parser::count_transfer_coding(const cursor& c, std::string_view token) noexcept {
  if (te_codings_++ > 0) return;
  te_first_begin_ = static_cast<std::uint32_t>(token.data() - (c.data + c.origin));
  te_first_end_ = te_first_begin_ + static_cast<std::uint32_t>(token.size());
}

// Transfer-Encoding = #transfer-coding (RFC 9112 §6.1). Several fields form one
// list, in order. chunked must be the last coding of a request, and appear once.
parser::step parser::interpret_transfer_encoding(cursor& c, std::string_view value,
                                                 std::size_t at) noexcept {
  has_transfer_encoding_ = true;
  errc problem = errc::ok;
  std::size_t problem_at = 0;
  bool any_coding = false;
  syntax::for_each_list_element(value, [&](std::string_view coding, std::size_t offset) {
    any_coding = true;
    // A coding may carry parameters: keep the token before ';'.
    std::size_t semi = coding.find(';');
    std::string_view token = syntax::trim_ows(coding.substr(0, semi));
    count_transfer_coding(c, token);
    // After a problem (lenient: the body is read until close), only counted.
    if (problem != errc::ok) return true;
    for (char ch : token) {
      if (!httpcore::detail::is_tchar(static_cast<unsigned char>(ch))) {
        problem = errc::invalid_transfer_encoding;
        problem_at = at + offset;
        return true;
      }
    }
    bool chunked = syntax::ascii_iequals(token, "chunked");
    if (chunked && (te_chunked_seen_ || semi != std::string_view::npos)) {
      problem = te_chunked_seen_ ? errc::chunked_repeated : errc::invalid_transfer_encoding;
      problem_at = at + offset;
      return true;
    }
    if (role_ == role::server && !chunked) {
      bool known = syntax::ascii_iequals(token, "gzip") || syntax::ascii_iequals(token, "x-gzip") ||
                   syntax::ascii_iequals(token, "deflate") ||
                   syntax::ascii_iequals(token, "compress") ||
                   syntax::ascii_iequals(token, "x-compress");
      if (te_chunked_seen_)
        problem = errc::chunked_not_final;
      else if (!known)
        problem = errc::unknown_transfer_coding;
      if (problem != errc::ok) {
        problem_at = at + offset;
        return true;
      }
    }
    te_chunked_seen_ = te_chunked_seen_ || chunked;
    te_chunked_last_ = chunked;
    return true;
  });
  // A list with no coding at all ("", ",", " , ") frames nothing.
  if (!any_coding) return fail(c, errc::invalid_transfer_encoding, at);
  if (problem == errc::ok) return step::next;
  // Lenient: a request whose codings we cannot frame is read until close.
  if (lenient_.transfer_encoding && problem != errc::invalid_transfer_encoding) {
    te_chunked_last_ = false;
    return step::next;
  }
  return fail(c, problem, problem_at);
}

}  // namespace httpcore::h1
