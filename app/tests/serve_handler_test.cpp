// The `httpcore serve` handler through a real session: the fixed endpoints,
// the streamed echo (any read size, chunked uploads, 100-continue, pipelining),
// the default site, and the access log (format, escaping, concurrency).

#include "serve_handler.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <thread>

#include "session_driver.hpp"

namespace httpcore::app {
namespace {

using test::parse_responses;
using test::round_trip;
using test::run_session;

// A handler on the default site, logging to a temporary file.
class ServeHandler : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/httpcore-log-XXXXXX";
    log_fd_ = ::mkstemp(tmpl);
    ASSERT_GE(log_fd_, 0);
    ::unlink(tmpl);
    handler_ = std::make_unique<serve_handler>(
        serve_options{.root = default_site_dir(), .access_log = true, .log_fd = log_fd_});
  }
  void TearDown() override { ::close(log_fd_); }

  std::string log() const {
    handler_->flush_access_log();  // lines are written by the log's own thread
    std::string text;
    char buf[4096];
    for (off_t at = 0;;) {
      ssize_t n = ::pread(log_fd_, buf, sizeof buf, at);
      if (n <= 0) break;
      text.append(buf, static_cast<std::size_t>(n));
      at += n;
    }
    return text;
  }

  int log_fd_ = -1;
  std::unique_ptr<serve_handler> handler_;
};

std::string random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

std::string chunked(std::string_view body, std::size_t piece) {
  std::string out;
  char size[32];
  for (std::size_t at = 0; at < body.size(); at += piece) {
    std::string_view p = body.substr(at, piece);
    std::snprintf(size, sizeof size, "%zx\r\n", p.size());
    out += size;
    out += p;
    out += "\r\n";
  }
  return out + "0\r\n\r\n";
}

TEST_F(ServeHandler, Hello) {
  auto r = round_trip(*handler_, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "Hello, World!");
  EXPECT_EQ(r.body.size(), 13u);
  EXPECT_EQ(r.header("Content-Type"), "text/plain");
  EXPECT_EQ(r.header("Content-Length"), "13");
  EXPECT_EQ(round_trip(*handler_, "GET /hello?name=x HTTP/1.1\r\nHost: x\r\n\r\n").body,
            "Hello, World!");
  EXPECT_EQ(round_trip(*handler_, "GET http://x/hello HTTP/1.1\r\nHost: x\r\n\r\n").body,
            "Hello, World!");
}

TEST_F(ServeHandler, HeadHello) {
  auto r = round_trip(*handler_, "HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n", httpcore::method::head);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.header("Content-Length"), "13");
}

TEST_F(ServeHandler, Healthz) {
  auto r = round_trip(*handler_, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "ok");
}

TEST_F(ServeHandler, WrongMethodsGet405WithAllow) {
  auto post =
      round_trip(*handler_, "POST /hello HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("Allow"), "GET, HEAD");
  auto get = round_trip(*handler_, "GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(get.status, 405);
  EXPECT_EQ(get.header("Allow"), "POST");
  EXPECT_EQ(round_trip(*handler_, "DELETE /healthz HTTP/1.1\r\nHost: x\r\n\r\n").status, 405);
}

TEST_F(ServeHandler, EchoIsStreamedAtEveryReadSize) {
  std::string body = random_bytes(100'000, 1);
  std::string request =
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-test\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  for (std::size_t split :
       {std::size_t{1} << 20, std::size_t{7}, std::size_t{1000}, std::size_t{65536}}) {
    auto r = round_trip(*handler_, request, httpcore::method::post, split);
    EXPECT_EQ(r.status, 200) << split;
    EXPECT_EQ(r.header("Content-Type"), "application/x-test");
    EXPECT_EQ(r.header("Transfer-Encoding"), "chunked");
    EXPECT_EQ(r.body.size(), body.size()) << split;
    EXPECT_TRUE(r.body == body) << split;
  }
}

TEST_F(ServeHandler, EchoBeyondTheBufferedLimit) {
  // 3 MiB: more than session_config::max_buffered_body, so only streaming passes.
  std::string body = random_bytes(3u << 20, 2);
  auto r = round_trip(*handler_,
                      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                          std::to_string(body.size()) + "\r\n\r\n" + body,
                      httpcore::method::post, 16384);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "application/octet-stream");
  EXPECT_TRUE(r.body == body);
}

TEST_F(ServeHandler, EchoOfAChunkedUploadWithExpectContinue) {
  std::string body = random_bytes(50'000, 3);
  std::string out = run_session(*handler_,
                                "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                                "Transfer-Encoding: chunked\r\n\r\n" +
                                    chunked(body, 777),
                                4096);
  EXPECT_EQ(out.rfind("HTTP/1.1 100 Continue\r\n\r\n", 0), 0u);
  auto rs = parse_responses(out, {httpcore::method::post});
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].status, 200);
  EXPECT_TRUE(rs[0].body == body);
}

TEST_F(ServeHandler, EmptyEcho) {
  auto r = round_trip(*handler_, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
                      httpcore::method::post);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  auto none =
      round_trip(*handler_, "POST /echo HTTP/1.1\r\nHost: x\r\n\r\n", httpcore::method::post);
  EXPECT_EQ(none.status, 200);
  EXPECT_EQ(none.body, "");
}

TEST_F(ServeHandler, PipelinedMix) {
  std::string in =
      "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nabcde"
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /nope.txt HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  for (std::size_t split : {std::size_t{1}, std::size_t{13}, in.size()}) {
    auto rs = parse_responses(run_session(*handler_, in, split));
    ASSERT_EQ(rs.size(), 5u) << split;
    EXPECT_EQ(rs[0].body, "Hello, World!");
    EXPECT_EQ(rs[1].body, "abcde");
    EXPECT_EQ(rs[2].body, "ok");
    EXPECT_EQ(rs[3].status, 404);
    EXPECT_EQ(rs[4].status, 200);
  }
}

TEST_F(ServeHandler, DefaultSiteExplainsAndLinks) {
  auto r = round_trip(*handler_, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("href=\"/hello\""), std::string::npos);
  EXPECT_NE(r.body.find("/echo"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/healthz\""), std::string::npos);
  EXPECT_NE(r.body.find("httpcore serve"), std::string::npos);
}

TEST_F(ServeHandler, TraversalIsRefused) {
  EXPECT_EQ(round_trip(*handler_, "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n").status, 404);
  EXPECT_EQ(
      round_trip(*handler_, "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n").status,
      404);
}

TEST_F(ServeHandler, AccessLogLinePerRequest) {
  round_trip(*handler_, "POST /echo?a=b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc",
             httpcore::method::post);
  std::string text = log();
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.find('\n'), text.size() - 1);  // exactly one line
  EXPECT_EQ(text.rfind("{\"time\":\"", 0), 0u);
  EXPECT_NE(text.find("\"method\":\"POST\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"target\":\"/echo?a=b\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"status\":200"), std::string::npos);
  EXPECT_NE(text.find("\"bytes\":3,"), std::string::npos);
  EXPECT_NE(text.find("\"duration_us\":"), std::string::npos);
  EXPECT_NE(text.find("\"peer\":\"127.0.0.1:40000\""), std::string::npos);
}

// Regression: the session once summarised a request without a body from a
// parser result that was out of scope by then, so the access log showed an
// empty (or garbage) method and target.
TEST_F(ServeHandler, AccessLogNamesRequestsWithoutBody) {
  round_trip(*handler_, "GET /hello?a=b HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string text = log();
  EXPECT_NE(text.find("\"method\":\"GET\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"target\":\"/hello?a=b\""), std::string::npos) << text;
}

TEST_F(ServeHandler, ErrorsAreLoggedToo) {
  run_session(*handler_, "GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: zz\r\n\r\n");
  EXPECT_NE(log().find("\"status\":400"), std::string::npos);
}

TEST_F(ServeHandler, QuietLogsNothing) {
  serve_handler quiet(
      serve_options{.root = default_site_dir(), .access_log = false, .log_fd = log_fd_});
  round_trip(quiet, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(log(), "");
}

TEST_F(ServeHandler, ConcurrentLogLinesNeverInterleave) {
  constexpr int kThreads = 8, kLines = 500;
  // A queue that holds the whole burst: none of it may be dropped here.
  handler_ = std::make_unique<serve_handler>(serve_options{.root = default_site_dir(),
                                                           .access_log = true,
                                                           .log_fd = log_fd_,
                                                           .log_queue_bytes = 64u << 20});
  std::string long_target = "/" + std::string(6000, 'a');  // past PIPE_BUF
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kLines; ++i) {
        handler_->on_complete(
            {"GET", (t % 2) ? std::string_view(long_target) : "/x", "1.2.3.4:5", 200, 1, 2});
      }
    });
  }
  for (auto& th : threads) th.join();
  std::string text = log();
  std::size_t lines = 0;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = text.find('\n', at);
    ASSERT_NE(end, std::string::npos);
    std::string_view line(text.data() + at, end - at);
    EXPECT_EQ(line.front(), '{');
    EXPECT_EQ(line.back(), '}');
    EXPECT_EQ(line.find('{', 1), std::string_view::npos);
    ++lines;
    at = end + 1;
  }
  EXPECT_EQ(lines, static_cast<std::size_t>(kThreads * kLines));
}

TEST(AccessLog, TimeFormat) {
  EXPECT_EQ(rfc3339_utc_ms(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(rfc3339_utc_ms(1'700'000'000'123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(rfc3339_utc_ms(951'782'400'007), "2000-02-29T00:00:00.007Z");
}

TEST(AccessLog, LineIsEscapedJson) {
  server::handler::summary s{"GET", "/a\"b\\c\x01\xff", "[::1]:80", 404, 12, 345};
  EXPECT_EQ(access_log_line(s, 0),
            "{\"time\":\"1970-01-01T00:00:00.000Z\",\"method\":\"GET\","
            "\"target\":\"/a\\\"b\\\\c\\u0001\\u00ff\",\"proto\":\"http/1.1\","
            "\"status\":404,\"bytes\":12,\"duration_us\":345,\"peer\":\"[::1]:80\"}\n");
}

TEST(AccessLog, LineNamesTheProtocol) {
  server::handler::summary s{"GET", "/", "1.2.3.4:5", 200, 0, 1};
  s.protocol = "h2";
  EXPECT_NE(access_log_line(s, 0).find(",\"proto\":\"h2\","), std::string::npos);
}

TEST(DefaultSite, IsADirectoryWithAnIndex) {
  struct stat st {};
  EXPECT_EQ(::stat((default_site_dir() + "/index.html").c_str(), &st), 0) << default_site_dir();
}

}  // namespace
}  // namespace httpcore::app
