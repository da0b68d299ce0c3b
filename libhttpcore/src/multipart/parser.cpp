// The multipart/form-data parser's delimiter machinery (RFC 2046 §5.1.1):
// finding delimiters in the preamble and in part data, the rest of each
// delimiter line, and the end of the body. Part heads: part_head.cpp.

#include "httpcore/multipart/parser.hpp"

#include <algorithm>
#include <cstring>

#include "boundary_rules.hpp"
#include "cursor.hpp"
#include "lex_state.hpp"

namespace httpcore::multipart {
namespace {

constexpr std::size_t crlf_dashes = 4;  // "\r\n--" before the boundary in a delimiter

bool is_padding(unsigned char b) noexcept {
  return b == ' ' || b == '\t';
}

// Where the delimiter is in in[from, size), or where a partial one starts
// that runs into the end of the input (its bytes must stay unconsumed: the
// next bytes decide whether they are data). The delimiter has no CR but its
// first byte, so a comparison started at a CR stops at the next CR at the
// latest: the search reads each byte a bounded number of times.
struct delimiter_match {
  bool found = false;     // a whole or partial match
  bool complete = false;  // whole: `length` bytes at `at` are the delimiter
  std::size_t at = 0;
  std::size_t length = 0;
};

delimiter_match find_delimiter(const unsigned char* in, std::size_t from, std::size_t size,
                               std::string_view delimiter, bool line_start) noexcept {
  auto compare = [&](std::size_t at, std::string_view d) -> delimiter_match {
    const std::size_t n = std::min(size - at, d.size());
    if (std::memcmp(in + at, d.data(), n) != 0) return {};
    return {true, n == d.size(), at, d.size()};
  };
  // After a line break already consumed, "--boundary" alone is a delimiter.
  if (line_start) {
    if (auto m = compare(from, delimiter.substr(2)); m.found) return m;
  }
  for (std::size_t i = from; i < size;) {
    const void* cr = std::memchr(in + i, '\r', size - i);
    if (cr == nullptr) break;
    i = static_cast<std::size_t>(static_cast<const unsigned char*>(cr) - in);
    if (auto m = compare(i, delimiter); m.found) return m;
    ++i;
  }
  return {};
}

}  // namespace

parser::parser(std::string_view boundary, limits lim) noexcept
    : limits_(lim), state_(lex_state::preamble) {
  if (valid_boundary(boundary)) {
    std::memcpy(delimiter_, "\r\n--", crlf_dashes);
    std::memcpy(delimiter_ + crlf_dashes, boundary.data(), boundary.size());
    delimiter_size_ = static_cast<std::uint8_t>(crlf_dashes + boundary.size());
  }
  reset();
}

void parser::reset() noexcept {
  state_ = lex_state::preamble;
  error_ = {};
  if (delimiter_size_ == 0) {
    state_ = lex_state::failed;
    error_ = {errc::invalid_boundary, 0};
  }
  stream_offset_ = 0;
  unconsumed_ = 0;
  at_line_start_ = true;
  part_open_ = false;
  parts_ = 0;
  part_bytes_ = 0;
  scan_ = line_begin_ = colon_ = name_space_ = 0;
  fields_ = {};
}

std::string_view parser::boundary() const noexcept {
  if (delimiter_size_ == 0) return {};
  return {delimiter_ + crlf_dashes, delimiter_size_ - crlf_dashes};
}

parse_state parser::state() const noexcept {
  switch (state_) {
    case lex_state::preamble:
      return parse_state::preamble;
    case lex_state::boundary_end:
    case lex_state::close_dash:
    case lex_state::padding:
    case lex_state::padding_lf:
      return parse_state::delimiter;
    case lex_state::head:
      return parse_state::head;
    case lex_state::data:
      return parse_state::data;
    case lex_state::close_padding:
    case lex_state::close_lf:
      return parse_state::closing;
    case lex_state::epilogue:
      return parse_state::epilogue;
    case lex_state::failed:
      return parse_state::failed;
  }
  return parse_state::failed;
}

result parser::feed(std::span<const std::byte> in) noexcept {
  if (state_ == lex_state::failed) return {0, need_more{}, error_};
  cursor c{reinterpret_cast<const unsigned char*>(in.data()), in.size()};
  step s = step::next;
  while (s == step::next) s = dispatch(c);
  if (s == step::fail) return {0, need_more{}, error_};
  stream_offset_ += c.pos;
  unconsumed_ = c.size - c.pos;
  return {c.pos, c.ev, {}};
}

result parser::finish() noexcept {
  const std::uint64_t end = stream_offset_ + unconsumed_;
  switch (state_) {
    case lex_state::failed:
      return {0, need_more{}, error_};
    case lex_state::epilogue:
      return {0, need_more{}, {}};
    case lex_state::close_padding:
      state_ = lex_state::epilogue;
      return {0, body_end{parts_}, {}};
    case lex_state::preamble:
      error_ = {errc::boundary_not_found, end};
      break;
    case lex_state::padding_lf:
    case lex_state::close_lf:
      error_ = {errc::cr_without_lf, end};
      break;
    default:
      error_ = {errc::incomplete_body, end};
      break;
  }
  state_ = lex_state::failed;
  return {0, need_more{}, error_};
}

parser::step parser::fail(cursor&, errc code, std::uint64_t at) noexcept {
  error_ = {code, at};
  state_ = lex_state::failed;
  return step::fail;
}

parser::step parser::dispatch(cursor& c) noexcept {
  switch (state_) {
    case lex_state::preamble:
    case lex_state::data:
      return scan_for_delimiter(c);
    case lex_state::boundary_end:
    case lex_state::close_dash:
    case lex_state::padding:
    case lex_state::padding_lf:
      return after_boundary(c);
    case lex_state::close_padding:
    case lex_state::close_lf:
      return after_close(c);
    case lex_state::head:
      return scan_head(c);
    case lex_state::epilogue:
      c.pos = c.size;
      return step::need_more;
    case lex_state::failed:
      break;
  }
  return fail(c, error_.code, error_.offset);
}

// The preamble is skipped; part data is delivered up to the delimiter. Bytes
// that may begin a delimiter at the end of the input stay unconsumed.
parser::step parser::scan_for_delimiter(cursor& c) noexcept {
  const std::string_view delimiter(delimiter_, delimiter_size_);
  const delimiter_match m = find_delimiter(c.in, c.pos, c.size, delimiter, at_line_start_);
  const std::size_t data_end = m.found ? m.at : c.size;
  if (data_end > c.pos) {
    at_line_start_ = false;
    if (state_ == lex_state::preamble) {
      c.pos = data_end;
      return m.complete ? step::next : step::need_more;
    }
    const auto* p = reinterpret_cast<const std::byte*>(c.in) + c.pos;
    c.ev = part_data{{p, data_end - c.pos}};
    part_bytes_ += data_end - c.pos;
    c.pos = data_end;
    return step::emit;
  }
  if (!m.complete) return step::need_more;  // a possible delimiter, unconsumed
  c.pos += m.length;
  at_line_start_ = false;
  state_ = lex_state::boundary_end;
  if (!part_open_) return step::next;
  part_open_ = false;
  c.ev = part_end{parts_ - 1, part_bytes_};
  return step::emit;
}

// After "--boundary": "--" closes the body; otherwise transport padding and
// CRLF end the line, and a part's head follows.
parser::step parser::after_boundary(cursor& c) noexcept {
  for (; c.pos < c.size; ++c.pos) {
    const unsigned char b = c.in[c.pos];
    const std::uint64_t at = stream_offset_ + c.pos;
    switch (state_) {
      case lex_state::boundary_end:
        if (b == '-') {
          state_ = lex_state::close_dash;
          continue;
        }
        [[fallthrough]];
      case lex_state::padding:
        if (is_padding(b)) {
          state_ = lex_state::padding;
        } else if (b == '\r') {
          state_ = lex_state::padding_lf;
        } else {
          return fail(c, errc::invalid_delimiter, at);
        }
        continue;
      case lex_state::close_dash:
        if (b != '-') return fail(c, errc::invalid_delimiter, at);
        ++c.pos;
        state_ = lex_state::close_padding;
        return step::next;
      case lex_state::padding_lf:
        if (b != '\n') return fail(c, errc::cr_without_lf, at);
        ++c.pos;
        if (parts_ >= limits_.max_parts) return fail(c, errc::too_many_parts, at + 1);
        state_ = lex_state::head;
        scan_ = line_begin_ = colon_ = name_space_ = 0;
        fields_ = {};
        return step::next;
      default:
        return fail(c, errc::invalid_delimiter, at);
    }
  }
  return step::need_more;
}

// After "--boundary--": transport padding, then CRLF (or the end of the body).
parser::step parser::after_close(cursor& c) noexcept {
  for (; c.pos < c.size; ++c.pos) {
    const unsigned char b = c.in[c.pos];
    const std::uint64_t at = stream_offset_ + c.pos;
    if (state_ == lex_state::close_lf) {
      if (b != '\n') return fail(c, errc::cr_without_lf, at);
      ++c.pos;
      state_ = lex_state::epilogue;
      c.ev = body_end{parts_};
      return step::emit;
    }
    if (b == '\r') {
      state_ = lex_state::close_lf;
    } else if (!is_padding(b)) {
      return fail(c, errc::invalid_close_delimiter, at);
    }
  }
  return step::need_more;
}

}  // namespace httpcore::multipart
