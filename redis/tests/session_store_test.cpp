// Sessions in a real redis-server: saved with an expiry Redis enforces,
// loaded back, missing ones not found, erased; a session made through one
// manager is found through another on the same Redis (two instances); Redis
// gone answers `unavailable` with the client's reason.

#include <gtest/gtest.h>

#include <future>

#include "httpcore/app/sessions.hpp"
#include "httpcore/redis/redis_session_store.hpp"
#include "redis_server.hpp"

namespace httpcore::redis {
namespace {

using namespace std::chrono_literals;
using testing::redis_server;

client_config config_for(const redis_server& r) {
  client_config c;
  c.port = r.port();
  c.reply_timeout_us = 1'000'000;
  return c;
}

template <typename Result, typename Call>
Result wait_for(Call call) {
  auto p = std::make_shared<std::promise<Result>>();
  auto f = p->get_future();
  call([p](Result r) { p->set_value(std::move(r)); });
  if (f.wait_for(5s) != std::future_status::ready) {
    ADD_FAILURE() << "no answer within 5 s";
    return {};
  }
  return f.get();
}

app::store_result load(app::session_store& s, const std::string& id) {
  return wait_for<app::store_result>([&](auto done) { s.load(id, done); });
}

TEST(RedisSessionStore, SavesWithExpiryLoadsAndErases) {
  redis_server server;
  redis_session_store store(config_for(server), "t.");
  EXPECT_EQ(load(store, "none").status, app::store_status::not_found);
  auto saved = wait_for<app::store_result>(
      [&](auto done) { store.save("abc", R"({"visits":"1"})", 60, done); });
  ASSERT_TRUE(saved.ok()) << saved.error;
  EXPECT_EQ(load(store, "abc").data, R"({"visits":"1"})");
  // Redis holds the expiry itself (TTL of the key, read with a client of our own).
  client probe(config_for(server));
  auto ttl = wait_for<result>([&](auto done) { probe.command({"TTL", "t.abc"}, done); });
  EXPECT_GE(ttl.value.integer, 59);
  EXPECT_LE(ttl.value.integer, 60);
  wait_for<app::store_result>([&](auto done) { store.save("short", "x", 1, done); });
  std::this_thread::sleep_for(1100ms);
  EXPECT_EQ(load(store, "short").status, app::store_status::not_found);  // Redis expired it
  auto erased = wait_for<app::store_result>([&](auto done) { store.erase("abc", done); });
  EXPECT_TRUE(erased.ok());
  EXPECT_EQ(load(store, "abc").status, app::store_status::not_found);
}

TEST(RedisSessionStore, TwoManagersOnOneRedisShareSessions) {
  redis_server server;
  redis_session_store store_a(config_for(server)), store_b(config_for(server));
  const std::string key(32, 'k');
  app::session_manager a(store_a, app::cookie_signer({key}));
  app::session_manager b(store_b, app::cookie_signer({key}));
  std::vector<std::string_view> no_cookie;
  app::session s = wait_for<app::session_result>([&](auto done) { a.load(no_cookie, done); }).value;
  ASSERT_TRUE(s.fresh);
  s.values["visits"] = "1";
  app::save_result saved = wait_for<app::save_result>([&](auto done) { a.save(s, done); });
  ASSERT_TRUE(saved.ok()) << saved.error;
  std::string cookie = saved.set_cookie.substr(0, saved.set_cookie.find(';'));
  std::vector<std::string_view> fields{cookie};
  app::session_result on_b =
      wait_for<app::session_result>([&](auto done) { b.load(fields, done); });
  ASSERT_TRUE(on_b.ok()) << on_b.error;
  EXPECT_FALSE(on_b.value.fresh);
  EXPECT_EQ(on_b.value.id, s.id);
  EXPECT_EQ(on_b.value.values.at("visits"), "1");
}

TEST(RedisSessionStore, RedisGoneIsUnavailableWithTheReason) {
  redis_server server;
  redis_session_store store(config_for(server));
  EXPECT_EQ(load(store, "x").status, app::store_status::not_found);
  server.kill();
  std::this_thread::sleep_for(100ms);
  app::store_result r = load(store, "x");
  EXPECT_EQ(r.status, app::store_status::unavailable);
  EXPECT_NE(r.error.find("Redis: not connected: not connected to Redis:"), std::string::npos)
      << r.error;
  app::session_manager m(store, app::cookie_signer({std::string(32, 'k')}));
  app::session s;
  s.id = "abc";
  app::save_result saved = wait_for<app::save_result>([&](auto done) { m.save(s, done); });
  EXPECT_NE(saved.error.find("session store unavailable: Redis: not connected"), std::string::npos)
      << saved.error;
}

}  // namespace
}  // namespace httpcore::redis
