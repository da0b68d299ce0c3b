#pragma once
/// \file
/// Errors of the HTTP/1 parser: a code with a stable name, the byte offset in
/// the stream where it was detected, and the status a server should answer with.

#include <cstdint>
#include <string_view>

namespace httpcore::h1 {

/// What went wrong. Every code maps to one name (error_name) and one status
/// (error_status). Once the parser reports an error it stays failed until reset().
enum class errc : std::uint8_t {
  ok = 0,
  // Line structure.
  lf_without_cr,       ///< a bare LF ends a line (400)
  cr_without_lf,       ///< a CR not followed by LF (400)
  leading_whitespace,  ///< whitespace where a request or status line must start (400)
  // Request line.
  invalid_method,        ///< method is empty or not a token (400)
  invalid_target,        ///< request-target has a forbidden byte, is empty, or is malformed (400)
  target_form_mismatch,  ///< the target's form does not suit the method (400)
  target_too_long,       ///< request-target above limits::max_target_bytes (414)
  invalid_request_line,  ///< wrong separators, e.g. two spaces (400)
  invalid_version,       ///< HTTP-version is not "HTTP/" DIGIT "." DIGIT (400)
  unsupported_version,   ///< well-formed version other than 1.0 or 1.1 (505)
  // Status line.
  invalid_status_line,  ///< status line separators (400)
  invalid_status,       ///< status code is not three digits (400)
  invalid_reason,       ///< reason phrase has a control byte (400)
  // Header section.
  head_too_large,           ///< head above limits::max_head_bytes (431)
  too_many_headers,         ///< more fields than limits::max_headers (431)
  empty_header_name,        ///< a line starting with ':' (400)
  invalid_header_name,      ///< field name byte outside tchar (400)
  whitespace_before_colon,  ///< "Name : value" (400, RFC 9112 §5.1)
  obs_fold,                 ///< a field line starting with SP or HTAB (400, RFC 9112 §5.2)
  invalid_header_value,     ///< NUL, CTL or DEL inside a field value (400)
  // Framing (RFC 9112 §6).
  invalid_content_length,                 ///< not 1*DIGIT: sign, space, hex, empty, list (400)
  content_length_overflow,                ///< does not fit 64 bits (400)
  duplicate_content_length,               ///< two Content-Length fields, even equal ones (400)
  content_length_with_transfer_encoding,  ///< both framing fields present (400)
  invalid_transfer_encoding,              ///< empty or malformed coding list (400)
  chunked_not_final,                      ///< request coding list not ending in chunked (400)
  chunked_repeated,                       ///< chunked applied more than once (400)
  unknown_transfer_coding,                ///< a request coding we do not implement (501)
  body_too_large,                         ///< body above limits::max_body_bytes (413)
  // Chunked body.
  invalid_chunk_size,        ///< chunk size is not 1*HEXDIG (400)
  chunk_size_overflow,       ///< chunk size does not fit 64 bits (400)
  invalid_chunk_extension,   ///< chunk-ext is not ( ";" token [ "=" ( token / quoted-string ) ] )
                             ///< (400)
  chunk_extension_too_long,  ///< above limits::max_chunk_extension_bytes (400)
  missing_chunk_data_crlf,   ///< chunk data not followed by CRLF (400)
  trailers_too_large,        ///< trailer section above limits::max_trailer_bytes (431)
  // Connection.
  data_after_close,    ///< bytes after a message that ended the connection (400)
  incomplete_message,  ///< the peer closed in the middle of a message (400)
  // The C interface (httpcore.h) passes codes as numbers: new ones go last.
  // Host (RFC 9112 §3.2; requests only).
  missing_host,    ///< an HTTP/1.1 request without Host (400; at the head's first byte)
  duplicate_host,  ///< a second Host field line (400; at its value)
  invalid_host,    ///< Host is not uri-host [ ":" port ] (400; at the offending byte)
  /// Not the parser's: a server session's, for a request whose body carries a
  /// transfer coding other than chunked that its handler does not take
  /// (server::handler::accept_transfer_coded_body). 501; at the coding.
  unsupported_transfer_coding,
};

/// The code's stable identifier, e.g. "invalid_chunk_size".
std::string_view error_name(errc code) noexcept;

/// The status a server should answer with: 400, 413, 414, 431, 501 or 505 (0 for ok).
int error_status(errc code) noexcept;

/// An error as the parser reports it.
struct error {
  errc code = errc::ok;
  /// Offset of the offending byte, counted from the first byte ever fed to the
  /// parser (or since reset()); the same whatever way the input was split.
  std::uint64_t offset = 0;

  explicit operator bool() const noexcept { return code != errc::ok; }
  std::string_view name() const noexcept { return error_name(code); }
  int status() const noexcept { return error_status(code); }
};

}  // namespace httpcore::h1
