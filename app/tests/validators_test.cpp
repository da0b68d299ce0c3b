// Entity tags and conditional fields (RFC 9110 §8.8.3, §13.1): what makes a
// tag, the weak comparison of If-None-Match, the strong one of If-Range, and
// the dates of If-Modified-Since and If-Range.

#include "validators.hpp"

#include <gtest/gtest.h>

#include "httpcore/http_date.hpp"

namespace httpcore::app {
namespace {

constexpr std::int64_t kNow = 1'700'000'000;

std::string date(std::int64_t t) {
  char buf[http_date_length];
  format_http_date(t, buf);
  return std::string(buf, http_date_length);
}

TEST(Validators, EtagIsStrongAndChangesWithTheFile) {
  file_version v{1, 42, 100, 5'000'000'123};
  std::string tag = strong_etag(v);
  EXPECT_EQ(tag.front(), '"');
  EXPECT_EQ(tag.back(), '"');
  EXPECT_EQ(tag.find("W/"), std::string::npos);
  EXPECT_EQ(strong_etag(v), tag);  // stable
  for (file_version other :
       {file_version{1, 43, 100, 5'000'000'123}, file_version{1, 42, 101, 5'000'000'123},
        file_version{1, 42, 100, 5'000'000'124}, file_version{1, 42, 100, 5'000'000'123, "br"}}) {
    EXPECT_NE(strong_etag(other), tag);
  }
  EXPECT_NE(strong_etag({1, 42, 100, 5'000'000'123, "br"}),
            strong_etag({1, 42, 100, 5'000'000'123, "gzip"}));
}

TEST(Validators, IfNoneMatchComparesWeakly) {
  std::string tag = "\"abc-1\"";
  EXPECT_TRUE(none_match_fails("\"abc-1\"", tag));
  EXPECT_TRUE(none_match_fails("W/\"abc-1\"", tag));
  EXPECT_TRUE(none_match_fails("\"x\", W/\"y\" ,\"abc-1\"", tag));
  EXPECT_TRUE(none_match_fails(" * ", tag));
  EXPECT_FALSE(none_match_fails("\"abc-2\"", tag));
  EXPECT_FALSE(none_match_fails("\"abc-1", tag));    // unterminated
  EXPECT_FALSE(none_match_fails("abc-1", tag));      // not quoted
  EXPECT_FALSE(none_match_fails("\"ABC-1\"", tag));  // opaque tags compare exactly
}

TEST(Validators, IfModifiedSince) {
  std::int64_t mtime = kNow - 3600;
  EXPECT_TRUE(not_modified_since(date(mtime), mtime, kNow));
  EXPECT_TRUE(not_modified_since(date(mtime + 10), mtime, kNow));
  EXPECT_FALSE(not_modified_since(date(mtime - 1), mtime, kNow));
  EXPECT_FALSE(not_modified_since(date(kNow + 10), mtime, kNow));  // the future: invalid
  EXPECT_FALSE(not_modified_since("yesterday", mtime, kNow));
  EXPECT_FALSE(not_modified_since("", mtime, kNow));
}

TEST(Validators, IfRangeComparesStrongly) {
  std::string tag = "\"abc-1\"";
  std::int64_t mtime = kNow - 3600;
  EXPECT_TRUE(if_range_holds("\"abc-1\"", tag, mtime, kNow));
  EXPECT_FALSE(if_range_holds("W/\"abc-1\"", tag, mtime, kNow));  // weak never matches
  EXPECT_FALSE(if_range_holds("\"abc-2\"", tag, mtime, kNow));
  EXPECT_FALSE(if_range_holds("\"abc-1\", \"x\"", tag, mtime, kNow));  // one tag only
  EXPECT_TRUE(if_range_holds(date(mtime), tag, mtime, kNow));
  EXPECT_FALSE(if_range_holds(date(mtime + 1), tag, mtime, kNow));  // exact match only
  EXPECT_FALSE(if_range_holds(date(kNow), tag, kNow, kNow));        // modified this second: weak
  EXPECT_FALSE(if_range_holds("garbage", tag, mtime, kNow));
  EXPECT_FALSE(if_range_holds("", tag, mtime, kNow));
}

}  // namespace
}  // namespace httpcore::app
