#pragma once
// Where a line ends (RFC 9112 §2.2), under each lenient flag: the one place
// that decides about CRLF, a bare CR and a bare LF, for every kind of line the
// parser reads. The state functions only ask it and act on the answer, so a
// flag means the same in every state. (Three past parser bugs were a state
// that decided a bare CR or LF differently from the others.)

#include <cstdint>

#include "httpcore/h1/error.hpp"
#include "httpcore/h1/lenient.hpp"

namespace httpcore::h1 {

// The kinds of line whose end the parser looks for.
enum class line_kind : std::uint8_t {
  // The start line, and the empty lines a server skips before it (§2.2).
  start_line,
  // A field line of a head or a trailer section. Its end is always CRLF or,
  // under optional_cr_before_lf, a bare LF: a bare CR in a field line is how
  // header-injection attacks split one field into two, so
  // optional_lf_after_cr does not apply (as in llhttp).
  field_line,
  // The empty line that ends a head or a trailer section.
  section_end,
  // A chunk-size line, with its extensions.
  chunk_size,
  // The CRLF after a chunk's data; optional_crlf_after_chunk lets it be missing.
  chunk_data_end,
};

// What the byte at a possible line end means.
enum class line_end : std::uint8_t {
  none,           // not a line end: the line goes on (or the caller's grammar refuses the byte)
  cr,             // a CR: ask again with the next byte, as after_cr
  after_byte,     // the line ends after this byte (the LF of CRLF, or an allowed bare LF)
  before_byte,    // the line ended before this byte (an allowed bare CR, or an allowed
                  // missing CRLF after chunk data): this byte starts what follows
  lf_without_cr,  // refused: a bare LF, at this byte
  cr_without_lf,  // refused: a CR not followed by LF; this byte is the one after it
  missing_crlf,   // refused: chunk data not followed by CRLF, at this byte
};

// The verdict on `ch`, a byte where a line of `kind` may end. `after_cr` says
// whether the byte before it was a CR that classify_line_end called `cr`.
// Inline and branch-light: every call site passes a constant `kind` and
// `after_cr`, so each folds to the two or three tests that concern it.
inline line_end classify_line_end(char ch, bool after_cr, line_kind kind,
                                  const lenient_flags& lenient) noexcept {
  if (after_cr) {
    if (ch == '\n') return line_end::after_byte;
    const bool bare_cr_allowed = kind != line_kind::field_line && lenient.optional_lf_after_cr;
    return bare_cr_allowed ? line_end::before_byte : line_end::cr_without_lf;
  }
  if (ch == '\r') return line_end::cr;
  if (ch == '\n' && lenient.optional_cr_before_lf) return line_end::after_byte;
  if (kind == line_kind::chunk_data_end) {
    if (lenient.optional_crlf_after_chunk) return line_end::before_byte;
    return ch == '\n' ? line_end::lf_without_cr : line_end::missing_crlf;
  }
  return ch == '\n' ? line_end::lf_without_cr : line_end::none;
}

// The error a refusing verdict stands for (errc::ok for the others).
constexpr errc line_end_error(line_end v) noexcept {
  switch (v) {
    case line_end::lf_without_cr:
      return errc::lf_without_cr;
    case line_end::cr_without_lf:
      return errc::cr_without_lf;
    case line_end::missing_crlf:
      return errc::missing_chunk_data_crlf;
    default:
      return errc::ok;
  }
}
constexpr bool is_refusal(line_end v) noexcept {
  return v >= line_end::lf_without_cr;
}

}  // namespace httpcore::h1
