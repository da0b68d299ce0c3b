// Deferred responses (response::defer()) on HTTP/2 streams, in memory against
// nghttp2's client: a kept response answers later on its own stream while
// other streams of the connection are served, one answered through its handle
// inside the handler, a dropped handle (500), a silent one (503 after
// response_timeout_us, the connection lives on), a late step (nothing), the
// h2c upgrade's stream 1, and the summary's duration and user data.
// Without a front end the session's link runs steps at once on this thread,
// which is the connection's here.

#include <gtest/gtest.h>

#include <any>
#include <cstring>
#include <map>

#include "httpcore/h2/server.hpp"
#include "support/h2_client.hpp"
#include "support/session_harness.hpp"

namespace httpcore::h2::test {
namespace {

using server::deferred_response;
using server::request;
using server::response;

// GET /later/NAME keeps its response under NAME; GET /now defers and answers
// through the handle before returning; anything else: 200 "fast".
class deferring : public server::handler {
 public:
  std::map<std::string, std::shared_ptr<deferred_response>> kept;
  std::vector<std::string> log;

  void on_request(const request& req, response& res) override {
    std::string target(req.target());
    res.user_data() = target;
    if (target.starts_with("/later/")) {
      kept[target.substr(7)] = res.defer();
      return;
    }
    if (target == "/now") {
      auto handle = res.defer();
      handle->send(200, "said at once");
      return;
    }
    res.send(200, "fast");
  }
  void on_complete(const summary& s) override {
    const auto* name = s.user_data != nullptr ? std::any_cast<std::string>(s.user_data) : nullptr;
    log.push_back((name != nullptr ? *name : "?") + " " + std::to_string(s.status) + " " +
                  std::to_string(s.duration_us));
  }
};

struct fixture {
  deferring h;
  server::session_config config;
  std::unique_ptr<server::session> s;
  client c;
  std::unique_ptr<link> l;

  fixture() {
    config.h2 = &server_protocol();
    config.server_name = "";
    config.response_timeout_us = 2'000'000;
    config.body_timeout_us = 1'000'000;
    s = std::make_unique<server::session>(h, config, "127.0.0.1:5000",
                                          server::clock_now{1'000'000, {}});
    l = std::make_unique<link>(*s, c);
    c.preface();
  }
};

TEST(H2Deferred, AnswersLaterOnItsStreamWhileOthersAreServed) {
  fixture f;
  std::int32_t later = f.c.request("GET", "/later/a");
  std::int32_t fast = f.c.request("GET", "/fast");
  f.l->run();
  EXPECT_EQ(f.c.replies[fast].status, 200);
  EXPECT_EQ(f.c.replies[fast].body, "fast");
  EXPECT_EQ(f.c.replies[later].status, 0);  // nothing yet: not a 500
  EXPECT_FALSE(f.c.replies[later].closed);
  EXPECT_TRUE(f.s->awaiting_deferred());
  ASSERT_EQ(f.h.kept.count("a"), 1u);

  f.l->now_us += 200'000;
  f.s->on_timer(f.l->now());                         // no deadline is due: nothing happens
  std::int32_t again = f.c.request("GET", "/fast");  // the connection still serves
  f.l->run();
  EXPECT_EQ(f.c.replies[again].status, 200);
  EXPECT_EQ(f.c.replies[later].status, 0);

  // The step runs with the time the front end passed last.
  f.h.kept["a"]->send(201, "later", {{"content-type", "text/plain"}});
  f.l->run();
  EXPECT_EQ(f.c.replies[later].status, 201);
  EXPECT_EQ(f.c.replies[later].body, "later");
  EXPECT_EQ(f.c.replies[later].field("content-type"), "text/plain");
  EXPECT_TRUE(f.c.replies[later].closed);
  EXPECT_FALSE(f.s->awaiting_deferred());
  ASSERT_EQ(f.h.log.size(), 3u);
  EXPECT_EQ(f.h.log[2], "/later/a 201 200000");  // duration to the answer, user data kept

  f.h.kept["a"]->send(500, "too late");  // the stream is gone: nothing happens
  f.l->run();
  EXPECT_EQ(f.c.replies[later].status, 201);
  EXPECT_EQ(f.h.log.size(), 3u);
}

TEST(H2Deferred, AnsweredThroughTheHandleInsideTheHandler) {
  fixture f;
  std::int32_t id = f.c.request("GET", "/now");
  f.l->run();
  EXPECT_EQ(f.c.replies[id].status, 200);
  EXPECT_EQ(f.c.replies[id].body, "said at once");
  EXPECT_FALSE(f.s->awaiting_deferred());
}

TEST(H2Deferred, DroppedHandleGets500) {
  fixture f;
  std::int32_t id = f.c.request("GET", "/later/b");
  f.l->run();
  EXPECT_EQ(f.c.replies[id].status, 0);
  f.h.kept.erase("b");  // the last copy: the response ends with what it has
  f.l->run();
  EXPECT_EQ(f.c.replies[id].status, 500);
  EXPECT_TRUE(f.c.replies[id].closed);
}

TEST(H2Deferred, StartedThenStreamedFromTheHandle) {
  fixture f;
  std::int32_t id = f.c.request("GET", "/later/s");
  f.l->run();
  auto& handle = f.h.kept["s"];
  handle->run([](response& r) {
    r.start(200);
    r.write("one,");
  });
  f.l->run();
  EXPECT_EQ(f.c.replies[id].status, 200);
  EXPECT_EQ(f.c.replies[id].body, "one,");
  EXPECT_FALSE(f.c.replies[id].closed);
  handle->run([](response& r) {
    r.write("two");
    r.end();
  });
  f.l->run();
  EXPECT_EQ(f.c.replies[id].body, "one,two");
  EXPECT_TRUE(f.c.replies[id].closed);
  EXPECT_EQ(f.c.replies[id].error, 0u);
}

// No step within response_timeout_us: 503 on that stream only; the stall
// timeout (body_timeout_us, shorter here) does not end a connection whose
// only open stream waits for the application.
TEST(H2Deferred, SilentResponseGets503AndTheConnectionLives) {
  fixture f;
  std::int32_t id = f.c.request("GET", "/later/c");
  f.l->run();
  EXPECT_EQ(f.s->next_deadline(), f.l->now_us + f.config.response_timeout_us);
  f.l->now_us += f.config.response_timeout_us - 1;
  f.s->on_timer(f.l->now());
  f.l->run();
  EXPECT_EQ(f.c.replies[id].status, 0);
  f.l->now_us += 1;
  f.s->on_timer(f.l->now());
  f.l->run();
  EXPECT_EQ(f.c.replies[id].status, 503);
  EXPECT_TRUE(f.c.replies[id].closed);
  EXPECT_FALSE(f.c.goaway);
  std::int32_t next = f.c.request("GET", "/fast");
  f.l->run();
  EXPECT_EQ(f.c.replies[next].status, 200);
  f.h.kept["c"]->send(200, "late");  // after the timeout: nothing
  f.l->run();
  EXPECT_EQ(f.c.replies[id].status, 503);
}

// The request that asked for h2c is answered on stream 1; deferred, its
// steps reach the stream once the session serves HTTP/2.
TEST(H2Deferred, UpgradeRequestAnsweredLaterOnStream1) {
  fixture f;
  auto up = make_h2c_upgrade("/later/up", "up.example");
  ASSERT_FALSE(up.settings.empty());
  server::test::feed_session(*f.s, up.request, f.l->now());
  ASSERT_TRUE(f.s->switched_protocol());
  std::string out = server::test::drain_session(*f.s, f.l->now());
  std::size_t end = out.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos);
  ASSERT_EQ(
      nghttp2_session_upgrade2(f.c.ng, reinterpret_cast<const std::uint8_t*>(up.settings.data()),
                               up.settings.size(), 0, nullptr),
      0);
  f.c.receive(out.substr(end + 4));
  f.l->run();
  EXPECT_EQ(f.c.replies[1].status, 0);
  ASSERT_EQ(f.h.kept.count("up"), 1u);
  f.h.kept["up"]->send(200, "upgraded, later");
  f.l->run();
  EXPECT_EQ(f.c.replies[1].status, 200);
  EXPECT_EQ(f.c.replies[1].body, "upgraded, later");
}

}  // namespace
}  // namespace httpcore::h2::test
