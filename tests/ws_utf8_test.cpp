// The incremental UTF-8 validator against RFC 3629: valid 1-4 byte forms and
// the boundaries of each, overlongs, surrogates, code points above U+10FFFF,
// truncated sequences, and every input fed whole, byte by byte and split at
// every index (the state crosses calls).

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "httpcore/ws/utf8.hpp"

namespace httpcore::ws {
namespace {

std::span<const std::byte> bytes(std::string_view s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

// What the validator says about `s`: how many bytes it accepts and whether
// the whole is complete; the same however the input is split, or it fails.
struct verdict {
  std::size_t accepted;
  bool complete;
  bool operator==(const verdict&) const = default;
};

verdict check(std::string_view s) {
  utf8_validator whole;
  const verdict v{whole.feed_until_invalid(bytes(s)), whole.complete()};
  // Byte by byte.
  utf8_validator bytewise;
  std::size_t accepted = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (bytewise.feed_until_invalid(bytes(s.substr(i, 1))) != 1) break;
    ++accepted;
  }
  EXPECT_EQ((verdict{accepted, bytewise.complete()}), v) << "byte by byte";
  // Every two-piece split.
  for (std::size_t cut = 1; cut < s.size(); ++cut) {
    utf8_validator split;
    std::size_t a = split.feed_until_invalid(bytes(s.substr(0, cut)));
    if (a == cut) a += split.feed_until_invalid(bytes(s.substr(cut)));
    EXPECT_EQ((verdict{a, split.complete()}), v) << "split at " << cut;
  }
  return v;
}

bool valid(std::string_view s) {
  verdict v = check(s);
  EXPECT_EQ(is_valid_utf8(s), v.accepted == s.size() && v.complete);
  return v.accepted == s.size() && v.complete;
}

TEST(WsUtf8, ValidFormsOfEveryLength) {
  EXPECT_TRUE(valid(""));
  EXPECT_TRUE(valid("plain ASCII, long enough to take the 16-byte path: 0123456789abcdef"));
  EXPECT_TRUE(valid(std::string_view("\x00\x7f", 2)));  // U+0000, U+007F
  EXPECT_TRUE(valid("\xc2\x80"));                       // U+0080, first 2-byte
  EXPECT_TRUE(valid("\xdf\xbf"));                       // U+07FF
  EXPECT_TRUE(valid("\xe0\xa0\x80"));                   // U+0800, first 3-byte
  EXPECT_TRUE(valid("\xed\x9f\xbf"));                   // U+D7FF, below the surrogates
  EXPECT_TRUE(valid("\xee\x80\x80"));                   // U+E000, above them
  EXPECT_TRUE(valid("\xef\xbf\xbf"));                   // U+FFFF
  EXPECT_TRUE(valid("\xf0\x90\x80\x80"));               // U+10000, first 4-byte
  EXPECT_TRUE(valid("\xf4\x8f\xbf\xbf"));               // U+10FFFF, the last
  EXPECT_TRUE(valid("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5"));  // "kosme" in Greek
  EXPECT_TRUE(valid("mixed \xe2\x82\xac and \xf0\x9f\x98\x80 after 16 ASCII bytes......"));
}

TEST(WsUtf8, OverlongFormsFailAtTheFirstByteThatProvesIt) {
  EXPECT_EQ(check("\xc0\x80"), (verdict{0, false}));
  EXPECT_EQ(check("\xc1\xbf"), (verdict{0, false}));
  EXPECT_EQ(check("\xe0\x80\xaf"), (verdict{1, false}));
  EXPECT_EQ(check("\xe0\x9f\xbf"), (verdict{1, false}));
  EXPECT_EQ(check("\xf0\x80\x80\xaf"), (verdict{1, false}));
  EXPECT_EQ(check("\xf0\x8f\xbf\xbf"), (verdict{1, false}));
}

TEST(WsUtf8, SurrogatesAreRejected) {
  EXPECT_EQ(check("\xed\xa0\x80"), (verdict{1, false}));                // U+D800
  EXPECT_EQ(check("\xed\xad\xbf"), (verdict{1, false}));                // U+DB7F
  EXPECT_EQ(check("\xed\xbf\xbf"), (verdict{1, false}));                // U+DFFF
  EXPECT_EQ(check("ok\xed\xa0\x80\xed\xb0\x80"), (verdict{3, false}));  // a CESU-8 pair
}

TEST(WsUtf8, AboveU10FFFFIsRejected) {
  EXPECT_EQ(check("\xf4\x90\x80\x80"), (verdict{1, false}));  // U+110000
  EXPECT_EQ(check("\xf5\x80\x80\x80"), (verdict{0, false}));
  EXPECT_EQ(check("\xf7\xbf\xbf\xbf"), (verdict{0, false}));
  EXPECT_EQ(check("\xf8\x88\x80\x80\x80"), (verdict{0, false}));  // old 5-byte form
  EXPECT_EQ(check("\xfc\x84\x80\x80\x80\x80"), (verdict{0, false}));
  EXPECT_EQ(check("\xfe"), (verdict{0, false}));
  EXPECT_EQ(check("\xff"), (verdict{0, false}));
}

TEST(WsUtf8, TruncatedSequencesAreIncompleteNotInvalid) {
  EXPECT_EQ(check("\xc3"), (verdict{1, false}));
  EXPECT_EQ(check("a\xe2\x82"), (verdict{3, false}));
  EXPECT_EQ(check("\xf0\x9f\x98"), (verdict{3, false}));
  // ... until something that cannot continue them arrives.
  EXPECT_EQ(check("\xe2\x82("), (verdict{2, false}));
  EXPECT_EQ(check("\xf0\x9f\x98\xc3\xa9"), (verdict{3, false}));
}

TEST(WsUtf8, StrayContinuationBytes) {
  EXPECT_EQ(check("\x80"), (verdict{0, false}));
  EXPECT_EQ(check("\xbf"), (verdict{0, false}));
  EXPECT_EQ(check("\xc3\xa9\xa9"), (verdict{2, false}));
  EXPECT_EQ(check("0123456789abcdefXYZ\x80tail"), (verdict{19, false}));  // after the fast path
}

TEST(WsUtf8, FailureIsStickyUntilReset) {
  utf8_validator v;
  EXPECT_FALSE(v.feed(std::string_view("\xff")));
  EXPECT_TRUE(v.failed());
  EXPECT_EQ(v.feed_until_invalid(bytes("abc")), 0u);
  EXPECT_FALSE(v.complete());
  v.reset();
  EXPECT_TRUE(v.feed(std::string_view("abc")));
  EXPECT_TRUE(v.complete());
}

TEST(WsUtf8, EveryCodePointRoundTrips) {
  // Encode every scalar value and check it; every surrogate encoded as if it
  // were a scalar must fail.
  utf8_validator v;
  for (std::uint32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    char buf[4];
    std::size_t n;
    if (cp < 0x80) {
      buf[0] = static_cast<char>(cp);
      n = 1;
    } else if (cp < 0x800) {
      buf[0] = static_cast<char>(0xC0 | (cp >> 6));
      buf[1] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 2;
    } else if (cp < 0x10000) {
      buf[0] = static_cast<char>(0xE0 | (cp >> 12));
      buf[1] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      buf[2] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 3;
    } else {
      buf[0] = static_cast<char>(0xF0 | (cp >> 18));
      buf[1] = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      buf[2] = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      buf[3] = static_cast<char>(0x80 | (cp & 0x3F));
      n = 4;
    }
    const bool surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    ASSERT_EQ(is_valid_utf8(std::string_view(buf, n)), !surrogate) << std::hex << cp;
    if (!surrogate) {
      ASSERT_TRUE(v.feed(std::string_view(buf, n))) << std::hex << cp;
    }
  }
  EXPECT_TRUE(v.complete());
}

}  // namespace
}  // namespace httpcore::ws
