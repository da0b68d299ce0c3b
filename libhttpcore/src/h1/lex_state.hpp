#pragma once
// The HTTP/1 lexer's states (internal header): where in the grammar the
// parser is, down to the byte. Callers see only the coarse parse_state that
// parser::state() derives from these (parser.cpp); everything here may change
// with the implementation.

#include <cstdint>

#include "httpcore/h1/parser.hpp"

namespace httpcore::h1 {

// Each value names the thing the parser expects next. The order matters:
// in_section() (parser.cpp) and the chunk-extension byte budget (chunked.cpp)
// test ranges. message_start must be 0: a value-initialised state is it.
enum class lex_state : std::uint8_t {
  message_start,     // before a start line; empty lines are skipped here
  method,            // request line: method token
  target,            // request line: request-target
  request_version,   // request line: HTTP-version
  status_version,    // status line: HTTP-version
  status_code,       // status line: three digits
  reason,            // status line: reason phrase
  start_line_lf,     // LF after the start line's CR
  field_line_start,  // a field line, or the blank line ending the section
  field_name,
  field_value_ows,  // whitespace between ':' and the value
  field_value,
  field_line_lf,     // LF after a field line's CR
  section_end_lf,    // LF of the blank line ending a head or trailer section
  body_fixed,        // Content-Length body
  body_until_close,  // response body delimited by the connection closing
  chunk_size,
  chunk_size_ws,    // lenient: spaces after the chunk size
  chunk_ext_start,  // after ';': whitespace, then an extension name
  chunk_ext_name,
  chunk_ext_after_name,   // whitespace after a name, then '=' or ';'  (BWS)
  chunk_ext_value_start,  // after '=': whitespace, then token or quoted-string
  chunk_ext_token,
  chunk_ext_quoted,
  chunk_ext_quoted_escape,
  chunk_ext_quoted_end,   // after the closing '"': whitespace, ';' or CR
  chunk_ext_after_value,  // whitespace after a value, then ';'  (BWS)
  chunk_size_lf,          // LF after the chunk-size line's CR
  chunk_data,
  chunk_data_cr,     // CR after chunk data
  chunk_data_lf,     // LF after chunk data
  message_complete,  // message_end is due
  upgrade_pending,   // `upgraded` is due (after message_end)
  upgraded,          // HTTP/1 is over on this connection (terminal until reset)
  closed,            // a message ended the connection; more bytes are an error
  failed,            // an error was reported (terminal until reset)
};
static_assert(lex_state{} == lex_state::message_start);

}  // namespace httpcore::h1
