// The Redis command client against a real redis-server started here: replies
// of every kind, Redis errors, order, callbacks on the client's thread, the
// queue's bounds, the reply deadline, a reply over its bound, Redis killed
// and restarted (the client recovers), nothing listening, and every callback
// called exactly once when the client goes away.

#include "httpcore/redis/redis_client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "redis_server.hpp"

namespace httpcore::redis {
namespace {

using namespace std::chrono_literals;
using testing::redis_server;

client_config config_for(const redis_server& r) {
  client_config c;
  c.port = r.port();
  c.reconnect = {.initial_us = 50'000, .max_us = 400'000};
  return c;
}

// Sends one command and waits (5 s at most) for its callback.
result run(client& c, std::vector<std::string> args) {
  auto p = std::make_shared<std::promise<result>>();
  auto f = p->get_future();
  c.command(std::move(args), [p](result r) { p->set_value(std::move(r)); });
  if (f.wait_for(5s) != std::future_status::ready) {
    ADD_FAILURE() << "no callback within 5 s";
    return {client_error::timeout, "test: no callback", {}};
  }
  return f.get();
}

// Retries PING until it is answered (the client reconnected), 5 s at most.
bool wait_until_answered(client& c) {
  auto until = std::chrono::steady_clock::now() + 5s;
  while (std::chrono::steady_clock::now() < until) {
    if (run(c, {"PING"}).ok()) return true;
    std::this_thread::sleep_for(20ms);
  }
  return false;
}

TEST(RedisClient, RepliesOfEveryKind) {
  redis_server server;
  client c(config_for(server));
  result set = run(c, {"SET", "k", std::string("a\0b\r\nc", 6)});
  ASSERT_TRUE(set.ok()) << set.message;
  EXPECT_EQ(set.value.type, reply::kind::status);
  EXPECT_EQ(set.value.str, "OK");
  result get = run(c, {"GET", "k"});
  EXPECT_EQ(get.value.type, reply::kind::string);
  EXPECT_EQ(get.value.str, std::string("a\0b\r\nc", 6));  // binary safe both ways
  EXPECT_EQ(run(c, {"GET", "missing"}).value.type, reply::kind::nil);
  result incr = run(c, {"INCRBY", "n", "41"});
  EXPECT_EQ(incr.value.type, reply::kind::integer);
  EXPECT_EQ(incr.value.integer, 41);
  run(c, {"RPUSH", "l", "x", "y"});
  result list = run(c, {"LRANGE", "l", "0", "-1"});
  ASSERT_EQ(list.value.type, reply::kind::array);
  ASSERT_EQ(list.value.elements.size(), 2u);
  EXPECT_EQ(list.value.elements[1].str, "y");
  // BITFIELD, as the canvas uses it: 4-bit cells.
  result bf = run(c, {"BITFIELD", "canvas", "SET", "u4", "#3", "9", "GET", "u4", "#3"});
  ASSERT_EQ(bf.value.elements.size(), 2u);
  EXPECT_EQ(bf.value.elements[0].integer, 0);
  EXPECT_EQ(bf.value.elements[1].integer, 9);
  EXPECT_EQ(c.stats().replies, 7u);  // SET GET GET INCRBY RPUSH LRANGE BITFIELD
}

TEST(RedisClient, RedisErrorsAndBadCommandsAreReportedPrecisely) {
  redis_server server;
  client c(config_for(server));
  run(c, {"SET", "k", "text"});
  result r = run(c, {"INCR", "k"});
  EXPECT_EQ(r.error, client_error::redis_error);
  EXPECT_EQ(r.message, "ERR value is not an integer or out of range");
  result unknown = run(c, {"NOSUCHCOMMAND"});
  EXPECT_EQ(unknown.error, client_error::redis_error);
  EXPECT_NE(unknown.message.find("unknown command"), std::string::npos) << unknown.message;
  result empty = run(c, {});
  EXPECT_EQ(empty.error, client_error::bad_command);
  EXPECT_EQ(c.stats().redis_errors, 2u);
  EXPECT_TRUE(run(c, {"PING"}).ok());  // the connection is fine after errors
  EXPECT_EQ(c.stats().connects, 1u);
}

TEST(RedisClient, CallbacksRunOnTheClientThreadInOrder) {
  redis_server server;
  client c(config_for(server));
  constexpr int kPerThread = 500;
  std::mutex m;
  std::vector<long long> seen[2];
  std::set<std::thread::id> callback_threads;
  std::atomic<int> left{2 * kPerThread};
  std::promise<void> all;
  auto send = [&](int who) {
    for (int i = 0; i < kPerThread; ++i)
      c.command({"RPUSH", "order" + std::to_string(who), std::to_string(i)}, [&, who](result r) {
        std::lock_guard lock(m);
        seen[who].push_back(r.value.integer);
        callback_threads.insert(std::this_thread::get_id());
        if (--left == 0) all.set_value();
      });
  };
  std::thread a(send, 0), b(send, 1);
  a.join(), b.join();
  ASSERT_EQ(all.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_EQ(callback_threads.size(), 1u);
  EXPECT_FALSE(callback_threads.contains(std::this_thread::get_id()));
  for (auto& s : seen) {
    ASSERT_EQ(s.size(), std::size_t{kPerThread});
    for (int i = 0; i < kPerThread; ++i) EXPECT_EQ(s[i], i + 1);  // RPUSH's length: in order
  }
  result last = run(c, {"LINDEX", "order1", "-1"});
  EXPECT_EQ(last.value.str, std::to_string(kPerThread - 1));
}

TEST(RedisClient, QueueBoundsRefuseAtOnce) {
  redis_server server;
  client_config cfg = config_for(server);
  cfg.max_queued_commands = 2;
  cfg.max_queued_bytes = 64;
  client c(cfg);
  ASSERT_TRUE(run(c, {"PING"}).ok());
  result big = run(c, {"SET", "k", std::string(100, 'x')});
  EXPECT_EQ(big.error, client_error::queue_full);
  EXPECT_NE(big.message.find("limits 2 and 64"), std::string::npos) << big.message;
  // Two commands held at Redis by a blocking pop fill the queue.
  std::promise<result> first, second;
  c.command({"BLPOP", "nothing", "1"}, [&](result r) { first.set_value(std::move(r)); });
  c.command({"PING"}, [&](result r) { second.set_value(std::move(r)); });
  result third = run(c, {"PING"});
  EXPECT_EQ(third.error, client_error::queue_full);
  EXPECT_EQ(first.get_future().get().value.type, reply::kind::nil);  // BLPOP timed out at Redis
  EXPECT_TRUE(second.get_future().get().ok());
  EXPECT_TRUE(run(c, {"PING"}).ok());  // room again
  client_stats s = c.stats();
  EXPECT_EQ(s.refused_queue_full, 2u);
  EXPECT_EQ(s.queued, 0u);
  EXPECT_EQ(s.queued_bytes, 0u);
}

TEST(RedisClient, ReplyDeadlineFailsTheCommandAndRemakesTheConnection) {
  redis_server server;
  client_config cfg = config_for(server);
  cfg.reply_timeout_us = 300'000;
  client c(cfg);
  ASSERT_TRUE(run(c, {"PING"}).ok());
  auto t0 = std::chrono::steady_clock::now();
  result slow = run(c, {"BLPOP", "nothing", "3"});  // Redis answers after 3 s
  auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(slow.error, client_error::timeout);
  EXPECT_EQ(slow.message, "no reply from Redis within 300 ms");
  EXPECT_GE(took, 290ms);
  EXPECT_LT(took, 1s);
  // The connection was remade: the late reply is never taken for this one.
  EXPECT_TRUE(wait_until_answered(c));
  result after = run(c, {"ECHO", "fresh"});
  EXPECT_EQ(after.value.str, "fresh");
  client_stats s = c.stats();
  EXPECT_EQ(s.timeouts, 1u);
  EXPECT_EQ(s.connects, 2u);
}

TEST(RedisClient, SilentRedisHitsTheDeadline) {
  redis_server server;
  client_config cfg = config_for(server);
  cfg.reply_timeout_us = 300'000;
  client c(cfg);
  ASSERT_TRUE(run(c, {"PING"}).ok());
  server.pause();
  result r = run(c, {"PING"});
  server.resume();
  EXPECT_EQ(r.error, client_error::timeout);
  EXPECT_TRUE(wait_until_answered(c));
}

TEST(RedisClient, RecoversWhenRedisIsKilledAndRestarted) {
  redis_server server;
  std::vector<std::string> lines;
  std::mutex m;
  client_config cfg = config_for(server);
  cfg.log = [&](std::string_view line) {
    std::lock_guard lock(m);
    lines.emplace_back(line);
  };
  client c(cfg);
  ASSERT_TRUE(run(c, {"SET", "k", "before"}).ok());
  server.kill();
  // Redis gone: refused at once, with why, until it is back.
  result down = run(c, {"GET", "k"});
  EXPECT_TRUE(down.error == client_error::not_connected ||
              down.error == client_error::connection_lost)
      << to_string(down.error);
  std::this_thread::sleep_for(100ms);
  result still = run(c, {"GET", "k"});
  EXPECT_EQ(still.error, client_error::not_connected);
  EXPECT_NE(still.message.find("next attempt in"), std::string::npos) << still.message;
  EXPECT_FALSE(c.stats().connected);

  auto t0 = std::chrono::steady_clock::now();
  server.start();
  ASSERT_TRUE(wait_until_answered(c));
  auto back =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  std::printf("reconnected %lld ms after redis-server answered\n",
              static_cast<long long>(back.count()));
  EXPECT_LT(back, 1s);  // the backoff is bounded by 400 ms here
  EXPECT_TRUE(run(c, {"SET", "k", "after"}).ok());
  EXPECT_EQ(run(c, {"GET", "k"}).value.str, "after");
  client_stats s = c.stats();
  EXPECT_TRUE(s.connected);
  EXPECT_EQ(s.connects, 2u);
  EXPECT_GE(s.connection_failures, 1u);
  std::lock_guard lock(m);
  ASSERT_GE(lines.size(), 3u);
  EXPECT_NE(lines[1].find("connection lost to 127.0.0.1:"), std::string::npos) << lines[1];
}

TEST(RedisClient, NothingListeningIsNotConnected) {
  std::uint16_t port;
  {
    redis_server gone;
    port = gone.port();
  }
  client_config cfg;
  cfg.port = port;
  client c(cfg);
  result r = run(c, {"PING"});
  EXPECT_EQ(r.error, client_error::not_connected);
  EXPECT_NE(r.message.find("refused"), std::string::npos) << r.message;
}

TEST(RedisClient, ReplyOverItsBoundDropsTheConnection) {
  redis_server server;
  client_config cfg = config_for(server);
  cfg.max_reply_bytes = 64u << 10;
  client c(cfg);
  ASSERT_TRUE(run(c, {"SET", "big", std::string(1u << 20, 'b')}).ok());
  result r = run(c, {"GET", "big"});
  EXPECT_EQ(r.error, client_error::connection_lost);
  EXPECT_NE(r.message.find("over 65536 bytes"), std::string::npos) << r.message;
  EXPECT_TRUE(wait_until_answered(c));
  EXPECT_EQ(run(c, {"STRLEN", "big"}).value.integer, 1 << 20);
}

TEST(RedisClient, EveryCallbackRunsOnceWhenTheClientGoes) {
  redis_server server;
  std::atomic<int> calls{0}, lost{0}, stopped{0};
  {
    client c(config_for(server));
    ASSERT_TRUE(run(c, {"PING"}).ok());
    for (int i = 0; i < 20; ++i)
      c.command({"BLPOP", "nothing", "5"}, [&](result r) {
        ++calls;
        if (r.error == client_error::connection_lost) ++lost;
        if (r.error == client_error::stopped) ++stopped;
      });
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(calls.load(), 20);
  EXPECT_EQ(lost.load() + stopped.load(), 20);
}

}  // namespace
}  // namespace httpcore::redis
