// Deferred responses (response::defer()), sans I/O: the exchange stays open
// while the handler's answer is pending, pipelined requests wait behind it,
// late steps do nothing, a dropped handle ends the response, a silent one
// times out, the exchange's duration is the time passed in with the step
// that finished it, and the per-exchange user slot reaches on_complete.

#include <gtest/gtest.h>

#include <any>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "httpcore/server/session.hpp"
#include "support/session_harness.hpp"

namespace httpcore::server {
namespace {

using test::drain_session;
using test::feed_session;
using test::kDate;
using test::ok;

// Keeps every response it is given; /now answers at once, /stream defers a
// streamed response, anything else defers a plain one.
class keeping_handler : public handler {
 public:
  std::vector<std::shared_ptr<deferred_response>> kept;
  std::vector<std::string> completed;  // "target status duration_us user"

  void on_request(const request& req, response& res) override {
    res.user_data() = std::string(req.target());
    if (req.target() == "/now") {
      res.send(200, "now");
      return;
    }
    if (req.target() == "/drop") {
      res.defer();  // the handle dies at once
      return;
    }
    auto later = res.defer();
    ASSERT_NE(later, nullptr);
    EXPECT_EQ(res.defer(), later) << "a second call returns the same handle";
    if (req.target() == "/stream") res.start(200);
    kept.push_back(std::move(later));
  }
  void on_complete(const summary& s) override {
    const auto* user = s.user_data ? std::any_cast<std::string>(s.user_data) : nullptr;
    completed.push_back(std::string(s.target) + " " + std::to_string(s.status) + " " +
                        std::to_string(s.duration_us) + " " + (user ? *user : "-"));
  }
};

// What a front end's mailbox does, without threads: tasks wait in a queue
// until the driver delivers them, with the time it passes in.
class queued_links : public peer_factory {
 public:
  std::vector<connection_task> queue;
  std::shared_ptr<ws_peer> make_peer(std::uint64_t) override { return nullptr; }
  std::shared_ptr<connection_link> make_link(std::uint64_t) override {
    struct link final : connection_link {
      explicit link(queued_links& q) : q_(q) {}
      void post(connection_task task) override { q_.queue.push_back(std::move(task)); }
      queued_links& q_;
    };
    return std::make_shared<link>(*this);
  }
};

struct driver {
  queued_links links;  // first: outlives the handles the handler keeps
  keeping_handler h;
  session_config config;
  std::unique_ptr<session> s;
  std::int64_t now = 1'000'000;

  explicit driver(bool front_end_links = true) {
    config.server_name = "";
    s = std::make_unique<session>(h, config, "127.0.0.1:5000", clock());
    if (front_end_links) s->set_peer_factory(&links, 7);
  }
  clock_now clock() const { return {now, kDate}; }
  // The front end's loop takes its mail.
  void deliver() {
    std::vector<connection_task> tasks;
    while (!links.queue.empty()) {
      tasks.swap(links.queue);
      for (auto& task : tasks) {
        if (s) task(*s, clock());
      }
      tasks.clear();  // a task may hold a handle's last copy: its release is posted
    }
  }
  void send(std::string_view bytes) { feed_session(*s, bytes, clock()); }
  std::string drain() {
    deliver();
    return drain_session(*s, clock());
  }
};

TEST(ServerDeferred, AnswersLaterAndMeasuresTheExchange) {
  driver t;
  t.send("GET /later HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(t.drain(), "") << "nothing is said before the handler answers";
  EXPECT_TRUE(t.s->awaiting_deferred());
  EXPECT_FALSE(t.s->wants_input()) << "the next request waits for this answer";
  EXPECT_TRUE(t.h.completed.empty());
  t.now += 200'000;  // 200 ms later, as the front end passes the time in with the step
  t.h.kept[0]->send(200, "later", {{"Content-Type", "text/plain"}});
  EXPECT_EQ(t.drain(), "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nDate: " +
                           std::string(kDate) + "\r\nContent-Length: 5\r\n\r\nlater");
  ASSERT_EQ(t.h.completed.size(), 1u);
  EXPECT_EQ(t.h.completed[0], "/later 200 200000 /later");
  EXPECT_FALSE(t.s->awaiting_deferred());
  EXPECT_TRUE(t.s->wants_input());
  t.h.kept[0]->send(500, "late");  // the exchange is over: nothing happens
  EXPECT_EQ(t.drain(), "");
  EXPECT_EQ(t.h.completed.size(), 1u);
}

TEST(ServerDeferred, PipelinedRequestsWaitInOrder) {
  driver t;
  t.send(
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /now HTTP/1.1\r\nHost: x\r\n\r\n"
      "GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(t.drain(), "");
  ASSERT_EQ(t.h.kept.size(), 1u) << "/now is not served before /a is answered";
  t.h.kept[0]->send(200, "A");
  // /a's answer, then /now at once, then /b deferred in turn.
  EXPECT_EQ(t.drain(), ok("A") + ok("now"));
  ASSERT_EQ(t.h.kept.size(), 2u);
  t.h.kept[1]->send(200, "B");
  EXPECT_EQ(t.drain(), ok("B"));
  ASSERT_EQ(t.h.completed.size(), 3u);
  EXPECT_EQ(t.h.completed[2], "/b 200 0 /b");
}

TEST(ServerDeferred, DroppedHandleEndsTheResponse) {
  driver t;
  t.send("GET /drop HTTP/1.1\r\nHost: x\r\n\r\n");
  std::string out = t.drain();
  EXPECT_EQ(out.rfind("HTTP/1.1 500 ", 0), 0u) << out;
  ASSERT_EQ(t.h.completed.size(), 1u);

  driver u(false);  // a streamed one gets the end of its body; the session's own link
  u.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  u.h.kept[0]->run([](response& res) { res.write("part"); });
  u.h.kept.clear();  // the last copy goes
  EXPECT_EQ(u.drain(), "HTTP/1.1 200 OK\r\nDate: " + std::string(kDate) +
                           "\r\nTransfer-Encoding: chunked\r\n\r\n4\r\npart\r\n0\r\n\r\n");
  ASSERT_EQ(u.h.completed.size(), 1u);
  EXPECT_EQ(u.h.completed[0], "/stream 200 0 /stream");
}

TEST(ServerDeferred, SilentResponseTimesOut) {
  driver t;
  t.config.response_timeout_us = 5'000'000;
  t.send("GET /never HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(t.s->next_deadline(), t.now + 5'000'000);
  t.now += 4'999'999;
  t.s->on_timer(t.clock());
  EXPECT_EQ(t.drain(), "");
  t.now += 1;
  t.s->on_timer(t.clock());
  std::string out = t.drain();
  EXPECT_EQ(out.rfind("HTTP/1.1 503 ", 0), 0u) << out;
  EXPECT_NE(out.find("Connection: close"), std::string::npos);
  EXPECT_TRUE(t.s->done());
  ASSERT_EQ(t.h.completed.size(), 1u);
  EXPECT_EQ(t.h.completed[0], "/never 503 5000000 /never");
  t.h.kept[0]->send(200, "too late");  // does nothing, and nothing breaks
  EXPECT_EQ(t.drain(), "");
}

TEST(ServerDeferred, StepsRestartTheTimeout) {
  driver t;
  t.config.response_timeout_us = 1'000'000;
  t.send("GET /stream HTTP/1.1\r\nHost: x\r\n\r\n");
  t.drain();
  for (int i = 0; i < 3; ++i) {
    t.now += 900'000;
    t.h.kept[0]->run([](response& res) { res.write("x"); });
    t.drain();
    t.s->on_timer(t.clock());
    EXPECT_FALSE(t.s->done());
  }
  t.now += 1'000'000;
  t.s->on_timer(t.clock());  // a started response is cut short: no last chunk
  EXPECT_TRUE(t.s->done());
  ASSERT_EQ(t.h.completed.size(), 1u);
}

TEST(ServerDeferred, SessionGoneStepsGoNowhere) {
  driver t;
  t.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n");
  auto later = t.h.kept[0];
  t.s.reset();  // the connection ends under the pending response
  ASSERT_EQ(t.h.completed.size(), 1u) << "the exchange is still reported";
  EXPECT_EQ(t.h.completed[0], "/x 0 0 /x");
  later->send(200, "nobody");  // must not touch the destroyed session (ASan)
}

}  // namespace
}  // namespace httpcore::server
