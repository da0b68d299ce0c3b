// application/x-www-form-urlencoded decoding (httpcore/app/form.hpp): '+' and
// "%XX", empty fields, limits, and errors at the byte they are found at.

#include <gtest/gtest.h>

#include "httpcore/app/form.hpp"

namespace httpcore::app {
namespace {

std::vector<std::pair<std::string, std::string>> pairs(const form_result& r) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& f : r.fields) out.emplace_back(f.name, f.value);
  return out;
}

using fields = std::vector<std::pair<std::string, std::string>>;

TEST(form_urlencoded, DecodesPlusPercentAndSplitsOnFirstEquals) {
  auto r = parse_urlencoded("name=J%C3%B6rg+K&x=a%3Db=c&empty=&flag&%41%2b=1+%2B+1");
  ASSERT_FALSE(r.err) << r.err.name();
  EXPECT_EQ(pairs(r), (fields{{"name", "J\xC3\xB6rg K"},
                              {"x", "a=b=c"},
                              {"empty", ""},
                              {"flag", ""},
                              {"A+", "1 + 1"}}));
}

TEST(form_urlencoded, SkipsEmptyFieldsAndKeepsRepeatsInOrder) {
  auto r = parse_urlencoded("&&a=1&&a=2&");
  ASSERT_FALSE(r.err);
  EXPECT_EQ(pairs(r), (fields{{"a", "1"}, {"a", "2"}}));
  EXPECT_TRUE(parse_urlencoded("").fields.empty());
  EXPECT_EQ(pairs(parse_urlencoded("=v")), (fields{{"", "v"}})) << "an empty name is a field";
}

TEST(form_urlencoded, KeepsBytesAsSent) {
  auto r = parse_urlencoded("n=%00%FF%0D%0A");
  ASSERT_FALSE(r.err);
  EXPECT_EQ(r.fields.at(0).value, std::string("\0\xFF\r\n", 4));
}

TEST(form_urlencoded, BadEscapeNamesItsByte) {
  struct bad {
    std::string_view body;
    std::size_t offset;
  };
  for (auto [body, offset] : {bad{"a=%4", 2}, bad{"a=%", 2}, bad{"a=1&b%zz=2", 5},
                              bad{"abc=%g0", 4}, bad{"x=1&y=2%", 7}, bad{"%=1", 0}}) {
    auto r = parse_urlencoded(body);
    EXPECT_EQ(r.err.code, form_errc::bad_escape) << body;
    EXPECT_EQ(r.err.offset, offset) << body;
    EXPECT_EQ(r.err.status(), 400);
    EXPECT_EQ(r.err.name(), "bad_escape");
    EXPECT_TRUE(r.fields.empty()) << "a bad body is refused whole: " << body;
  }
}

TEST(form_urlencoded, LimitsFieldsAndBytes) {
  auto r = parse_urlencoded("a=1&b=2&c=3", {.max_bytes = 100, .max_fields = 2});
  EXPECT_EQ(r.err.code, form_errc::too_many_fields);
  EXPECT_EQ(r.err.offset, 8u) << "the first field too many";
  EXPECT_EQ(r.err.status(), 413);
  EXPECT_TRUE(r.fields.empty());
  EXPECT_FALSE(parse_urlencoded("a=1&&b=2&", {.max_bytes = 100, .max_fields = 2}).err)
      << "empty fields do not count";
  r = parse_urlencoded(std::string(11, 'a'), {.max_bytes = 10, .max_fields = 2});
  EXPECT_EQ(r.err.code, form_errc::too_large);
  EXPECT_EQ(r.err.status(), 413);
  EXPECT_FALSE(parse_urlencoded(std::string(10, 'a'), {.max_bytes = 10, .max_fields = 2}).err);
}

}  // namespace
}  // namespace httpcore::app
