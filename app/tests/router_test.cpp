// The router through a real server session (sans I/O): patterns, decoding,
// specificity, 404/405/Allow, HEAD and OPTIONS, groups, the per-route body
// limit, the middleware chain's order and early answers.

#include "httpcore/app/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "session_driver.hpp"

namespace httpcore::app {
namespace {

using test::parse_responses;
using test::round_trip;
using test::run_session;

std::string get(std::string_view target, std::string_view method = "GET",
                std::string_view extra = "") {
  return std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" +
         std::string(extra) + "\r\n";
}

class router_test : public ::testing::Test {
 protected:
  router_test() {
    r.get("/users/{id}", [](context& c) { c.res.send(200, "user " + std::string(c.param("id"))); });
    r.get("/users/me", [](context& c) { c.res.send(200, "me"); });
    r.get("/files/{rest...}",
          [](context& c) { c.res.send(200, "file [" + std::string(c.param("rest")) + "]"); });
    r.post("/users/{id}", [](context& c) { c.res.send(201, c.req.body); });
    r.del("/users/{id}", [](context& c) { c.res.send(204, ""); });
    r.get("/", [](context& c) { c.res.send(200, "root"); });
    r.get("/q", [](context& c) {
      auto v = c.query_param("name");
      c.res.send(200, v ? "name=" + *v : "none");
    });
    auto api = r.prefix("/api");
    api.get("/greet/{name}",
            [](context& c) { c.res.send(200, "hello " + std::string(c.param("name"))); });
    api.with_prefix("/v2").get(
        "/ping", [](context& c) { c.res.send(200, "pong " + std::string(c.route())); });
    r.post("/small",
           [](context& c) { c.res.send(200, "got " + std::to_string(c.req.body.size())); },
           {.max_body_bytes = 10});
  }
  router r;
};

TEST_F(router_test, MatchesParametersPercentDecoded) {
  EXPECT_EQ(round_trip(r, get("/users/42")).body, "user 42");
  EXPECT_EQ(round_trip(r, get("/users/a%20b%2Fc")).body, "user a b/c") << "%2F is data in {id}";
  EXPECT_EQ(round_trip(r, get("/users/me")).body, "me") << "a literal beats {id}";
  EXPECT_EQ(round_trip(r, get("/files/a/b%20c/d.txt")).body, "file [a/b c/d.txt]");
  EXPECT_EQ(round_trip(r, get("/files/")).body, "file []");
  EXPECT_EQ(round_trip(r, get("/")).body, "root");
  EXPECT_EQ(round_trip(r, get("/users/42?x=1")).body, "user 42") << "the query is not the path";
  EXPECT_EQ(round_trip(r, get("http://t/users/7")).body, "user 7") << "absolute-form";
  EXPECT_EQ(round_trip(r, get("/q?a=1&name=J%C3%B6rg+K")).body, "name=J\xC3\xB6rg K");
  EXPECT_EQ(round_trip(r, get("/q")).body, "none");
  EXPECT_EQ(round_trip(r, get("/users/%zz")).status, 400) << "a bad escape in a parameter";
}

TEST_F(router_test, NotFoundAndMethodNotAllowedWithAllow) {
  EXPECT_EQ(round_trip(r, get("/nothing")).status, 404);
  EXPECT_EQ(round_trip(r, get("/users")).status, 404) << "{id} needs a segment";
  EXPECT_EQ(round_trip(r, get("/users/")).status, 404) << "{id} is never empty";
  EXPECT_EQ(round_trip(r, get("/users/1/x")).status, 404);
  auto res = round_trip(r, get("/users/42", "PATCH"));
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.header("Allow"), "GET, HEAD, POST, DELETE, OPTIONS");
  res = round_trip(r, get("/api/greet/x", "POST"));
  EXPECT_EQ(res.status, 405);
  EXPECT_EQ(res.header("Allow"), "GET, HEAD, OPTIONS");
}

TEST_F(router_test, HeadIsAnsweredByGetAndOptionsListsMethods) {
  auto res = round_trip(r, get("/users/42", "HEAD"), httpcore::method::head);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(res.header("Content-Length"), "7") << "GET's length, without the body";
  EXPECT_EQ(res.body, "");
  res = round_trip(r, get("/users/42", "OPTIONS"));
  EXPECT_EQ(res.status, 204);
  EXPECT_EQ(res.header("Allow"), "GET, HEAD, POST, DELETE, OPTIONS");
  EXPECT_EQ(round_trip(r, get("/nothing", "OPTIONS")).status, 404);
}

TEST_F(router_test, GroupsAddTheirPrefix) {
  EXPECT_EQ(round_trip(r, get("/api/greet/ann%C3%A9e")).body,
            "hello ann\xC3\xA9"
            "e");
  EXPECT_EQ(round_trip(r, get("/api/v2/ping")).body, "pong /api/v2/ping");
  EXPECT_EQ(round_trip(r, get("/greet/x")).status, 404);
}

TEST_F(router_test, BodyLimitPerRoute) {
  auto post = [](std::string_view body) {
    return "POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: " + std::to_string(body.size()) +
           "\r\n\r\n" + std::string(body);
  };
  EXPECT_EQ(round_trip(r, post("0123456789")).body, "got 10");
  EXPECT_EQ(round_trip(r, post("0123456789A")).status, 413) << "declared length above the limit";
  // Chunked: the length shows only as the body arrives.
  auto chunked = round_trip(r,
                            "POST /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "6\r\n012345\r\n6\r\n6789AB\r\n0\r\n\r\n");
  EXPECT_EQ(chunked.status, 413);
  auto fits = round_trip(r,
                         "POST /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "3\r\n012\r\n3\r\n345\r\n0\r\n\r\n");
  EXPECT_EQ(fits.body, "got 6");
  // Other routes keep the session's limit: a POST echo of 2 KiB is fine.
  std::string big(2048, 'b');
  EXPECT_EQ(round_trip(r, "POST /users/1 HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n\r\n" + big)
                .body.size(),
            2048u);
}

TEST_F(router_test, MiddlewareRunsInOrderAroundTheRouteAndMayAnswerEarly) {
  std::vector<std::string> trace;
  router m;
  m.use([&](context& c, const next_step& next) {
    trace.push_back("a before " + std::string(c.route()));
    c.res.on_head([&](reply_head& h) {
      trace.push_back("a head");
      h.set("X-Outer", "a");
    });
    next();
    trace.push_back("a after");
  });
  m.use([&](context& c, const next_step& next) {
    trace.push_back("b before");
    c.res.on_head([&](reply_head& h) {
      trace.push_back("b head");
      h.set("X-Outer", "b");
    });
    if (c.header("X-Stop") == "1") return c.res.send(403, "stopped");
    next();
  });
  m.get("/x/{id}", [&](context& c) {
    trace.push_back("route");
    c.res.send(200, "x");
  });
  auto res = round_trip(m, get("/x/1"));
  EXPECT_EQ(res.body, "x");
  EXPECT_EQ(res.header("X-Outer"), "a") << "the outer step has the last word";
  EXPECT_EQ(trace, (std::vector<std::string>{"a before /x/{id}", "b before", "route", "b head",
                                             "a head", "a after"}));
  trace.clear();
  res = round_trip(m, get("/x/1", "GET", "X-Stop: 1\r\n"));
  EXPECT_EQ(res.status, 403);
  EXPECT_EQ(trace, (std::vector<std::string>{"a before /x/{id}", "b before", "b head", "a head",
                                             "a after"}))
      << "the route is not called";
  trace.clear();
  EXPECT_EQ(round_trip(m, get("/none")).status, 404);
  EXPECT_EQ(trace.front(), "a before ") << "middleware sees 404s too";
}

TEST_F(router_test, CompletionObserversSeeTheRoutePattern) {
  std::vector<std::string> seen;
  r.on_complete([&](const server::handler::summary& s, std::string_view route) {
    seen.push_back(std::to_string(s.status) + " " + std::string(route));
  });
  run_session(r, get("/users/9") + get("/nothing") + get("/api/greet/x"));
  EXPECT_EQ(seen, (std::vector<std::string>{"200 /users/{id}", "404 ", "200 /api/greet/{name}"}));
}

TEST(router, RejectsMalformedPatterns) {
  router r;
  auto fn = [](context&) {};
  EXPECT_THROW(r.get("users", fn), std::invalid_argument);
  EXPECT_THROW(r.get("/a/{rest...}/b", fn), std::invalid_argument);
  EXPECT_THROW(r.get("/a/{}", fn), std::invalid_argument);
  EXPECT_THROW(r.get("/a/x{y}", fn), std::invalid_argument);
  EXPECT_NO_THROW(r.get("/a/{y}/{z...}", fn));
}

}  // namespace
}  // namespace httpcore::app
