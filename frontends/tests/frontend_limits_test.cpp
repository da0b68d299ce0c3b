// Resource behaviour of every front end: the connection limit, deadlines,
// many connections at once, clients that vanish, and graceful shutdown.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>
#include <vector>

#include "support/frontend_fixture.hpp"

namespace httpcore::test {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

TEST_P(frontend_test, OverTheConnectionLimitGets503AndClose) {
  auto o = options();
  o.max_connections = 2;
  start(o);
  test_client a(port()), b(port());
  for (test_client* c : {&a, &b}) {  // both admitted and live
    ASSERT_TRUE(c->send(get("/hello")));
    ASSERT_TRUE(c->read_response());
  }
  test_client over(port());
  auto r = over.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(over.wait_closed());
  EXPECT_EQ(fe_->stats().rejected_overload, 1u);
  EXPECT_EQ(fe_->stats().connections, 2u);

  a.close();  // room again
  ASSERT_TRUE(eventually([&] { return fe_->stats().connections == 1; }));
  test_client next(port());
  ASSERT_TRUE(next.send(get("/hello")));
  auto ok = next.read_response();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
}

TEST_P(frontend_test, SlowLorisIsClosedAfterTheHeadTimeout) {
  auto o = options();
  o.session.head_timeout_us = 300'000;
  start(o);
  test_client c(port());
  ASSERT_TRUE(c.send("GET /hello HTTP/1.1\r\nHost: t\r\n"));
  auto began = clock_type::now();
  bool closed = false;
  // One header byte every 50 ms: progress, but never a whole head in time.
  while (clock_type::now() - began < 5s) {
    if (!c.send("X")) break;
    pollfd p{c.fd(), POLLIN, 0};
    if (::poll(&p, 1, 50) > 0) {
      closed = true;
      break;
    }
  }
  auto took = clock_type::now() - began;
  ASSERT_TRUE(closed) << "the server never gave up on the head";
  EXPECT_GE(took, 250ms);
  EXPECT_LT(took, 3s);
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 408);
  EXPECT_TRUE(c.wait_closed());
  EXPECT_TRUE(eventually([&] { return fe_->stats().connections == 0; }));
}

TEST_P(frontend_test, IdleKeepAliveClientsDoNotStarveNewOnes) {
  auto o = options();
  o.threads = 1;  // a single loop, or a single pool worker
  start(o);
  test_client idle(port());
  ASSERT_TRUE(idle.send(get("/hello")));
  ASSERT_TRUE(idle.read_response());
  auto began = clock_type::now();
  test_client next(port(), 3000);
  ASSERT_TRUE(next.send(get("/hello")));
  auto r = next.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_LT(clock_type::now() - began, 2s);
}

TEST_P(frontend_test, IdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
  auto o = options();
  o.session.idle_timeout_us = 200'000;
  start(o);
  test_client c(port());
  ASSERT_TRUE(c.send(get("/hello")));
  ASSERT_TRUE(c.read_response());
  auto began = clock_type::now();
  EXPECT_TRUE(c.wait_closed());
  EXPECT_LT(clock_type::now() - began, 3s);
}

// Regression: after a response larger than session_config::max_queued_output
// to a request without a body, the session once stayed in its `responding`
// phase (message_end was not resumed when the output drained): no idle
// deadline, no on_complete, and stop() waited out the drain timeout.
TEST_P(frontend_test, IdleTimeoutAppliesAfterALargeResponse) {
  auto o = options();
  o.session.idle_timeout_us = 200'000;
  start(o);
  test_client c(port());
  ASSERT_TRUE(c.send(get("/big?300000")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body.size(), 300000u);
  EXPECT_TRUE(eventually([&] { return handler_.completions().size() == 1; }, 1s));
  auto began = clock_type::now();
  EXPECT_TRUE(c.wait_closed());
  EXPECT_LT(clock_type::now() - began, 3s);
}

TEST_P(frontend_test, AThousandConcurrentConnectionsAreEachServed) {
  constexpr std::size_t kClients = 1000;
  rlimit lim{};
  ::getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur < 3 * kClients) {  // both ends of every connection live in this process
    lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, 4 * kClients);
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
  if (lim.rlim_cur < 2 * kClients + 64) GTEST_SKIP() << "RLIMIT_NOFILE too low: " << lim.rlim_cur;
  start();
  std::vector<std::unique_ptr<test_client>> clients;
  for (std::size_t i = 0; i < kClients; ++i)
    clients.push_back(std::make_unique<test_client>(port()));
  for (std::size_t i = 0; i < kClients; ++i)
    ASSERT_TRUE(clients[i]->send(get("/target/" + std::to_string(i))));
  for (std::size_t i = 0; i < kClients; ++i) {
    auto r = clients[i]->read_response();
    ASSERT_TRUE(r) << "client " << i;
    ASSERT_EQ(r->status, 200);
    ASSERT_EQ(r->body, "/target/" + std::to_string(i));
  }
  EXPECT_EQ(fe_->stats().accepted, kClients);
  clients.clear();
  EXPECT_TRUE(eventually([&] { return fe_->stats().connections == 0; }));
}

// Out of descriptors, the accept loop must neither spin nor leave clients
// hanging: the reserved descriptor is spent to accept and close each one.
// The limit drops before the front end starts, so that whatever it arms to
// accept is armed under the low limit (io_uring's accept reads the limit when
// armed; one armed earlier would not run out, and would hide a spin).
TEST_P(frontend_test, RunningOutOfDescriptorsDoesNotBusyLoop) {
  constexpr int kClients = 24;
  constexpr int kFree = 4;  // descriptors left to the server once it runs
  std::vector<int> socks;   // made before the limit drops: connect() needs no new descriptor
  for (int i = 0; i < kClients; ++i) socks.push_back(::socket(AF_INET, SOCK_STREAM, 0));
  int highest = 0;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/fd"))
    highest = std::max(highest, std::stoi(entry.path().filename().string()));
  rlimit saved{};
  ::getrlimit(RLIMIT_NOFILE, &saved);
  rlimit low = saved;
  low.rlim_cur = static_cast<rlim_t>(highest + 1 + 256);  // room to start the front end
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
  struct restore_limit {  // even when an assertion returns early
    rlimit saved;
    ~restore_limit() { ::setrlimit(RLIMIT_NOFILE, &saved); }
  } restore{saved};
  auto o = options();
  o.threads = 1;
  start(o);
  // Descriptors are numbered from the lowest free one: filling every free
  // one, then giving back kFree, leaves exactly kFree.
  std::vector<int> fillers;
  for (int fd; (fd = ::open("/dev/null", O_RDONLY)) >= 0;) fillers.push_back(fd);
  ASSERT_GE(fillers.size(), static_cast<std::size_t>(kFree));
  for (int i = 0; i < kFree; ++i) {
    ::close(fillers.back());
    fillers.pop_back();
  }

  rusage before{}, after{};
  ::getrusage(RUSAGE_SELF, &before);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int fd : socks) ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  std::this_thread::sleep_for(500ms);
  ::getrusage(RUSAGE_SELF, &after);
  auto cpu_us = [](const rusage& u) {
    return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1'000'000L + u.ru_utime.tv_usec +
           u.ru_stime.tv_usec;
  };
  long burned = cpu_us(after) - cpu_us(before);
  int dropped = 0;  // clients the server accepted and closed at once
  for (int fd : socks) {
    pollfd p{fd, POLLIN, 0};
    char byte;
    if (::poll(&p, 1, 0) > 0 && ::recv(fd, &byte, 1, MSG_DONTWAIT) <= 0) ++dropped;
  }
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &saved), 0);  // the fixture's clients need descriptors
  EXPECT_LT(burned, 250'000) << "CPU microseconds in 500 ms: the accept loop spins";
  EXPECT_GE(dropped, kClients / 2);

  for (int fd : socks) ::close(fd);
  for (int fd : fillers) ::close(fd);
  ASSERT_TRUE(eventually([&] { return fe_->stats().connections == 0; }));
  test_client c(port());  // descriptors again: served as usual
  ASSERT_TRUE(c.send(get("/hello")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
}

TEST_P(frontend_test, ClientVanishingMidResponseDoesNotDisturbOthers) {
  start();
  test_client other(port());
  for (int round = 0; round < 2; ++round) {
    test_client quitter(port());
    ASSERT_TRUE(quitter.send(get("/big?33554432")));  // 32 MiB: far more than the socket buffers
    ASSERT_GT(quitter.read_some(65536), 0u);
    round == 0 ? quitter.close() : quitter.reset();
    ASSERT_TRUE(other.send(get("/hello")));
    auto r = other.read_response();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
  }
  // The abandoned connections are gone; only `other` remains.
  EXPECT_TRUE(eventually([&] { return fe_->stats().connections == 1; }));
}

TEST_P(frontend_test, StopLetsTheRequestInFlightFinish) {
  start();
  test_client idle(port());
  ASSERT_TRUE(idle.send(get("/hello")));
  ASSERT_TRUE(idle.read_response());
  test_client busy(port());
  ASSERT_TRUE(busy.send(get("/block")));
  ASSERT_TRUE(handler_.entered.wait());

  std::thread stopper([&] { fe_->stop(); });
  // The blocked handler holds its thread (an epoll loop, which may also own
  // `idle`); stop() waits for it.
  std::this_thread::sleep_for(200ms);
  handler_.release.open();
  auto r = busy.read_response();
  stopper.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "released");
  EXPECT_EQ(r->header("Connection"), "") << "the response was written before the shutdown";
  EXPECT_TRUE(busy.wait_closed());
  EXPECT_TRUE(idle.wait_closed());
  EXPECT_EQ(idle.leftover(), "") << "an idle connection is closed without a response";
  EXPECT_EQ(fe_->stats().connections, 0u);
  EXPECT_THROW(test_client(port(), 1000), std::runtime_error) << "no longer listening";
}

TEST_P(frontend_test, StopCutsOffExchangesThatOutlastTheDrainTimeout) {
  auto o = options();
  o.drain_timeout_us = 200'000;
  start(o);
  test_client stalled(port());
  ASSERT_TRUE(stalled.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"));
  ASSERT_TRUE(eventually([&] { return fe_->stats().connections == 1; }));
  auto began = clock_type::now();
  fe_->stop();
  EXPECT_LT(clock_type::now() - began, 3s);
  EXPECT_TRUE(stalled.wait_closed());
  EXPECT_EQ(fe_->stats().connections, 0u);
}

INSTANTIATE_TEST_SUITE_P(frontends, frontend_test, ::testing::ValuesIn(frontend_names()),
                         frontend_test_name);

}  // namespace
}  // namespace httpcore::test
