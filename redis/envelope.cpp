// The envelope's encoder and its strict decoder.

#include "envelope.hpp"

#include <charconv>

namespace httpcore::redis {
namespace {

constexpr std::string_view kMagic = "hub1 ";
constexpr std::size_t kOriginDigits = 16;

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string encode(const envelope& e) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(envelope_header_max + e.payload.size());
  out += kMagic;
  for (int shift = 60; shift >= 0; shift -= 4) out += hex[(e.origin >> shift) & 0xF];
  out += ' ';
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, e.sequence);
  (void)ec;  // 24 bytes always hold a 64-bit number
  out.append(digits, end);
  out += ' ';
  out += e.text ? 't' : 'b';
  out += '\n';
  out += e.payload;
  return out;
}

std::string_view to_string(envelope_error e) noexcept {
  switch (e) {
    case envelope_error::none:
      return "none";
    case envelope_error::bad_magic:
      return "bad_magic";
    case envelope_error::bad_origin:
      return "bad_origin";
    case envelope_error::bad_sequence:
      return "bad_sequence";
    case envelope_error::bad_kind:
      return "bad_kind";
  }
  return "unknown";
}

decode_result decode(std::string_view bytes) noexcept {
  decode_result r;
  auto fail = [&r](envelope_error e, std::size_t at) {
    r.error = e;
    r.offset = at;
    return r;
  };
  for (std::size_t i = 0; i < kMagic.size(); ++i)
    if (i >= bytes.size() || bytes[i] != kMagic[i]) return fail(envelope_error::bad_magic, i);
  std::size_t pos = kMagic.size();
  for (std::size_t i = 0; i < kOriginDigits; ++i, ++pos) {
    int v = pos < bytes.size() ? hex_value(bytes[pos]) : -1;
    if (v < 0) return fail(envelope_error::bad_origin, pos);
    r.value.origin = (r.value.origin << 4) | static_cast<std::uint64_t>(v);
  }
  if (pos >= bytes.size() || bytes[pos] != ' ') return fail(envelope_error::bad_origin, pos);
  ++pos;
  std::size_t start = pos;
  while (pos < bytes.size() && bytes[pos] >= '0' && bytes[pos] <= '9') ++pos;
  if (pos == start) return fail(envelope_error::bad_sequence, pos);
  if (bytes[start] == '0' && pos - start > 1) return fail(envelope_error::bad_sequence, start);
  auto [end, ec] = std::from_chars(bytes.data() + start, bytes.data() + pos, r.value.sequence);
  if (ec != std::errc{} || end != bytes.data() + pos)
    return fail(envelope_error::bad_sequence, start);
  if (pos >= bytes.size() || bytes[pos] != ' ') return fail(envelope_error::bad_sequence, pos);
  ++pos;
  if (pos >= bytes.size() || (bytes[pos] != 't' && bytes[pos] != 'b'))
    return fail(envelope_error::bad_kind, pos);
  r.value.text = bytes[pos] == 't';
  ++pos;
  if (pos >= bytes.size() || bytes[pos] != '\n') return fail(envelope_error::bad_kind, pos);
  r.value.payload = bytes.substr(pos + 1);
  return r;
}

}  // namespace httpcore::redis
