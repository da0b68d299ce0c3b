// What RFC 2046 §5.1.1 allows in a boundary (internal header): the one rule,
// for the parser's constructor and the Content-Type helper.
#pragma once

#include <cstring>
#include <string_view>

#include "httpcore/multipart/parser.hpp"

namespace httpcore::multipart {

// The offset of the first byte that makes `b` no boundary, b.size() when it
// is empty, or npos when it is one: 1 to 70 bchars, the last not a space.
//   bchars := bcharsnospace / " "
//   bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" /
//                    "." / "/" / ":" / "=" / "?"
inline std::size_t boundary_fault(std::string_view b) noexcept {
  if (b.empty()) return 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == max_boundary_bytes) return i;
    const char ch = b[i];
    const bool alnum =
        (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    if (!alnum && (ch == '\0' || std::strchr("'()+_,-./:=? ", ch) == nullptr)) return i;
  }
  if (b.back() == ' ') return b.size() - 1;
  return std::string_view::npos;
}

}  // namespace httpcore::multipart
