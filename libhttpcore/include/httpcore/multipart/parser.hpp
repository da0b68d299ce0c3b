#pragma once
/// \file
/// The multipart/form-data parser (RFC 7578 over RFC 2046 §5.1): a sans-I/O
/// state machine that turns a request body into part events.
///
/// Usage (the boundary comes from the request's Content-Type field):
/// \code
///   auto b = httpcore::multipart::boundary_from_content_type(content_type);
///   if (b.err) return reply(b.err.status());
///   httpcore::multipart::parser p(b.boundary);  // copies the boundary
///   for (;;) {
///     auto r = body_ended ? p.finish() : p.feed(unconsumed_bytes);
///     if (r.err) { reply(r.err.status()); break; }
///     handle(r.ev);               // part_begin, part_data, part_end, body_end
///     drop_front(r.consumed);     // only now: the rest must be given again
///     if (holds_alternative<body_end>(r.ev)) break;
///     if (holds_alternative<need_more>(r.ev)) read_more_and_append();
///   }
/// \endcode
///
/// Contract (the core's, docs/design.md):
/// - Bytes not consumed must be given again, unchanged, followed by new
///   bytes. Two things stay unconsumed: a part's head until its blank line
///   (at most limits::max_part_head_bytes + 1 bytes), and at the end of the
///   input the bytes that may begin a delimiter (at most 73). A caller whose
///   buffer holds max_part_head_bytes + 74 bytes always makes progress.
/// - Feeding a body whole, byte by byte or split anywhere yields the same
///   events and errors (same code, same offset), except that a part's data
///   may arrive in more, smaller pieces.
/// - part_data and part_begin's views point into the bytes given to the
///   call that produced them (zero copy) and stay valid until the next call
///   or until the caller changes those bytes. Across calls the parser keeps
///   offsets, never pointers, so the caller may move its buffer; an
///   incomplete head is not rescanned.
/// - Never reads outside the span it is given. Never allocates: the
///   boundary is copied into the parser (70 bytes at most).
/// - Strict: the delimiter grammar of RFC 2046 §5.1.1 and the fields RFC
///   7578 §4.2 requires (Content-Disposition: form-data with a name). The
///   preamble and the epilogue are skipped; transport padding (SP and HTAB
///   after the boundary) is allowed. One tolerance: a close delimiter in
///   place of the first delimiter is a body with no parts (browsers send
///   that for an empty form).
/// - An error is terminal until reset().

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "httpcore/multipart/error.hpp"

namespace httpcore::multipart {

/// RFC 2046 §5.1.1: a boundary has 1 to 70 bytes.
inline constexpr std::size_t max_boundary_bytes = 70;

struct limits {
  /// Bytes of one part's head: its field lines and the blank line (413).
  std::uint32_t max_part_head_bytes = 8 * 1024;
  /// Parts in one body (413).
  std::uint32_t max_parts = 256;
};

/// A part's head is complete. Views point into the input (see the contract).
struct part_begin {
  std::uint32_t index = 0;  ///< 0 for the first part
  /// Content-Disposition's name parameter: the bytes between the quotes (or
  /// the token) as sent. Quoted-pairs are not undone (see `escaped`): the
  /// HTML standard's form encoding percent-encodes '"', CR and LF and never
  /// writes a backslash escape, so browsers' names come through unchanged.
  std::string_view name;
  /// The filename parameter, the same way; absent for a plain field. Present
  /// but empty for a file input with no file chosen. (filename*, which RFC
  /// 7578 §4.2 tells senders not to use, is checked but not reported.)
  std::optional<std::string_view> filename;
  /// The Content-Type field's value, without surrounding whitespace; empty
  /// when the part has none (RFC 7578 §4.4: text/plain is then implied).
  std::string_view content_type;
  /// Every field line of the head as received, CRLFs included, without the
  /// blank line: for fields the event does not report.
  std::string_view head;
  /// `name` or `filename` holds a quoted-pair ("\x" in a quoted string):
  /// RFC 2045's reading takes it as x, a browser's as a backslash and x.
  bool escaped = false;
};

/// A piece of the current part's data (never empty). A part's data may
/// arrive in many pieces; the CRLF before a delimiter is not data.
struct part_data {
  std::span<const std::byte> bytes;
  std::string_view text() const noexcept {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }
};

/// The current part's data is complete: its delimiter was found. The
/// delimiter line is checked after this event.
struct part_end {
  std::uint32_t index = 0;
  std::uint64_t data_bytes = 0;  ///< the sum of its part_data pieces
};

/// The close delimiter line is complete (or the input ended right after it
/// and its padding). What follows is the epilogue, consumed and ignored.
struct body_end {
  std::uint32_t parts = 0;
};

/// Every byte given was consumed or must be given again with more appended.
struct need_more {};

using event = std::variant<need_more, part_begin, part_data, part_end, body_end>;

struct result {
  std::size_t consumed = 0;  ///< bytes of the input that are done with
  event ev;                  ///< the event produced, or need_more
  error err;                 ///< set when the body is malformed; ev is then need_more
};

/// Where the parser is, as coarsely as a caller can act on it.
enum class parse_state : std::uint8_t {
  preamble,   ///< before the first delimiter line
  delimiter,  ///< in a delimiter line (after its boundary: padding, CRLF)
  head,       ///< in a part's head
  data,       ///< in a part's data
  closing,    ///< after the close delimiter's "--", before its line ends
  epilogue,   ///< body_end was delivered; the rest is ignored
  failed,     ///< an error was reported; terminal until reset()
};

/// The lexer's states: defined in the implementation (src/multipart/).
enum class lex_state : std::uint8_t;

class parser {
 public:
  /// A parser for bodies delimited by `boundary` (without the leading "--").
  /// A boundary RFC 2046 does not allow (see errc::invalid_boundary) makes
  /// a parser that is already failed: every feed() reports invalid_boundary
  /// at offset 0.
  explicit parser(std::string_view boundary, limits lim = {}) noexcept;

  /// Parses from the start of `in` until one event is ready or the input is
  /// used up (then need_more).
  result feed(std::span<const std::byte> in) noexcept;
  result feed(std::string_view in) noexcept {
    return feed(std::as_bytes(std::span<const char>(in.data(), in.size())));
  }

  /// The body ended (the caller has no more bytes). Right after the close
  /// delimiter and its padding: body_end. In the epilogue: need_more and no
  /// error. Anywhere else: boundary_not_found or incomplete_body, at the
  /// offset just past the last byte given.
  result finish() noexcept;

  parse_state state() const noexcept;

  /// Forgets everything but the boundary and the limits, and expects a new body.
  void reset() noexcept;

  /// The boundary as given (empty when it was invalid).
  std::string_view boundary() const noexcept;
  const limits& parser_limits() const noexcept { return limits_; }

 private:
  enum class step : std::uint8_t { next, need_more, emit, fail };
  struct cursor;  // defined in the implementation
  struct head_fields {
    // Offsets from the start of the head.
    std::uint32_t name_begin = 0, name_end = 0, filename_begin = 0, filename_end = 0;
    std::uint32_t type_begin = 0, type_end = 0;
    bool disposition = false, has_name = false, has_filename = false, has_filename_ext = false;
    bool has_type = false, escaped = false;
  };

  // parser.cpp
  step dispatch(cursor& c) noexcept;
  step scan_for_delimiter(cursor& c) noexcept;  // preamble and data
  step after_boundary(cursor& c) noexcept;      // the rest of a delimiter line
  step after_close(cursor& c) noexcept;         // the rest of a close delimiter line
  step fail(cursor& c, errc code, std::uint64_t at) noexcept;
  // part_head.cpp
  step scan_head(cursor& c) noexcept;
  step end_field_line(cursor& c, std::uint32_t line_end) noexcept;
  step parse_disposition(cursor& c, std::uint32_t begin, std::uint32_t end) noexcept;
  step complete_head(cursor& c, std::uint32_t blank_line) noexcept;

  limits limits_;
  char delimiter_[4 + max_boundary_bytes] = {};  // "\r\n--" boundary
  std::uint8_t delimiter_size_ = 0;              // 0: the boundary was invalid
  lex_state state_;
  error error_;
  std::uint64_t stream_offset_ = 0;  // bytes consumed since reset: error offsets
  std::size_t unconsumed_ = 0;       // bytes the last call was given but did not consume

  // Whether the bytes at the start of the input follow a line break already
  // consumed (the body's start, the end of a head): a delimiter may then
  // start without its CRLF (RFC 2046's dash-boundary and empty body-part).
  bool at_line_start_ = true;
  bool part_open_ = false;
  std::uint32_t parts_ = 0;
  std::uint64_t part_bytes_ = 0;

  // The head being scanned starts at offset 0 of the input at every call.
  std::uint32_t scan_ = 0;        // where scanning resumes
  std::uint32_t line_begin_ = 0;  // the current field line
  std::uint32_t colon_ = 0;       // one past its ':' (0: none yet)
  std::uint32_t name_space_ = 0;  // one past the first SP/HTAB in its name (0: none)
  head_fields fields_;
};

/// What boundary_from_content_type found.
struct boundary_result {
  /// The boundary parameter's value (unquoted; a view into the field value).
  std::string_view boundary;
  /// Set when the field does not name a usable boundary; offset is the
  /// offending byte in the field value.
  error err;
};

/// Takes the boundary from a Content-Type field value such as
/// `multipart/form-data; boundary="abc"`: the media type must be
/// multipart/form-data (case-insensitive; otherwise not_form_data, 415),
/// parameters `;`-separated `token=(token / quoted-string)` with optional
/// whitespace (RFC 9110 §5.6.6), exactly one boundary parameter, and its
/// value a valid RFC 2046 boundary (1 to 70 bchars, not ending in a space).
boundary_result boundary_from_content_type(std::string_view content_type) noexcept;

/// Whether `boundary` is one RFC 2046 §5.1.1 allows: 1 to 70 bytes of bchars
/// (DIGIT ALPHA ' ( ) + _ , - . / : = ? and space), the last not a space.
bool valid_boundary(std::string_view boundary) noexcept;

}  // namespace httpcore::multipart
