// The HTTP/1 parser's driver: feed(), finish(), reset(), and the dispatch from
// each state to the function that handles it. The state functions live in
// start_line.cpp, field_lines.cpp, framing.cpp and chunked.cpp.

#include "httpcore/h1/parser.hpp"

#include "h1/line_end.hpp"
#include "h1/parser_internal.hpp"

namespace httpcore::h1 {
namespace {

// States in which the parser scans a head or trailer section, whose bytes
// must stay in the caller's buffer until the section is complete.
bool in_section(lex_state s) noexcept {
  return s >= lex_state::method && s <= lex_state::section_end_lf;
}

}  // namespace

parser::parser(role r, limits lim, lenient_flags lenient)
    : role_(r),
      limits_(lim),
      lenient_(lenient),
      state_(lex_state::message_start),
      fields_(lim.max_headers),
      headers_(lim.max_headers) {
  begin_message();
}

parse_state parser::state() const noexcept {
  switch (state_) {
    case lex_state::message_start:
      return parse_state::idle;
    case lex_state::method:
    case lex_state::target:
    case lex_state::request_version:
    case lex_state::status_version:
    case lex_state::status_code:
    case lex_state::reason:
    case lex_state::start_line_lf:
    case lex_state::field_line_start:
    case lex_state::field_name:
    case lex_state::field_value_ows:
    case lex_state::field_value:
    case lex_state::field_line_lf:
    case lex_state::section_end_lf:
      return in_trailers_ ? parse_state::trailers : parse_state::head;
    case lex_state::body_fixed:
    case lex_state::body_until_close:
    case lex_state::chunk_size:
    case lex_state::chunk_size_ws:
    case lex_state::chunk_ext_start:
    case lex_state::chunk_ext_name:
    case lex_state::chunk_ext_after_name:
    case lex_state::chunk_ext_value_start:
    case lex_state::chunk_ext_token:
    case lex_state::chunk_ext_quoted:
    case lex_state::chunk_ext_quoted_escape:
    case lex_state::chunk_ext_quoted_end:
    case lex_state::chunk_ext_after_value:
    case lex_state::chunk_size_lf:
    case lex_state::chunk_data:
    case lex_state::chunk_data_cr:
    case lex_state::chunk_data_lf:
      return parse_state::body;
    case lex_state::message_complete:
      return parse_state::message_done;
    case lex_state::upgrade_pending:
    case lex_state::upgraded:
      return parse_state::upgraded;
    case lex_state::closed:
      return parse_state::closed;
    case lex_state::failed:
      return parse_state::failed;
  }
  return parse_state::failed;  // unreachable: every state is listed above
}

bool parser::release_tables() noexcept {
  if (state_ != lex_state::message_start || unconsumed_ != 0) return false;
  fields_.release();
  headers_.release();
  return true;
}

void parser::reserve_tables() {
  if (fields_.size() == limits_.max_headers) return;  // still held: they may be in use
  fields_.allocate(limits_.max_headers);
  headers_.allocate(limits_.max_headers);
}

void parser::reset(std::uint64_t stream_offset) noexcept {
  state_ = lex_state::message_start;
  stream_offset_ = stream_offset;
  unconsumed_ = 0;
  error_ = {};
  request_method_ = httpcore::method::unknown;
  begin_message();
}

void parser::begin_message() noexcept {
  scan_ = 0;
  in_trailers_ = false;
  field_count_ = 0;
  method_end_ = target_begin_ = target_end_ = reason_begin_ = reason_end_ = 0;
  version_major_ = version_minor_ = 1;
  status_ = 0;
  method_id_ = httpcore::method::unknown;
  target_form_ = target_kind::origin;
  has_content_length_ = has_transfer_encoding_ = false;
  te_chunked_last_ = te_chunked_seen_ = false;
  te_codings_ = te_first_begin_ = te_first_end_ = 0;
  conn_close_ = conn_keep_alive_ = conn_upgrade_ = false;
  has_upgrade_ = expect_continue_ = false;
  has_host_ = false;
  content_length_ = 0;
  keep_alive_ = true;
  upgrade_ = upgrade_kind::upgrade;
  upgrade_after_message_ = false;
  body_remaining_ = body_total_ = body_bytes_ = 0;
  chunk_ext_bytes_ = 0;
  chunk_size_digits_ = false;
}

inline std::size_t parser::section_max() const noexcept {
  return in_trailers_ ? limits_.max_trailer_bytes : limits_.max_head_bytes;
}

void parser::begin_section(cursor& c) noexcept {
  c.origin = c.pos;
  scan_ = 0;
  c.limit = std::min(c.size, c.origin + section_max());
}

// Scanning a section reached c.limit. If that is the section's size limit, no
// amount of further input can complete it.
parser::step parser::more(cursor& c) noexcept {
  if (c.limit - c.origin >= section_max())
    return fail(c, in_trailers_ ? errc::trailers_too_large : errc::head_too_large, c.limit);
  return step::need_more;
}

parser::step parser::fail(cursor&, errc code, std::size_t at) noexcept {
  error_ = {code, stream_offset_ + at};
  state_ = lex_state::failed;
  return step::fail;
}

// Inline: feed() runs it once per step, and most events take one or two steps.
inline parser::step parser::dispatch(cursor& c) noexcept {
  switch (state_) {
    case lex_state::message_start:
      return skip_empty_lines(c);
    case lex_state::method:
    case lex_state::target:
    case lex_state::request_version:
    case lex_state::status_version:
    case lex_state::status_code:
    case lex_state::reason:
    case lex_state::start_line_lf:
      return parse_start_line(c);
    case lex_state::field_line_start:
    case lex_state::field_name:
    case lex_state::field_value_ows:
    case lex_state::field_value:
    case lex_state::field_line_lf:
    case lex_state::section_end_lf:
      return parse_field_lines(c);
    case lex_state::body_fixed:
      return parse_fixed_body(c);
    case lex_state::body_until_close:
      if (c.pos == c.size) return step::need_more;
      c.ev = body_data{std::as_bytes(std::span<const char>(c.data + c.pos, c.size - c.pos))};
      body_bytes_ += c.size - c.pos;
      c.pos = c.size;
      return step::emit;
    case lex_state::chunk_data:
      return parse_chunk_data(c);
    case lex_state::chunk_data_cr:
      return parse_chunk_boundary(c, true);
    case lex_state::chunk_data_lf:
      return parse_chunk_data_end(c);
    case lex_state::chunk_size:
      // At the start of a size line (not resuming one): try it in one step.
      if (!chunk_size_digits_) return parse_chunk_boundary(c, false);
      return parse_chunk_line(c);
    case lex_state::message_complete:
      c.ev = message_end{{}, body_bytes_};
      return end_message();
    case lex_state::upgrade_pending:
      state_ = lex_state::upgraded;
      [[fallthrough]];
    case lex_state::upgraded:
      c.ev = upgraded{upgrade_};
      return step::emit;
    case lex_state::closed:
      if (c.pos == c.size) return step::need_more;
      if (lenient_.data_after_close) {
        c.pos = c.size;
        return step::need_more;
      }
      return fail(c, errc::data_after_close, c.pos);
    case lex_state::failed:
      return step::fail;
    default:  // the chunk-size line and its extensions
      return parse_chunk_line(c);
  }
}

result parser::feed(std::span<const std::byte> in) noexcept {
  // result has user-provided constructors on purpose: for an aggregate
  // holding a std::variant, GCC 12 zero-fills the whole variant (120 bytes
  // with `rep stosq`) before constructing need_more, at every feed() call.
  result r;
  // The calls that need no input, such as the one that delivers message_end
  // after a head or a body and the one that finds an empty buffer between
  // messages, skip the cursor and the state dispatch.
  if (state_ == lex_state::message_complete) {
    unconsumed_ = in.size();
    r.ev.emplace<message_end>(message_end{{}, body_bytes_});
    end_message();
    return r;
  }
  if (in.empty() && state_ == lex_state::message_start) {
    unconsumed_ = 0;
    return r;
  }
  // After release_tables(), a caller that did not reserve_tables() again
  // gets them here rather than writing through an empty table.
  if (fields_.size() != limits_.max_headers) [[unlikely]]
    reserve_tables();  // (std::bad_alloc here ends the program: feed() is noexcept)
  cursor c{reinterpret_cast<const char*>(in.data()), in.size(), r.ev};
  if (in_section(state_)) {
    // The section starts at the beginning of the input; resume where we were.
    c.pos = scan_;
    c.limit = std::min(c.size, section_max());
  } else {
    c.limit = c.size;
  }
  for (;;) {
    switch (dispatch(c)) {
      case step::next:
        continue;
      case step::emit:
        stream_offset_ += c.pos;
        unconsumed_ = c.size - c.pos;
        r.consumed = c.pos;
        return r;
      case step::fail:
        r.ev = need_more{};
        r.err = error_;
        return r;
      case step::need_more: {
        std::size_t consumed = c.pos;
        if (in_section(state_)) {
          consumed = c.origin;
          scan_ = static_cast<std::uint32_t>(c.pos - c.origin);
        }
        stream_offset_ += consumed;
        unconsumed_ = c.size - consumed;
        r.consumed = consumed;
        r.ev = need_more{};
        return r;
      }
    }
  }
}

result parser::finish() noexcept {
  result r;
  cursor c{nullptr, 0, r.ev};
  switch (state_) {
    case lex_state::body_until_close:
      state_ = lex_state::message_complete;
      [[fallthrough]];
    case lex_state::message_complete:
    case lex_state::upgrade_pending:
    case lex_state::upgraded:
      if (dispatch(c) != step::emit) r.ev = need_more{};
      return r;
    case lex_state::message_start:
    case lex_state::closed:
      return {};
    case lex_state::failed:
      return {0, need_more{}, error_};
    default:
      // Mid-message: the error is where the stream ended.
      fail(c, errc::incomplete_message, unconsumed_);
      return {0, need_more{}, error_};
  }
}

// RFC 9112 §2.2: a server SHOULD ignore at least one empty line before a
// request-line. We skip any number of CRLFs (the same for responses).
parser::step parser::skip_empty_lines(cursor& c) noexcept {
  while (c.pos < c.size) {
    const line_end v = classify_line_end(c.byte(), false, line_kind::start_line, lenient_);
    if (v == line_end::none) {
      begin_section(c);
      state_ = role_ == role::server ? lex_state::method : lex_state::status_version;
      return step::next;
    }
    if (is_refusal(v)) return fail(c, line_end_error(v), c.pos);
    if (v == line_end::cr) {
      if (c.pos + 1 == c.size) return step::need_more;  // keep the CR for next time
      const line_end after =
          classify_line_end(c.data[c.pos + 1], true, line_kind::start_line, lenient_);
      if (is_refusal(after)) return fail(c, line_end_error(after), c.pos + 1);
      c.pos += after == line_end::after_byte ? 2 : 1;
    } else {
      c.pos += 1;  // a bare LF the flags allow
    }
  }
  return step::need_more;
}

parser::step parser::parse_fixed_body(cursor& c) noexcept {
  if (body_remaining_ == 0) {
    state_ = lex_state::message_complete;
    return step::next;
  }
  std::size_t avail = c.size - c.pos;
  if (avail == 0) return step::need_more;
  std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(avail, body_remaining_));
  c.ev = body_data{std::as_bytes(std::span<const char>(c.data + c.pos, take))};
  body_bytes_ += take;
  c.pos += take;
  body_remaining_ -= take;
  if (body_remaining_ == 0) state_ = lex_state::message_complete;
  return step::emit;
}

parser::step parser::end_message() noexcept {
  // A 1xx other than 101 is an interim response: the final one follows.
  bool interim = role_ == role::client && status_ >= 100 && status_ < 200 && status_ != 101;
  if (upgrade_after_message_) {
    state_ = lex_state::upgrade_pending;
  } else if (!keep_alive_ && !lenient_.keep_alive && !interim) {
    state_ = lex_state::closed;
  } else {
    state_ = lex_state::message_start;
  }
  if (state_ != lex_state::upgrade_pending) {
    begin_message();
    if (!interim) request_method_ = httpcore::method::unknown;
  }
  return step::emit;
}

}  // namespace httpcore::h1
