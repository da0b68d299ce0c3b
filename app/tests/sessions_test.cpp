// The in-memory session store (expiry by its clock, the bound on its size,
// the soonest-expiring evicted first) and the session manager over it: a
// fresh session, the same one back with its signed cookie, a fresh one for a
// tampered, unknown-key or expired cookie, a rotated key still accepted.

#include <gtest/gtest.h>

#include "httpcore/app/cookie.hpp"
#include "httpcore/app/sessions.hpp"

namespace httpcore::app {
namespace {

session_options with_ttl(std::int64_t ttl_s) {
  session_options o;
  o.ttl_s = ttl_s;
  return o;
}

struct fake_clock {
  std::int64_t now = 1'000'000;
  std::function<std::int64_t()> fn() {
    return [this] { return now; };
  }
};

store_result load(session_store& s, const std::string& id) {
  store_result out;
  bool called = false;
  s.load(id, [&](store_result r) { out = std::move(r), called = true; });
  EXPECT_TRUE(called) << "the memory store answers before returning";
  return out;
}

void save(session_store& s, const std::string& id, const std::string& data, std::int64_t ttl) {
  bool called = false;
  s.save(id, data, ttl, [&](store_result r) {
    EXPECT_TRUE(r.ok());
    called = true;
  });
  EXPECT_TRUE(called);
}

TEST(MemoryStore, ExpiresByItsClock) {
  fake_clock clock;
  memory_session_store store({.max_sessions = 10, .now_us = clock.fn()});
  save(store, "a", "data-a", 10);
  EXPECT_EQ(load(store, "a").data, "data-a");
  clock.now += 9'999'999;
  EXPECT_TRUE(load(store, "a").ok());
  clock.now += 1;  // exactly 10 s after the save
  EXPECT_EQ(load(store, "a").status, store_status::not_found);
  EXPECT_EQ(store.size(), 0u);  // dropped when found expired
  EXPECT_EQ(load(store, "never").status, store_status::not_found);
}

TEST(MemoryStore, SavingAgainExtendsAndReplaces) {
  fake_clock clock;
  memory_session_store store({.max_sessions = 10, .now_us = clock.fn()});
  save(store, "a", "one", 10);
  clock.now += 8'000'000;
  save(store, "a", "two", 10);
  clock.now += 8'000'000;  // 16 s after the first save, 8 after the second
  EXPECT_EQ(load(store, "a").data, "two");
  EXPECT_EQ(store.size(), 1u);
  bool erased = false;
  store.erase("a", [&](store_result r) { erased = r.ok(); });
  EXPECT_TRUE(erased);
  EXPECT_EQ(load(store, "a").status, store_status::not_found);
}

TEST(MemoryStore, BoundedExpiredFirstThenSoonestToExpire) {
  fake_clock clock;
  memory_session_store store({.max_sessions = 3, .now_us = clock.fn()});
  save(store, "short", "s", 1);
  save(store, "long", "l", 100);
  save(store, "mid", "m", 50);
  clock.now += 2'000'000;  // "short" has expired
  save(store, "d", "d", 100);
  EXPECT_EQ(store.size(), 3u);
  EXPECT_EQ(store.evicted(), 0u);  // the expired one made room
  save(store, "e", "e", 100);      // full of live ones: "mid" expires soonest
  EXPECT_EQ(store.size(), 3u);
  EXPECT_EQ(store.evicted(), 1u);
  EXPECT_EQ(load(store, "mid").status, store_status::not_found);
  EXPECT_TRUE(load(store, "long").ok());
  EXPECT_TRUE(load(store, "e").ok());
  for (int i = 0; i < 1000; ++i) save(store, std::to_string(i) + "k", "x", 100);
  EXPECT_EQ(store.size(), 3u);
}

// The manager, driven with Cookie field values as a client would send them.
struct harness {
  fake_clock clock;
  memory_session_store store{{.max_sessions = 100, .now_us = clock.fn()}};

  static session_result load(const session_manager& m, std::vector<std::string_view> fields) {
    session_result out;
    m.load(fields, [&](session_result r) { out = std::move(r); });
    return out;
  }
  static save_result save(const session_manager& m, const session& s) {
    save_result out;
    m.save(s, [&](save_result r) { out = std::move(r); });
    return out;
  }
  // "name=value" of a Set-Cookie field: what the client sends back.
  static std::string cookie_of(const std::string& set_cookie) {
    return set_cookie.substr(0, set_cookie.find(';'));
  }
};

TEST(SessionManager, FreshThenTheSameSessionBack) {
  harness h;
  session_manager m(h.store, cookie_signer({std::string(32, 'k')}), with_ttl(60));
  session_result first = harness::load(m, {});
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first.value.fresh);
  EXPECT_EQ(first.value.id.size(), 43u);
  first.value.values["visits"] = "1";
  save_result saved = harness::save(m, first.value);
  ASSERT_TRUE(saved.ok()) << saved.error;
  EXPECT_EQ(saved.set_cookie.substr(0, 17), "httpcore_session=");
  EXPECT_NE(saved.set_cookie.find("; Max-Age=60; Path=/; HttpOnly; SameSite=Lax"),
            std::string::npos)
      << saved.set_cookie;

  std::string cookie = harness::cookie_of(saved.set_cookie);
  std::string field = "other=1; " + cookie;
  session_result again = harness::load(m, {field});
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again.value.fresh);
  EXPECT_EQ(again.value.id, first.value.id);
  EXPECT_EQ(again.value.values.at("visits"), "1");
  // HTTP/2 may split the Cookie field: the session cookie in a second one.
  session_result split = harness::load(m, {"other=1", cookie});
  EXPECT_EQ(split.value.id, first.value.id);
}

TEST(SessionManager, TamperedUnknownKeyAndExpiredCookiesStartOver) {
  harness h;
  const std::string key_a(32, 'a'), key_b(32, 'b');
  session_manager m(h.store, cookie_signer({key_a}), with_ttl(60));
  session s = harness::load(m, {}).value;
  s.values["visits"] = "7";
  std::string cookie = harness::cookie_of(harness::save(m, s).set_cookie);

  std::string tampered = cookie;
  tampered[20] = tampered[20] == 'A' ? 'B' : 'A';  // a byte of the id
  session_result t = harness::load(m, {tampered});
  EXPECT_TRUE(t.value.fresh);
  EXPECT_NE(t.value.id, s.id);
  EXPECT_TRUE(t.value.values.empty());

  session_manager other_key(h.store, cookie_signer({key_b}), with_ttl(60));
  EXPECT_TRUE(harness::load(other_key, {cookie}).value.fresh);

  session_manager rotated(h.store, cookie_signer({key_b, key_a}), with_ttl(60));
  session_result r = harness::load(rotated, {cookie});
  EXPECT_FALSE(r.value.fresh);
  EXPECT_EQ(r.value.values.at("visits"), "7");

  h.clock.now += 61'000'000;
  session_result expired = harness::load(m, {cookie});
  EXPECT_TRUE(expired.value.fresh);
  EXPECT_NE(expired.value.id, s.id);
}

TEST(SessionManager, BadOptionsAndOversizedData) {
  harness h;
  cookie_signer signer({std::string(32, 'k')});
  EXPECT_THROW(session_manager(h.store, signer,
                               [] {
                                 session_options o;
                                 o.cookie_name = "bad name";
                                 return o;
                               }()),
               std::invalid_argument);
  EXPECT_THROW(session_manager(h.store, signer, with_ttl(0)), std::invalid_argument);
  session_options none;
  none.site = same_site::none;  // without Secure
  EXPECT_THROW(session_manager(h.store, signer, none), std::invalid_argument);

  session_options small;
  small.max_data_bytes = 64;
  session_manager m(h.store, signer, small);
  session s = harness::load(m, {}).value;
  s.values["big"] = std::string(100, 'x');
  save_result r = harness::save(m, s);
  EXPECT_EQ(r.error, "session data: 110 bytes, more than 64");
  EXPECT_EQ(h.store.size(), 0u);

  session ok = harness::load(m, {}).value;
  ASSERT_TRUE(harness::save(m, ok).ok());
  save_result gone;
  m.destroy(ok, [&](save_result d) { gone = std::move(d); });
  EXPECT_EQ(gone.set_cookie, "httpcore_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(h.store.size(), 0u);
}

}  // namespace
}  // namespace httpcore::app
