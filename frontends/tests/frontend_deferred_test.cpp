// Deferred responses (response::defer()) over real loopback sockets, on every
// front end: a thousand answers pending at once on one event loop while that
// loop goes on serving other requests, answered from another thread; and the
// exchange's duration measured with the time of the step that finished it.

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "httpcore/frontend.hpp"
#include "support/frontend_fixture.hpp"

namespace httpcore::test {
namespace {

using namespace std::chrono_literals;

// /held keeps its response for the test to answer; /sleep?ms=N answers from a
// thread of its own after N ms; /elsewhere is answered by another thread
// while the handler still runs, which drops its own copy of the handle last,
// on the loop thread; anything else answers at once.
class deferring_handler : public server::handler {
 public:
  void on_request(const server::request& req, server::response& res) override {
    std::string target(req.target());
    if (target.starts_with("/held")) {
      auto later = res.defer();
      std::lock_guard lock(m_);
      held_.push_back({std::move(later), target});
      return;
    }
    if (target == "/elsewhere") {
      auto later = res.defer();
      // The thread's copy is gone when join() returns: `later` is the last.
      std::thread([copy = later] { copy->send(200, "elsewhere"); }).join();
      return;
    }
    if (target.starts_with("/sleep?ms=")) {
      int ms = std::stoi(target.substr(10));
      std::thread([later = res.defer(), ms] {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms));
        later->send(200, "slept");
      }).detach();
      return;
    }
    res.send(200, "fast");
  }
  void on_complete(const summary& s) override {
    std::lock_guard lock(m_);
    durations_.push_back({std::string(s.target), s.duration_us});
  }

  std::size_t held() {
    std::lock_guard lock(m_);
    return held_.size();
  }
  // Answers every held response from this (non-loop) thread, each with its target.
  void answer_all() {
    std::vector<std::pair<std::shared_ptr<server::deferred_response>, std::string>> held;
    {
      std::lock_guard lock(m_);
      held.swap(held_);
    }
    for (auto& [later, target] : held) later->send(200, target);
  }
  std::vector<std::pair<std::string, std::int64_t>> durations() {
    std::lock_guard lock(m_);
    return durations_;
  }

 private:
  std::mutex m_;
  std::vector<std::pair<std::shared_ptr<server::deferred_response>, std::string>> held_;
  std::vector<std::pair<std::string, std::int64_t>> durations_;
};

class deferred_test : public frontend_test {
 protected:
  void start_deferring(server_options o) {
    fe_ = make_frontend(GetParam());
    ASSERT_NE(fe_, nullptr);
    fe_->start(deferring_, o);
  }
  void TearDown() override {
    deferring_.answer_all();  // a failed test must not leave responses pending at stop()
    frontend_test::TearDown();
  }
  deferring_handler deferring_;
};

// Enough descriptors for both ends of `n` loopback connections.
void allow_descriptors(std::size_t n) {
  rlimit lim{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &lim), 0);
  rlim_t want = 2 * n + 256;
  if (lim.rlim_cur < want) {
    ASSERT_GE(lim.rlim_max, want) << "the hard descriptor limit is too low for this test";
    lim.rlim_cur = want;
    ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &lim), 0);
  }
}

// One event loop holds 1,000 pending responses and still answers other
// requests at once; then another thread answers the thousand. The threads
// front end holds a worker per pending response (as a blocking handler
// would), so there it is as many as it has workers, minus one for the others.
TEST_P(deferred_test, ManyPendingOnOneLoopWhileOthersAreServed) {
  const bool pool = GetParam() == "threads";
  auto o = options();
  o.threads = pool ? 16 : 1;
  const std::size_t pending = pool ? 15 : 1000;
  allow_descriptors(pending);
  start_deferring(o);

  std::vector<std::unique_ptr<test_client>> clients;
  clients.reserve(pending);
  for (std::size_t i = 0; i < pending; ++i) {
    clients.push_back(std::make_unique<test_client>(port()));
    ASSERT_TRUE(clients.back()->send(get("/held/" + std::to_string(i))));
  }
  ASSERT_TRUE(eventually([&] { return deferring_.held() == pending; }, 20s))
      << deferring_.held() << " of " << pending << " reached the handler";

  // The loop is free: a new connection's requests are answered meanwhile.
  test_client other(port());
  auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(other.send(get("/fast")));
    auto r = other.read_response();
    ASSERT_TRUE(r) << "request " << i << " while " << pending << " are pending";
    EXPECT_EQ(r->body, "fast");
  }
  auto fast_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  EXPECT_LT(fast_ms, 2000ms);
  EXPECT_EQ(deferring_.held(), pending) << "none was answered yet";

  deferring_.answer_all();
  for (std::size_t i = 0; i < pending; ++i) {
    auto r = clients[i]->read_response();
    ASSERT_TRUE(r) << "pending response " << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "/held/" + std::to_string(i));
  }
  // Each connection goes on with its next request as usual.
  ASSERT_TRUE(clients[0]->send(get("/fast")));
  auto r = clients[0]->read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "fast");
}

// A handler answering 200 ms later from a thread of its own: the summary's
// duration is the exchange's, measured with the time the loop read when it
// ran the step (the session reads no clock).
TEST_P(deferred_test, DurationCoversTheDeferredAnswer) {
  start_deferring(options());
  test_client c(port());
  ASSERT_TRUE(c.send(get("/sleep?ms=200")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "slept");
  ASSERT_TRUE(eventually([&] { return !deferring_.durations().empty(); }));
  auto d = deferring_.durations();
  EXPECT_EQ(d[0].first, "/sleep?ms=200");
  EXPECT_GE(d[0].second, 200'000);
  EXPECT_LT(d[0].second, 5'000'000);
}

// Another thread answers (its step waits in the loop's mailbox) and the
// handler then drops the last copy of the handle on the loop thread: the
// release must not overtake the answer (it used to, and sent a 500 first).
TEST_P(deferred_test, LastCopyDroppedOnTheLoopDoesNotOvertakeTheAnswer) {
  start_deferring(options());
  test_client c(port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send(get("/elsewhere")));
    auto r = c.read_response();
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->status, 200) << "request " << i;
    EXPECT_EQ(r->body, "elsewhere");
  }
}

// A response nobody answers is ended by the session's timeout, not held forever.
TEST_P(deferred_test, UnansweredTimesOutWith503) {
  auto o = options();
  o.session.response_timeout_us = 300'000;
  start_deferring(o);
  test_client c(port());
  ASSERT_TRUE(c.send(get("/held/forgotten")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 503);
  EXPECT_TRUE(c.wait_closed());
}

INSTANTIATE_TEST_SUITE_P(frontends, deferred_test, ::testing::ValuesIn(frontend_names()),
                         frontend_test_name);

}  // namespace
}  // namespace httpcore::test
