// Every refused request gets its status over a real socket on every front
// end, whatever came before it on the connection: after a good exchange,
// among pipelined requests, and behind large responses still being written.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/frontend_fixture.hpp"

namespace httpcore::test {
namespace {

struct bad_request {
  const char* name;
  std::string bytes;  // a whole request, or the start of one that stalls (408)
  int status;
};

std::vector<bad_request> bad_requests() {
  return {
      {"invalid_header_name", "GET / HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n", 400},
      {"cl_te",
       "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
       "0\r\n\r\n",
       400},
      {"head_too_large", "GET / HTTP/1.1\r\nHost: t\r\nX: " + std::string(20000, 'x') + "\r\n\r\n",
       431},
      {"unsupported_version", "GET / HTTP/1.2\r\nHost: t\r\n\r\n", 505},
      {"unknown_transfer_coding",
       "POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n", 501},
      {"stalled_head", "GET / HTTP/1.1\r\nHost: t\r\nX-Slow:", 408},
      {"missing_host", "GET / HTTP/1.1\r\nX: y\r\n\r\n", 400},
      {"duplicate_host", "GET / HTTP/1.1\r\nHost: t\r\nHost: t\r\n\r\n", 400},
      {"invalid_host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
  };
}

// A head timeout short enough for the stalled head, long enough for the rest.
server_options with_short_head_timeout(server_options o) {
  o.session.head_timeout_us = 300'000;
  return o;
}

// Reads the error response and the close after it; nothing else may come.
void expect_refused_then_closed(test_client& c, int status) {
  auto r = c.read_response();
  ASSERT_TRUE(r) << "no response: a silent close";
  EXPECT_EQ(r->status, status);
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_EQ(r->header("Content-Length"), "0");
  EXPECT_TRUE(c.wait_closed());
  EXPECT_EQ(c.leftover(), "");
}

TEST_P(frontend_test, AnErrorAfterAGoodExchangeGetsItsStatus) {
  start(with_short_head_timeout(options()));
  for (const bad_request& bad : bad_requests()) {
    SCOPED_TRACE(bad.name);
    test_client c(port());
    ASSERT_TRUE(c.send(get("/hello")));
    auto first = c.read_response();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200);
    ASSERT_TRUE(c.send(bad.bytes));
    expect_refused_then_closed(c, bad.status);
  }
}

TEST_P(frontend_test, AnErrorPipelinedBehindAGoodRequestGetsItsStatus) {
  start(with_short_head_timeout(options()));
  for (const bad_request& bad : bad_requests()) {
    SCOPED_TRACE(bad.name);
    test_client c(port());
    ASSERT_TRUE(c.send(get("/hello") + bad.bytes));
    auto first = c.read_response();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200);
    expect_refused_then_closed(c, bad.status);
  }
}

TEST_P(frontend_test, HundredPipelinedWithABadFiftiethGet49AnswersThenThe400) {
  start();
  std::string requests;
  for (int i = 1; i <= 100; ++i)
    requests += i == 50 ? "GET /50 HTTP/1.1\r\nHost: t\r\nBad Name: x\r\n\r\n"
                        : get("/target/" + std::to_string(i));
  test_client c(port());
  ASSERT_TRUE(c.send(requests));
  for (int i = 1; i < 50; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << "response " << i;
    ASSERT_EQ(r->status, 200);
    ASSERT_EQ(r->body, "/target/" + std::to_string(i));
  }
  expect_refused_then_closed(c, 400);
}

// 3 MiB of responses are still being written (the client reads only after
// sending everything) when the bad request is parsed: they go out whole and
// in order, then the 400, then the close.
TEST_P(frontend_test, AnErrorWaitsBehindLargeResponsesStillBeingWritten) {
  start();
  std::string requests;
  for (int i = 0; i < 12; ++i) requests += get("/big?262144");
  requests += "GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n";
  test_client c(port());
  ASSERT_TRUE(c.send(requests));
  for (int i = 0; i < 12; ++i) {
    auto r = c.read_response();
    ASSERT_TRUE(r) << "response " << i;
    ASSERT_EQ(r->status, 200);
    ASSERT_EQ(r->body.size(), 262144u);
  }
  expect_refused_then_closed(c, 400);
}

INSTANTIATE_TEST_SUITE_P(frontends, frontend_test, ::testing::ValuesIn(frontend_names()),
                         frontend_test_name);

}  // namespace
}  // namespace httpcore::test
