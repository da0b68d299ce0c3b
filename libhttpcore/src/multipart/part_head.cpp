// A part's head (RFC 7578 §4.2, §4.4; field syntax as RFC 9110 §5 and RFC
// 9112 §5 have it): field lines up to a blank line, scanned as they arrive
// and left unconsumed until the blank line, so that part_begin can point at
// them. Only Content-Disposition and Content-Type are interpreted.

#include "cursor.hpp"
#include "detail/ascii.hpp"
#include "detail/byte_class.hpp"
#include "lex_state.hpp"

namespace httpcore::multipart {

// Scans the head from scan_ (offsets from c.pos, where the head starts) one
// byte at a time, checking each field line as it ends.
parser::step parser::scan_head(cursor& c) noexcept {
  const std::size_t base = c.pos;
  const std::size_t available = c.size - base;
  for (; scan_ < available; ++scan_) {
    if (scan_ >= limits_.max_part_head_bytes)
      return fail(c, errc::part_head_too_large, stream_offset_ + base + scan_);
    const unsigned char b = c.in[base + scan_];
    const std::uint64_t at = stream_offset_ + base + scan_;
    if (b == '\r') {
      if (scan_ + 1 == available) return step::need_more;  // the CR is looked at again
      if (scan_ + 1 >= limits_.max_part_head_bytes)        // its LF would be past the limit
        return fail(c, errc::part_head_too_large, at + 1);
      if (c.in[base + scan_ + 1] != '\n') return fail(c, errc::cr_without_lf, at + 1);
      if (scan_ == line_begin_) return complete_head(c, scan_);
      if (colon_ == 0) return fail(c, errc::missing_colon, at);
      if (step s = end_field_line(c, scan_); s != step::next) return s;
      ++scan_;  // past the LF
      line_begin_ = scan_ + 1;
      colon_ = name_space_ = 0;
      continue;
    }
    if (b == '\n') return fail(c, errc::lf_without_cr, at);
    if (colon_ != 0) {  // in the value
      if (!detail::is_field_value_byte(b)) return fail(c, errc::invalid_header_value, at);
      continue;
    }
    if (b == ':') {
      if (scan_ == line_begin_) return fail(c, errc::invalid_header_name, at);
      if (name_space_ != 0)
        return fail(c, errc::whitespace_before_colon, stream_offset_ + base + name_space_ - 1);
      colon_ = scan_ + 1;
    } else if (detail::is_ows(static_cast<char>(b))) {
      if (scan_ == line_begin_)
        return fail(c, line_begin_ == 0 ? errc::invalid_header_name : errc::obs_fold, at);
      if (name_space_ == 0) name_space_ = scan_ + 1;
    } else if (!detail::is_tchar(b) || name_space_ != 0) {
      // A byte outside tchar, or a name byte after whitespace ("Na me:").
      const std::uint32_t bad = name_space_ != 0 ? name_space_ - 1 : scan_;
      return fail(c, errc::invalid_header_name, stream_offset_ + base + bad);
    }
  }
  return step::need_more;
}

// A field line [line_begin_, line_end) with its colon at colon_ - 1.
parser::step parser::end_field_line(cursor& c, std::uint32_t line_end) noexcept {
  const std::size_t base = c.pos;
  const std::string_view name = c.view(base + line_begin_, base + colon_ - 1);
  std::uint32_t vbegin = colon_, vend = line_end;
  while (vbegin < vend && detail::is_ows(static_cast<char>(c.in[base + vbegin]))) ++vbegin;
  while (vend > vbegin && detail::is_ows(static_cast<char>(c.in[base + vend - 1]))) --vend;
  if (detail::ascii_iequals(name, "content-disposition")) {
    if (fields_.disposition)
      return fail(c, errc::duplicate_content_disposition, stream_offset_ + base + line_begin_);
    fields_.disposition = true;
    return parse_disposition(c, vbegin, vend);
  }
  if (detail::ascii_iequals(name, "content-type")) {
    if (fields_.has_type)
      return fail(c, errc::duplicate_content_type, stream_offset_ + base + line_begin_);
    fields_.has_type = true;
    fields_.type_begin = vbegin;
    fields_.type_end = vend;
  }
  return step::next;
}

// disposition := "form-data" *( OWS ";" OWS parameter ), parameter :=
// token "=" ( token / quoted-string ) (RFC 7578 §4.2 over RFC 6266 §4.1, in
// RFC 9110 §5.6.6's syntax: no whitespace around "="). Recorded: name and
// filename; filename* is only checked for repetition.
parser::step parser::parse_disposition(cursor& c, std::uint32_t begin, std::uint32_t end) noexcept {
  const std::size_t base = c.pos;
  auto byte = [&](std::uint32_t i) { return c.in[base + i]; };
  auto bad = [&](std::uint32_t i) {
    return fail(c, errc::invalid_content_disposition, stream_offset_ + base + i);
  };
  auto token_end = [&](std::uint32_t i) {
    while (i < end && detail::is_tchar(byte(i))) ++i;
    return i;
  };
  std::uint32_t i = token_end(begin);
  if (!detail::ascii_iequals(c.view(base + begin, base + i), "form-data")) return bad(begin);
  for (;;) {
    while (i < end && detail::is_ows(static_cast<char>(byte(i)))) ++i;
    if (i == end) break;
    if (byte(i) != ';') return bad(i);
    ++i;
    while (i < end && detail::is_ows(static_cast<char>(byte(i)))) ++i;
    const std::uint32_t name_begin = i;
    i = token_end(i);
    if (i == name_begin) return bad(i);
    const std::string_view param = c.view(base + name_begin, base + i);
    if (i == end || byte(i) != '=') return bad(i);
    ++i;
    std::uint32_t value_begin = i, value_end = i;
    bool escaped = false;
    if (i < end && byte(i) == '"') {
      value_begin = ++i;
      for (;; ++i) {
        if (i == end) return bad(i);
        const unsigned char b = byte(i);
        if (b == '"') break;
        if (b == '\\') {
          if (i + 1 == end || !detail::is_field_value_byte(byte(i + 1))) return bad(i + 1);
          escaped = true;
          ++i;
        } else if (!detail::is_qdtext(b)) {
          return bad(i);
        }
      }
      value_end = i++;
    } else {
      value_end = i = token_end(i);
      if (value_end == value_begin) return bad(i);
    }
    bool* seen = nullptr;
    if (detail::ascii_iequals(param, "name")) {
      seen = &fields_.has_name;
      fields_.name_begin = value_begin;
      fields_.name_end = value_end;
    } else if (detail::ascii_iequals(param, "filename")) {
      seen = &fields_.has_filename;
      fields_.filename_begin = value_begin;
      fields_.filename_end = value_end;
    } else if (detail::ascii_iequals(param, "filename*")) {
      seen = &fields_.has_filename_ext;
      escaped = false;  // not reported
    } else {
      continue;  // other parameters are allowed and ignored
    }
    if (*seen) return fail(c, errc::duplicate_parameter, stream_offset_ + base + name_begin);
    *seen = true;
    fields_.escaped = fields_.escaped || escaped;
  }
  if (!fields_.has_name) return fail(c, errc::missing_name, stream_offset_ + base + begin);
  return step::next;
}

// The blank line at `blank_line` ends the head: part_begin, and data follows.
parser::step parser::complete_head(cursor& c, std::uint32_t blank_line) noexcept {
  const std::size_t base = c.pos;
  if (!fields_.disposition)
    return fail(c, errc::missing_content_disposition, stream_offset_ + base + blank_line);
  part_begin ev;
  ev.index = parts_;
  ev.name = c.view(base + fields_.name_begin, base + fields_.name_end);
  if (fields_.has_filename)
    ev.filename = c.view(base + fields_.filename_begin, base + fields_.filename_end);
  if (fields_.has_type)
    ev.content_type = c.view(base + fields_.type_begin, base + fields_.type_end);
  ev.head = c.view(base, base + blank_line);
  ev.escaped = fields_.escaped;
  c.ev = ev;
  c.pos = base + blank_line + 2;
  ++parts_;
  part_open_ = true;
  part_bytes_ = 0;
  at_line_start_ = true;
  state_ = lex_state::data;
  return step::emit;
}

}  // namespace httpcore::multipart
