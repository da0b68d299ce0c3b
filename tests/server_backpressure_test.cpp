// Backpressure for streamed responses, sans I/O: a writer that writes while
// response::writable() and waits in response::when_writable() holds about the
// session's output bound whatever the response's size, gets called back as the
// peer reads, and is freed (and its exchange still reported) when the
// connection ends under it.

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "httpcore/h1/parser.hpp"
#include "httpcore/server/session.hpp"

namespace httpcore::server {
namespace {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";
constexpr std::size_t kPiece = 64u << 10;

// What a large static file is to the session: `total` bytes of a pattern,
// produced a piece at a time, only while the connection has room.
struct stream_state {
  std::uint64_t total = 0, sent = 0;
  bool stall = false;  // a broken writer: asks to be called back, writes nothing
};

char pattern_at(std::uint64_t i) {
  return static_cast<char>('a' + i % 23);
}

void pump(const std::shared_ptr<stream_state>& st, response& res) {
  std::string piece;
  while (!st->stall && res.writable() && st->sent < st->total) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kPiece, st->total - st->sent));
    piece.resize(n);
    for (std::size_t i = 0; i < n; ++i) piece[i] = pattern_at(st->sent + i);
    res.write(piece);
    st->sent += n;
  }
  if (st->sent == st->total && !st->stall) {
    res.end();
    return;
  }
  res.when_writable([st](response& r) { pump(st, r); });
}

class streaming_handler : public handler {
 public:
  std::uint64_t total = 2u << 20;
  bool stall_later = false;
  std::weak_ptr<stream_state> current;
  std::vector<std::string> completed;  // "target status bytes"

  void on_request(const request& req, response& res) override {
    if (req.target() == "/small") {
      res.send(200, "small");
      return;
    }
    auto st = std::make_shared<stream_state>();
    st->total = total;
    current = st;
    res.start(200);
    pump(st, res);
    if (stall_later) st->stall = true;
  }
  void on_complete(const summary& s) override {
    completed.push_back(std::string(s.target) + " " + std::to_string(s.status) + " " +
                        std::to_string(s.body_bytes));
  }
};

struct harness {
  streaming_handler h;
  session_config config;
  std::unique_ptr<session> s;
  std::int64_t now = 1'000'000;
  std::string wire;

  harness() { s = std::make_unique<session>(h, config, "127.0.0.1:5000", clock()); }
  clock_now clock() const { return {now, kDate}; }

  void send(std::string_view bytes) {
    while (!bytes.empty() && s->wants_input()) {
      auto buf = s->read_buffer();
      std::size_t n = std::min(buf.size(), bytes.size());
      std::memcpy(buf.data(), bytes.data(), n);
      bytes.remove_prefix(n);
      s->commit_input(n, clock());
    }
  }
  // The peer reads up to `limit` bytes, as a socket with that much room would take.
  std::size_t read(std::size_t limit = SIZE_MAX) {
    std::size_t taken = 0;
    while (taken < limit && s->queued_output() > 0) {
      io_slice slices[16];
      std::size_t n = s->output(slices), step = 0;
      for (std::size_t i = 0; i < n && taken + step < limit; ++i) {
        std::size_t k = std::min(slices[i].size, limit - taken - step);
        wire.append(static_cast<const char*>(slices[i].data), k);
        step += k;
      }
      taken += step;
      s->consume_output(step, clock());
    }
    return taken;
  }
};

// Parses the responses on the wire (chunked bodies decoded).
std::vector<std::pair<int, std::string>> responses(std::string_view wire) {
  std::vector<std::pair<int, std::string>> out;
  h1::parser p(h1::role::client);
  while (!wire.empty()) {
    auto r = p.feed(wire);
    EXPECT_FALSE(r.err) << "bad response bytes";
    if (r.err) break;
    wire.remove_prefix(r.consumed);
    if (auto* head = std::get_if<h1::response_head>(&r.ev)) {
      out.emplace_back(head->status, "");
    } else if (auto* body = std::get_if<h1::body_data>(&r.ev)) {
      out.back().second.append(body->text());
    } else if (std::holds_alternative<h1::need_more>(r.ev) && r.consumed == 0) {
      break;
    }
  }
  return out;
}

bool is_pattern(std::string_view body, std::uint64_t total) {
  if (body.size() != total) return false;
  for (std::size_t i = 0; i < body.size(); ++i)
    if (body[i] != pattern_at(i)) return false;
  return true;
}

TEST(ServerBackpressure, AStreamedResponseHoldsAboutTheQueueBound) {
  harness t;
  t.send("GET /big?x=1 HTTP/1.1\r\nHost: a\r\n\r\n");
  // The peer has not read: the writer stopped at the high-water mark.
  std::size_t bound = t.config.max_queued_output + kPiece + 1024;
  EXPECT_LE(t.s->queued_output(), bound);
  {
    auto st = t.h.current.lock();
    ASSERT_TRUE(st) << "the writer must still be waiting";
    EXPECT_LT(st->sent, t.h.total / 4);
  }
  EXPECT_FALSE(t.s->wants_input()) << "the next request waits for the stream";
  // The peer reads a little at a time: the writer is called back, the queue
  // never grows past the bound, and the body arrives whole.
  for (int i = 0; i < 100000 && t.s->queued_output() > 0; ++i) {
    t.read(40000);
    ASSERT_LE(t.s->queued_output(), bound);
  }
  auto rs = responses(t.wire);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].first, 200);
  EXPECT_TRUE(is_pattern(rs[0].second, t.h.total));
  ASSERT_EQ(t.h.completed.size(), 1u);
  EXPECT_EQ(t.h.completed[0], "/big?x=1 200 " + std::to_string(t.h.total));
  EXPECT_TRUE(t.h.current.expired()) << "the writer's state is freed once it ended";
  EXPECT_TRUE(t.s->idle());
}

TEST(ServerBackpressure, APipelinedRequestWaitsForTheStreamToEnd) {
  harness t;
  t.send(
      "GET /big HTTP/1.1\r\nHost: a\r\n\r\n"
      "GET /small HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(t.h.completed.size(), 0u);
  t.read();
  auto rs = responses(t.wire);
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_TRUE(is_pattern(rs[0].second, t.h.total));
  EXPECT_EQ(rs[1].second, "small");
  ASSERT_EQ(t.h.completed.size(), 2u);
  EXPECT_EQ(t.h.completed[1], "/small 200 5");
}

TEST(ServerBackpressure, AWriterUnderAStalledPeerIsFreedAtTheWriteDeadline) {
  harness t;
  t.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
  t.read(1000);
  ASSERT_FALSE(t.h.current.expired());
  t.now += t.config.body_timeout_us + 1;
  ASSERT_GE(t.now, t.s->next_deadline());
  t.s->on_timer(t.clock());
  EXPECT_TRUE(t.h.current.expired()) << "the callback and what it held are dropped";
  EXPECT_TRUE(t.s->done());
  ASSERT_EQ(t.h.completed.size(), 1u);
  EXPECT_EQ(t.h.completed[0].rfind("/big 200 ", 0), 0u) << t.h.completed[0];
}

TEST(ServerBackpressure, AWriterIsFreedWhenTheConnectionGoes) {
  harness t;
  t.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_FALSE(t.h.current.expired());
  t.s.reset();  // the front end closed the socket (a write failed)
  EXPECT_TRUE(t.h.current.expired());
  EXPECT_EQ(t.h.completed.size(), 1u) << "the exchange is still reported";
}

TEST(ServerBackpressure, APeerHalfCloseLetsTheStreamFinishThenCloses) {
  harness t;
  t.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
  t.s->on_peer_closed(t.clock());
  t.read();
  auto rs = responses(t.wire);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_TRUE(is_pattern(rs[0].second, t.h.total));
  EXPECT_TRUE(t.s->done());
}

TEST(ServerBackpressure, AWriterThatWritesNothingOnAnEmptyQueueIsCutShort) {
  harness t;
  t.h.stall_later = true;
  t.send("GET /big HTTP/1.1\r\nHost: a\r\n\r\n");
  t.read();
  EXPECT_TRUE(t.s->done()) << "a writer that never writes must not hold the connection";
  EXPECT_EQ(t.wire.find("\r\n0\r\n\r\n"), std::string::npos) << "the body must look cut short";
  EXPECT_TRUE(t.h.current.expired());
}

TEST(ServerBackpressure, WritableFollowsTheHighWaterMark) {
  harness t;
  t.h.total = 1;  // ends at once: the response is short
  t.send("GET /one HTTP/1.1\r\nHost: a\r\n\r\n");
  t.read();
  auto rs = responses(t.wire);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].second, "a");
  EXPECT_TRUE(t.s->wants_input());
}

}  // namespace
}  // namespace httpcore::server
