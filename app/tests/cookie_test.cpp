// Cookie parsing and Set-Cookie writing (RFC 6265bis): every attribute
// written as user agents read it, and every bad name, value or attribute
// refused with what is wrong and where.

#include "httpcore/app/cookie.hpp"

#include <gtest/gtest.h>

namespace httpcore::app {
namespace {

set_cookie named(std::string name, std::string value) {
  set_cookie c;
  c.name = std::move(name);
  c.value = std::move(value);
  return c;
}

TEST(CookieParse, PairsWithSpacesQuotesAndEmptyValues) {
  cookie_parse_result r = parse_cookies("a=1; b = two ;c=\"quoted\";d=; e=x=y;;\tf=6");
  ASSERT_TRUE(r.ok()) << r.error;
  ASSERT_EQ(r.cookies.size(), 6u);
  EXPECT_EQ(r.cookies[0].name, "a");
  EXPECT_EQ(r.cookies[0].value, "1");
  EXPECT_EQ(r.cookies[1].name, "b");
  EXPECT_EQ(r.cookies[1].value, "two");
  EXPECT_EQ(r.cookies[2].value, "quoted");
  EXPECT_EQ(r.cookies[3].value, "");
  EXPECT_EQ(r.cookies[4].value, "x=y");  // '=' is a cookie-octet
  EXPECT_EQ(r.cookies[5].name, "f");
  EXPECT_EQ(find_cookie(r, "c"), "quoted");
  EXPECT_EQ(find_cookie(r, "C"), std::nullopt);  // names are case-sensitive
}

TEST(CookieParse, BadPairsAreSkippedAndTheFirstReportedWithItsOffset) {
  cookie_parse_result r = parse_cookies("ok=1; noequals; bad name=2; v=a,b; q=\"x; last=9");
  ASSERT_EQ(r.cookies.size(), 2u);
  EXPECT_EQ(r.cookies[0].name, "ok");
  EXPECT_EQ(r.cookies[1].name, "last");
  EXPECT_EQ(r.error, "cookie without '='");
  EXPECT_EQ(r.offset, 6u);

  cookie_parse_result name = parse_cookies("bad name=2");
  EXPECT_EQ(name.error, "cookie name: byte 0x20 (' ') not allowed");
  EXPECT_EQ(name.offset, 3u);
  cookie_parse_result comma = parse_cookies("v=a,b");
  EXPECT_EQ(comma.error, "cookie value: byte 0x2c (',') not allowed");
  EXPECT_EQ(comma.offset, 3u);
  cookie_parse_result ctl = parse_cookies("a=1; v=x\x01");
  EXPECT_EQ(ctl.error, "cookie value: byte 0x01 not allowed");
  EXPECT_EQ(ctl.offset, 8u);
  cookie_parse_result quote = parse_cookies("q=\"x");  // an unbalanced DQUOTE
  EXPECT_EQ(quote.error, "cookie value: byte 0x22 ('\"') not allowed");
  EXPECT_EQ(parse_cookies("=v").error, "cookie with an empty name");
}

TEST(CookieParse, AtMostMaxPairs) {
  cookie_parse_result r = parse_cookies("a=1; b=2; c=3", 2);
  EXPECT_EQ(r.cookies.size(), 2u);
  EXPECT_EQ(r.error, "more than 2 cookies");
  EXPECT_EQ(r.offset, 10u);
}

TEST(SetCookie, EveryAttribute) {
  set_cookie c;
  c.name = "__Secure-id";
  c.value = "abc";
  c.expires = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
  c.max_age = 3600;
  c.domain = ".example.com";
  c.path = "/app";
  c.secure = true;
  c.http_only = true;
  c.site = same_site::none;
  c.partitioned = true;
  set_cookie_result r = format_set_cookie(c);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.field,
            "__Secure-id=abc; Expires=Sun, 06 Nov 1994 08:49:37 GMT; Max-Age=3600; "
            "Domain=example.com; Path=/app; Secure; HttpOnly; SameSite=None; Partitioned");
}

TEST(SetCookie, MinimalAndEachSameSite) {
  EXPECT_EQ(format_set_cookie(named("a", "\"q\"")).field, "a=\"q\"");
  set_cookie c = named("s", "1");
  c.site = same_site::strict;
  EXPECT_EQ(format_set_cookie(c).field, "s=1; SameSite=Strict");
  c.site = same_site::lax;
  EXPECT_EQ(format_set_cookie(c).field, "s=1; SameSite=Lax");
  c.max_age = -1;
  c.site = same_site::unset;
  EXPECT_EQ(format_set_cookie(c).field, "s=1; Max-Age=-1");
}

struct refusal {
  set_cookie cookie;
  std::string error;
  std::size_t offset;
};

TEST(SetCookie, RefusesPrecisely) {
  auto with = [](auto change) {
    set_cookie c = named("n", "v");
    change(c);
    return c;
  };
  const refusal cases[] = {
      {with([](set_cookie& c) { c.name = ""; }), "cookie name: empty", 0},
      {with([](set_cookie& c) { c.name = "a=b"; }), "cookie name: byte 0x3d ('=') not allowed", 1},
      {with([](set_cookie& c) { c.name = "a(b"; }), "cookie name: byte 0x28 ('(') not allowed", 1},
      {with([](set_cookie& c) { c.value = "a;b"; }), "cookie value: byte 0x3b (';') not allowed",
       1},
      {with([](set_cookie& c) { c.value = "sp ace"; }), "cookie value: byte 0x20 (' ') not allowed",
       2},
      {with([](set_cookie& c) { c.value = "back\\slash"; }),
       "cookie value: byte 0x5c ('\\') not allowed", 4},
      {with([](set_cookie& c) { c.value = "\xc3\xa9"; }), "cookie value: byte 0xc3 not allowed", 0},
      {with([](set_cookie& c) { c.value = std::string(4096, 'x'); }),
       "cookie name and value: 4097 bytes, more than 4096", 0},
      {with([](set_cookie& c) { c.domain = "exa mple.com"; }),
       "Domain: byte 0x20 (' ') not allowed", 3},
      {with([](set_cookie& c) { c.domain = ".ex;ample"; }), "Domain: byte 0x3b (';') not allowed",
       3},
      {with([](set_cookie& c) { c.domain = "."; }), "Domain: nothing after '.'", 0},
      {with([](set_cookie& c) { c.domain = std::string(1025, 'd'); }),
       "Domain: more than 1024 bytes", 0},
      {with([](set_cookie& c) { c.path = "app"; }), "Path: must begin with '/'", 0},
      {with([](set_cookie& c) { c.path = "/a;b"; }), "Path: byte 0x3b (';') not allowed", 2},
      {with([](set_cookie& c) { c.path = "/a\nb"; }), "Path: byte 0x0a not allowed", 2},
      {with([](set_cookie& c) { c.path = "/" + std::string(1024, 'p'); }),
       "Path: more than 1024 bytes", 0},
      {with([](set_cookie& c) { c.expires = -1; }), "Expires: -1 is outside 1970..9999", 0},
      {with([](set_cookie& c) { c.site = same_site::none; }), "SameSite=None requires Secure", 0},
      {with([](set_cookie& c) { c.partitioned = true; }), "Partitioned requires Secure", 0},
      {with([](set_cookie& c) { c.name = "__Secure-x"; }), "a __Secure- cookie requires Secure", 0},
      {with([](set_cookie& c) {
         c.name = "__Host-x", c.secure = true, c.path = "/";
         c.domain = "a.b";
       }),
       "a __Host- cookie requires Secure, Path=/ and no Domain", 0},
      {with([](set_cookie& c) { c.name = "__Host-x", c.secure = true; }),
       "a __Host- cookie requires Secure, Path=/ and no Domain", 0},
  };
  for (const refusal& r : cases) {
    set_cookie_result out = format_set_cookie(r.cookie);
    EXPECT_EQ(out.error, r.error) << r.cookie.name << "=" << r.cookie.value;
    EXPECT_EQ(out.offset, r.offset) << r.error;
    EXPECT_TRUE(out.field.empty());
  }
  set_cookie host = named("__Host-x", "1");
  host.path = "/";
  host.secure = true;
  EXPECT_EQ(format_set_cookie(host).field, "__Host-x=1; Path=/; Secure");
}

TEST(SetCookie, WhatItWritesParsesBack) {
  set_cookie c = named("id", "a.b-c_d");
  c.path.push_back('/');  // not = "/": GCC 12 -O3 warns (-Wrestrict, a false positive)
  std::string field = format_set_cookie(c).field;
  std::string sent = field.substr(0, field.find(';'));  // what a user agent sends back
  cookie_parse_result r = parse_cookies(sent);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(find_cookie(r, "id"), "a.b-c_d");
}

}  // namespace
}  // namespace httpcore::app
