// Helpers shared by the two sides of the WebSocket handshake (internal): field
// lookup across repeated lines and comma-separated token lists.
#pragma once

#include <span>
#include <string_view>

#include "httpcore/h1/header.hpp"
#include "httpcore/ws/extensions.hpp"

namespace httpcore::ws::detail {

inline bool is_ows(char ch) noexcept {
  return ch == ' ' || ch == '\t';
}

inline std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// Calls fn(element) for each element of a comma-separated list (RFC 9110
// §5.6.1), OWS trimmed, empty elements skipped. Stops early when fn returns false.
template <class Fn>
bool for_each_element(std::string_view list, Fn&& fn) {
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string_view element = trim_ows(list.substr(0, comma));
    if (!element.empty() && !fn(element)) return false;
    if (comma == std::string_view::npos) return true;
    list.remove_prefix(comma + 1);
  }
}

// Does any line of field `name` hold `token` (case-insensitively) in its list?
inline bool has_token(std::span<const h1::header> headers, std::string_view name,
                      std::string_view token) {
  bool found = false;
  for (const h1::header& h : headers) {
    if (!ascii_iequals(h.name, name)) continue;
    for_each_element(h.value, [&](std::string_view e) {
      found = ascii_iequals(e, token);
      return !found;
    });
    if (found) return true;
  }
  return false;
}

// RFC 9110 §5.6.2 token.
inline bool is_token(std::string_view s) noexcept {
  if (s.empty()) return false;
  for (char ch : s) {
    const bool alnum =
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(ch) == std::string_view::npos)
      return false;
  }
  return true;
}

}  // namespace httpcore::ws::detail
