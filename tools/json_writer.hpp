#pragma once
// A tiny JSON writer for the `httpcore` command, which prints one JSON object
// per line. It only builds flat objects of strings, integers, booleans and
// arrays of [name, value] pairs: that is all the tools need.
//
// Strings carry raw HTTP bytes, which need not be text, yet the output must be
// valid JSON and valid UTF-8 whatever the input. append_json_string writes:
// - '"' and '\' escaped; control bytes 0x00-0x1F as \b \f \n \r \t or \u00XX;
//   DEL as \u007f (valid JSON either way, but keeps terminals tidy);
// - well-formed UTF-8 sequences (RFC 3629: no overlong forms, no surrogates,
//   nothing above U+10FFFF) copied unchanged, so UTF-8 text stays readable,
//   except the C1 controls U+0080-U+009F and U+2028/U+2029, written as \uXXXX:
//   terminals act on C1 controls, and line-splitting readers (JavaScript,
//   Python's str.splitlines) would cut a line at NEL, U+2028 or U+2029;
// - every other byte, one at a time, as \u00XX where XX is the byte's value.
// The last rule is lossy in one way: a raw byte 0xE9 and the well-formed "é"
// (C3 A9) both decode to U+00E9. They can still be told apart in the JSON text
// (escaped versus literal), except for 0x80-0x9F, escaped in both forms. We
// prefer this to Python's surrogateescape form (\udcXX), which round-trips
// exactly, because many JSON readers reject or replace lone surrogates.

#include <concepts>
#include <cstddef>
#include <string>
#include <string_view>

namespace httpcore::tools {

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 if the byte
// there does not start one (RFC 3629 §4 table of well-formed byte sequences).
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  auto at = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = at(i);
  std::size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) {
    len = 2;
  } else if (b >= 0xE0 && b <= 0xEF) {
    len = 3;
    if (b == 0xE0) lo = 0xA0;  // overlong
    if (b == 0xED) hi = 0x9F;  // UTF-16 surrogates
  } else if (b >= 0xF0 && b <= 0xF4) {
    len = 4;
    if (b == 0xF0) lo = 0x90;  // overlong
    if (b == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // continuation byte, C0/C1 (overlong) or F5-FF
  }
  if (s.size() - i < len) return 0;
  if (at(i + 1) < lo || at(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (at(i + k) < 0x80 || at(i + k) > 0xBF) return 0;
  return len;
}

// Appends `bytes` as a quoted JSON string (see the rules above).
inline void append_json_string(std::string& out, std::string_view bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < bytes.size();) {
    auto b = static_cast<unsigned char>(bytes[i]);
    std::size_t len = utf8_sequence_length(bytes, i);
    if (len > 1) {  // well-formed multi-byte UTF-8
      auto b1 = static_cast<unsigned char>(bytes[i + 1]);
      if (len == 2 && b == 0xC2 && b1 <= 0x9F) {  // U+0080-U+009F: C1 controls
        out += "\\u00";
        out += hex[b1 >> 4];
        out += hex[b1 & 0xF];
      } else if (len == 3 && b == 0xE2 && b1 == 0x80 &&
                 (bytes[i + 2] == '\xA8' || bytes[i + 2] == '\xA9')) {
        out += bytes[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";  // line/paragraph separators
      } else {
        out.append(bytes, i, len);
      }
      i += len;
      continue;
    }
    ++i;
    switch (b) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      default:
        break;
    }
    if (len == 1 && b >= 0x20 && b != 0x7F) {
      out += static_cast<char>(b);
    } else {  // control byte, DEL, or a byte that is not well-formed UTF-8
      out += "\\u00";
      out += hex[b >> 4];
      out += hex[b & 0xF];
    }
  }
  out += '"';
}

// One JSON object, built member by member: json_object().string("k", v).take().
// The member functions have distinct names because a string literal would
// otherwise prefer a bool overload to a string_view one.
class json_object {
 public:
  json_object& string(std::string_view key, std::string_view value) {
    append_json_string(member(key), value);
    return *this;
  }

  template <std::integral T>
  requires(!std::same_as<T, bool>) json_object& number(std::string_view key, T value) {
    member(key) += std::to_string(value);
    return *this;
  }

  json_object& boolean(std::string_view key, bool value) {
    member(key) += value ? "true" : "false";
    return *this;
  }

  // An array of two-string arrays, [["name","value"],...], from a range whose
  // elements have `name` and `value` members (e.g. httpcore::h1::header).
  template <class Range>
  json_object& pairs(std::string_view key, const Range& range) {
    std::string& out = member(key);
    out += '[';
    bool first = true;
    for (const auto& e : range) {
      if (!first) out += ',';
      first = false;
      out += '[';
      append_json_string(out, e.name);
      out += ',';
      append_json_string(out, e.value);
      out += ']';
    }
    out += ']';
    return *this;
  }

  // The finished object's text (no newline). The builder is spent afterwards.
  std::string take() {
    out_ += '}';
    return std::move(out_);
  }

 private:
  std::string& member(std::string_view key) {
    out_ += out_.size() == 1 ? "" : ",";
    append_json_string(out_, key);
    out_ += ':';
    return out_;
  }

  std::string out_ = "{";
};

}  // namespace httpcore::tools
