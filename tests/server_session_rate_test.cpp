// The session's minimum data rates, sans I/O (issue 16, finding 5): a body or
// a reader that trickles bytes resets the inactivity timeouts forever, so the
// rate is what cuts it off. Time is passed in, so each deadline is exact.

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>

#include "httpcore/server/session.hpp"

namespace httpcore::server {
namespace {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";

// POST: the buffered body back. PUT: the body streamed back as it comes.
class echo_handler : public handler {
 public:
  bool stream_body(const h1::request_head& head) override { return head.method == "PUT"; }
  void on_request(const request& req, response& res) override {
    if (req.method() == "PUT") {
      res.start(200);
    } else if (req.target().starts_with("/big")) {
      res.send(200, std::string(256u << 10, 'x'));
    } else {
      res.send(200, req.body);
    }
  }
  void on_body(const request&, std::string_view piece, response& res) override { res.write(piece); }
  void on_body_end(const request&, response& res) override { res.end(); }
};

struct harness {
  echo_handler h;
  session_config config;
  std::unique_ptr<session> s;
  std::int64_t now = 1'000'000;

  explicit harness(session_config c) : config(c) {
    config.server_name = "";
    s = std::make_unique<session>(h, config, "127.0.0.1:5000", clock());
  }
  clock_now clock() const { return {now, kDate}; }
  void send(std::string_view bytes) {
    while (!bytes.empty() && s->wants_input()) {
      auto buf = s->read_buffer();
      std::size_t n = std::min(bytes.size(), buf.size());
      std::memcpy(buf.data(), bytes.data(), n);
      bytes.remove_prefix(n);
      s->commit_input(n, clock());
    }
  }
  // The peer takes up to `n` bytes of output.
  std::string take(std::size_t n) {
    std::string out;
    io_slice slices[16];
    while (n > 0 && s->queued_output() > 0) {
      std::size_t count = s->output(slices);
      std::size_t got = 0;
      for (std::size_t i = 0; i < count && n > 0; ++i) {
        std::size_t k = std::min(n, slices[i].size);
        out.append(static_cast<const char*>(slices[i].data), k);
        got += k;
        n -= k;
      }
      s->consume_output(got, clock());
    }
    return out;
  }
  // Closing (with its 408, if any, still queued) or closed.
  bool cut() const { return s->done() || !s->wants_input(); }
  // Advances the clock by `us` and fires the timer as a front end would.
  void wait(std::int64_t us) {
    now += us;
    if (now >= s->next_deadline()) s->on_timer(clock());
  }
};

session_config rates(std::uint32_t body, std::uint32_t send) {
  session_config c;
  c.min_body_rate = body;
  c.min_send_rate = send;
  c.rate_grace_us = 1'000'000;
  c.body_timeout_us = 30'000'000;  // inactivity alone would wait this long
  return c;
}

TEST(ServerSessionRate, BodyTricklingBelowTheRateGets408AtTheGraceDeadline) {
  harness t(rates(100, 0));
  t.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
  const std::int64_t body_start = t.now;
  // 1 byte every 100 ms: progress each time, 10 bytes/s on average.
  while (!t.cut() && t.now - body_start < 10'000'000) {
    t.wait(100'000);
    if (!t.cut()) t.send("x");
  }
  ASSERT_TRUE(t.cut()) << "a 10 bytes/s body was never cut off";
  EXPECT_EQ(t.now - body_start, 1'000'000) << "cut off at the end of the grace period";
  EXPECT_EQ(t.take(1 << 20).substr(0, 12), "HTTP/1.1 408");
}

TEST(ServerSessionRate, BodyAtTheRateIsServed) {
  harness t(rates(100, 0));
  t.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 600\r\n\r\n");
  // 20 bytes every 100 ms: 200 bytes/s, twice the minimum, for 3 s.
  for (int i = 0; i < 30; ++i) {
    t.wait(100'000);
    ASSERT_FALSE(t.cut()) << "cut off after " << i * 20 << " bytes";
    t.send(std::string(20, 'y'));
  }
  std::string out = t.take(1 << 20);
  EXPECT_EQ(out.substr(0, 12), "HTTP/1.1 200");
  EXPECT_NE(out.find(std::string(600, 'y')), std::string::npos);
}

TEST(ServerSessionRate, BurstThenSilenceIsCutWhenTheCreditRunsOut) {
  harness t(rates(100, 0));
  t.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
  const std::int64_t body_start = t.now;
  t.send(std::string(300, 'z'));  // 3 s of credit at 100 bytes/s
  EXPECT_EQ(t.s->next_deadline(), body_start + 3'000'000);
  t.wait(2'999'999);
  EXPECT_FALSE(t.cut());
  t.wait(1);
  EXPECT_TRUE(t.cut());
}

TEST(ServerSessionRate, ReaderBelowTheSendRateIsCutOff) {
  harness t(rates(0, 1000));
  t.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_GT(t.s->queued_output(), 200000u);
  const std::int64_t start = t.now;
  // 50 bytes every 100 ms: 500 bytes/s, half the minimum.
  while (!t.s->done() && t.now - start < 10'000'000) {
    t.wait(100'000);
    t.take(50);
  }
  ASSERT_TRUE(t.s->done()) << "a 500 bytes/s reader was never cut off";
  EXPECT_EQ(t.now - start, 1'000'000);
  EXPECT_EQ(t.s->queued_output(), 0u) << "what was queued is dropped";
}

TEST(ServerSessionRate, ReaderAtTheSendRateGetsEverything) {
  harness t(rates(0, 1000));
  t.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
  std::size_t total = t.s->queued_output(), taken = 0;
  for (int step = 0; t.s->queued_output() > 0; ++step) {
    ASSERT_LT(step, 10000);
    t.wait(100'000);
    ASSERT_FALSE(t.s->done()) << "cut off after " << taken << " of " << total;
    taken += t.take(20000).size();  // 200 KB/s
  }
  EXPECT_EQ(taken, total);
  EXPECT_TRUE(t.s->idle());
}

TEST(ServerSessionRate, TheSendMeterStartsWhenOutputIsQueued) {
  // A keep-alive connection idle for longer than the grace period: its next
  // response is measured from when it was queued, not from the last one.
  harness t(rates(0, 1000));
  t.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\na");
  t.take(1 << 20);
  t.wait(20'000'000);
  ASSERT_FALSE(t.s->done());
  t.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_GE(t.s->next_deadline(), t.now + 1'000'000);
}

TEST(ServerSessionRate, TimeSpentWithReadingPausedDoesNotCountAgainstTheBody) {
  // A streamed echo fills the output queue: the session stops reading the
  // body; a peer that takes the output (in time) then goes on sending, and its
  // body clock starts again rather than counting the pause.
  session_config c = rates(1000, 100);
  c.max_queued_output = 4096;
  harness t(c);
  t.send("PUT /stream HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
  t.send(std::string(8192, 'p'));
  ASSERT_FALSE(t.s->wants_input());
  t.wait(900'000);  // paused: no body bytes for 0.9 s, the body rate would be behind
  EXPECT_FALSE(t.s->done());
  t.take(1 << 20);  // 8 KB taken within the send grace
  ASSERT_TRUE(t.s->wants_input());
  EXPECT_EQ(t.s->next_deadline(), t.now + 1'000'000) << "a fresh body grace period";
}

}  // namespace
}  // namespace httpcore::server
