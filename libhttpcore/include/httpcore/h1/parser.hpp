#pragma once
/// \file
/// The HTTP/1 parser: a sans-I/O state machine that turns bytes into events.
///
/// Usage (server role):
/// \code
///   httpcore::h1::parser p(httpcore::h1::role::server);
///   for (;;) {
///     auto r = p.feed(unconsumed_bytes);      // one event per call
///     if (r.err) { reply(r.err.status()); close(); break; }
///     if (!std::holds_alternative<need_more>(r.ev))
///       handle(r.ev);                         // views point into unconsumed_bytes
///     drop_front(r.consumed);                 // only now: the rest must be given again
///     if (std::holds_alternative<need_more>(r.ev)) read_more_and_append();
///   }
/// \endcode
///
/// Contract:
/// - Bytes not consumed must be given again, unchanged, followed by new bytes.
///   An incomplete head consumes nothing but the parser remembers how far it
///   scanned (as an offset, so the caller may move its buffer), so every byte
///   is examined once however the input is split.
/// - Feeding a message whole, byte by byte or split anywhere yields the same
///   events, except that a body may arrive in more, smaller pieces.
/// - Never reads outside the span it is given. Never allocates while parsing:
///   the header table is sized at construction from limits::max_headers.
/// - An error is terminal until reset().

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "httpcore/h1/error.hpp"
#include "httpcore/h1/events.hpp"
#include "httpcore/h1/lenient.hpp"
#include "httpcore/h1/limits.hpp"
#include "httpcore/method.hpp"

namespace httpcore::h1 {

/// A server parses requests; a client parses responses.
enum class role : std::uint8_t { server, client };

/// Where the parser is. Each value names the thing it expects next.
enum class parse_state : std::uint8_t {
  message_start,     ///< before a start line; empty lines are skipped here
  method,            ///< request line: method token
  target,            ///< request line: request-target
  request_version,   ///< request line: HTTP-version
  status_version,    ///< status line: HTTP-version
  status_code,       ///< status line: three digits
  reason,            ///< status line: reason phrase
  start_line_lf,     ///< LF after the start line's CR
  field_line_start,  ///< a field line, or the blank line ending the section
  field_name,
  field_value_ows,  ///< whitespace between ':' and the value
  field_value,
  field_line_lf,     ///< LF after a field line's CR
  section_end_lf,    ///< LF of the blank line ending a head or trailer section
  body_fixed,        ///< Content-Length body
  body_until_close,  ///< response body delimited by the connection closing
  chunk_size,
  chunk_size_ws,    ///< lenient: spaces after the chunk size
  chunk_ext_start,  ///< after ';': whitespace, then an extension name
  chunk_ext_name,
  chunk_ext_after_name,   ///< whitespace after a name, then '=' or ';'  (BWS)
  chunk_ext_value_start,  ///< after '=': whitespace, then token or quoted-string
  chunk_ext_token,
  chunk_ext_quoted,
  chunk_ext_quoted_escape,
  chunk_ext_quoted_end,   ///< after the closing '"': whitespace, ';' or CR
  chunk_ext_after_value,  ///< whitespace after a value, then ';'  (BWS)
  chunk_size_lf,          ///< LF after the chunk-size line's CR
  chunk_data,
  chunk_data_cr,     ///< CR after chunk data
  chunk_data_lf,     ///< LF after chunk data
  message_complete,  ///< message_end is due
  upgrade_pending,   ///< `upgraded` is due (after message_end)
  upgraded,          ///< HTTP/1 is over on this connection (terminal until reset)
  closed,            ///< a message ended the connection; more bytes are an error
  failed,            ///< an error was reported (terminal until reset)
};

/// What one feed() or finish() call did.
struct result {
  // The constructors are user-provided on purpose: for an aggregate holding a
  // std::variant, GCC 12 zero-fills the whole variant (120 bytes with `rep
  // stosq`) before constructing need_more, at every feed() call.
  result() noexcept {}
  result(std::size_t n, event e, error x) noexcept : consumed(n), ev(e), err(x) {}

  std::size_t consumed = 0;  ///< bytes of the input that are done with
  event ev;                  ///< the event produced, or need_more
  error err;                 ///< set when the input is malformed; ev is then need_more
};

class parser {
 public:
  explicit parser(role r, limits lim = {}, lenient_flags lenient = {});

  /// Parses from the start of `in` until one event is ready or the input is used up.
  result feed(std::span<const std::byte> in) noexcept;
  result feed(std::string_view in) noexcept {
    return feed(std::as_bytes(std::span<const char>(in.data(), in.size())));
  }

  /// The peer closed the connection. Ends a close-delimited body with
  /// message_end; an incomplete message is an error (incomplete_message).
  result finish() noexcept;

  parse_state state() const noexcept { return state_; }

  /// Memory for long idle connections. The header tables (about 48 bytes per
  /// limits::max_headers) are sized at construction so that parsing never
  /// allocates; a server holding many idle keep-alive connections can free
  /// them between messages and reserve them again when bytes arrive.
  /// release_tables() frees them only between messages (state message_start,
  /// nothing unconsumed) and says whether it did. If feed() finds them freed
  /// it reserves them itself (the one case in which feed() allocates).
  bool release_tables() noexcept;
  /// Sizes the header tables again (throws std::bad_alloc); a no-op when held.
  void reserve_tables();
  bool tables_held() const noexcept { return fields_.size() == limits_.max_headers; }

  /// Forgets everything and expects a new message. Also how a server declines
  /// an upgrade: reset() and go on feeding the bytes after the request.
  void reset() noexcept;

  /// Client role: the method of the request the next response answers, so that
  /// responses to HEAD have no body and 2xx responses to CONNECT open a tunnel.
  /// It applies to one final response and is forgotten at its message_end:
  /// with pipelined requests, call it before the first feed() and again after
  /// each message_end of a final response, with the next request's method
  /// (keep the methods in a queue of your own). Interim 1xx responses (100
  /// Continue, 103 Early Hints) are whole messages of their own, a head and a
  /// message_end without body, and do not use it up: the final response that
  /// follows still answers the same request. A 101 ends HTTP/1 (`upgraded`).
  void set_request_method(httpcore::method m) noexcept { request_method_ = m; }

  role parser_role() const noexcept { return role_; }
  const limits& parser_limits() const noexcept { return limits_; }
  const lenient_flags& lenient() const noexcept { return lenient_; }

 private:
  // A field line seen so far, as offsets from the start of its section, since
  // the caller's buffer may move between calls.
  struct field_offsets {
    std::uint32_t name_begin, name_end, value_begin, value_end;
  };
  // How a step of the state machine ended.
  enum class step : std::uint8_t { next, need_more, emit, fail };

  struct cursor;  // defined in the implementation

  // start_line.cpp
  step parse_start_line(cursor& c) noexcept;  // runs the start-line states below
  step parse_method(cursor& c) noexcept;
  step parse_target(cursor& c) noexcept;
  step parse_request_version(cursor& c) noexcept;
  step parse_status_version(cursor& c) noexcept;
  step parse_status_code(cursor& c) noexcept;
  step parse_reason(cursor& c) noexcept;
  step parse_start_line_lf(cursor& c) noexcept;
  // field_lines.cpp
  step parse_field_lines(cursor& c) noexcept;  // runs every field-line state
  static bool may_shape_message(field_offsets f) noexcept;
  step end_section(cursor& c, std::size_t next) noexcept;
  step interpret_field(cursor& c, field_offsets f) noexcept;
  step interpret_transfer_encoding(cursor& c, std::string_view value, std::size_t at) noexcept;
  step interpret_content_length(cursor& c, std::string_view value, std::size_t at) noexcept;
  step interpret_host(cursor& c, std::string_view value, std::size_t at) noexcept;
  void count_transfer_coding(const cursor& c, std::string_view token) noexcept;
  // framing.cpp
  step complete_head(cursor& c, std::size_t head_end) noexcept;
  step decide_request_framing(cursor& c) noexcept;
  step decide_response_framing(cursor& c) noexcept;
  step complete_trailers(cursor& c, std::size_t end) noexcept;
  step end_message() noexcept;  // after c.ev = message_end{...}
  // chunked.cpp
  step parse_chunk_line(cursor& c) noexcept;
  step parse_chunk_boundary(cursor& c, bool after_data) noexcept;
  step parse_chunk_data(cursor& c) noexcept;
  step parse_chunk_data_end(cursor& c) noexcept;
  step end_chunk_size_line(cursor& c, std::size_t next) noexcept;
  // parser.cpp
  step dispatch(cursor& c) noexcept;
  step fail(cursor& c, errc code, std::size_t at) noexcept;
  step more(cursor& c) noexcept;  // a section needs bytes past c.limit
  std::size_t section_max() const noexcept;
  step skip_empty_lines(cursor& c) noexcept;
  step parse_fixed_body(cursor& c) noexcept;
  void begin_message() noexcept;
  void begin_section(cursor& c) noexcept;

  role role_;
  limits limits_;
  lenient_flags lenient_;
  parse_state state_ = parse_state::message_start;
  httpcore::method request_method_ = httpcore::method::unknown;

  std::uint64_t stream_offset_ = 0;  // bytes consumed since reset: error offsets
  std::size_t unconsumed_ = 0;       // bytes the last call was given but did not consume
  error error_;

  // The section (head or trailers) being scanned starts at offset 0 of the
  // input at every call; scan_ is where scanning resumes within it.
  std::uint32_t scan_ = 0;
  bool in_trailers_ = false;
  std::uint32_t line_begin_ = 0;       // current field line
  field_offsets field_{};              // current field line
  std::vector<field_offsets> fields_;  // sized once from limits
  std::vector<header> headers_;        // sized once from limits
  std::uint32_t field_count_ = 0;

  // Start line, as offsets into the head.
  std::uint32_t method_end_ = 0, target_begin_ = 0, target_end_ = 0;
  std::uint32_t reason_begin_ = 0, reason_end_ = 0;
  int version_major_ = 1, version_minor_ = 1, status_ = 0;
  httpcore::method method_id_ = httpcore::method::unknown;
  target_kind target_form_ = target_kind::origin;  // found while checking the request line

  // What the fields said about framing and the connection.
  bool has_content_length_ = false, has_transfer_encoding_ = false;
  bool te_chunked_last_ = false, te_chunked_seen_ = false;
  // Every coding the Transfer-Encoding lines list, and where the first one's
  // token lies in the head (offsets, as the buffer may move): what
  // request_head::transfer_codings reports.
  std::uint32_t te_codings_ = 0;
  std::uint32_t te_first_begin_ = 0, te_first_end_ = 0;
  bool conn_close_ = false, conn_keep_alive_ = false, conn_upgrade_ = false;
  bool has_upgrade_ = false, expect_continue_ = false;
  bool has_host_ = false;
  std::uint64_t content_length_ = 0;

  // The message being delivered.
  bool keep_alive_ = true;
  upgrade_kind upgrade_ = upgrade_kind::upgrade;
  bool upgrade_after_message_ = false;
  std::uint64_t body_remaining_ = 0;  // fixed body, or current chunk
  std::uint64_t body_total_ = 0;      // for limits::max_body_bytes
  std::uint64_t body_bytes_ = 0;      // body bytes delivered: message_end::body_bytes
  std::uint32_t chunk_ext_bytes_ = 0;
  bool chunk_size_digits_ = false;
};

}  // namespace httpcore::h1
