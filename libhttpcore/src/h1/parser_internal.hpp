#pragma once
// Pieces shared by the parser's implementation files.

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "detail/byte_class.hpp"
#include "detail/scan.hpp"
#include "httpcore/h1/parser.hpp"

namespace httpcore::h1 {

// The input of one feed() call, and where the parser is in it.
struct parser::cursor {
  cursor(const char* bytes, std::size_t count, event& out) noexcept
      : data(bytes), size(count), ev(out) {}

  const char* data;
  std::size_t size;
  std::size_t pos = 0;
  // Start of the head or trailer section being scanned. Views into a section
  // are built from offsets relative to it.
  std::size_t origin = 0;
  // Scanning a section stops here: the input's end, or where the section
  // would exceed its size limit.
  std::size_t limit = 0;
  // The event being produced, built in place in the caller's result.
  event& ev;

  bool at_end() const noexcept { return pos >= limit; }
  char byte() const noexcept { return data[pos]; }
};

namespace syntax {

using httpcore::detail::is_ows;

// The 8 bytes at p as one little-endian word (memcpy: no alignment needed).
inline std::uint64_t load_u64(const char* p) noexcept {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
  return w;
}
inline std::uint32_t load_u32(const char* p) noexcept {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
  return w;
}

// ASCII lower case of 8 bytes at once: 0x20 is added to exactly the bytes in
// 'A'..'Z'. The low 7 bits of each byte plus 0x3F carry into its high bit iff
// they are >= 'A', plus 0x25 iff they are > 'Z'; bytes >= 0x80 are left alone.
inline std::uint64_t ascii_lower(std::uint64_t w) noexcept {
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  const std::uint64_t low7 = w & (0x7F * ones);
  const std::uint64_t upper = (low7 + 0x3F * ones) & ~(low7 + 0x25 * ones) & ~w & (0x80 * ones);
  return w | (upper >> 2);
}

// ASCII case-insensitive equality where `lower` is already lower-case. Eight
// bytes per step (the last step overlaps the previous one), not a branch per byte.
inline bool iequals(std::string_view text, std::string_view lower) noexcept {
  const std::size_t n = text.size();
  if (n != lower.size()) return false;
  const char* a = text.data();
  const char* b = lower.data();
  if (n >= 8) {
    std::uint64_t diff = 0;
    for (std::size_t i = 0; i + 8 < n; i += 8)
      diff |= ascii_lower(load_u64(a + i)) ^ load_u64(b + i);
    diff |= ascii_lower(load_u64(a + n - 8)) ^ load_u64(b + n - 8);
    return diff == 0;
  }
  if (n >= 4) {
    // Two 4-byte words, overlapping when n < 8, side by side in one word.
    auto pair = [n](const char* p) {
      return std::uint64_t{load_u32(p)} | (std::uint64_t{load_u32(p + n - 4)} << 32);
    };
    return ascii_lower(pair(a)) == pair(b);
  }
  for (std::size_t i = 0; i < n; ++i) {
    char ch = a[i];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch + ('a' - 'A'));
    if (ch != b[i]) return false;
  }
  return true;
}

inline std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// Calls fn(element, offset_in_list) for each non-empty element of a
// comma-separated list (RFC 9110 §5.6.1), OWS trimmed. Stops when fn returns false.
template <class Fn>
bool for_each_list_element(std::string_view list, Fn&& fn) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view raw = list.substr(start, comma - start);
    std::size_t lead = 0;
    while (lead < raw.size() && is_ows(raw[lead])) ++lead;
    std::string_view element = trim_ows(raw);
    if (!element.empty() && !fn(element, start + lead)) return false;
    start = comma + 1;
  }
  return true;
}

}  // namespace syntax
}  // namespace httpcore::h1
