// Every refused request gets its status, whatever came before it on the
// connection: errors after earlier exchanges, among pipelined requests, and
// while earlier responses still wait in the output queue.

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "support/session_harness.hpp"

namespace httpcore::server {
namespace {

using namespace test;

constexpr std::string_view kHello = "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n";

// The status codes of the responses in `out`, in order (the test handler's
// bodies never contain "HTTP/1.1 ").
std::vector<int> statuses(std::string_view out) {
  std::vector<int> found;
  for (std::size_t at = 0; (at = out.find("HTTP/1.1 ", at)) != std::string_view::npos; at += 9)
    found.push_back(std::stoi(std::string(out.substr(at + 9, 3))));
  return found;
}

// The last response in `out` (from its status line on).
std::string_view last_response(std::string_view out) {
  std::size_t at = out.rfind("HTTP/1.1 ");
  return at == std::string_view::npos ? std::string_view() : out.substr(at);
}

struct bad_request {
  const char* name;
  std::string bytes;  // a whole request, or the start of one that stalls (408)
  int status;
};
void PrintTo(const bad_request& bad, std::ostream* os) {
  *os << bad.name;
}

std::vector<bad_request> bad_requests() {
  return {
      {"invalid_header_name", "GET / HTTP/1.1\r\nHost: a\r\nBad Name: x\r\n\r\n", 400},
      {"cl_te",
       "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
       "0\r\n\r\n",
       400},
      {"head_too_large", "GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(20000, 'x') + "\r\n\r\n",
       431},
      {"unsupported_version", "GET / HTTP/1.2\r\nHost: a\r\n\r\n", 505},
      {"unknown_transfer_coding",
       "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: foo, chunked\r\n\r\n0\r\n\r\n", 501},
      {"stalled_head", "GET / HTTP/1.1\r\nHost: a\r\nX-Slow:", 408},
      {"missing_host", "GET / HTTP/1.1\r\nX: y\r\n\r\n", 400},
      {"duplicate_host", "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", 400},
      {"invalid_host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400},
  };
}

class SessionErrorAfterAGoodExchange : public ::testing::TestWithParam<bad_request> {};

// The stalled head is given its head timeout; the others answer at once.
void expire_if_stalled(harness& t, const bad_request& bad) {
  if (bad.status != 408) return;
  t.now += t.config.head_timeout_us;
  t.s->on_timer(t.clock());
}

TEST_P(SessionErrorAfterAGoodExchange, InALaterRead) {
  const bad_request& bad = GetParam();
  harness t;
  t.send(kHello);
  EXPECT_EQ(statuses(t.drain()), std::vector<int>{200});
  t.send(bad.bytes);
  expire_if_stalled(t, bad);
  std::string out = t.drain();
  EXPECT_EQ(statuses(out), std::vector<int>{bad.status}) << out;
  EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 4), "\r\n\r\n");  // a complete head, empty body
  EXPECT_TRUE(t.s->done());
  EXPECT_EQ(t.h.log.back(), "done " + std::to_string(bad.status) + " 0");
}

TEST_P(SessionErrorAfterAGoodExchange, PipelinedInTheSameRead) {
  const bad_request& bad = GetParam();
  harness t;
  t.send(std::string(kHello) + bad.bytes);
  expire_if_stalled(t, bad);
  std::string out = t.drain();
  EXPECT_EQ(statuses(out), (std::vector<int>{200, bad.status})) << out;
  EXPECT_NE(last_response(out).find("Connection: close\r\n"), std::string::npos);
  EXPECT_TRUE(t.s->done());
}

INSTANTIATE_TEST_SUITE_P(Statuses, SessionErrorAfterAGoodExchange,
                         ::testing::ValuesIn(bad_requests()),
                         [](const auto& param_info) { return std::string(param_info.param.name); });

// A refused request's error offset counts from the connection's first byte,
// also when its parser is a fresh one: the session frees its parser while the
// connection idles between requests, and the next one resumes the count.
TEST(SessionErrors, AnErrorOffsetCountsFromTheConnectionsFirstByte) {
  harness t;
  t.send(kHello);
  EXPECT_EQ(statuses(t.drain()), std::vector<int>{200});
  EXPECT_EQ(t.s->input_capacity(), 0u);  // idle: the exchange is gone
  const std::string bad = "GET / HTTP/1.1\r\nHost: a\r\nBad\x01Name: x\r\n\r\n";
  t.send(bad);
  EXPECT_EQ(statuses(t.drain()), std::vector<int>{400});
  EXPECT_EQ(t.s->error().code, h1::errc::invalid_header_name);
  EXPECT_EQ(t.s->error().offset, kHello.size() + bad.find('\x01'));
}

// 100 pipelined requests, #50 with an invalid field name: 49 answers, the
// 400, and nothing for the 50 after it (the connection closes).
std::string hundred_with_bad_fiftieth() {
  std::string requests;
  for (int i = 1; i <= 100; ++i)
    requests += i == 50 ? "GET /50 HTTP/1.1\r\nHost: a\r\nBad\x01Name: x\r\n\r\n" : kHello;
  return requests;
}

std::vector<int> forty_nine_then_400() {
  std::vector<int> expected(49, 200);
  expected.push_back(400);
  return expected;
}

TEST(SessionErrors, HundredPipelinedWithABadFiftiethGet49AnswersThenThe400) {
  std::string requests = hundred_with_bad_fiftieth();
  for (std::size_t piece : {requests.size(), std::size_t{1}, std::size_t{61}}) {
    harness t;
    t.send(requests, piece);
    std::string out = t.drain();
    EXPECT_EQ(statuses(out), forty_nine_then_400()) << "reads of " << piece;
    EXPECT_TRUE(t.s->done());
    EXPECT_FALSE(t.s->wants_input());
  }
}

// With a small output queue the session stops parsing while earlier answers
// wait to be written: the 400 still comes after them, in order.
TEST(SessionErrors, TheErrorWaitsBehindEarlierResponsesStillQueued) {
  session_config c;
  c.max_queued_output = 200;
  harness t(c);
  t.send(hundred_with_bad_fiftieth());
  EXPECT_FALSE(t.s->wants_input());
  EXPECT_LT(t.s->queued_output(), 200u + 200u);  // not all 49 are queued yet
  std::string out;
  io_slice slices[4];
  while (t.s->queued_output() > 0) {  // a reader taking 100 bytes at a time
    std::size_t n = t.s->output(slices);
    ASSERT_GT(n, 0u);
    std::size_t take = std::min<std::size_t>(100, slices[0].size);
    out.append(static_cast<const char*>(slices[0].data), take);
    t.s->consume_output(take, t.clock());
  }
  EXPECT_EQ(statuses(out), forty_nine_then_400());
  EXPECT_TRUE(t.s->done());
}

// RFC 9112 §3.2 asks Host of HTTP/1.1 requests only.
TEST(SessionErrors, AnHttp10RequestWithoutHostIsServed) {
  harness t;
  t.send("GET /hello HTTP/1.0\r\n\r\n");
  EXPECT_EQ(statuses(t.drain()), std::vector<int>{200});
}

// A streaming handler that answered at the head cannot be given a second
// response when the body then goes bad: the close is the only answer left.
TEST(SessionErrors, AResponseAlreadyStartedIsNotFollowedByAnother) {
  harness t;
  t.send(kHello);
  t.drain();
  t.send("PUT /s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\nzz\r\n");
  std::string out = t.drain();
  EXPECT_EQ(statuses(out), std::vector<int>{200});
  EXPECT_TRUE(out.ends_with("\r\n\r\n2\r\nhi\r\n")) << out;  // the stream, cut short
  EXPECT_TRUE(t.s->done());
}

}  // namespace
}  // namespace httpcore::server
