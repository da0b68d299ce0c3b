// The server session, sans I/O: bytes in through read_buffer()/commit_input(),
// bytes out through output()/consume_output(), time passed in.

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "httpcore/server/session.hpp"
#include "support/session_harness.hpp"

namespace httpcore::server {
namespace {

using namespace test;

TEST(ServerSession, AnswersAndKeepsAlive) {
  harness t;
  t.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(t.drain(), ok("Hello, World!", "Content-Type: text/plain\r\n"));
  EXPECT_TRUE(t.s->idle());
  EXPECT_FALSE(t.s->done());
  t.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(t.drain(), ok("abc"));
  EXPECT_EQ(t.h.log, (std::vector<std::string>{"GET /hello body=", "done 200 13",
                                               "POST /echo body=abc", "done 200 3"}));
}

TEST(ServerSession, IdleConnectionHoldsNoInputBuffer) {
  harness t;
  t.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(t.drain(), ok("Hello, World!", "Content-Type: text/plain\r\n"));
  EXPECT_EQ(t.s->input_capacity(), 0u);
  // A body copied the head: that goes too once the exchange is over.
  t.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(t.drain(), ok("abc"));
  EXPECT_EQ(t.s->input_capacity(), 0u);
  // The start of a next request is kept, and finished by the next read.
  t.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /hel");
  EXPECT_GT(t.s->input_capacity(), 0u);
  t.send("lo HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(t.h.log.size(), 8u);
  EXPECT_EQ(t.h.log.back(), "done 200 13");
  EXPECT_EQ(t.s->input_capacity(), 0u);
}

TEST(ServerSession, PipelinedRequestsAnsweredInOrderWhateverTheReads) {
  std::string requests;
  for (int i = 0; i < 16; ++i)
    requests += "POST /" + std::to_string(i) + " HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\n" +
                std::to_string(10 + i);
  std::string expected;
  for (int i = 0; i < 16; ++i) expected += ok(std::to_string(10 + i));
  for (std::size_t piece : {requests.size(), std::size_t{1}, std::size_t{7}}) {
    harness t;
    t.send(requests, piece);
    EXPECT_EQ(t.drain(), expected) << "reads of " << piece;
  }
}

TEST(ServerSession, ConnectionCloseEndsTheSession) {
  harness t;
  t.send("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
  std::string out = t.drain();
  EXPECT_NE(out.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(out.find("HTTP/1.1", 5), std::string::npos);  // one response only
  EXPECT_TRUE(t.s->done());
}

TEST(ServerSession, Http10ClosesUnlessKeepAlive) {
  harness t;
  t.send("GET / HTTP/1.0\r\n\r\n");
  t.drain();
  EXPECT_TRUE(t.s->done());
}

// Each exchange's summary names its protocol (the access log's "proto"),
// including an error answered before any handler saw the request.
TEST(ServerSession, SummaryNamesTheProtocol) {
  harness t;
  t.send(
      "GET /hello HTTP/1.1\r\nHost: a\r\n\r\nGET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
      "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n");
  t.drain();
  EXPECT_EQ(t.h.protocols, (std::vector<std::string>{"http/1.1", "http/1.0", "http/1.1"}));
}

TEST(ServerSession, ParseErrorGetsItsStatusAndACleanClose) {
  harness t;
  t.send("GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx");
  std::string out = t.drain();
  EXPECT_EQ(out.substr(0, 24), "HTTP/1.1 400 Bad Request");
  EXPECT_NE(out.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(t.s->done());
  EXPECT_FALSE(t.s->wants_input());
}

TEST(ServerSession, UnsupportedVersionIs505) {
  harness t;
  t.send("GET / HTTP/1.2\r\n\r\n");
  EXPECT_EQ(t.drain().substr(0, 12), "HTTP/1.1 505");
}

TEST(ServerSession, BodyAboveTheLimitIs413BeforeContinue) {
  session_config c;
  c.max_buffered_body = 10;
  harness t(c);
  t.send("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 11\r\n\r\n");
  std::string out = t.drain();
  EXPECT_EQ(out.substr(0, 12), "HTTP/1.1 413");
  EXPECT_EQ(out.find("100 Continue"), std::string::npos);
  EXPECT_TRUE(t.s->done());
}

TEST(ServerSession, ChunkedBodyAboveTheLimitIs413) {
  session_config c;
  c.max_buffered_body = 4;
  harness t(c);
  t.send(
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: "
      "chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n");
  EXPECT_EQ(t.drain().substr(0, 12), "HTTP/1.1 413");
}

TEST(ServerSession, ExpectContinueIsAnsweredBeforeTheBody) {
  harness t;
  t.send("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_EQ(t.drain(), "HTTP/1.1 100 Continue\r\n\r\n");
  t.send("hi");
  EXPECT_EQ(t.drain(), ok("hi"));
}

TEST(ServerSession, StreamedBodyIsEchoedChunkedPieceByPiece) {
  harness t;
  t.send("PUT /s HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
  std::string first = t.drain();
  EXPECT_EQ(first, "HTTP/1.1 200 OK\r\nDate: " + std::string(kDate) +
                       "\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
  t.send("6\r\n world\r\n0\r\n\r\n");
  EXPECT_EQ(t.drain(), "6\r\n world\r\n0\r\n\r\n");
  EXPECT_EQ(t.h.log.back(), "done 200 11");
}

TEST(ServerSession, HandlerThatSaysNothingGets500) {
  harness t;
  t.send("GET /silent HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(t.drain().substr(0, 12), "HTTP/1.1 500");
  EXPECT_TRUE(t.s->done());
}

TEST(ServerSession, HeadResponsesCarryNoBody) {
  harness t;
  t.send("HEAD /hello HTTP/1.1\r\nHost: a\r\n\r\n");
  std::string out = t.drain();
  EXPECT_NE(out.find("Content-Length: 13\r\n\r\n"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 4), "\r\n\r\n");
}

TEST(ServerSession, BackpressureStopsReadingUntilOutputDrains) {
  session_config c;
  c.max_queued_output = 100;
  harness t(c);
  std::string requests;
  for (int i = 0; i < 10; ++i) requests += "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n";
  t.send(requests);  // one read: all ten arrive
  EXPECT_FALSE(t.s->wants_input());
  EXPECT_LT(t.s->queued_output(), 100u + 200u);  // stopped after crossing the mark
  std::string out = t.drain();                   // draining parses the rest
  std::size_t responses = 0;
  for (std::size_t at = 0; (at = out.find("HTTP/1.1 200", at)) != std::string::npos; ++at)
    ++responses;
  EXPECT_EQ(responses, 10u);
  EXPECT_TRUE(t.s->wants_input());
}

TEST(ServerSession, SlowReaderThatKeepsReadingIsNotCutOff) {
  // The write deadline runs from the last output the peer took, not from the
  // start of the response: a slow but steady reader gets the whole body.
  session_config c;
  c.body_timeout_us = 1000;
  harness t(c);
  std::string body(64 * 1024, 'x');
  t.send("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body);
  std::size_t total = t.s->queued_output();
  ASSERT_GT(total, body.size());
  std::size_t taken = 0;
  io_slice slices[4];
  for (int step = 0; t.s->queued_output() > 0; ++step) {
    ASSERT_LT(step, 100000);
    t.now += 600;  // more than body_timeout in all, less than it per step
    EXPECT_GT(t.s->next_deadline(), t.now) << "after " << taken << " bytes";
    t.s->on_timer(t.clock());
    ASSERT_FALSE(t.s->done()) << "cut off after " << taken << " of " << total << " bytes";
    ASSERT_GT(t.s->output(slices), 0u);
    std::size_t n = std::min<std::size_t>(1000, slices[0].size);
    t.s->consume_output(n, t.clock());
    taken += n;
  }
  EXPECT_EQ(taken, total);
  EXPECT_TRUE(t.s->idle());
}

TEST(ServerSession, DeadlinesCloseSlowAndIdleConnections) {
  session_config c;
  c.head_timeout_us = 1000;
  c.idle_timeout_us = 5000;
  harness t(c);
  EXPECT_EQ(t.s->next_deadline(), t.now + 5000);  // idle from the start
  t.send("GET / HTTP/1.1\r\nHost");               // a slow head
  EXPECT_EQ(t.s->next_deadline(), t.now + 1000);
  t.now += 999;
  t.s->on_timer(t.clock());
  EXPECT_EQ(t.s->queued_output(), 0u);
  t.now += 1;
  t.s->on_timer(t.clock());
  EXPECT_EQ(t.drain().substr(0, 12), "HTTP/1.1 408");
  EXPECT_TRUE(t.s->done());

  harness idle(c);
  idle.now += 5000;
  idle.s->on_timer(idle.clock());
  EXPECT_TRUE(idle.s->done());
}

TEST(ServerSession, ShutdownClosesIdleAndFinishesInFlight) {
  harness idle;
  idle.s->begin_shutdown(idle.clock());
  EXPECT_TRUE(idle.s->done());

  harness busy;
  busy.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\nab");
  busy.s->begin_shutdown(busy.clock());
  EXPECT_FALSE(busy.s->done());
  busy.send("cd");
  std::string out = busy.drain();
  EXPECT_NE(out.find("Connection: close"), std::string::npos);
  EXPECT_NE(out.find("\r\n\r\nabcd"), std::string::npos);
  EXPECT_TRUE(busy.s->done());
}

TEST(ServerSession, DeclinedUpgradeContinuesInHttp1) {
  harness t;
  t.send(
      "GET /hello HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n"
      "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
  std::string out = t.drain();
  EXPECT_NE(out.find("Hello, World!HTTP/1.1 200"), std::string::npos);
  EXPECT_FALSE(t.s->upgraded());
}

TEST(ServerSession, PeerCloseMidRequestEndsQuietly) {
  harness t;
  t.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
  t.s->on_peer_closed(t.clock());
  EXPECT_EQ(t.drain(), "");
  EXPECT_TRUE(t.s->done());
}

TEST(ServerSession, OverloadResponseIsACompleteClosingResponse) {
  std::string_view r = overload_response();
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 503");
  EXPECT_NE(r.find("Connection: close"), std::string_view::npos);
  EXPECT_EQ(r.substr(r.size() - 4), "\r\n\r\n");
}

}  // namespace
}  // namespace httpcore::server
