// Byte-class scanners for the HTTP/1 head parser (internal header).
//
// Each find_non_* returns the index of the first byte in [p, p + n) that is NOT
// in its class, or n when every byte is. They never read outside [p, p + n):
// not before p, not past p + n, not even within the same page.
//
// Three implementations share one interface (scanner_set): portable scalar,
// SSE4.2 and AVX2. The x86 ones are compiled with per-function target
// attributes, so the library itself needs no -m flags and runs on any x86-64;
// the best one is chosen once, at run time, by active_scanners(). The free
// functions find_non_* call through it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "detail/byte_class.hpp"

namespace httpcore::detail {

// class: HTAB, SP, VCHAR 0x21-0x7E, obs-text 0x80-0xFF
// (stops at CR, LF, NUL, the other CTLs and DEL)
std::size_t find_non_field_value(const char* p, std::size_t n) noexcept;
// class: 0x21-0x7E (visible ASCII; stops at SP, CTLs, DEL and bytes >= 0x80)
std::size_t find_non_target(const char* p, std::size_t n) noexcept;
// class: RFC 9110 tchar = "!#$%&'*+-.^_`|~" / DIGIT / ALPHA
std::size_t find_non_token(const char* p, std::size_t n) noexcept;

struct scanner_set {
  const char* name;  // "scalar", "sse4.2", "avx2"
  decltype(&find_non_field_value) field_value, target, token;
};

const scanner_set& scalar_scanners() noexcept;
const scanner_set* sse42_scanners() noexcept;   // nullptr when the CPU lacks it
const scanner_set* avx2_scanners() noexcept;    // nullptr when the CPU lacks it
const scanner_set& active_scanners() noexcept;  // the best available, chosen once

// ---------------------------------------------------------------------------
// Tables the vector implementations derive from the byte classes.

namespace scan_tables {

using byte_tables::classes;

// Nibble lookup ("pshufb bitmap") for an arbitrary byte class: byte b is in
// the class iff (lo[b & 15] & hi[b >> 4]) != 0. Each distinct non-empty row
// (the set of low nibbles allowed for one high nibble) gets one of 8 bits; hi
// maps a high nibble to its row's bit and lo sets, for each low nibble, the
// bits of every row that contains it. Works when a class has <= 8 distinct
// rows (tchar has 6), where pcmpestri's 8 ranges would not suffice.
struct nibble_lut {
  std::array<std::uint8_t, 16> lo{}, hi{};
  bool fits = true;  // false when the class needs more than 8 rows
};

constexpr nibble_lut make_nibble_lut(std::uint8_t cls) {
  nibble_lut lut;
  std::array<std::uint16_t, 8> rows{};
  unsigned nrows = 0;
  for (unsigned h = 0; h < 16; ++h) {
    std::uint16_t row = 0;
    for (unsigned l = 0; l < 16; ++l) {
      if ((classes[h * 16 + l] & cls) != 0) row = static_cast<std::uint16_t>(row | (1U << l));
    }
    if (row == 0) continue;
    unsigned bit = 0;
    while (bit < nrows && rows[bit] != row) ++bit;
    if (bit == nrows) {
      if (nrows == 8) {
        lut.fits = false;
        return lut;
      }
      rows[nrows++] = row;
    }
    lut.hi[h] = static_cast<std::uint8_t>(1U << bit);
    for (unsigned l = 0; l < 16; ++l) {
      if ((row >> l) & 1U) lut.lo[l] = static_cast<std::uint8_t>(lut.lo[l] | (1U << bit));
    }
  }
  return lut;
}

inline constexpr nibble_lut token_lut = make_nibble_lut(class_token);

constexpr bool nibble_lut_matches(const nibble_lut& lut, std::uint8_t cls) {
  if (!lut.fits) return false;
  for (unsigned c = 0; c < 256; ++c) {
    const bool in_lut = (lut.lo[c & 15] & lut.hi[c >> 4]) != 0;
    if (in_lut != ((classes[c] & cls) != 0)) return false;
  }
  return true;
}
static_assert(nibble_lut_matches(token_lut, class_token));

}  // namespace scan_tables

// Portable table loop; the scalar implementation and the vector code's short
// tails use it. Four bytes per step: AND-ing four table entries lets one
// branch clear four bytes in the common "all in class" case.
template <std::uint8_t Cls>
inline std::size_t find_non_class_scalar(const char* p, std::size_t n) noexcept {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  const auto& t = byte_tables::classes;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    if ((t[u[i]] & t[u[i + 1]] & t[u[i + 2]] & t[u[i + 3]] & Cls) == 0) break;
  }
  for (; i < n; ++i) {
    if ((t[u[i]] & Cls) == 0) return i;
  }
  return n;
}

}  // namespace httpcore::detail
