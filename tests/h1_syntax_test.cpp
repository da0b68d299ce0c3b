// The library's one case-insensitive compare (detail/ascii.hpp, word at a time,
// behind httpcore::ascii_iequals and the parser's field tests) against plain
// byte-at-a-time definitions, for every byte value at every position of the
// literals the parser compares with, in both cases, and read from the end of
// a PROT_NONE-guarded buffer so that any over-read crashes the test.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "detail/ascii.hpp"
#include "httpcore/ascii.hpp"
#include "support/guarded_buffer.hpp"

namespace {

using httpcore::detail::ascii_iequals;

char reference_lower(char ch) {
  return ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch;
}
bool reference_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (reference_lower(a[i]) != reference_lower(b[i])) return false;
  }
  return true;
}

constexpr std::string_view kLiterals[] = {"",
                                          "a",
                                          "ab",
                                          "abc",
                                          "gzip",
                                          "close",
                                          "expect",
                                          "upgrade",
                                          "chunked",
                                          "deflate",
                                          "keep-alive",
                                          "connection",
                                          "compress",
                                          "x-compress",
                                          "100-continue",
                                          "content-length",
                                          "transfer-encoding",
                                          "a-literal-longer-than-sixteen-bytes"};

std::string upper(std::string s) {
  for (char& ch : s)
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  return s;
}

TEST(H1Syntax, IequalsMatchesByteDefinitionForEveryByteAtEveryPosition) {
  for (std::string_view lit : kLiterals) {
    httpcore::test::guarded_buffer buf(lit);
    std::string_view view = buf.view();
    for (std::size_t i = 0; i < lit.size(); ++i) {
      for (int b = 0; b < 256; ++b) {
        std::string text(lit);
        text[i] = static_cast<char>(b);
        const std::string lit_upper = upper(std::string(lit));
        for (const std::string& t : {text, upper(text)}) {
          t.copy(buf.mutable_data(), t.size());
          // Either side may hold the odd byte, and either side may be upper case.
          for (std::string_view other : {lit, std::string_view(lit_upper)}) {
            ASSERT_EQ(ascii_iequals(view, other), reference_iequals(view, other))
                << "literal \"" << other << "\", byte " << b << " at " << i;
            ASSERT_EQ(ascii_iequals(other, view), reference_iequals(other, view))
                << "literal \"" << other << "\", byte " << b << " at " << i << " (swapped)";
          }
        }
      }
    }
  }
}

TEST(H1Syntax, IequalsExactCases) {
  auto iequals = [](std::string_view a, std::string_view b) {
    const bool inline_result = ascii_iequals(a, b);
    EXPECT_EQ(httpcore::ascii_iequals(a, b), inline_result);  // the public entry point
    return inline_result;
  };
  EXPECT_TRUE(iequals("Transfer-Encoding", "transfer-encoding"));
  EXPECT_TRUE(iequals("CONNECTION", "connection"));
  EXPECT_TRUE(iequals("Keep-Alive", "keep-alive"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("keep-alive ", "keep-alive"));
  EXPECT_TRUE(iequals("chunked", "chunkeD"));  // either side may be upper case
  EXPECT_TRUE(iequals("SEC-WEBSOCKET-KEY", "Sec-WebSocket-Key"));
  EXPECT_FALSE(iequals("\xe9", "\xc9"));  // no case outside ASCII
  // Bytes one case bit away from a letter or '-' that are not that letter.
  EXPECT_FALSE(
      iequals("\x0d"
              "chunked",
              "-chunked"));
  EXPECT_FALSE(iequals("chunke\x04", "chunked"));
  EXPECT_FALSE(iequals("\x11\x10\x10-continue", "100-continue"));
  EXPECT_FALSE(iequals("\xc3lose", "close"));
  EXPECT_FALSE(iequals("[lose", "{lose"));
  EXPECT_FALSE(iequals("@pgrade", "`pgrade"));
}

}  // namespace
