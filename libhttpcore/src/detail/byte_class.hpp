// The byte classes of the HTTP grammar (internal header): the one definition of
// each, as one 256-entry table. The parser's scanners (scan.hpp and its vector
// implementations), its single-byte checks, the serializer's validation and
// the request-target and WebSocket readers all use it, so that what the
// serializer agrees to write is, byte for byte, what the parser accepts.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace httpcore::detail {

enum byte_class : std::uint8_t {
  // HTAB / SP / VCHAR / obs-text (RFC 9110 §5.5 field-vchar and the whitespace
  // inside a value): field values, the reason phrase (RFC 9112 §4) and the
  // byte after "\" in a quoted-pair (RFC 9110 §5.6.4). Not CR, LF, NUL, the
  // other controls or DEL.
  class_field_value = 1U << 0,
  // 0x21-0x7E, the visible ASCII bytes: the only bytes a request-target may
  // hold at all (RFC 3986 narrows them further; see target.cpp).
  class_target = 1U << 1,
  // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" /
  //         "_" / "`" / "|" / "~" / DIGIT / ALPHA (RFC 9110 §5.6.2).
  class_token = 1U << 2,
  // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (RFC 9110 §5.6.4):
  // a field-value byte other than DQUOTE and "\".
  class_qdtext = 1U << 3,
};

namespace byte_tables {

constexpr bool is_tchar_def(unsigned c) noexcept {
  if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) return true;
  for (const char* s = "!#$%&'*+-.^_`|~"; *s != '\0'; ++s) {
    if (static_cast<unsigned char>(*s) == c) return true;
  }
  return false;
}

// One byte per value; bit k set when the byte is in class (1 << k).
inline constexpr std::array<std::uint8_t, 256> classes = [] {
  std::array<std::uint8_t, 256> t{};
  for (unsigned c = 0; c < 256; ++c) {
    unsigned bits = 0;
    const bool field_value = c == '\t' || (c >= 0x20 && c != 0x7F);
    if (field_value) bits |= class_field_value;
    if (field_value && c != '"' && c != '\\') bits |= class_qdtext;
    if (c >= 0x21 && c <= 0x7E) bits |= class_target;
    if (is_tchar_def(c)) bits |= class_token;
    t[c] = static_cast<std::uint8_t>(bits);
  }
  return t;
}();

// HEXDIG values by byte (either case), -1 for the other bytes: one load per digit.
inline constexpr std::array<std::int8_t, 256> hex_values = [] {
  std::array<std::int8_t, 256> t{};
  for (int b = 0; b < 256; ++b) {
    int v = -1;
    if (b >= '0' && b <= '9') v = b - '0';
    if (b >= 'a' && b <= 'f') v = b - 'a' + 10;
    if (b >= 'A' && b <= 'F') v = b - 'A' + 10;
    t[static_cast<std::size_t>(b)] = static_cast<std::int8_t>(v);
  }
  return t;
}();

}  // namespace byte_tables

constexpr bool in_class(std::uint8_t cls, unsigned char c) noexcept {
  return (byte_tables::classes[c] & cls) != 0;
}
constexpr bool is_field_value_byte(unsigned char c) noexcept {
  return in_class(class_field_value, c);
}
constexpr bool is_target_byte(unsigned char c) noexcept {
  return in_class(class_target, c);
}
constexpr bool is_tchar(unsigned char c) noexcept {
  return in_class(class_token, c);
}
constexpr bool is_qdtext(unsigned char c) noexcept {
  return in_class(class_qdtext, c);
}

// Every byte of `s` is in `cls` (true for an empty `s`).
constexpr bool all_in_class(std::uint8_t cls, std::string_view s) noexcept {
  for (char c : s) {
    if (!in_class(cls, static_cast<unsigned char>(c))) return false;
  }
  return true;
}
// token = 1*tchar (RFC 9110 §5.6.2)
constexpr bool is_token(std::string_view s) noexcept {
  return !s.empty() && all_in_class(class_token, s);
}

// The RFC 5234 core rules the grammars use.
constexpr bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}
constexpr bool is_alpha(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
// The value of a HEXDIG, or -1 for any other byte.
constexpr int hex_value(char c) noexcept {
  return byte_tables::hex_values[static_cast<unsigned char>(c)];
}
// OWS = *( SP / HTAB ) (RFC 9110 §5.6.3)
constexpr bool is_ows(char c) noexcept {
  return c == ' ' || c == '\t';
}

}  // namespace httpcore::detail
