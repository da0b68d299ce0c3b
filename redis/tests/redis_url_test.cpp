// `--redis` URLs: what is accepted, and the offset of what is not.

#include "httpcore/redis/redis_url.hpp"

#include <gtest/gtest.h>

namespace httpcore::redis {
namespace {

TEST(RedisUrl, Accepted) {
  auto r = parse_redis_url("redis://127.0.0.1:6380");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.address.host, "127.0.0.1");
  EXPECT_EQ(r.address.port, 6380);
  r = parse_redis_url("redis://cache-1.internal/");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.address.host, "cache-1.internal");
  EXPECT_EQ(r.address.port, 6379);
  r = parse_redis_url("redis://[::1]:7000");
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.address.host, "::1");
  EXPECT_EQ(r.address.port, 7000);
}

TEST(RedisUrl, RefusedWithOffset) {
  struct {
    const char* url;
    std::size_t offset;
  } cases[] = {
      {"http://127.0.0.1:6379", 0}, {"redis://", 8},       {"redis://h:0", 10},
      {"redis://h:65536", 10},      {"redis://h:", 10},    {"redis://h:12x", 12},
      {"redis://u@h", 9},           {"redis://h:1/0", 11}, {"redis://[::1", 8},
      {"redis://[]:1", 9},          {"redis://h?x=1", 9},  {"redis://[::g]", 11},
  };
  for (const auto& c : cases) {
    auto r = parse_redis_url(c.url);
    EXPECT_FALSE(r.ok()) << c.url;
    EXPECT_EQ(r.offset, c.offset) << c.url << ": " << r.error;
  }
  EXPECT_NE(parse_redis_url("redis://u@h").error.find("password"), std::string::npos);
}

}  // namespace
}  // namespace httpcore::redis
