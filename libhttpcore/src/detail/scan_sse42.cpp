// SSE4.2 scanners (16 bytes per step). Compiled without -msse4.2: every
// function that uses vector intrinsics carries __attribute__((target(...))),
// and everything here has internal linkage, so no SSE4.2-compiled copy of an
// inline function can be merged (COMDAT) into code that runs on older CPUs.
#include "detail/scan.hpp"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <bit>
#include <cstring>

// "sse4.2" implies SSSE3 (pshufb) and SSE2.
#define HTTPCORE_SSE42 __attribute__((target("sse4.2")))
#define HTTPCORE_SSE42_INLINE __attribute__((target("sse4.2"), always_inline)) inline

namespace httpcore::detail {
namespace {

// Each classifier returns 0xFF in every byte of x that is NOT in the class.
//
// Why not pcmpestri/pcmpistri with _SIDD_CMP_RANGES? It is several uops with
// a ~10-cycle latency; the compare tricks below are 2-5 single-cycle ops. In a
// throwaway benchmark a pcmpistri field-value scanner was slower on the 16-60
// byte inputs that dominate and at best even on 200-byte ones. Token would not
// fit its 8 ranges anyway (tchar is 9 ranges plus singletons).

struct field_value_class {
  static constexpr std::uint8_t cls = class_field_value;
  // Out of class: 0x00-0x08, 0x0A-0x1F and 0x7F. XOR with 9 swaps HTAB and
  // NUL (both stay inside 0x00-0x1F), so the rejected controls become exactly
  // 0x01-0x1F; adding 0x7F (wrapping) moves those to 0x80-0x9E, the bottom of
  // the signed byte range, where one signed compare (< -97) finds them. SSE
  // has no unsigned byte compare, hence the shift into signed space. DEL gets
  // its own equality test.
  HTTPCORE_SSE42_INLINE static __m128i bad(__m128i x) noexcept {
    const __m128i v = _mm_add_epi8(_mm_xor_si128(x, _mm_set1_epi8(0x09)), _mm_set1_epi8(0x7F));
    return _mm_or_si128(_mm_cmpgt_epi8(_mm_set1_epi8(-97), v),
                        _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F)));
  }
};

struct target_class {
  static constexpr std::uint8_t cls = class_target;
  // In class: 0x21-0x7E. Adding 0x5F (wrapping) maps that range to
  // 0x80-0xDD = signed -128..-35 and everything else above it, so a single
  // signed compare (> -35) flags the out-of-class bytes.
  HTTPCORE_SSE42_INLINE static __m128i bad(__m128i x) noexcept {
    const __m128i v = _mm_add_epi8(x, _mm_set1_epi8(0x5F));
    return _mm_cmpgt_epi8(v, _mm_set1_epi8(-35));
  }
};

constexpr bool token_has_no_high_bytes() {
  for (unsigned h = 8; h < 16; ++h) {
    if (scan_tables::token_lut.hi[h] != 0) return false;
  }
  return true;
}
static_assert(token_has_no_high_bytes(), "token classifier relies on pshufb zeroing bytes >= 0x80");

struct token_class {
  static constexpr std::uint8_t cls = class_token;
  // Nibble lookup (scan_tables::nibble_lut): two pshufb table lookups, one on
  // the low nibble and one on the high nibble, AND-ed; zero means "not a
  // tchar". The low-nibble lookup uses the raw byte as the index: pshufb
  // returns 0 when an index has its top bit set, which is the right answer
  // for bytes >= 0x80 (none is a tchar), and saves an AND.
  HTTPCORE_SSE42_INLINE static __m128i bad(__m128i x) noexcept {
    const __m128i lo_tbl =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(scan_tables::token_lut.lo.data()));
    const __m128i hi_tbl =
        _mm_loadu_si128(reinterpret_cast<const __m128i*>(scan_tables::token_lut.hi.data()));
    const __m128i hi_nib = _mm_and_si128(_mm_srli_epi16(x, 4), _mm_set1_epi8(0x0F));
    const __m128i hit =
        _mm_and_si128(_mm_shuffle_epi8(lo_tbl, x), _mm_shuffle_epi8(hi_tbl, hi_nib));
    return _mm_cmpeq_epi8(hit, _mm_setzero_si128());
  }
};

HTTPCORE_SSE42_INLINE std::uint32_t mask(__m128i bad) noexcept {
  return static_cast<std::uint32_t>(_mm_movemask_epi8(bad));
}

HTTPCORE_SSE42_INLINE __m128i load16(const char* p) noexcept {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

template <class C>
HTTPCORE_SSE42 std::size_t scan(const char* p, std::size_t n) noexcept {
  if (n >= 16) {
    std::size_t i = 0;
    // Main loop, 32 bytes per step with a single branch: OR the two "bad"
    // vectors and work out which byte it was only on the way out.
    for (; n - i >= 32; i += 32) {
      const __m128i a = C::bad(load16(p + i));
      const __m128i b = C::bad(load16(p + i + 16));
      if (mask(_mm_or_si128(a, b)) != 0) {
        return i + static_cast<std::size_t>(std::countr_zero(mask(a) | (mask(b) << 16)));
      }
    }
    const std::size_t rest = n - i;  // 0-31 bytes left, and n >= 16
    if (rest >= 16) {
      // Two blocks: one at i, one ending exactly at p + n (they overlap
      // unless rest == 32). Bit k of the tail mask is byte i + rest - 16 + k,
      // so shift it into place; a sentinel bit at rest makes "none" come out
      // as rest, and one tzcnt answers without branching.
      const std::uint32_t head = mask(C::bad(load16(p + i)));
      const std::uint32_t tail = mask(C::bad(load16(p + n - 16)));
      const std::uint32_t pos = head | (tail << (rest - 16)) | (1U << rest);
      return i + static_cast<std::size_t>(std::countr_zero(pos));
    }
    if (rest == 0) return n;
    // 1-15 bytes left: one block ending at p + n. Its leading bytes are
    // already known to be in class, so its first flagged byte is the answer;
    // the sentinel bit 16 turns "none" into n.
    const std::uint32_t tail = mask(C::bad(load16(p + n - 16)));
    return n - 16 + static_cast<std::size_t>(std::countr_zero(tail | (1U << 16)));
  }
  if (n >= 8) {
    // 8-15 bytes: the first 8 and the last 8 (overlapping) in one register,
    // one classification; combine the halves as above (sentinel at n).
    const __m128i x =
        _mm_unpacklo_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)),
                           _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + n - 8)));
    const std::uint32_t m = mask(C::bad(x));
    const std::uint32_t pos = (m & 0xFFU) | ((m >> 8) << (n - 8)) | (1U << n);
    return static_cast<std::size_t>(std::countr_zero(pos));
  }
  if (n >= 4) {
    // 4-7 bytes: same trick with two 4-byte loads (memcpy: exact-size reads).
    std::uint32_t a = 0;
    std::uint32_t b = 0;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    const __m128i x = _mm_unpacklo_epi32(_mm_cvtsi32_si128(static_cast<int>(a)),
                                         _mm_cvtsi32_si128(static_cast<int>(b)));
    const std::uint32_t m = mask(C::bad(x));
    const std::uint32_t pos = (m & 0xFU) | (((m >> 4) & 0xFU) << (n - 4)) | (1U << n);
    return static_cast<std::size_t>(std::countr_zero(pos));
  }
  return find_non_class_scalar<C::cls>(p, n);
}

std::size_t sse42_field_value(const char* p, std::size_t n) noexcept {
  return scan<field_value_class>(p, n);
}
std::size_t sse42_target(const char* p, std::size_t n) noexcept {
  return scan<target_class>(p, n);
}
std::size_t sse42_token(const char* p, std::size_t n) noexcept {
  return scan<token_class>(p, n);
}

constexpr scanner_set sse42_set{"sse4.2", &sse42_field_value, &sse42_target, &sse42_token};

}  // namespace

const scanner_set* sse42_scanners() noexcept {
  static const bool supported = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2") && __builtin_cpu_supports("ssse3");
  }();
  return supported ? &sse42_set : nullptr;
}

}  // namespace httpcore::detail

#else  // not x86: scalar only

namespace httpcore::detail {
const scanner_set* sse42_scanners() noexcept {
  return nullptr;
}
}  // namespace httpcore::detail

#endif
