// Helpers shared by the two sides of the WebSocket handshake (internal): field
// lookup across repeated lines, over the HTTP/1 parser's list syntax.
#pragma once

#include <span>
#include <string_view>

#include "h1/parser_internal.hpp"
#include "httpcore/h1/header.hpp"
#include "httpcore/ws/extensions.hpp"

namespace httpcore::ws::detail {

// Lists and whitespace as the HTTP/1 parser reads them (RFC 9110 §5.6).
using h1::syntax::trim_ows;

// Does any line of field `name` hold `token` (case-insensitively) in its list?
inline bool has_token(std::span<const h1::header> headers, std::string_view name,
                      std::string_view token) {
  bool found = false;
  for (const h1::header& h : headers) {
    if (!ascii_iequals(h.name, name)) continue;
    h1::syntax::for_each_list_element(h.value, [&](std::string_view e, std::size_t) {
      found = ascii_iequals(e, token);
      return !found;
    });
    if (found) return true;
  }
  return false;
}

// RFC 9110 §5.6.2 token, with the parser's tchar table.
using ::httpcore::detail::is_token;

}  // namespace httpcore::ws::detail
