// The multipart lexer's byte-level states (internal header). The public
// parse_state groups them (parser.cpp, state()).
#pragma once

#include <cstdint>

#include "httpcore/multipart/parser.hpp"

namespace httpcore::multipart {

enum class lex_state : std::uint8_t {
  preamble,       // looking for the first delimiter; the bytes before it are skipped
  boundary_end,   // right after "--boundary": "-", padding or CR
  close_dash,     // after "--boundary-": the second "-"
  padding,        // transport padding (SP, HTAB) until CR
  padding_lf,     // the LF that ends a delimiter line
  head,           // a part's field lines, up to the blank line
  data,           // a part's data, until the next delimiter
  close_padding,  // after "--boundary--": padding, then CR or the end of the body
  close_lf,       // the LF that ends the close delimiter line
  epilogue,       // after body_end: skipped
  failed,
};

}  // namespace httpcore::multipart
