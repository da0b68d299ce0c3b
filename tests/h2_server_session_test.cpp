// HTTP/2 through server::session (session_config::h2), in memory against
// nghttp2's client: requests and responses with every frame split at every
// byte, bodies both ways, flow control and backpressure, limits, the h2c
// upgrade, GOAWAY, and the flood protections.

#include <gtest/gtest.h>

#include <cstring>

#include "httpcore/h2/server.hpp"
#include "support/h2_client.hpp"
#include "support/session_harness.hpp"

namespace httpcore::h2::test {
namespace {

using server::request;
using server::response;

// GET /hello, POST /echo (buffered), PUT /echo (streamed back as it comes),
// GET /big?N (a streamed response of N bytes written while writable()),
// GET /sized?D&W (D bytes declared with start_with_length(), W written).
class handler : public server::handler {
 public:
  std::vector<std::string> log;
  std::uint64_t big_written = 0;

  bool stream_body(const h1::request_head& head) override { return head.method == "PUT"; }

  void on_request(const request& req, response& res) override {
    std::string host(req.header("host"));
    log.push_back(std::string(req.method()) + " " + std::string(req.target()) + " host=" + host);
    if (req.method() == "PUT") return res.start(200);
    if (req.method() == "POST") return res.send(200, req.body);
    if (req.target().starts_with("/sized?")) {
      std::string_view q = req.target().substr(7);
      std::size_t amp = q.find('&');
      res.start_with_length(200, std::stoull(std::string(q.substr(0, amp))));
      std::string body(std::stoull(std::string(q.substr(amp + 1))), 'x');
      res.write(body);
      res.end();
      return;
    }
    if (req.target().starts_with("/big?")) {
      big_size = std::stoull(std::string(req.target().substr(5)));
      res.start(200);
      pump(res);
      return;
    }
    res.add_header("Content-Type", "text/plain");
    res.send(200, "Hello, World!");
  }
  void on_body(const request&, std::string_view piece, response& res) override { res.write(piece); }
  void on_body_end(const request&, response& res) override { res.end(); }
  void on_complete(const summary& s) override {
    log.push_back("done " + std::to_string(s.status) + " " + std::to_string(s.body_bytes));
    protocols.emplace_back(s.protocol);
  }
  std::vector<std::string> protocols;  // summary::protocol of each exchange

 private:
  std::uint64_t big_size = 0;
  void pump(response& res) {
    std::string piece(4096, 'x');
    while (res.writable() && big_written < big_size) {
      std::size_t n = std::min<std::uint64_t>(piece.size(), big_size - big_written);
      res.write(std::string_view(piece).substr(0, n));
      big_written += n;
    }
    if (big_written < big_size) {
      res.when_writable([this](response& r) { pump(r); });
    } else {
      res.end();
    }
  }
};

struct fixture {
  handler h;
  server::session_config config;
  std::unique_ptr<server::session> s;
  client c;
  std::unique_ptr<link> l;

  explicit fixture(std::uint32_t assume_peer_streams = 100, bool auto_window = true,
                   server::session_config base = {})
      : config(base), c(assume_peer_streams, auto_window) {
    config.h2 = &server_protocol();
    config.server_name = "";
    s = std::make_unique<server::session>(h, config, "127.0.0.1:5000",
                                          server::clock_now{1'000'000, {}});
    l = std::make_unique<link>(*s, c);
    c.preface();
  }
};

TEST(H2ServerSession, GetAtEverySplit) {
  for (std::size_t piece : {1, 2, 3, 5, 8, 13, 64, 1 << 20}) {
    fixture f;
    f.l->piece = piece;
    std::int32_t id = f.c.request("GET", "/hello");
    f.l->run();
    ASSERT_TRUE(f.s->switched_protocol()) << piece;
    const reply& r = f.c.replies[id];
    EXPECT_EQ(r.status, 200) << piece;
    EXPECT_EQ(r.body, "Hello, World!") << piece;
    EXPECT_EQ(r.field("content-type"), "text/plain");
    EXPECT_EQ(r.field("content-length"), "13");
    EXPECT_TRUE(r.closed);
    EXPECT_EQ(r.error, 0u);
    ASSERT_EQ(f.h.log.size(), 2u);
    EXPECT_EQ(f.h.log[0], "GET /hello host=test.example");  // :authority as Host
    EXPECT_EQ(f.h.log[1], "done 200 13");
    EXPECT_EQ(f.h.protocols, std::vector<std::string>{"h2"});  // the access log's "proto"
  }
}

TEST(H2ServerSession, HeadHasLengthAndNoBody) {
  fixture f;
  std::int32_t id = f.c.request("HEAD", "/hello");
  f.l->run();
  EXPECT_EQ(f.c.replies[id].status, 200);
  EXPECT_EQ(f.c.replies[id].field("content-length"), "13");
  EXPECT_EQ(f.c.replies[id].body, "");
}

// A body larger than the stream's initial window (64 KiB) only arrives if the
// server gives the window back as it takes the body: buffered (POST, echoed
// whole) and streamed (PUT, echoed piece by piece as it arrives).
// start_with_length(): content-length on the HEADERS (for HEAD too, which
// gets no DATA), and a body that breaks its length is reset, never ended.
TEST(H2ServerSession, DeclaredLengthIsSentAndKept) {
  fixture f;
  std::int32_t good = f.c.request("GET", "/sized?70000&70000");
  std::int32_t head = f.c.request("HEAD", "/sized?70000&0");
  std::int32_t shorter = f.c.request("GET", "/sized?70000&100");
  std::int32_t longer = f.c.request("GET", "/sized?100&101");
  f.l->run();
  EXPECT_EQ(f.c.replies[good].field("content-length"), "70000");
  EXPECT_EQ(f.c.replies[good].body, std::string(70000, 'x'));
  EXPECT_EQ(f.c.replies[good].error, 0u);
  EXPECT_EQ(f.c.replies[head].field("content-length"), "70000");
  EXPECT_EQ(f.c.replies[head].body, "");
  EXPECT_EQ(f.c.replies[head].error, 0u);
  // (The reset may overtake the HEADERS: nghttp2 sends RST_STREAM first.)
  for (std::int32_t id : {shorter, longer})
    EXPECT_EQ(f.c.replies[id].error, static_cast<std::uint32_t>(NGHTTP2_INTERNAL_ERROR)) << id;
}

TEST(H2ServerSession, BufferedAndStreamedBodiesAtSplits) {
  std::string whole;
  for (int i = 0; whole.size() < 300'000; ++i) whole += std::to_string(i) + ",";
  for (std::size_t piece : {1, 1000, 1 << 20}) {
    // A byte at a time: the POST alone, just over the window (the PUT's echo
    // in 1-byte DATA frames would take seconds under the sanitizers).
    std::string body = whole.substr(0, piece == 1 ? 66'000 : 300'000);
    fixture f;
    f.l->piece = piece;
    std::int32_t post = f.c.request("POST", "/echo", &body);
    std::int32_t put = piece == 1 ? 0 : f.c.request("PUT", "/echo", &body);
    f.l->run();
    EXPECT_EQ(f.c.replies[post].status, 200) << piece;
    EXPECT_EQ(f.c.replies[post].body.size(), body.size()) << piece;
    EXPECT_TRUE(f.c.replies[post].body == body) << piece;
    if (put == 0) continue;
    EXPECT_EQ(f.c.replies[put].status, 200) << piece;
    EXPECT_TRUE(f.c.replies[put].body == body) << piece;
  }
}

// 110 requests sent at once by a client that ignores the advertised limit
// (it assumes 1000): the server serves 100 and refuses 10, one by one, and
// the connection lives on.
TEST(H2ServerSession, StreamsAboveTheLimitAreRefused) {
  fixture f(1000);
  std::vector<std::int32_t> ids;
  for (int i = 0; i < 110; ++i) ids.push_back(f.c.request("GET", "/hello"));
  f.l->run();
  int ok = 0, refused = 0;
  for (auto id : ids) {
    const reply& r = f.c.replies[id];
    if (r.status == 200 && r.body == "Hello, World!") ++ok;
    if (r.closed && r.error == NGHTTP2_REFUSED_STREAM) ++refused;
  }
  EXPECT_EQ(ok, 100);
  EXPECT_EQ(refused, 10);
  EXPECT_FALSE(f.c.goaway);
  std::int32_t after = f.c.request("GET", "/hello");
  f.l->run();
  EXPECT_EQ(f.c.replies[after].status, 200);
}

TEST(H2ServerSession, AdvertisesTheStreamLimit) {
  fixture f;
  f.l->run();
  EXPECT_EQ(nghttp2_session_get_remote_settings(f.c.ng, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS),
            100u);
  EXPECT_EQ(nghttp2_session_get_remote_settings(f.c.ng, NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE),
            64u << 10);
}

TEST(H2ServerSession, HeaderListTooLargeGets431) {
  server::session_config small;
  small.http2.max_header_list_size = 16u << 10;
  fixture f(100, true, small);
  std::vector<std::pair<std::string, std::string>> big;
  for (int i = 0; i < 5; ++i)
    big.emplace_back("x-filler-" + std::to_string(i), std::string(4000, 'a'));
  std::int32_t id = f.c.request("GET", "/hello", nullptr, big);
  std::int32_t next = f.c.request("GET", "/hello");
  f.l->run();
  EXPECT_EQ(f.c.replies[id].status, 431);
  EXPECT_EQ(f.c.replies[next].status, 200);  // the connection goes on
}

// RFC 9113 §8.2.1 and §8.3: nghttp2's messaging checks reset malformed requests.
TEST(H2ServerSession, MalformedRequestsAreReset) {
  fixture f;
  std::int32_t upper = f.c.request("GET", "/hello", nullptr, {{"X-Upper", "1"}});
  std::int32_t conn = f.c.request("GET", "/hello", nullptr, {{"connection", "close"}});
  // nghttp2 would drop this field and serve the rest; on_invalid_header resets.
  std::int32_t space = f.c.request("GET", "/hello", nullptr, {{"x bad", "1"}});
  std::int32_t good = f.c.request("GET", "/hello");
  f.l->run();
  EXPECT_EQ(f.c.replies[space].error, NGHTTP2_PROTOCOL_ERROR);
  EXPECT_EQ(f.c.replies[space].status, 0);
  EXPECT_EQ(f.c.replies[upper].error, NGHTTP2_PROTOCOL_ERROR);
  EXPECT_EQ(f.c.replies[upper].status, 0);
  EXPECT_EQ(f.c.replies[conn].error, NGHTTP2_PROTOCOL_ERROR);
  EXPECT_EQ(f.c.replies[good].status, 200);
  EXPECT_EQ(f.h.log.size(), 2u);  // only the good one reached the handler
}

// A reader that opens no window: the streamed response pauses at what flow
// control and the bounds allow (the handler is not called back), then goes
// on to the end once the client reads.
TEST(H2ServerSession, SlowReaderPausesTheWriter) {
  fixture f(100, false);
  constexpr std::uint64_t total = 8u << 20;
  std::int32_t id = f.c.request("GET", "/big?" + std::to_string(total));
  f.l->run();
  // The peer's initial window is 64 KiB: at most that went out; the writer
  // stopped once the stream held max_stream_output.
  EXPECT_LE(f.c.replies[id].body.size(), 65535u);
  EXPECT_LE(f.h.big_written, 65535u + f.config.http2.max_stream_output + 4096);
  std::uint64_t stalled_at = f.h.big_written;
  f.l->run();
  EXPECT_EQ(f.h.big_written, stalled_at);
  // The client reads: everything arrives.
  std::size_t consumed = 0;
  for (int i = 0; i < 10000 && !f.c.replies[id].closed; ++i) {
    std::size_t got = f.c.replies[id].body.size();
    nghttp2_session_consume(f.c.ng, id, got - consumed);
    consumed = got;
    f.l->run();
  }
  EXPECT_EQ(f.c.replies[id].body.size(), total);
  EXPECT_EQ(f.h.big_written, total);
}

// RFC 7540 §3.2: a body-less HTTP/1.1 request with Upgrade: h2c gets a 101,
// and its response comes on stream 1 over HTTP/2.
TEST(H2ServerSession, UpgradeFromHttp1AnswersOnStream1) {
  fixture f;
  auto up = make_h2c_upgrade("/hello", "up.example");
  ASSERT_FALSE(up.settings.empty());
  server::test::feed_session(*f.s, up.request, f.l->now());
  ASSERT_TRUE(f.s->switched_protocol());
  std::string out = server::test::drain_session(*f.s, f.l->now());
  std::size_t end = out.find("\r\n\r\n");
  ASSERT_NE(end, std::string::npos);
  EXPECT_EQ(out.substr(0, end + 4),
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n");
  ASSERT_EQ(
      nghttp2_session_upgrade2(f.c.ng, reinterpret_cast<const std::uint8_t*>(up.settings.data()),
                               up.settings.size(), 0, nullptr),
      0);
  f.c.receive(out.substr(end + 4));
  f.l->run();
  EXPECT_EQ(f.c.replies[1].status, 200);
  EXPECT_EQ(f.c.replies[1].body, "Hello, World!");
  ASSERT_FALSE(f.h.log.empty());
  EXPECT_EQ(f.h.log[0], "GET /hello host=up.example");
  std::int32_t next = f.c.request("GET", "/hello");  // stream 3, plain HTTP/2
  f.l->run();
  EXPECT_EQ(f.c.replies[next].status, 200);
  // The upgrading request was answered over HTTP/2, and is logged so.
  EXPECT_EQ(f.h.protocols, (std::vector<std::string>{"h2", "h2"}));
}

// A body announced above max_buffered_body gets 413 at its head; the rest of
// it is taken and dropped, and the connection goes on.
TEST(H2ServerSession, BodyAboveTheLimitGets413) {
  server::session_config small;
  small.max_buffered_body = 1000;
  fixture f(100, true, small);
  std::string body(5000, 'b');
  std::int32_t id = f.c.request("POST", "/echo", &body, {{"content-length", "5000"}});
  std::int32_t chunked = f.c.request("POST", "/echo", &body);  // no length: found as it comes
  std::int32_t next = f.c.request("GET", "/hello");
  f.l->run();
  EXPECT_EQ(f.c.replies[id].status, 413);
  EXPECT_EQ(f.c.replies[chunked].status, 413);
  EXPECT_EQ(f.c.replies[next].status, 200);
  EXPECT_FALSE(f.c.goaway);
}

// Rapid reset (CVE-2023-44487): streams opened and reset at once, 400 of
// them, read 1 KiB at a time. nghttp2's limit (set in make_options: a burst
// of 200) answers with GOAWAY (INTERNAL_ERROR, graceful: streams it names
// still count), sent with the next output; streams after it are not served.
// Our control-frame budget (500) would end it later.
TEST(H2ServerSession, RapidResetEndsInGoaway) {
  fixture f;
  f.l->run();
  std::string bytes;
  for (int i = 0; i < 400; ++i) {
    std::int32_t id = f.c.request("GET", "/hello");
    bytes += f.c.take_output();
    nghttp2_submit_rst_stream(f.c.ng, NGHTTP2_FLAG_NONE, id, NGHTTP2_CANCEL);
    bytes += f.c.take_output();
  }
  std::size_t at = 0;
  while (at < bytes.size() && f.s->wants_input()) {
    auto buf = f.s->read_buffer();
    std::size_t n = std::min({buf.size(), bytes.size() - at, std::size_t{1024}});
    std::memcpy(buf.data(), bytes.data() + at, n);
    at += n;
    f.s->commit_input(n, f.l->now());
  }
  f.l->run();
  EXPECT_TRUE(f.c.goaway);
  EXPECT_EQ(f.c.goaway_code, NGHTTP2_INTERNAL_ERROR);
  EXPECT_LT(f.c.goaway_last_stream, 2 * 260);  // within a KiB of the 200th reset
  EXPECT_LT(f.h.log.size(), 2u * 260);         // the rest never reached the handler
  EXPECT_TRUE(f.s->done());
}

// Ours: a connection sending control frames that carry no request (here
// PINGs, each answered) runs out of its budget and gets GOAWAY.
TEST(H2ServerSession, PingFloodEndsInGoaway) {
  fixture f;
  std::uint8_t opaque[8] = {};
  for (int i = 0; i < 2000; ++i) nghttp2_submit_ping(f.c.ng, NGHTTP2_FLAG_NONE, opaque);
  f.l->run();
  EXPECT_TRUE(f.c.goaway);
  EXPECT_EQ(f.c.goaway_code, NGHTTP2_ENHANCE_YOUR_CALM);
  EXPECT_TRUE(f.s->done());
}

TEST(H2ServerSession, PingsWithinTheBudgetAreAnswered) {
  fixture f;
  std::uint8_t opaque[8] = {};
  for (int i = 0; i < 100; ++i) nghttp2_submit_ping(f.c.ng, NGHTTP2_FLAG_NONE, opaque);
  std::int32_t id = f.c.request("GET", "/hello");
  f.l->run();
  EXPECT_FALSE(f.c.goaway);
  EXPECT_EQ(f.c.replies[id].status, 200);
}

// Graceful shutdown: GOAWAY names the last stream taken; the response in
// flight still finishes, and then the connection is done.
TEST(H2ServerSession, ShutdownSendsGoawayAndFinishesInFlight) {
  fixture f(100, false);
  std::int32_t id = f.c.request("GET", "/big?300000");
  f.l->run();
  ASSERT_FALSE(f.c.replies[id].closed);  // the window held it back
  f.s->begin_shutdown(f.l->now());
  f.l->run();
  EXPECT_TRUE(f.c.goaway);
  EXPECT_EQ(f.c.goaway_code, NGHTTP2_NO_ERROR);
  EXPECT_EQ(f.c.goaway_last_stream, id);
  std::size_t consumed = 0;
  for (int i = 0; i < 1000 && !f.c.replies[id].closed; ++i) {
    std::size_t got = f.c.replies[id].body.size();
    nghttp2_session_consume(f.c.ng, id, got - consumed);
    consumed = got;
    f.l->run();
  }
  EXPECT_EQ(f.c.replies[id].body.size(), 300000u);
  EXPECT_TRUE(f.s->done());
}

// The idle timeout ends a connection with no stream open with a GOAWAY.
TEST(H2ServerSession, IdleConnectionGetsGoaway) {
  fixture f;
  f.l->run();
  f.l->now_us += f.config.idle_timeout_us + 1;
  ASSERT_LE(f.s->next_deadline(), f.l->now_us);
  f.s->on_timer(f.l->now());
  f.l->run();
  EXPECT_TRUE(f.c.goaway);
  EXPECT_TRUE(f.s->done());
}

// A peer that opens no window keeps a stream stalled: after the body timeout
// without progress the connection is let go.
TEST(H2ServerSession, ZeroWindowHeldOpenTimesOut) {
  fixture f(100, false);
  f.c.request("GET", "/big?300000");
  f.l->run();
  EXPECT_FALSE(f.s->done());
  f.l->now_us += f.config.body_timeout_us + 1;
  ASSERT_LE(f.s->next_deadline(), f.l->now_us);
  f.s->on_timer(f.l->now());
  f.l->run();
  EXPECT_TRUE(f.s->done());
  // The front end closes the connection: the stalled exchange is still
  // reported, with the bytes written before it stalled.
  f.l.reset();
  f.s.reset();
  ASSERT_FALSE(f.h.log.empty());
  EXPECT_EQ(f.h.log.back().rfind("done 200 ", 0), 0u) << f.h.log.back();
  EXPECT_GT(f.h.big_written, 0u);
}

}  // namespace
}  // namespace httpcore::h2::test
