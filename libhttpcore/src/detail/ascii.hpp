// ASCII case-insensitive comparison (internal header): the one implementation.
// The parser calls it inline on its hot path; everyone else reaches it through
// httpcore::ascii_iequals (httpcore/ascii.hpp).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace httpcore::detail {

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

// Equal but for the case of ASCII letters ('A'-'Z' match 'a'-'z'; every other
// byte, 0x80-0xFF included, matches only itself). Eight bytes per step (the
// last step overlaps the previous one), not a branch per byte. When `b` is a
// literal, as in the parser's field-name tests, its half folds away.
inline bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  const std::size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n >= 8) {
    std::uint64_t diff = 0;
    for (std::size_t i = 0; i + 8 < n; i += 8)
      diff |= ascii_lower(load_u64(x + i)) ^ ascii_lower(load_u64(y + i));
    diff |= ascii_lower(load_u64(x + n - 8)) ^ ascii_lower(load_u64(y + n - 8));
    return diff == 0;
  }
  if (n >= 4) {
    // Two 4-byte words, overlapping when n < 8, side by side in one word.
    auto pair = [n](const char* p) {
      return std::uint64_t{load_u32(p)} | (std::uint64_t{load_u32(p + n - 4)} << 32);
    };
    return ascii_lower(pair(x)) == ascii_lower(pair(y));
  }
  auto lower = [](char ch) {
    return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch + ('a' - 'A')) : ch;
  };
  for (std::size_t i = 0; i < n; ++i) {
    if (lower(x[i]) != lower(y[i])) return false;
  }
  return true;
}

}  // namespace httpcore::detail
