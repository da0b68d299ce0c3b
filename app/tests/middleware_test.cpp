// The middleware steps through a router and a real server session (sans
// I/O): recovery, request ids, CORS, compression (decoded back with zlib and
// the brotli decoder), rate limiting on a clock the test moves.

#include "httpcore/app/middleware.hpp"

#include <brotli/decode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <stdexcept>
#include <string>

#include "session_driver.hpp"

namespace httpcore::app {
namespace {

using test::parse_responses;
using test::round_trip;
using test::run_session;

std::string get(std::string_view target, std::string_view extra = "",
                std::string_view method = "GET") {
  return std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" +
         std::string(extra) + "\r\n";
}

std::string gunzip(std::string_view in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[4096];
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
    if (rc == Z_BUF_ERROR && z.avail_in == 0) break;
  }
  EXPECT_EQ(rc, Z_STREAM_END) << "a complete gzip stream";
  inflateEnd(&z);
  return out;
}

std::string unbrotli(std::string_view in) {
  std::string out(1 << 20, '\0');
  std::size_t size = out.size();
  auto rc = BrotliDecoderDecompress(in.size(), reinterpret_cast<const std::uint8_t*>(in.data()),
                                    &size, reinterpret_cast<std::uint8_t*>(out.data()));
  EXPECT_EQ(rc, BROTLI_DECODER_RESULT_SUCCESS);
  out.resize(size);
  return out;
}

TEST(middleware, RecoveryAnswers500AndTheConnectionGoesOn) {
  std::vector<std::string> lines;
  router r;
  r.use(recovery([&](std::string_view line) { lines.emplace_back(line); }));
  r.use(request_id());
  r.get("/boom", [](context&) -> void { throw std::runtime_error("kaboom"); });
  r.get("/ok", [](context& c) { c.res.send(200, "fine"); });
  auto out = parse_responses(
      run_session(r, get("/boom", "X-Request-Id: req-1\r\n") + get("/ok") + get("/boom")));
  ASSERT_EQ(out.size(), 3u) << "the requests after the throw are served on the same connection";
  EXPECT_EQ(out[0].status, 500);
  EXPECT_EQ(out[0].header("X-Request-Id"), "req-1");
  EXPECT_EQ(out[1].body, "fine");
  EXPECT_EQ(out[2].status, 500);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "recovered: request_id=req-1 GET /boom: kaboom");
  EXPECT_NE(lines[1].find("request_id=" + out[2].header("X-Request-Id")), std::string::npos);
}

TEST(middleware, RequestIdTakenOrMade) {
  router r;
  r.use(request_id());
  r.get("/", [](context& c) { c.res.send(200, c.request_id); });
  auto given = round_trip(r, get("/", "X-Request-Id: abc-123\r\n"));
  EXPECT_EQ(given.header("X-Request-Id"), "abc-123");
  EXPECT_EQ(given.body, "abc-123");
  auto made = round_trip(r, get("/"));
  EXPECT_EQ(made.header("X-Request-Id").size(), 32u);
  EXPECT_EQ(made.header("X-Request-Id").find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(round_trip(r, get("/")).body, made.body) << "each made id is new";
  auto insane = round_trip(r, get("/", "X-Request-Id: " + std::string(200, 'x') + "\r\n"));
  EXPECT_EQ(insane.header("X-Request-Id").size(), 32u) << "an over-long id is replaced";
}

TEST(middleware, CorsPreflightAndActualRequests) {
  router r;
  r.use(cors({.allowed_origins = {"https://good.example"}}));
  r.get("/data", [](context& c) { c.res.send(200, "data"); });
  auto pre = round_trip(r, get("/data",
                               "Origin: https://good.example\r\n"
                               "Access-Control-Request-Method: GET\r\n",
                               "OPTIONS"));
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(pre.header("Access-Control-Allow-Origin"), "https://good.example");
  EXPECT_NE(pre.header("Access-Control-Allow-Methods").find("GET"), std::string::npos);
  EXPECT_EQ(pre.header("Access-Control-Max-Age"), "600");
  auto denied = round_trip(r, get("/data",
                                  "Origin: https://evil.example\r\n"
                                  "Access-Control-Request-Method: GET\r\n",
                                  "OPTIONS"));
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(denied.header("Access-Control-Allow-Origin"), "");
  auto actual = round_trip(r, get("/data", "Origin: https://good.example\r\n"));
  EXPECT_EQ(actual.body, "data");
  EXPECT_EQ(actual.header("Access-Control-Allow-Origin"), "https://good.example");
  EXPECT_EQ(actual.header("Vary"), "Origin");
  auto other = round_trip(r, get("/data", "Origin: https://evil.example\r\n"));
  EXPECT_EQ(other.body, "data") << "the browser, not the server, withholds it";
  EXPECT_EQ(other.header("Access-Control-Allow-Origin"), "");
  EXPECT_EQ(round_trip(r, get("/data")).header("Access-Control-Allow-Origin"), "");
}

class compression_test : public ::testing::Test {
 protected:
  compression_test() {
    r.use(compression());
    r.get("/text", [this](context& c) {
      c.res.add_header("Content-Type", "text/plain");
      c.res.send(200, text);
    });
    r.get("/small", [](context& c) {
      c.res.add_header("Content-Type", "application/json");
      c.res.send(200, "{\"a\":1}");
    });
    r.get("/png", [this](context& c) {
      c.res.add_header("Content-Type", "image/png");
      c.res.send(200, text);
    });
    r.get("/stream", [this](context& c) {
      c.res.add_header("Content-Type", "text/event-stream");
      c.res.start(200);
      for (std::size_t at = 0; at < text.size(); at += 1000) c.res.write(text.substr(at, 1000));
      c.res.end();
    });
    for (int i = 0; i < 400; ++i) text += "line " + std::to_string(i) + " of a compressible text\n";
  }
  router r;
  std::string text;
};

TEST_F(compression_test, GzipAndBrByAcceptEncodingQValues) {
  auto gz = round_trip(r, get("/text", "Accept-Encoding: gzip\r\n"));
  EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
  EXPECT_EQ(gz.header("Vary"), "Accept-Encoding");
  EXPECT_LT(gz.body.size(), text.size() / 3);
  EXPECT_EQ(gunzip(gz.body), text);

  auto br = round_trip(r, get("/text", "Accept-Encoding: gzip, deflate, br\r\n"));
  EXPECT_EQ(br.header("Content-Encoding"), "br") << "br on a tie";
  EXPECT_EQ(unbrotli(br.body), text);

  auto pref = round_trip(r, get("/text", "Accept-Encoding: br;q=0.5, gzip;q=0.9\r\n"));
  EXPECT_EQ(pref.header("Content-Encoding"), "gzip");
  auto star = round_trip(r, get("/text", "Accept-Encoding: gzip;q=0, *;q=0.3\r\n"));
  EXPECT_EQ(star.header("Content-Encoding"), "br");
  auto refused = round_trip(r, get("/text", "Accept-Encoding: br;q=0, gzip;q=0.000\r\n"));
  EXPECT_EQ(refused.header("Content-Encoding"), "");
  EXPECT_EQ(refused.body, text);
  EXPECT_EQ(round_trip(r, get("/text")).header("Content-Encoding"), "");
}

TEST_F(compression_test, OnlyTextLikeBodiesAboveTheThreshold) {
  auto small = round_trip(r, get("/small", "Accept-Encoding: gzip\r\n"));
  EXPECT_EQ(small.header("Content-Encoding"), "") << "under 1 KiB";
  EXPECT_EQ(small.body, "{\"a\":1}");
  auto png = round_trip(r, get("/png", "Accept-Encoding: gzip\r\n"));
  EXPECT_EQ(png.header("Content-Encoding"), "") << "not a text-like type";
  EXPECT_EQ(png.body, text);
}

TEST_F(compression_test, StreamedBodiesAreCompressedPieceByPiece) {
  auto gz = round_trip(r, get("/stream", "Accept-Encoding: gzip\r\n"));
  EXPECT_EQ(gz.header("Transfer-Encoding"), "chunked");
  EXPECT_EQ(gz.header("Content-Encoding"), "gzip");
  EXPECT_EQ(gunzip(gz.body), text);
  auto br = round_trip(r, get("/stream", "Accept-Encoding: br\r\n"));
  EXPECT_EQ(br.header("Content-Encoding"), "br");
  EXPECT_EQ(unbrotli(br.body), text);
}

TEST(middleware, RateLimitPerAddressWithRetryAfter) {
  std::int64_t now = 0;
  router r;
  r.use(rate_limit({.per_second = 0.5, .burst = 3}, [&] { return now; }));
  r.get("/", [](context& c) { c.res.send(200, "ok"); });
  std::string three = get("/") + get("/") + get("/");
  auto out = parse_responses(run_session(r, three + get("/")));
  ASSERT_EQ(out.size(), 4u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(out[i].status, 200) << i;
  EXPECT_EQ(out[3].status, 429);
  EXPECT_EQ(out[3].header("Retry-After"), "2") << "one token takes 2 s at 0.5/s";
  now += 1'000'000;  // half a token: still refused, one second to go
  auto later = round_trip(r, get("/"));
  EXPECT_EQ(later.status, 429);
  EXPECT_EQ(later.header("Retry-After"), "1");
  now += 1'000'000;
  EXPECT_EQ(round_trip(r, get("/")).status, 200);
  EXPECT_THROW(rate_limit({.per_second = 0}), std::invalid_argument);
}

}  // namespace
}  // namespace httpcore::app
