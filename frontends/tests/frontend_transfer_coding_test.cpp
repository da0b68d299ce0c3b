// Transfer codings other than chunked over real sockets, on every front end
// (issue 16, finding 10): "Transfer-Encoding: gzip, chunked" gets 501 and a
// clean close, since the session decodes chunked only; a handler that takes
// coded bodies (accept_transfer_coded_body) gets the gzip bytes de-chunked
// and untouched; "chunked" alone is decoded as before.

#include <gtest/gtest.h>

#include <string>

#include "support/frontend_fixture.hpp"

namespace httpcore::test {
namespace {

// A gzip member (of "hello gzip\n"), NUL and high bytes included.
const std::string kGzip(
    "\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff\xcb\x48\xcd\xc9\xc9\x57\x48\xaf"
    "\xca\x2c\xe0\x02\x00\x39\x7c\x63\x56\x0b\x00\x00\x00",
    31);

// kGzip in two chunks under `codings`.
std::string coded_post(std::string_view target, std::string_view codings) {
  return "POST " + std::string(target) +
         " HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: " + std::string(codings) + "\r\n\r\n10\r\n" +
         kGzip.substr(0, 16) + "\r\nf\r\n" + kGzip.substr(16) + "\r\n0\r\n\r\n";
}

TEST_P(frontend_test, GzipChunkedGets501AndACleanClose) {
  start();
  test_client c(port());
  ASSERT_TRUE(c.send(get("/hello")));  // after a good exchange, as any client may
  auto first = c.read_response();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 200);
  ASSERT_TRUE(c.send(coded_post("/echo", "gzip, chunked")));
  auto r = c.read_response();
  ASSERT_TRUE(r) << "no response: a silent close";
  EXPECT_EQ(r->status, 501);
  EXPECT_EQ(r->header("Connection"), "close");
  EXPECT_EQ(r->header("Content-Length"), "0");
  EXPECT_TRUE(c.wait_closed());
  EXPECT_EQ(c.leftover(), "");
  ASSERT_TRUE(eventually([&] { return handler_.completions().size() == 2; }));
  EXPECT_EQ(handler_.completions()[1].status, 501);
  EXPECT_EQ(handler_.completions()[1].target, "/echo");
}

TEST_P(frontend_test, AHandlerThatTakesCodedBodiesGetsTheGzipBytes) {
  start();
  test_client c(port());
  ASSERT_TRUE(c.send(coded_post("/coded", "gzip, chunked")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->header("X-Codings"), "gzip 1");
  EXPECT_EQ(r->body, kGzip);  // de-chunked, still gzip
  // The connection goes on.
  ASSERT_TRUE(c.send(get("/hello")));
  auto next = c.read_response();
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body, "Hello, World!");
}

TEST_P(frontend_test, ChunkedAloneIsStillDecoded) {
  start();
  test_client c(port());
  ASSERT_TRUE(c.send(coded_post("/echo", "chunked")));
  auto r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, kGzip);  // the same bytes, now the content itself
  ASSERT_TRUE(c.send(coded_post("/coded", "chunked")));
  r = c.read_response();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->header("X-Codings"), "none 0");
}

INSTANTIATE_TEST_SUITE_P(frontends, frontend_test, ::testing::ValuesIn(frontend_names()),
                         frontend_test_name);

}  // namespace
}  // namespace httpcore::test
