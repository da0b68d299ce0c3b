// Byte-class scanners: every implementation (scalar, SSE4.2, AVX2 where the
// CPU has them, and the dispatching free functions) against a reference
// predicate written straight from the RFC grammar, with every input ending at
// a PROT_NONE page so that any over-read crashes the test.
#include "detail/scan.hpp"
#include "detail/byte_class.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <ostream>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/guarded_buffer.hpp"

namespace httpcore::detail {
// Readable parameter values in gtest output.
void PrintTo(const scanner_set& s, std::ostream* os) {
  *os << s.name;
}
}  // namespace httpcore::detail

namespace {

namespace hd = httpcore::detail;
using httpcore::test::guarded_buffer;
using scan_fn = decltype(&hd::find_non_field_value);

// --- reference predicates (independent of scan.hpp's tables) ---------------

// field-vchar / SP / HTAB / obs-text (RFC 9110 section 5.5)
bool ref_field_value(unsigned char c) {
  return c == '\t' || c == ' ' || (c >= 0x21 && c <= 0x7E) || c >= 0x80;
}
// request-target bytes: visible ASCII
bool ref_target(unsigned char c) {
  return c > 0x20 && c < 0x7F;
}
// tchar (RFC 9110 section 5.6.2)
bool ref_token(unsigned char c) {
  constexpr std::string_view specials = "!#$%&'*+-.^_`|~";
  const bool digit = c >= '0' && c <= '9';
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return digit || alpha || specials.find(static_cast<char>(c)) != std::string_view::npos;
}
// qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (RFC 9110 section 5.6.4)
bool ref_qdtext(unsigned char c) {
  return c == '\t' || c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5B) ||
         (c >= 0x5D && c <= 0x7E) || c >= 0x80;
}
// HEXDIG, either case
int ref_hex(unsigned char c) {
  const std::string_view digits = "0123456789abcdef";
  const std::size_t at = digits.find(static_cast<char>(std::tolower(c)));
  return c != 0 && at != std::string_view::npos ? static_cast<int>(at) : -1;
}

struct byte_class_case {
  const char* name;
  scan_fn hd::scanner_set::*fn;
  bool (*ref)(unsigned char);
};

const byte_class_case kClasses[] = {
    {"field_value", &hd::scanner_set::field_value, &ref_field_value},
    {"target", &hd::scanner_set::target, &ref_target},
    {"token", &hd::scanner_set::token, &ref_token},
};

std::size_t reference_find(bool (*ref)(unsigned char), std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!ref(static_cast<unsigned char>(s[i]))) return i;
  }
  return s.size();
}

std::vector<unsigned char> members(bool (*ref)(unsigned char)) {
  std::vector<unsigned char> out;
  for (unsigned c = 0; c < 256; ++c) {
    if (ref(static_cast<unsigned char>(c))) out.push_back(static_cast<unsigned char>(c));
  }
  return out;
}

// --- the implementations under test -----------------------------------------

std::vector<hd::scanner_set> implementations() {
  std::vector<hd::scanner_set> v{hd::scalar_scanners()};
  if (const auto* s = hd::sse42_scanners()) v.push_back(*s);
  if (const auto* s = hd::avx2_scanners()) v.push_back(*s);
  v.push_back({"dispatch", &hd::find_non_field_value, &hd::find_non_target, &hd::find_non_token});
  return v;
}

std::string param_name(const ::testing::TestParamInfo<hd::scanner_set>& info) {
  std::string name = info.param.name;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class Scan : public ::testing::TestWithParam<hd::scanner_set> {};

INSTANTIATE_TEST_SUITE_P(Impl, Scan, ::testing::ValuesIn(implementations()), param_name);

constexpr std::size_t kMaxLen = 70;
constexpr int kMaxReported = 10;

// Every byte value 0..255 at every position of every length 0..70, in a
// buffer otherwise filled with (varied) in-class bytes. Every length ends at
// the guard page.
TEST_P(Scan, EveryByteAtEveryPositionOfEveryLength) {
  std::mt19937 rng(1234);
  for (const auto& cls : kClasses) {
    SCOPED_TRACE(cls.name);
    const scan_fn fn = GetParam().*cls.fn;
    const auto in_class = members(cls.ref);
    ASSERT_FALSE(in_class.empty());

    guarded_buffer buf(std::string(kMaxLen, '\0'));
    char* const end = buf.mutable_data() + kMaxLen;
    int failures = 0;
    for (std::size_t len = 0; len <= kMaxLen; ++len) {
      char* const p = end - len;
      for (std::size_t i = 0; i < len; ++i) {
        p[i] = static_cast<char>(in_class[rng() % in_class.size()]);
      }
      ASSERT_EQ(reference_find(cls.ref, {p, len}), len);
      ASSERT_EQ(fn(p, len), len) << "all in class, len " << len;
      for (std::size_t pos = 0; pos < len; ++pos) {
        const char saved = p[pos];
        for (unsigned b = 0; b < 256; ++b) {
          p[pos] = static_cast<char>(b);
          const std::size_t want = cls.ref(static_cast<unsigned char>(b)) ? len : pos;
          const std::size_t got = fn(p, len);
          if (got != want && ++failures <= kMaxReported) {
            ADD_FAILURE() << "len " << len << " pos " << pos << " byte 0x" << std::hex << b
                          << std::dec << ": got " << got << ", want " << want;
          }
        }
        p[pos] = saved;
      }
    }
    EXPECT_EQ(failures, 0);
  }
}

// Random buffers (mostly in-class bytes with a varying density of arbitrary
// ones, so some scans run long and some stop at the second or third stray
// byte), at every start offset of the first 40, ending at the guard page.
TEST_P(Scan, RandomBuffersMatchReference) {
  std::mt19937 rng(42);
  constexpr std::size_t kLongest = 700;
  constexpr double kDensity[] = {0.0, 0.002, 0.02, 0.1, 0.5, 1.0};
  for (const auto& cls : kClasses) {
    SCOPED_TRACE(cls.name);
    const scan_fn fn = GetParam().*cls.fn;
    const auto in_class = members(cls.ref);
    guarded_buffer buf(std::string(kLongest, '\0'));
    char* const end = buf.mutable_data() + kLongest;
    int failures = 0;
    for (int iter = 0; iter < 3000; ++iter) {
      const std::size_t len = (iter % 4 == 0) ? rng() % (kLongest + 1) : rng() % 130;
      const double density = kDensity[rng() % std::size(kDensity)];
      std::bernoulli_distribution stray(density);
      char* const p = end - len;
      for (std::size_t i = 0; i < len; ++i) {
        p[i] = stray(rng) ? static_cast<char>(rng() & 0xFF)
                          : static_cast<char>(in_class[rng() % in_class.size()]);
      }
      for (std::size_t off = 0; off <= len && off < 40; ++off) {
        const std::size_t want = reference_find(cls.ref, {p + off, len - off});
        const std::size_t got = fn(p + off, len - off);
        if (got != want && ++failures <= kMaxReported) {
          ADD_FAILURE() << "iter " << iter << " len " << len - off << ": got " << got << ", want "
                        << want;
        }
      }
    }
    EXPECT_EQ(failures, 0);
  }
}

// Long runs: one stray byte near every block boundary of a 4 KiB+ buffer.
TEST_P(Scan, LongBufferStopsNearBlockBoundaries) {
  constexpr std::size_t kLen = 4096 + 37;
  for (const auto& cls : kClasses) {
    SCOPED_TRACE(cls.name);
    const scan_fn fn = GetParam().*cls.fn;
    const auto in_class = members(cls.ref);
    const unsigned char stop = '\r';  // outside every class
    ASSERT_FALSE(cls.ref(stop));
    guarded_buffer buf(std::string(kLen, '\0'));
    char* const p = buf.mutable_data();
    for (std::size_t i = 0; i < kLen; ++i) p[i] = static_cast<char>(in_class[i % in_class.size()]);
    EXPECT_EQ(fn(p, kLen), kLen);
    for (std::size_t pos = 0; pos < kLen; ++pos) {
      if (pos % 16 > 1 && pos % 16 < 15 && pos + 40 < kLen) continue;
      p[pos] = static_cast<char>(stop);
      ASSERT_EQ(fn(p, kLen), pos);
      p[pos] = static_cast<char>(in_class[pos % in_class.size()]);
    }
  }
}

TEST_P(Scan, EmptyInputAtTheGuardReturnsZero) {
  guarded_buffer empty("");
  for (const auto& cls : kClasses) {
    EXPECT_EQ((GetParam().*cls.fn)(empty.data(), 0), 0U) << cls.name;
  }
}

// --- dispatch ----------------------------------------------------------------

TEST(ScanDispatch, ActiveIsTheBestAvailable) {
  const char* want = "scalar";
  if (hd::avx2_scanners() != nullptr) {
    want = "avx2";
  } else if (hd::sse42_scanners() != nullptr) {
    want = "sse4.2";
  }
  EXPECT_STREQ(hd::active_scanners().name, want);
  EXPECT_STREQ(hd::scalar_scanners().name, "scalar");
  // Calling it again returns the same set (chosen once).
  EXPECT_EQ(&hd::active_scanners(), &hd::active_scanners());
}

TEST(ScanDispatch, AvailabilityMatchesTheCpu) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  EXPECT_EQ(hd::avx2_scanners() != nullptr, __builtin_cpu_supports("avx2") != 0);
  EXPECT_EQ(hd::sse42_scanners() != nullptr, __builtin_cpu_supports("sse4.2") != 0);
  if (hd::avx2_scanners() != nullptr) {
    EXPECT_STREQ(hd::avx2_scanners()->name, "avx2");
  }
  if (hd::sse42_scanners() != nullptr) {
    EXPECT_STREQ(hd::sse42_scanners()->name, "sse4.2");
  }
#else
  EXPECT_EQ(hd::avx2_scanners(), nullptr);
  EXPECT_EQ(hd::sse42_scanners(), nullptr);
#endif
}

TEST(ScanTables, SingleByteHelpersMatchReference) {
  for (unsigned c = 0; c < 256; ++c) {
    const auto b = static_cast<unsigned char>(c);
    EXPECT_EQ(hd::is_field_value_byte(b), ref_field_value(b)) << c;
    EXPECT_EQ(hd::is_target_byte(b), ref_target(b)) << c;
    EXPECT_EQ(hd::is_tchar(b), ref_token(b)) << c;
    EXPECT_EQ(hd::is_qdtext(b), ref_qdtext(b)) << c;
    EXPECT_EQ(hd::hex_value(static_cast<char>(b)), ref_hex(b)) << c;
    EXPECT_EQ(hd::is_digit(static_cast<char>(b)), std::isdigit(b) != 0) << c;
    EXPECT_EQ(hd::is_alpha(static_cast<char>(b)), std::isalpha(b) != 0) << c;
  }
}

// --- the guard page itself ----------------------------------------------------

TEST(GuardedBuffer, HoldsACopyEndingAtTheGuard) {
  guarded_buffer buf("GET / HTTP/1.1\r\n");
  EXPECT_EQ(buf.view(), "GET / HTTP/1.1\r\n");
  EXPECT_EQ(buf.size(), 16U);
  EXPECT_EQ(buf.bytes().size(), 16U);
  EXPECT_EQ(static_cast<const void*>(buf.bytes().data()), static_cast<const void*>(buf.data()));
  buf.mutable_bytes()[0] = std::byte{'P'};
  EXPECT_EQ(buf.view(), "PET / HTTP/1.1\r\n");
  const auto page = static_cast<std::uintptr_t>(::sysconf(_SC_PAGESIZE));
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(buf.data() + buf.size()) % page, 0U);

  guarded_buffer empty("");
  EXPECT_EQ(empty.size(), 0U);
  EXPECT_TRUE(empty.view().empty());
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(empty.data()) % page, 0U);

  guarded_buffer moved(std::move(buf));
  EXPECT_EQ(moved.view(), "PET / HTTP/1.1\r\n");
}

using GuardedBufferDeathTest = ::testing::Test;

TEST_F(GuardedBufferDeathTest, ReadingOneBytePastTheEndTraps) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  guarded_buffer buf("abc");
  const volatile char* p = buf.data();
  EXPECT_EQ(p[2], 'c');  // the last byte is readable
  EXPECT_DEATH((void)p[3], "");

  guarded_buffer empty("");
  const volatile char* e = empty.data();
  EXPECT_DEATH((void)e[0], "");
}

// A scanner that reads a whole 16-byte block regardless of n (the bug the
// vector code must avoid) is caught by the guard.
std::size_t over_reading_scan(const char* p, std::size_t n) {
  unsigned char block[16];
  const volatile char* v = p;
  for (std::size_t i = 0; i < 16; ++i) block[i] = static_cast<unsigned char>(v[i]);
  for (std::size_t i = 0; i < n; ++i) {
    if (!ref_target(block[i])) return i;
  }
  return n;
}

TEST_F(GuardedBufferDeathTest, AnOverReadingScannerIsCaught) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  guarded_buffer buf("abc");
  EXPECT_DEATH((void)over_reading_scan(buf.data(), buf.size()), "");
}

}  // namespace
