// Every front end under clients that misbehave without sending a malformed
// byte (issue 16): silent, idle and slow clients must not keep new ones from
// being answered (finding 4), keep-alive clients under load must get every
// response (finding 7), and bodies and readers that trickle must be cut off at
// a minimum data rate (finding 5). Real loopback sockets; short configured
// timeouts keep each test to seconds. Labelled `robustness` (make robustness).

#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/frontend_fixture.hpp"

namespace httpcore::test {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

// How long a new client waits for GET /hello, or a failure saying why.
::testing::AssertionResult answered_within(std::uint16_t port, std::chrono::milliseconds limit) {
  auto began = clock_type::now();
  try {
    test_client c(port, static_cast<int>(limit.count()));
    if (!c.send(get("/hello"))) return ::testing::AssertionFailure() << "could not send";
    auto r = c.read_response();
    auto took = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - began);
    if (!r) return ::testing::AssertionFailure() << "no response within " << took.count() << " ms";
    if (r->status != 200) return ::testing::AssertionFailure() << "status " << r->status;
    if (took > limit) return ::testing::AssertionFailure() << "answered after " << took.count();
    return ::testing::AssertionSuccess() << "answered in " << took.count() << " ms";
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << e.what();
  }
}

// Room for `n` connections with both ends in this process; false if there is none.
bool raise_descriptor_limit(std::size_t n) {
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < 2 * n + 256) {
    lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, 2 * n + 256);
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
  return lim.rlim_cur >= 2 * n + 256;
}

TEST_P(frontend_test, SilentConnectionsDoNotStarveNewClients) {
  start();  // threads: 8 workers; before issue 16, 8 silent sockets held them all
  std::vector<std::unique_ptr<test_client>> silent;
  for (int i = 0; i < 64; ++i) silent.push_back(std::make_unique<test_client>(port()));
  ASSERT_TRUE(eventually([&] { return fe_->stats().connections == 64; }));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(answered_within(port(), 1000ms));
}

TEST_P(frontend_test, ThousandsOfIdleConnectionsDoNotStarveNewClients) {
  constexpr std::size_t kIdle = 3000;
  ASSERT_TRUE(raise_descriptor_limit(kIdle)) << "RLIMIT_NOFILE too low for the test";
  start();
  std::vector<std::unique_ptr<test_client>> idle;
  for (std::size_t i = 0; i < kIdle; ++i) {
    idle.push_back(std::make_unique<test_client>(port()));
    // Every other one has had an exchange: a keep-alive connection between requests.
    if (i % 2 == 0) {
      ASSERT_TRUE(idle.back()->send(get("/hello")));
    }
  }
  for (std::size_t i = 0; i < kIdle; i += 2) {
    ASSERT_TRUE(idle[i]->read_response()) << i;
  }
  ASSERT_TRUE(eventually([&] { return fe_->stats().connections == kIdle; }));
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(answered_within(port(), 1000ms));
}

TEST_P(frontend_test, SlowHeadsAndBodiesDoNotStarveNewClients) {
  start();
  std::vector<std::unique_ptr<test_client>> slow;
  for (int i = 0; i < 16; ++i) {  // slowloris: a head that never ends
    slow.push_back(std::make_unique<test_client>(port()));
    ASSERT_TRUE(slow.back()->send("GET /hello HTTP/1.1\r\nHost: t\r\n"));
  }
  for (int i = 0; i < 16; ++i) {  // a body that never ends
    slow.push_back(std::make_unique<test_client>(port()));
    ASSERT_TRUE(
        slow.back()->send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n"));
  }
  std::atomic<bool> done{false};
  std::thread trickle([&] {  // one byte each every 100 ms: progress, slowly
    while (!done) {
      for (auto& c : slow) c->send(c.get() < slow[16].get() ? "X" : "b");
      std::this_thread::sleep_for(100ms);
    }
  });
  auto until = clock_type::now() + 2s;
  while (clock_type::now() < until) {
    EXPECT_TRUE(answered_within(port(), 1000ms));
    std::this_thread::sleep_for(100ms);
  }
  done = true;
  trickle.join();
}

// Finding 7: a server never closes a connection after reading a request it has
// not answered (unless it answers 503 or 408 first). Each client counts the
// requests it sent that got neither a response nor a Connection: close before.
TEST_P(frontend_test, KeepAliveClientsUnderLoadGetEveryResponse) {
  constexpr int kClients = 64, kRequests = 60;
  start();
  std::atomic<int> answered{0}, lost{0}, wrong{0};
  std::vector<std::thread> clients;
  for (int id = 0; id < kClients; ++id) {
    clients.emplace_back([&, id] {
      std::unique_ptr<test_client> c;
      for (int i = 0; i < kRequests; ++i) {
        if (!c) c = std::make_unique<test_client>(port());
        std::string body = "client " + std::to_string(id) + " request " + std::to_string(i);
        if (!c->send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                     std::to_string(body.size()) + "\r\n\r\n" + body)) {
          ++lost;  // the connection was closed under a request we had not sent yet
          c.reset();
          continue;
        }
        auto r = c->read_response();
        if (!r) {
          ++lost;
          c.reset();
          continue;
        }
        ++answered;
        if (r->status != 200 || r->body != body) ++wrong;
        if (r->header("Connection") == "close") c.reset();
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(lost.load(), 0) << "requests that got EOF without a response";
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(answered.load(), kClients * kRequests);
}

// Finding 5: one byte every 250 ms resets a body inactivity timeout forever;
// the minimum rate (100 bytes/s after a 1 s grace) cuts it off with a 408.
TEST_P(frontend_test, SlowBodyIsCutOffAtTheMinimumRateWith408) {
  auto o = options();
  o.session.min_body_rate = 100;
  o.session.rate_grace_us = 1'000'000;
  start(o);
  test_client c(port());
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 100000\r\n\r\n"));
  auto began = clock_type::now();
  bool answered = false;
  while (clock_type::now() - began < 8s) {
    pollfd p{c.fd(), POLLIN, 0};
    if (::poll(&p, 1, 250) > 0) {
      answered = true;
      break;
    }
    if (!c.send("b")) break;
  }
  auto took = clock_type::now() - began;
  ASSERT_TRUE(answered) << "a 4 bytes/s body was never cut off";
  EXPECT_GE(took, 900ms);
  EXPECT_LT(took, 3s);
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_TRUE(c.wait_closed());
}

// Finding 5, the other way: a client that reads our response far below the
// minimum send rate is cut off, although it keeps reading (which resets the
// write inactivity timeout every time).
TEST_P(frontend_test, SlowReaderIsCutOffAtTheMinimumSendRate) {
  auto o = options();
  o.session.min_send_rate = 8u << 20;  // 8 MiB/s: the socket buffers give a second's credit
  o.session.rate_grace_us = 1'000'000;
  start(o);
  constexpr std::size_t kSize = 64u << 20;
  test_client c(port());
  ASSERT_TRUE(c.send(get("/big?" + std::to_string(kSize))));
  std::size_t got = 0;
  auto began = clock_type::now();
  while (clock_type::now() - began < 4s) {  // about 20 KB/s
    got += c.read_some(1000);
    std::this_thread::sleep_for(50ms);
  }
  // Whatever was sent before the cut-off is still in the socket buffers; the
  // server has closed, so reading at full speed now ends early.
  EXPECT_TRUE(c.wait_closed());
  got += c.leftover().size();
  EXPECT_LT(got, kSize) << "the slow reader got the whole response";
  EXPECT_TRUE(eventually([&] { return fe_->stats().connections == 0; }));
}

INSTANTIATE_TEST_SUITE_P(frontends, frontend_test, ::testing::ValuesIn(frontend_names()),
                         frontend_test_name);

// The threads front end only: when every worker is stuck in a handler, a new
// client gets the canned 503 soon instead of waiting in a queue for as long
// as the handlers take (an event loop blocked in a handler has no such answer).
TEST(ThreadsFrontend, APoolStuckInHandlersAnswers503Quickly) {
  test_handler handler;
  auto fe = make_frontend("threads");
  if (!fe) GTEST_SKIP() << "the threads front end is not built here";
  server_options o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.threads = 2;
  fe->start(handler, o);
  test_client a(fe->port()), b(fe->port());
  ASSERT_TRUE(a.send(get("/block")));
  ASSERT_TRUE(b.send(get("/block")));
  ASSERT_TRUE(handler.entered.wait());
  std::this_thread::sleep_for(100ms);  // both workers in the handler
  auto began = clock_type::now();
  test_client late(fe->port(), 5000);
  ASSERT_TRUE(late.send(get("/hello")));
  auto r = late.read_response();
  auto took = clock_type::now() - began;
  handler.release.open();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_LT(took, 2500ms);
  EXPECT_GE(fe->stats().rejected_overload, 1u);
  for (test_client* c : {&a, &b}) {  // the stuck exchanges still finish
    auto ok = c->read_response();
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->status, 200);
  }
  fe->stop();
}

}  // namespace
}  // namespace httpcore::test
