// AVX2 scanners (32 bytes per step). Compiled without -mavx2: every function
// that uses vector intrinsics carries __attribute__((target("avx2"))), and
// everything here has internal linkage, so no AVX2-compiled copy of an inline
// function can be merged (COMDAT) into code that runs on older CPUs. The
// 128-bit helpers are repeated here (not shared with scan_sse42.cpp) so that
// they are VEX-encoded too: mixing legacy SSE and AVX code costs transitions.
#include "detail/scan.hpp"

#if defined(__x86_64__) || defined(__i386__)

#include <immintrin.h>

#include <bit>
#include <cstring>

#define HTTPCORE_AVX2 __attribute__((target("avx2")))
#define HTTPCORE_AVX2_INLINE __attribute__((target("avx2"), always_inline)) inline

namespace httpcore::detail {
namespace {

// Each classifier returns 0xFF in every byte of x that is NOT in the class;
// the tricks are explained in scan_sse42.cpp (same arithmetic, wider).

struct field_value_class {
  static constexpr std::uint8_t cls = class_field_value;
  // XOR 9 turns the rejected controls into 0x01-0x1F, +0x7F moves them to
  // signed -128..-98: one signed compare; DEL separately.
  HTTPCORE_AVX2_INLINE static __m256i bad(__m256i x) noexcept {
    const __m256i v =
        _mm256_add_epi8(_mm256_xor_si256(x, _mm256_set1_epi8(0x09)), _mm256_set1_epi8(0x7F));
    return _mm256_or_si256(_mm256_cmpgt_epi8(_mm256_set1_epi8(-97), v),
                           _mm256_cmpeq_epi8(x, _mm256_set1_epi8(0x7F)));
  }
  HTTPCORE_AVX2_INLINE static __m128i bad(__m128i x) noexcept {
    const __m128i v = _mm_add_epi8(_mm_xor_si128(x, _mm_set1_epi8(0x09)), _mm_set1_epi8(0x7F));
    return _mm_or_si128(_mm_cmpgt_epi8(_mm_set1_epi8(-97), v),
                        _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7F)));
  }
};

struct target_class {
  static constexpr std::uint8_t cls = class_target;
  // +0x5F maps 0x21-0x7E to signed -128..-35: out of class iff > -35.
  HTTPCORE_AVX2_INLINE static __m256i bad(__m256i x) noexcept {
    return _mm256_cmpgt_epi8(_mm256_add_epi8(x, _mm256_set1_epi8(0x5F)), _mm256_set1_epi8(-35));
  }
  HTTPCORE_AVX2_INLINE static __m128i bad(__m128i x) noexcept {
    return _mm_cmpgt_epi8(_mm_add_epi8(x, _mm_set1_epi8(0x5F)), _mm_set1_epi8(-35));
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
  // Nibble lookup with vpshufb. vpshufb shuffles within each 128-bit lane, so
  // the 16-entry tables are broadcast to both lanes. Raw byte as the low
  // index: bytes >= 0x80 look up 0, correct since none is a tchar.
  HTTPCORE_AVX2_INLINE static __m128i lo_table() noexcept {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(scan_tables::token_lut.lo.data()));
  }
  HTTPCORE_AVX2_INLINE static __m128i hi_table() noexcept {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(scan_tables::token_lut.hi.data()));
  }
  HTTPCORE_AVX2_INLINE static __m256i bad(__m256i x) noexcept {
    const __m256i lo_tbl = _mm256_broadcastsi128_si256(lo_table());
    const __m256i hi_tbl = _mm256_broadcastsi128_si256(hi_table());
    const __m256i hi_nib = _mm256_and_si256(_mm256_srli_epi16(x, 4), _mm256_set1_epi8(0x0F));
    const __m256i hit =
        _mm256_and_si256(_mm256_shuffle_epi8(lo_tbl, x), _mm256_shuffle_epi8(hi_tbl, hi_nib));
    return _mm256_cmpeq_epi8(hit, _mm256_setzero_si256());
  }
  HTTPCORE_AVX2_INLINE static __m128i bad(__m128i x) noexcept {
    const __m128i hi_nib = _mm_and_si128(_mm_srli_epi16(x, 4), _mm_set1_epi8(0x0F));
    const __m128i hit =
        _mm_and_si128(_mm_shuffle_epi8(lo_table(), x), _mm_shuffle_epi8(hi_table(), hi_nib));
    return _mm_cmpeq_epi8(hit, _mm_setzero_si128());
  }
};

HTTPCORE_AVX2_INLINE std::uint32_t mask(__m256i bad) noexcept {
  return static_cast<std::uint32_t>(_mm256_movemask_epi8(bad));
}
HTTPCORE_AVX2_INLINE std::uint32_t mask(__m128i bad) noexcept {
  return static_cast<std::uint32_t>(_mm_movemask_epi8(bad));
}
HTTPCORE_AVX2_INLINE __m256i load32(const char* p) noexcept {
  return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
HTTPCORE_AVX2_INLINE __m128i load16(const char* p) noexcept {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}

template <class C>
HTTPCORE_AVX2 std::size_t scan(const char* p, std::size_t n) noexcept {
  if (n >= 32) {
    std::size_t i = 0;
    // Main loop, 64 bytes per step with a single branch: OR the two "bad"
    // vectors and work out which byte it was only on the way out.
    for (; n - i >= 64; i += 64) {
      const __m256i a = C::bad(load32(p + i));
      const __m256i b = C::bad(load32(p + i + 32));
      if (mask(_mm256_or_si256(a, b)) != 0) {
        const std::uint64_t both = mask(a) | (std::uint64_t{mask(b)} << 32);
        return i + static_cast<std::size_t>(std::countr_zero(both));
      }
    }
    const std::size_t rest = n - i;  // 0-63 bytes left, and n >= 32
    if (rest >= 32) {
      // Two blocks: one at i, one ending exactly at p + n (overlapping unless
      // rest == 64). Bit k of the tail mask is byte i + rest - 32 + k, so
      // shift it into place; a sentinel bit at rest makes "none" come out as
      // rest, and one tzcnt answers without branching.
      const std::uint64_t head = mask(C::bad(load32(p + i)));
      const std::uint64_t tail = mask(C::bad(load32(p + n - 32)));
      const std::uint64_t pos = head | (tail << (rest - 32)) | (std::uint64_t{1} << rest);
      return i + static_cast<std::size_t>(std::countr_zero(pos));
    }
    if (rest == 0) return n;
    // 1-31 bytes left: one block ending at p + n. Its leading bytes are
    // already known to be in class, so its first flagged byte is the answer;
    // the sentinel bit 32 turns "none" into n.
    const std::uint64_t tail = mask(C::bad(load32(p + n - 32)));
    return n - 32 + static_cast<std::size_t>(std::countr_zero(tail | (std::uint64_t{1} << 32)));
  }
  if (n >= 16) {
    // 16-31 bytes: the first 16 and the last 16 (overlapping) in one ymm,
    // one classification. Mask bits 0-15 flag bytes 0-15 and bits 16-31 flag
    // bytes n-16..n-1: shift the high half into place, sentinel bit at n.
    const __m256i x =
        _mm256_inserti128_si256(_mm256_castsi128_si256(load16(p)), load16(p + n - 16), 1);
    const std::uint32_t m = mask(C::bad(x));
    const std::uint32_t pos = (m & 0xFFFFU) | ((m >> 16) << (n - 16)) | (1U << n);
    return static_cast<std::size_t>(std::countr_zero(pos));
  }
  if (n >= 8) {
    // 8-15 bytes: same trick with two 8-byte loads in one xmm.
    const __m128i x =
        _mm_unpacklo_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)),
                           _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p + n - 8)));
    const std::uint32_t m = mask(C::bad(x));
    const std::uint32_t pos = (m & 0xFFU) | ((m >> 8) << (n - 8)) | (1U << n);
    return static_cast<std::size_t>(std::countr_zero(pos));
  }
  if (n >= 4) {
    // 4-7 bytes: two 4-byte loads (memcpy: exact-size reads).
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

std::size_t avx2_field_value(const char* p, std::size_t n) noexcept {
  return scan<field_value_class>(p, n);
}
std::size_t avx2_target(const char* p, std::size_t n) noexcept {
  return scan<target_class>(p, n);
}
std::size_t avx2_token(const char* p, std::size_t n) noexcept {
  return scan<token_class>(p, n);
}

constexpr scanner_set avx2_set{"avx2", &avx2_field_value, &avx2_target, &avx2_token};

}  // namespace

const scanner_set* avx2_scanners() noexcept {
  // libgcc/compiler-rt report avx2 only when the OS also saves YMM state
  // (OSXSAVE + XCR0), so this is safe to act on.
  static const bool supported = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return supported ? &avx2_set : nullptr;
}

}  // namespace httpcore::detail

#else  // not x86: scalar only

namespace httpcore::detail {
const scanner_set* avx2_scanners() noexcept {
  return nullptr;
}
}  // namespace httpcore::detail

#endif
