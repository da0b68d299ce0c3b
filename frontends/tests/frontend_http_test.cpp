// HTTP behaviour through real loopback sockets, for every front end: the
// same rows pass everywhere because the protocol lives in the core session.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <thread>

#include "support/frontend_fixture.hpp"

namespace httpcore::test {
namespace {

// The threads a front end reports are the threads it runs: the process has
// that many more while it serves, and they are gone after stop().
TEST_P(frontend_test, ReportsItsThreadCount) {
  auto tasks = [] {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& t : std::filesystem::directory_iterator("/proc/self/task"))
      ++n;
    return n;
  };
  EXPECT_EQ(make_frontend(GetParam())->stats().threads, 0u);
  const std::size_t before = tasks();
  auto o = options();
  start(o);
  const std::size_t reported = fe_->stats().threads;
  // Event loops: one thread each; the pool: its workers and the acceptor.
  EXPECT_EQ(reported, GetParam() == "threads" ? o.threads + 1 : o.threads);
  EXPECT_EQ(tasks() - before, reported);
  fe_->stop();
  EXPECT_EQ(fe_->stats().threads, 0u);
  EXPECT_TRUE(eventually([&] { return tasks() == before; }));
}

TEST_P(frontend_test, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  test_client c(port());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(c.send(get("/hello")));
    auto r = c.read_response();
    ASSERT_TRUE(r) << "request " << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "Hello, World!");
    EXPECT_EQ(r->header("Connection"), "");
    EXPECT_EQ(r->header("Date").size(), 29u) << "an IMF-fixdate from the front end's clock";
  }
  EXPECT_EQ(fe_->stats().connections, 1u);
  EXPECT_EQ(fe_->stats().accepted, 1u);
}

// Regression: the session once reported an empty method and target to
// on_complete for a request without a body (it read a parser result that was
// out of scope by then).
TEST_P(frontend_test, CompletedExchangesAreSummarisedWithTheirRequest) {
  start();
  test_client c(port());
  ASSERT_TRUE(
      c.send(get("/hello") + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi"));
  ASSERT_TRUE(c.read_response());
  ASSERT_TRUE(c.read_response());
  ASSERT_TRUE(eventually([&] { return handler_.completions().size() == 2; }));
  auto done = handler_.completions();
  EXPECT_EQ(done[0].method, "GET");
  EXPECT_EQ(done[0].target, "/hello");
  EXPECT_EQ(done[1].method, "POST");
  EXPECT_EQ(done[1].target, "/echo");
}

TEST_P(frontend_test, SixteenPipelinedRequestsInOneWriteAreAnsweredInOrder) {
  start();
  test_client c(port());
  std::string burst;
  for (int i = 0; i < 16; ++i) burst += get("/target/" + std::to_string(i));
  ASSERT_TRUE(c.send(burst));
  for (int i = 0; i < 16; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << "response " << i;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "/target/" + std::to_string(i));
  }
}

TEST_P(frontend_test, ChunkedUploadIsReassembled) {
  start();
  test_client c(port());
  ASSERT_TRUE(c.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const char* pieces[] = {"5\r\nhello\r\n", "1\r\n \r\n", "6;ext=1\r\nchunks\r\n", "0\r\n\r\n"};
  for (const char* p : pieces) {
    ASSERT_TRUE(c.send(p));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));  // separate reads
  }
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello chunks");
}

TEST_P(frontend_test, ExpectContinueGetsInterimResponseBeforeTheBody) {
  start();
  test_client c(port());
  ASSERT_TRUE(
      c.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
             "Content-Length: 5\r\n\r\n"));
  auto interim = c.read_response();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.send("abcde"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "abcde");
}

TEST_P(frontend_test, TenMebibytesStreamBothWays) {
  start();
  constexpr std::size_t kSize = 10u << 20;
  std::string body(kSize, '\0');
  for (std::size_t i = 0; i < kSize; ++i) body[i] = static_cast<char>('a' + i % 23);
  test_client c(port(), 30'000);
  // Upload and download at once: the server stops reading while its output
  // queue is full, so a client that only wrote would deadlock.
  std::thread writer([&] {
    c.send("POST /stream HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(kSize) +
           "\r\n\r\n");
    c.send(body);
  });
  auto r = c.read_response();
  writer.join();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("Transfer-Encoding"), "chunked");
  ASSERT_EQ(r->body.size(), kSize);
  EXPECT_TRUE(r->body == body);
}

TEST_P(frontend_test, MalformedRequestGets400AndCloseWhileOthersAreServed) {
  start();
  test_client good(port());
  ASSERT_TRUE(good.send(get("/hello")));
  ASSERT_TRUE(good.read_response());

  test_client bad(port());
  ASSERT_TRUE(bad.send("GET / HTTP/1.1\r\nHost: t\r\nBad Header: x\r\n\r\n"));
  auto r = bad.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_TRUE(bad.wait_closed());

  ASSERT_TRUE(good.send(get("/hello")));
  auto again = good.read_response();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200);
}

TEST_P(frontend_test, DeclinedUpgradeKeepsSpeakingHttp1) {
  start();
  test_client c(port());
  ASSERT_TRUE(
      c.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: upgrade\r\n"
             "Upgrade: websocket\r\n\r\n"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  ASSERT_TRUE(c.send(get("/hello")));
  EXPECT_TRUE(c.read_response());
}

TEST_P(frontend_test, AcceptedUpgradeIsAnsweredThenTheConnectionCloses) {
  start();
  test_client c(port());
  // No protocol after HTTP/1 is served yet: the front end closes after the 101.
  ASSERT_TRUE(
      c.send("GET /upgrade HTTP/1.1\r\nHost: t\r\nConnection: upgrade\r\n"
             "Upgrade: websocket\r\n\r\nbytes of the next protocol"));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 101);
  EXPECT_TRUE(c.wait_closed());
  EXPECT_TRUE(eventually([&] { return fe_->stats().connections == 0; }));
}

TEST_P(frontend_test, HandlerThatThrowsLosesOnlyItsConnection) {
  start();
  test_client other(port());
  ASSERT_TRUE(other.send(get("/hello")));
  ASSERT_TRUE(other.read_response());
  test_client c(port());
  ASSERT_TRUE(c.send(get("/throw")));
  EXPECT_TRUE(c.wait_closed());
  ASSERT_TRUE(other.send(get("/hello")));
  auto r = other.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_TRUE(eventually([&] { return fe_->stats().connections == 1; }));
}

INSTANTIATE_TEST_SUITE_P(frontends, frontend_test, ::testing::ValuesIn(frontend_names()),
                         frontend_test_name);

}  // namespace
}  // namespace httpcore::test
