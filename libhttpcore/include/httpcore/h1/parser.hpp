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

#include "httpcore/detail/uninitialized_table.hpp"
#include "httpcore/h1/error.hpp"
#include "httpcore/h1/events.hpp"
#include "httpcore/h1/lenient.hpp"
#include "httpcore/h1/limits.hpp"
#include "httpcore/method.hpp"

namespace httpcore::h1 {

/// A server parses requests; a client parses responses.
enum class role : std::uint8_t { server, client };

/// Where the parser is, as coarsely as a caller can act on it. (The lexer's
/// byte-level states are the implementation's.) Why each one is here:
enum class parse_state : std::uint8_t {
  /// Between messages: no byte of the next one yet (empty lines before it are
  /// skipped). The connection may be closed, or its tables released
  /// (release_tables()), without cutting a message; finish() here is clean.
  idle,
  /// Reading a head (start line and fields: one section, one size limit, one
  /// deadline). A peer that stays here too long gets 408 from a server.
  head,
  /// Reading a body: Content-Length, chunked (sizes, extensions and data), or
  /// until the connection closes. A body deadline or data rate applies here.
  body,
  /// Reading the trailer section after the last chunk: bounded by
  /// limits::max_trailer_bytes, like a head.
  trailers,
  /// The message is complete and the next feed() returns its message_end
  /// (with or without new input): call it before waiting for bytes.
  message_done,
  /// HTTP/1 is over on this connection (Upgrade, CONNECT, HTTP/2 preface):
  /// the bytes that follow belong to another protocol. Terminal until reset().
  upgraded,
  /// A message ended the connection (Connection: close, HTTP/1.0): stop
  /// reading; more bytes are an error (lenient_flags::data_after_close).
  closed,
  /// An error was reported. Terminal until reset().
  failed,
};

/// The lexer's fine-grained states: defined in the implementation
/// (src/h1/lex_state.hpp), named here only so that a parser can hold one.
enum class lex_state : std::uint8_t;

/// What one feed() or finish() call did.
struct result {
  // Not an aggregate, on purpose (why: parser.cpp, at feed()).
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

  /// Where the parser is (see parse_state).
  parse_state state() const noexcept;

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
  /// an upgrade: reset(stream_offset()) and go on feeding the bytes after the
  /// request.
  void reset() noexcept { reset(0); }
  /// The same, for a message that begins `stream_offset` bytes into the
  /// connection: error offsets count from the connection's first byte, and
  /// only a message at offset 0 can be the HTTP/2 preface. A server that
  /// frees its parser between requests resumes a new one this way.
  void reset(std::uint64_t stream_offset) noexcept;
  /// Bytes of the connection consumed so far (since construction or reset(0)).
  std::uint64_t stream_offset() const noexcept { return stream_offset_; }

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
  lex_state state_;  // message_start at construction and reset()
  httpcore::method request_method_ = httpcore::method::unknown;

  std::uint64_t stream_offset_ = 0;  // bytes consumed since reset: error offsets
  std::size_t unconsumed_ = 0;       // bytes the last call was given but did not consume
  error error_;

  // The section (head or trailers) being scanned starts at offset 0 of the
  // input at every call; scan_ is where scanning resumes within it.
  std::uint32_t scan_ = 0;
  bool in_trailers_ = false;
  std::uint32_t line_begin_ = 0;  // current field line
  field_offsets field_{};         // current field line
  // Sized from limits; entries [0, field_count_) are written before read.
  detail::uninitialized_table<field_offsets> fields_;
  detail::uninitialized_table<header> headers_;
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
