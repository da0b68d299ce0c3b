// Incremental UTF-8 validation (RFC 3629 §4). The state between bytes is how
// many continuation bytes are still due and the range the next one must fall
// in: the first continuation byte after E0, ED, F0 and F4 has a narrower range,
// which is what rules out overlongs, surrogates and code points above U+10FFFF.

#include <cstring>

#include "httpcore/ws/utf8.hpp"

namespace httpcore::ws {
namespace {

// Bytes from p on that are ASCII, checked 16 then 8 at a time; stops at the
// first word holding a non-ASCII byte (the caller goes on byte by byte).
std::size_t ascii_run(const std::byte* p, std::size_t n) noexcept {
  constexpr std::uint64_t high_bits = 0x8080808080808080ull;
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    std::uint64_t a, b;
    std::memcpy(&a, p + i, 8);
    std::memcpy(&b, p + i + 8, 8);
    if (((a | b) & high_bits) != 0) break;
  }
  for (; i + 8 <= n; i += 8) {
    std::uint64_t a;
    std::memcpy(&a, p + i, 8);
    if ((a & high_bits) != 0) break;
  }
  return i;
}

}  // namespace

std::size_t utf8_validator::feed_until_invalid(std::span<const std::byte> bytes) noexcept {
  if (failed_) return 0;
  const std::byte* p = bytes.data();
  const std::size_t n = bytes.size();
  std::size_t i = 0;
  while (i < n) {
    if (pending_ == 0) {
      i += ascii_run(p + i, n - i);
      if (i == n) break;
    }
    const auto b = static_cast<std::uint8_t>(p[i]);
    if (pending_ > 0) {
      if (b < low_ || b > high_) {
        failed_ = true;
        return i;
      }
      --pending_;
      low_ = 0x80;
      high_ = 0xBF;
    } else if (b < 0x80) {
      // ASCII left over from the word-at-a-time scan.
    } else if (b < 0xC2) {
      // A stray continuation byte, or C0/C1 (always overlong).
      failed_ = true;
      return i;
    } else if (b < 0xE0) {
      pending_ = 1;
    } else if (b < 0xF0) {
      pending_ = 2;
      if (b == 0xE0) low_ = 0xA0;   // below: overlong 3-byte form
      if (b == 0xED) high_ = 0x9F;  // above: UTF-16 surrogates
    } else if (b < 0xF5) {
      pending_ = 3;
      if (b == 0xF0) low_ = 0x90;   // below: overlong 4-byte form
      if (b == 0xF4) high_ = 0x8F;  // above: beyond U+10FFFF
    } else {
      // F5-FF would start code points above U+10FFFF.
      failed_ = true;
      return i;
    }
    ++i;
  }
  return n;
}

bool is_valid_utf8(std::span<const std::byte> bytes) noexcept {
  utf8_validator v;
  return v.feed(bytes) && v.complete();
}

}  // namespace httpcore::ws
