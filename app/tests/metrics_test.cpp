// Metrics through a router and a real session: the series each exchange
// adds, bounded labels, escaping, and Prometheus' own checker (promtool,
// Debian's prometheus package) accepting the text.

#include "httpcore/app/metrics.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "session_driver.hpp"

namespace httpcore::app {
namespace {

using test::round_trip;
using test::run_session;

std::string req(std::string_view method, std::string_view target) {
  return std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n\r\n";
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(metrics, CountsByRouteMethodAndStatus) {
  metrics m({0.5, 1});
  router r;
  r.on_complete(m.observer());
  r.get("/users/{id}", [](context& c) { c.res.send(200, "0123456789"); });
  r.get("/metrics", m.endpoint());
  run_session(r, req("GET", "/users/1") + req("GET", "/users/2") + req("HEAD", "/users/3") +
                     req("POST", "/users/4") + req("GET", "/nowhere") + req("BREW", "/pot"));
  std::string text = m.render();
  EXPECT_TRUE(has_line(
      text, R"m(httpcore_requests_total{route="/users/{id}",method="GET",status="200"} 2)m"))
      << text;
  EXPECT_TRUE(has_line(
      text, R"m(httpcore_requests_total{route="/users/{id}",method="HEAD",status="200"} 1)m"));
  EXPECT_TRUE(has_line(
      text, R"m(httpcore_requests_total{route="/users/{id}",method="POST",status="405"} 1)m"));
  EXPECT_TRUE(
      has_line(text, R"m(httpcore_requests_total{route="(none)",method="GET",status="404"} 1)m"));
  EXPECT_TRUE(
      has_line(text, R"m(httpcore_requests_total{route="(none)",method="other",status="404"} 1)m"))
      << "an invented method makes no series of its own";
  // The sans-I/O clock does not move: every exchange takes 0 s.
  EXPECT_TRUE(has_line(
      text, R"m(httpcore_request_duration_seconds_bucket{route="/users/{id}",le="0.5"} 4)m"));
  EXPECT_TRUE(has_line(
      text, R"m(httpcore_request_duration_seconds_bucket{route="/users/{id}",le="+Inf"} 4)m"));
  EXPECT_TRUE(
      has_line(text, R"m(httpcore_request_duration_seconds_count{route="/users/{id}"} 4)m"));
  // Two GETs of 10 bytes; HEAD writes none; the 405 answer's text counts.
  EXPECT_NE(text.find(R"m(httpcore_response_body_bytes_total{route="/users/{id}"} )m"),
            std::string::npos);

  auto scraped = round_trip(r, req("GET", "/metrics"));
  EXPECT_EQ(scraped.status, 200);
  EXPECT_EQ(scraped.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(scraped.body.find("# TYPE httpcore_requests_total counter"), std::string::npos);
}

TEST(metrics, HistogramBucketsAreCumulative) {
  metrics m({0.01, 0.1, 1});
  server::handler::summary s{"GET", "/x", "p", 200, 5, 50'000};  // 50 ms
  m.observe(s, "/x");
  s.duration_us = 500'000;
  m.observe(s, "/x");
  s.duration_us = 5'000'000;
  m.observe(s, "/x");
  std::string text = m.render();
  EXPECT_TRUE(
      has_line(text, R"m(httpcore_request_duration_seconds_bucket{route="/x",le="0.01"} 0)m"));
  EXPECT_TRUE(
      has_line(text, R"m(httpcore_request_duration_seconds_bucket{route="/x",le="0.1"} 1)m"));
  EXPECT_TRUE(has_line(text, R"m(httpcore_request_duration_seconds_bucket{route="/x",le="1"} 2)m"));
  EXPECT_TRUE(
      has_line(text, R"m(httpcore_request_duration_seconds_bucket{route="/x",le="+Inf"} 3)m"));
  EXPECT_TRUE(has_line(text, R"m(httpcore_request_duration_seconds_sum{route="/x"} 5.55)m"));
  EXPECT_TRUE(has_line(text, R"m(httpcore_response_body_bytes_total{route="/x"} 15)m"));
}

TEST(metrics, PromtoolAcceptsTheText) {
  metrics m;
  router r;
  r.on_complete(m.observer());
  r.get("/a/{b}", [](context& c) { c.res.send(200, "x"); });
  run_session(r, req("GET", "/a/1") + req("PUT", "/a/1") + req("GET", "/zz"));
  server::handler::summary odd{"GET", "/", "p", 200, 1, 10};
  m.observe(odd, "/we\"ird\\route\n");  // every character the format escapes
  int open = 3;
  m.add_gauge("httpcore_open_connections", "Connections open now.", [&] { return open; });
  std::string text = m.render();
  EXPECT_TRUE(has_line(
      text, R"m(httpcore_requests_total{route="/we\"ird\\route\n",method="GET",status="200"} 1)m"));
  EXPECT_TRUE(has_line(text, "httpcore_open_connections 3"));

  auto path = std::filesystem::temp_directory_path() /
              ("httpcore_metrics_" + std::to_string(::getpid()) + ".txt");
  std::ofstream(path) << text;
  std::string command = "promtool check metrics < '" + path.string() + "' 2>&1";
  FILE* p = ::popen(command.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string said;
  char buf[256];
  while (std::fgets(buf, sizeof buf, p) != nullptr) said += buf;
  int status = ::pclose(p);
  std::filesystem::remove(path);
  EXPECT_EQ(status, 0) << "promtool (scripts/bootstrap installs it) said: " << said << "\n" << text;
}

}  // namespace
}  // namespace httpcore::app
