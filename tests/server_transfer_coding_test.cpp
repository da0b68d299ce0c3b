// A request body with a transfer coding other than chunked (issue 16, finding
// 10): the session decodes chunked only, so "Transfer-Encoding: gzip, chunked"
// gets 501 and a close (session::error() names unsupported_transfer_coding at
// the coding) unless the handler takes the coded bytes raw
// (handler::accept_transfer_coded_body); "chunked" alone is served as before.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "support/session_harness.hpp"

namespace httpcore::server {
namespace {

using namespace test;

// The test handler, plus the hook: takes coded bodies when `take_coded`, and
// notes each head it was asked about and the codings on_request saw.
class coding_handler : public test_handler {
 public:
  bool take_coded = false;
  std::vector<std::string> asked;  // "first count" per accept_transfer_coded_body call
  std::string seen_first;          // head->transfer_codings.first in on_request
  bool first_inside_a_field = false;

  bool accept_transfer_coded_body(const h1::request_head& head) override {
    asked.push_back(std::string(head.transfer_codings.first) + " " +
                    std::to_string(head.transfer_codings.count));
    return take_coded;
  }
  void on_request(const request& req, response& res) override {
    const auto& codings = req.head->transfer_codings;
    seen_first = std::string(codings.first);
    // The view must point into the head the handler is given (the session
    // copies a head with a body): inside one of its field values.
    first_inside_a_field = false;
    for (const auto& h : req.head->headers)
      if (!codings.first.empty() && codings.first.data() >= h.value.data() &&
          codings.first.data() + codings.first.size() <= h.value.data() + h.value.size())
        first_inside_a_field = true;
    test_handler::on_request(req, res);
  }
};

struct coding_harness {
  coding_handler h;
  session_config config;
  std::unique_ptr<session> s;
  std::int64_t now = 1'000'000;

  coding_harness() {
    config.server_name = "";
    s = std::make_unique<session>(h, config, "127.0.0.1:5000", clock());
  }
  clock_now clock() const { return {now, kDate}; }
  void send(std::string_view bytes, std::size_t piece = 1u << 30) {
    feed_session(*s, bytes, clock(), piece);
  }
  std::string drain() { return drain_session(*s, clock()); }
};

// The bytes of a gzip member (of "hello gzip\n"), NUL and high bytes included,
// sent in two chunks: what a handler that takes coded bodies must get back.
const std::string kGzip(
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff\xcb\x48\xcd\xc9\xc9\x57\x48\xaf"
    "\xca\x2c\xe0\x02\x00\x39\x7c\x63\x56\x0b\x00\x00\x00",
    31);
std::string coded_post(std::string_view method = "POST", std::string_view extra = "") {
  return std::string(method) + " /up HTTP/1.1\r\nHost: a\r\n" + std::string(extra) +
         "Transfer-Encoding: gzip, chunked\r\n\r\n10\r\n" + kGzip.substr(0, 16) + "\r\nf\r\n" +
         kGzip.substr(16) + "\r\n0\r\n\r\n";
}
// "POST /up HTTP/1.1\r\nHost: a\r\n" is 28 bytes; "Transfer-Encoding: " 19 more.
constexpr std::uint64_t kGzipAt = 47;

constexpr std::string_view k501 =
    "HTTP/1.1 501 Not Implemented\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
    "Content-Length: 0\r\nConnection: close\r\n\r\n";

TEST(SessionTransferCodings, GzipChunkedGets501AndACloseWithoutReachingTheHandler) {
  coding_harness t;
  t.send(coded_post());
  EXPECT_EQ(t.drain(), k501);
  EXPECT_TRUE(t.s->done());
  EXPECT_EQ(t.s->error().name(), "unsupported_transfer_coding");
  EXPECT_EQ(t.s->error().offset, kGzipAt);
  EXPECT_EQ(t.s->error().status(), 501);
  EXPECT_EQ(t.h.asked, std::vector<std::string>{"gzip 1"});
  EXPECT_EQ(t.h.log, std::vector<std::string>{"done 501 0"});  // never on_request
}

// Refused before the body: no 100 Continue invites it.
TEST(SessionTransferCodings, NoContinueIsSentForARefusedCoding) {
  coding_harness t;
  t.send(coded_post("POST", "Expect: 100-continue\r\n").substr(0, 90));
  EXPECT_EQ(t.drain(), k501);
  EXPECT_EQ(t.s->error().name(), "unsupported_transfer_coding");
}

TEST(SessionTransferCodings, TheOffsetCountsFromTheConnectionsFirstByte) {
  coding_harness t;
  std::string hello = "GET /hello HTTP/1.1\r\nHost: a\r\n\r\n";
  t.send(hello + coded_post());
  std::string out = t.drain();
  EXPECT_EQ(out.rfind("HTTP/1.1 200 OK", 0), 0u) << out;
  EXPECT_NE(out.find("HTTP/1.1 501 "), std::string::npos) << out;
  EXPECT_EQ(t.s->error().offset, hello.size() + kGzipAt);
}

TEST(SessionTransferCodings, AHandlerThatTakesThemGetsTheBytesRaw) {
  coding_harness t;
  t.h.take_coded = true;
  // Head and chunks in separate small reads: the head is copied and must stay right.
  t.send(coded_post(), 7);
  EXPECT_EQ(t.drain(), ok(kGzip));
  EXPECT_EQ(t.h.seen_first, "gzip");
  EXPECT_TRUE(t.h.first_inside_a_field);
  EXPECT_EQ(t.s->error().code, h1::errc::ok);
  // The connection goes on.
  t.send("GET /hello HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_NE(t.drain().find("Hello, World!"), std::string::npos);
  EXPECT_FALSE(t.s->done());
}

TEST(SessionTransferCodings, AStreamingHandlerThatTakesThemGetsTheBytesRaw) {
  coding_harness t;
  t.h.take_coded = true;
  t.send(coded_post("PUT"));  // the test handler streams PUT bodies back, chunked
  std::string out = t.drain();
  EXPECT_NE(out.find("Transfer-Encoding: chunked\r\n\r\n10\r\n" + kGzip.substr(0, 16) +
                     "\r\nf\r\n" + kGzip.substr(16) + "\r\n0\r\n\r\n"),
            std::string::npos)
      << out;
}

TEST(SessionTransferCodings, ChunkedAloneIsDecodedWithoutAsking) {
  coding_harness t;
  t.send("POST /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(t.drain(), ok("abc"));
  EXPECT_TRUE(t.h.asked.empty());
  EXPECT_EQ(t.h.seen_first, "");
  EXPECT_FALSE(t.s->done());
}

}  // namespace
}  // namespace httpcore::server
