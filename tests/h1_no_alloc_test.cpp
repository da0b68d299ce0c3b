// The parser allocates at construction only (docs/design.md, rule 1): feeding heads,
// bodies, trailers, errors and reset() must not touch the heap. This test
// replaces the global allocation functions with counting ones.

#include <gtest/gtest.h>

#include <string_view>

#include "httpcore/h1/parser.hpp"
#include "support/counting_new.hpp"

namespace httpcore::h1 {
namespace {

using test::g_allocations;

// Feeds `input` the way a caller does, in pieces of `piece` bytes, and
// returns how many allocations happened while parsing.
long allocations_while_parsing(parser& p, std::string_view input, std::size_t piece) {
  long before = g_allocations.load();
  std::size_t given = 0, done = 0;
  while (done < input.size()) {
    given = std::min(input.size(), std::max(given, done) + piece);
    auto r = p.feed(input.substr(done, given - done));
    done += r.consumed;
    if (r.err || std::holds_alternative<upgraded>(r.ev)) break;
    if (std::holds_alternative<need_more>(r.ev) && given == input.size()) break;
  }
  p.finish();
  return g_allocations.load() - before;
}

constexpr std::string_view kRequests =
    "GET /a?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nCookie: a=b; c=d\r\n\r\n"
    "POST /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\nExpect: 100-continue\r\n\r\n"
    "hello world"
    "PUT /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\nConnection: "
    "keep-alive\r\n\r\n"
    "5;ext=\"q\"\r\nhello\r\n0\r\nTrailer-A: 1\r\nTrailer-B: 2\r\n\r\n"
    "GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n\x81\x00";

constexpr std::string_view kResponses =
    "HTTP/1.1 100 Continue\r\n\r\n"
    "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\nX: y\r\n\r\n"
    "HTTP/1.0 200 OK\r\n\r\nuntil close";

TEST(H1NoAlloc, RequestsInAnySplit) {
  parser p(role::server);
  for (std::size_t piece : {kRequests.size(), std::size_t{1}, std::size_t{7}, std::size_t{64}}) {
    p.reset();
    EXPECT_EQ(allocations_while_parsing(p, kRequests, piece), 0) << "pieces of " << piece;
  }
}

TEST(H1NoAlloc, ResponsesInAnySplit) {
  parser p(role::client);
  for (std::size_t piece : {kResponses.size(), std::size_t{1}, std::size_t{13}}) {
    p.reset();
    EXPECT_EQ(allocations_while_parsing(p, kResponses, piece), 0) << "pieces of " << piece;
  }
}

TEST(H1NoAlloc, ErrorsAndLimits) {
  limits tiny;
  tiny.max_headers = 2;
  parser p(role::server, tiny);
  EXPECT_EQ(allocations_while_parsing(p, "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 5), 0);
  p.reset();
  EXPECT_EQ(allocations_while_parsing(p, "POST / HTTP/1.1\r\nContent-Length: 1, 1\r\n\r\n", 3), 0);
  p.reset();
  EXPECT_EQ(allocations_while_parsing(p, "GET / HTTP/1.1\r\nHost", 4), 0);  // incomplete
}

TEST(H1NoAlloc, TablesReleasedBetweenMessagesAndReservedAgain) {
  parser p(role::server);
  // Not in the middle of a message: its fields live in the tables.
  ASSERT_TRUE(std::holds_alternative<need_more>(p.feed("GET / HTTP/1.1\r\nHo").ev));
  EXPECT_FALSE(p.release_tables());
  EXPECT_TRUE(p.tables_held());
  p.reset();
  EXPECT_TRUE(p.release_tables());
  EXPECT_FALSE(p.tables_held());
  // reserve_tables() allocates; parsing afterwards does not.
  long before = g_allocations.load();
  p.reserve_tables();
  EXPECT_GT(g_allocations.load(), before);
  EXPECT_TRUE(p.tables_held());
  EXPECT_EQ(allocations_while_parsing(p, kRequests, 7), 0);
  // A caller that forgets reserve_tables() still parses correctly: feed()
  // reserves them itself, once.
  p.reset();
  ASSERT_TRUE(p.release_tables());
  auto r = p.feed("GET /x HTTP/1.1\r\nHost: h\r\nB: 2\r\n\r\n");
  auto* head = std::get_if<request_head>(&r.ev);
  ASSERT_NE(head, nullptr);
  ASSERT_EQ(head->headers.size(), 2u);
  EXPECT_EQ(head->headers[1].name, "B");
  EXPECT_TRUE(p.tables_held());
}

TEST(H1NoAlloc, TheCounterCounts) {
  // Guards the test itself: if the replacement were not in effect, every
  // expectation above would pass vacuously.
  long before = g_allocations.load();
  auto* p = new parser(role::server);
  EXPECT_GT(g_allocations.load(), before);
  delete p;
}

}  // namespace
}  // namespace httpcore::h1
