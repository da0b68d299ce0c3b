#pragma once
/// \file
/// Errors of the multipart/form-data parser and of the boundary helper: a
/// code with a stable name, the byte offset where it was detected, and the
/// status a server should answer with.

#include <cstdint>
#include <string_view>

namespace httpcore::multipart {

/// What went wrong. Every code maps to one name (error_name) and one status
/// (error_status). Once the parser reports an error it stays failed until reset().
enum class errc : std::uint8_t {
  ok = 0,
  // The Content-Type field (boundary_from_content_type) and the boundary itself.
  not_form_data,         ///< the media type is not multipart/form-data (415)
  invalid_content_type,  ///< the media type or its parameters are malformed (400)
  missing_boundary,      ///< no boundary parameter (400)
  duplicate_boundary,    ///< two boundary parameters (400)
  invalid_boundary,      ///< empty, above 70 bytes, a byte outside bchars, or ends
                         ///< with a space (RFC 2046 §5.1.1) (400)
  // Delimiter lines (RFC 2046 §5.1.1).
  invalid_delimiter,        ///< "--boundary" followed by something other than "--",
                            ///< transport padding (SP/HTAB) or CRLF (400)
  invalid_close_delimiter,  ///< "--boundary--" followed by something other than padding
                            ///< and CRLF (400)
  cr_without_lf,            ///< a CR not followed by LF in a delimiter line or a part's
                            ///< head; the offset is the byte after the CR (400)
  lf_without_cr,            ///< a bare LF in a part's head (400)
  // A part's head (its field lines and the blank line).
  part_head_too_large,      ///< above limits::max_part_head_bytes (413)
  too_many_parts,           ///< more parts than limits::max_parts (413)
  missing_colon,            ///< a field line without ':' (400)
  invalid_header_name,      ///< empty, or a byte outside tchar (400)
  whitespace_before_colon,  ///< "Name : value" (400)
  obs_fold,                 ///< a field line starting with SP or HTAB (400)
  invalid_header_value,     ///< NUL, another control byte or DEL in a value (400)
  // What RFC 7578 §4.2 and §4.4 require of the fields.
  missing_content_disposition,    ///< no Content-Disposition field; at the blank line (400)
  duplicate_content_disposition,  ///< a second Content-Disposition field; at its name (400)
  invalid_content_disposition,    ///< type other than form-data, or malformed
                                  ///< parameters; at the offending byte (400)
  missing_name,                   ///< form-data without a name parameter; at the value (400)
  duplicate_parameter,            ///< name, filename or filename* twice; at the second (400)
  duplicate_content_type,         ///< a second Content-Type field; at its name (400)
  // The end of the input (parser::finish).
  boundary_not_found,  ///< the input ended before the first delimiter line (400)
  incomplete_body,     ///< the input ended before the close delimiter line (400)
};

/// The code's stable identifier, e.g. "invalid_delimiter"; "unknown" outside the enum.
std::string_view error_name(errc code) noexcept;

/// The status a server should answer with: 400, 413 or 415 (0 for ok).
int error_status(errc code) noexcept;

/// An error as the parser or the boundary helper reports it.
struct error {
  errc code = errc::ok;
  /// Parser: the offending byte, counted from the first byte fed since the
  /// parser was made or reset, the same however the input was split.
  /// boundary_from_content_type: the offending byte in the field value.
  std::uint64_t offset = 0;

  explicit operator bool() const noexcept { return code != errc::ok; }
  std::string_view name() const noexcept { return error_name(code); }
  int status() const noexcept { return error_status(code); }
};

}  // namespace httpcore::multipart
