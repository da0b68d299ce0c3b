// HTTP/1 request trailers reach the handler (server::request::trailers): the
// fields after a chunked body's last chunk, in on_request for a buffered
// body and in on_body_end for a streamed one, nowhere else; gone by the next
// request on the connection; a section above the parser's limits refused
// with 431 before the handler sees the request. Every split of the bytes.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/session_harness.hpp"
#include "support/trailer_handler.hpp"

namespace httpcore::server {
namespace {

using namespace test;

struct trailer_harness {
  trailer_handler h;
  session_config config;
  std::unique_ptr<session> s;

  explicit trailer_harness(session_config c = {}) : config(c) {
    config.server_name = "";
    s = std::make_unique<session>(h, config, "127.0.0.1:5000", clock());
  }
  static clock_now clock() { return {1'000'000, kDate}; }
  std::string exchange(std::string_view bytes, std::size_t piece = 1u << 30) {
    feed_session(*s, bytes, clock(), piece);
    return drain_session(*s, clock());
  }
};

std::string chunked(std::string_view method, std::string_view target, std::string_view trailers) {
  return std::string(method) + " " + std::string(target) +
         " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
         "5\r\nhello\r\n6\r\n world\r\n0\r\n" +
         std::string(trailers) + "\r\n";
}

constexpr std::string_view kTrailers = "X-Checksum: abc123\r\nX-Count: 2\r\n";

TEST(ServerTrailers, BufferedBodyGivesThemToOnRequestAtEverySplit) {
  std::string req = chunked("POST", "/b", kTrailers);
  for (std::size_t piece = 1; piece <= req.size(); ++piece) {
    trailer_harness t;
    std::string out = t.exchange(req, piece);
    EXPECT_EQ(out, ok("X-Checksum=abc123;X-Count=2;")) << piece;
    EXPECT_EQ(t.h.seen, std::vector<std::string>{"on_request /b X-Checksum=abc123;X-Count=2;"})
        << piece;
    EXPECT_EQ(t.h.first_checksum, "abc123") << piece;  // request::trailer(), case-insensitive
  }
}

TEST(ServerTrailers, StreamedBodyGivesThemToOnBodyEndOnly) {
  std::string req = chunked("PUT", "/s", kTrailers);
  for (std::size_t piece : {1, 2, 7, 64, 1 << 20}) {
    trailer_harness t;
    std::string out = t.exchange(req, piece);
    EXPECT_NE(out.find("X-Checksum=abc123;X-Count=2;"), std::string::npos) << piece << out;
    // on_request and every on_body ran (calls counts them) without trailers.
    EXPECT_GE(t.h.calls, 3) << piece;
    EXPECT_EQ(t.h.seen, std::vector<std::string>{"on_body_end /s X-Checksum=abc123;X-Count=2;"})
        << piece;
  }
}

// None sent, a Content-Length body, a body-less request: empty; the next
// request on the connection does not inherit the previous one's.
TEST(ServerTrailers, EmptyWithoutThemAndNotCarriedToTheNextRequest) {
  trailer_harness t;
  std::string out = t.exchange(chunked("POST", "/with", kTrailers) + chunked("POST", "/none", "") +
                               "POST /length HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi" +
                               "GET /get HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(out, ok("X-Checksum=abc123;X-Count=2;") + ok("") + ok("") + ok(""));
  EXPECT_EQ(t.h.seen, std::vector<std::string>{"on_request /with X-Checksum=abc123;X-Count=2;"});
  EXPECT_EQ(t.h.calls, 4);
}

// The parser's bounds apply: above max_trailer_bytes (or max_headers
// fields) the request is refused with 431 and the handler never runs.
TEST(ServerTrailers, AboveTheParserLimitsIs431WithoutTheHandler) {
  session_config c;
  c.parser_limits.max_trailer_bytes = 256;
  {
    trailer_harness t(c);
    std::string out =
        t.exchange(chunked("POST", "/big", "X-Big: " + std::string(300, 'b') + "\r\n"));
    EXPECT_TRUE(out.starts_with("HTTP/1.1 431 ")) << out;
    EXPECT_EQ(t.h.calls, 0);
  }
  c.parser_limits.max_trailer_bytes = 8 * 1024;
  c.parser_limits.max_headers = 4;
  {
    trailer_harness t(c);
    std::string many;
    for (int i = 0; i < 5; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
    std::string out = t.exchange(chunked("POST", "/many", many));
    EXPECT_TRUE(out.starts_with("HTTP/1.1 431 ")) << out;
    EXPECT_EQ(t.h.calls, 0);
  }
  {  // just within both limits: served, all four given
    trailer_harness t(c);
    std::string four;
    for (int i = 0; i < 4; ++i) four += "X-" + std::to_string(i) + ": v\r\n";
    EXPECT_EQ(t.exchange(chunked("POST", "/four", four)), ok("X-0=v;X-1=v;X-2=v;X-3=v;"));
  }
}

}  // namespace
}  // namespace httpcore::server
