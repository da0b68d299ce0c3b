#pragma once
/// \file
/// HTTP/1.1 message serialization (RFC 9112): request and response heads,
/// chunked bodies and trailers.
///
/// Every function *appends* to a caller-owned `std::string`. A caller that
/// clears and reuses one string per connection keeps its capacity, so once the
/// buffer has grown to the largest head it sends, serializing allocates
/// nothing. Nothing here performs I/O or reads a clock.
///
/// Validation is strict: a method, target, reason, header name or value that
/// could not be parsed back to exactly what was given (CR/LF injection, NUL,
/// bare CTLs, empty names, surrounding whitespace) is refused. On refusal the
/// output string is left byte-for-byte as it was, so a half-written head can
/// never reach the wire.
///
/// Framing is the caller's decision: a fixed-length body is sent as its raw
/// bytes after a head that carries `Content-Length` (see
/// `content_length_value`), a chunked body after a head that carries
/// `Transfer-Encoding: chunked` (see `write_chunk` and `write_last_chunk`).
/// The serializer does not add, check or reconcile those fields.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "httpcore/h1/header.hpp"

namespace httpcore::h1 {

/// Why a head or trailer section was refused.
enum class serialize_error : std::uint8_t {
  ok,                    ///< Written.
  invalid_method,        ///< Method empty or not a token (RFC 9110 §9.1).
  invalid_target,        ///< Target empty or has a byte outside 0x21..0x7E.
  invalid_version,       ///< `version_minor` is neither 0 nor 1.
  invalid_status,        ///< Status code outside 100..999.
  invalid_reason,        ///< Reason has a byte other than HTAB, SP, VCHAR, obs-text.
  invalid_header_name,   ///< Field name empty or not a token.
  invalid_header_value,  ///< Field value has a CTL (except HTAB) or leading/trailing SP/HTAB.
};

/// Stable, lower-case name of `e` (e.g. "invalid_header_value"), for logs.
std::string_view serialize_error_name(serialize_error e) noexcept;

/// The standard reason phrase for `status` ("OK", "Not Found", ...), from
/// RFC 9110 §15 and the IANA status code registry; empty when unregistered.
std::string_view reason_phrase(int status) noexcept;

/// Appends `method SP target SP HTTP/1.<version_minor> CRLF`, each header as
/// `name: value CRLF`, then the empty line that ends the head.
/// Header names are written as given (HTTP/1 names are case-insensitive, so
/// no case folding is done). On error `out` is unchanged.
/// May throw std::bad_alloc if `out` must grow (then `out` is also unchanged).
serialize_error write_request_head(std::string& out, std::string_view method,
                                   std::string_view target, std::span<const header> headers,
                                   int version_minor = 1);

/// Appends `HTTP/1.<version_minor> SP status SP reason CRLF`, the headers and
/// the empty line. An empty `reason` means `reason_phrase(status)`; the status
/// line keeps its second SP even when that is empty too, as RFC 9112 §4
/// requires. On error `out` is unchanged.
/// May throw std::bad_alloc if `out` must grow (then `out` is also unchanged).
serialize_error write_response_head(std::string& out, int status, std::string_view reason,
                                    std::span<const header> headers, int version_minor = 1);

/// Appends one chunk: `hex-size CRLF data CRLF` (lower-case hex, no
/// extensions). An empty `data` appends nothing, because a zero-size chunk
/// would be read as the last chunk and end the body early.
void write_chunk(std::string& out, std::string_view data);

/// Same as the string_view overload, for binary payloads.
void write_chunk(std::string& out, std::span<const std::byte> data);

/// For zero-copy senders that pass the payload in its own iovec: appends only
/// `hex-size CRLF`. The caller then sends exactly `size` payload bytes followed
/// by `write_chunk_end`. Returns false and appends nothing when `size` is 0
/// (such a chunk would end the body): the caller must then send neither
/// payload nor chunk end.
bool write_chunk_header(std::string& out, std::size_t size);

/// Appends the CRLF that closes a chunk's payload (after `write_chunk_header`
/// and the payload bytes).
void write_chunk_end(std::string& out);

/// Appends the end of a chunked body: `0 CRLF`, each trailer as
/// `name: value CRLF`, then CRLF. Trailers are validated like header fields;
/// on error `out` is unchanged. Which fields may appear as trailers
/// (RFC 9110 §6.5.1) is the caller's responsibility.
serialize_error write_last_chunk(std::string& out, std::span<const header> trailers = {});

/// The decimal text of a body length, held inline so it can be used as a
/// header value without allocating:
///
///     content_length_value len(body.size());
///     const header fields[] = {{"Content-Length", len.view()}};
///
/// The view refers into this object; keep the object alive (and unmoved)
/// while the view is in use.
class content_length_value {
 public:
  explicit content_length_value(std::uint64_t length) noexcept;
  /// The digits, without leading zeros ("0" for zero).
  std::string_view view() const noexcept { return {digits_ + begin_, sizeof digits_ - begin_}; }

 private:
  char digits_[20];  // 2^64 - 1 has 20 decimal digits.
  std::uint8_t begin_;
};

}  // namespace httpcore::h1
