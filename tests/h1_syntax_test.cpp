// The parser's word-at-a-time helpers (h1/parser_internal.hpp) against plain
// byte-at-a-time definitions, for every byte value at every position of the
// literals the parser compares with, in both cases, and read from the end of
// a PROT_NONE-guarded buffer so that any over-read crashes the test.
#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "h1/parser_internal.hpp"
#include "support/guarded_buffer.hpp"

namespace {

using httpcore::h1::syntax::iequals;

bool reference_iequals(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (ch != lower[i]) return false;
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
        for (const std::string& t : {text, upper(text)}) {
          t.copy(buf.mutable_data(), t.size());
          ASSERT_EQ(iequals(view, lit), reference_iequals(view, lit))
              << "literal \"" << lit << "\", byte " << b << " at " << i;
        }
      }
    }
  }
}

TEST(H1Syntax, IequalsExactCases) {
  EXPECT_TRUE(iequals("Transfer-Encoding", "transfer-encoding"));
  EXPECT_TRUE(iequals("CONNECTION", "connection"));
  EXPECT_TRUE(iequals("Keep-Alive", "keep-alive"));
  EXPECT_TRUE(iequals("", ""));
  EXPECT_FALSE(iequals("keep-alive ", "keep-alive"));
  EXPECT_FALSE(iequals("chunked", "chunkeD"));  // `lower` must be lower-case
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
