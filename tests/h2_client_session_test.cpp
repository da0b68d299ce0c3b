// h2::client_session against our HTTP/2 server (server::session with
// session_config::h2), in memory, no sockets: every frame split at every
// byte, bodies both ways, flow control held by the caller, 100 concurrent
// streams and the server's limit, RST_STREAM from either side, GOAWAY both
// ways, and a server that breaks the protocol.

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <memory>

#include "httpcore/h2/client.hpp"
#include "httpcore/h2/server.hpp"
#include "httpcore/server/session.hpp"

namespace httpcore::h2::test {
namespace {

using server::request;
using server::response;
using kind = client_event::kind;

// GET /hello, POST /echo (buffered), PUT /echo (streamed back), GET /big?N
// (N bytes written while writable()), GET /bighead (a 6000-byte field).
class handler : public server::handler {
 public:
  std::vector<std::string> completed;  // "target status"

  bool stream_body(const h1::request_head& head) override { return head.method == "PUT"; }
  void on_request(const request& req, response& res) override {
    if (req.method() == "PUT") return res.start(200);
    if (req.method() == "POST") return res.send(200, req.body);
    if (req.target() == "/bighead") {
      res.add_header("x-big", std::string(6000, 'h'));
      return res.send(200, "big head");
    }
    if (req.target().starts_with("/big?")) {
      res.start(200);
      return pump(
          res, std::make_shared<std::uint64_t>(std::stoull(std::string(req.target().substr(5)))));
    }
    res.add_header("Content-Type", "text/plain");
    res.send(200, "Hello, World!");
  }
  void on_body(const request&, std::string_view piece, response& res) override { res.write(piece); }
  void on_body_end(const request&, response& res) override { res.end(); }
  void on_complete(const summary& s) override {
    completed.push_back(std::string(s.target) + " " + std::to_string(s.status));
  }

 private:
  static void pump(response& res, std::shared_ptr<std::uint64_t> left) {
    std::string piece(4096, 'x');
    while (res.writable() && *left > 0) {
      std::size_t n = std::min<std::uint64_t>(piece.size(), *left);
      res.write(std::string_view(piece).substr(0, n));
      *left -= n;
    }
    if (*left > 0) return res.when_writable([left](response& r) { pump(r, left); });
    res.end();
  }
};

// What the client saw of one stream.
struct seen {
  std::vector<int> statuses;
  std::vector<field> fields, trailers;
  std::string body;
  bool ended = false, reset = false, remote = false;
  std::uint32_t code = 0;
  std::string detail;
  std::string get(std::string_view name) const {
    for (const auto& [n, v] : fields)
      if (n == name) return v;
    return "";
  }
};

// A client session and a server session joined in memory; bytes move both
// ways in reads of `piece` bytes.
struct link {
  handler h;
  server::session_config config;
  std::unique_ptr<server::session> server;
  client_session client;
  std::size_t piece = 1u << 30;
  bool consume = true;  // give data back to the window as soon as it is seen
  std::map<std::int32_t, seen> streams;
  std::vector<client_event> goaways, connection_errors;
  std::int64_t now_us = 1'000'000;

  explicit link(client_limits limits = {}, server::session_config base = {})
      : config(base), client(limits) {
    config.h2 = &server_protocol();
    config.server_name = "";
    server = std::make_unique<server::session>(h, config, "127.0.0.1:5000", now());
  }
  server::clock_now now() const { return {now_us, "Sun, 06 Nov 1994 08:49:37 GMT"}; }

  void take_events() {
    while (auto e = client.next_event()) {
      seen& s = streams[e->stream];
      switch (e->what) {
        case kind::response_head:
          s.statuses.push_back(e->status);
          s.fields = e->fields;
          break;
        case kind::data:
          s.body += e->data;
          if (consume) {
            EXPECT_TRUE(client.consume(e->stream, e->data.size()));
          }
          break;
        case kind::trailers:
          s.trailers = e->fields;
          break;
        case kind::stream_end:
          s.ended = true;
          break;
        case kind::stream_reset:
          s.reset = true;
          s.remote = e->remote;
          s.code = e->error_code;
          s.detail = e->data;
          break;
        case kind::goaway:
          goaways.push_back(*e);
          break;
        case kind::connection_error:
          connection_errors.push_back(*e);
          break;
      }
    }
  }

  // Moves bytes until neither side has anything more to say.
  void run(int max_rounds = 1'000'000) {
    for (int round = 0; round < max_rounds; ++round) {
      bool moved = false;
      to_server_.erase(0, at_);
      at_ = 0;
      client.produce(to_server_, 64u << 10);
      while (at_ < to_server_.size() && server->wants_input()) {
        auto buf = server->read_buffer();
        std::size_t n = std::min({buf.size(), piece, to_server_.size() - at_});
        std::memcpy(buf.data(), to_server_.data() + at_, n);
        at_ += n;
        server->commit_input(n, now());
        moved = true;
      }
      while (server->queued_output() > 0) {
        server::io_slice slice[1];
        if (server->output(slice) == 0) break;
        std::size_t n = std::min(slice[0].size, piece);
        client.receive({static_cast<const std::byte*>(slice[0].data), n});
        server->consume_output(n, now());
        moved = true;
        take_events();
      }
      take_events();
      if (!moved && at_ == to_server_.size() && !client.wants_write()) break;
    }
  }

 private:
  std::string to_server_;
  std::size_t at_ = 0;
};

std::int32_t get(client_session& c, std::string_view path, std::span<const field> headers = {}) {
  return c.submit({.method = "GET",
                   .scheme = "http",
                   .authority = "test.example",
                   .path = path,
                   .headers = headers});
}

TEST(H2ClientSession, GetAtEverySplit) {
  for (std::size_t piece : {1, 2, 3, 5, 8, 13, 64, 1 << 20}) {
    link l;
    l.piece = piece;
    std::int32_t id = get(l.client, "/hello");
    ASSERT_EQ(id, 1) << piece;
    l.run();
    const seen& s = l.streams[id];
    EXPECT_EQ(s.statuses, std::vector<int>{200}) << piece;
    EXPECT_EQ(s.get("content-type"), "text/plain") << piece;
    EXPECT_EQ(s.get("content-length"), "13") << piece;
    EXPECT_EQ(s.body, "Hello, World!") << piece;
    EXPECT_TRUE(s.ended && !s.reset) << piece;
    EXPECT_EQ(l.h.completed, std::vector<std::string>{"/hello 200"}) << piece;
    EXPECT_EQ(l.client.open_streams(), 0u);
    EXPECT_EQ(l.client.error(), client_error::none);
    EXPECT_TRUE(l.connection_errors.empty());
  }
}

// 70,000 bytes each way: more than a stream's window (64 KiB), so it only
// completes if each side gives its window back as the other consumes.
TEST(H2ClientSession, PostWithBodyAtEverySplit) {
  std::string body;
  for (int i = 0; body.size() < 70'000; ++i) body += std::to_string(i) + ",";
  for (std::size_t piece : {1, 7, 1000, 1 << 20}) {
    link l;
    l.piece = piece;
    std::int32_t id = l.client.submit({.method = "POST",
                                       .scheme = "http",
                                       .authority = "test.example",
                                       .path = "/echo",
                                       .body = body});
    l.run();
    const seen& s = l.streams[id];
    EXPECT_EQ(s.statuses, std::vector<int>{200}) << piece;
    EXPECT_EQ(s.body.size(), body.size()) << piece;
    EXPECT_TRUE(s.body == body) << piece;
    EXPECT_TRUE(s.ended) << piece;
  }
}

// A body given in pieces as body_room() allows, then trailers; the server
// streams it back as it comes.
TEST(H2ClientSession, StreamedBodyWithTrailers) {
  client_limits limits;
  limits.max_stream_body_buffer = 10'000;
  link l(limits);
  std::int32_t id = l.client.submit({.method = "PUT",
                                     .scheme = "http",
                                     .authority = "test.example",
                                     .path = "/echo",
                                     .streamed = true});
  ASSERT_GT(id, 0);
  std::string sent;
  EXPECT_FALSE(l.client.write_body(id, std::string(10'001, 'z')));
  EXPECT_EQ(l.client.last_error(), client_error::body_buffer_full);
  for (int round = 0; sent.size() < 200'000; ++round) {
    std::string piece(std::min<std::size_t>(l.client.body_room(id), 200'000 - sent.size()),
                      static_cast<char>('a' + round % 26));
    ASSERT_TRUE(l.client.write_body(id, piece));
    sent += piece;
    l.run();
  }
  std::vector<field> trailers = {{"x-checksum", "abc"}};
  ASSERT_TRUE(l.client.end_body(id, trailers));
  EXPECT_FALSE(l.client.write_body(id, "late"));
  EXPECT_EQ(l.client.last_error(), client_error::no_such_stream);
  l.run();
  const seen& s = l.streams[id];
  EXPECT_EQ(s.statuses, std::vector<int>{200});
  EXPECT_TRUE(s.body == sent) << s.body.size();
  EXPECT_TRUE(s.ended);
}

// The caller holds the data: the server stops at our stream window; once
// consumed, the rest comes.
TEST(H2ClientSession, FlowControlWaitsForTheCaller) {
  link l;
  l.consume = false;
  std::int32_t id = get(l.client, "/big?300000");
  l.run();
  EXPECT_EQ(l.streams[id].body.size(), 64u << 10);  // client_limits::initial_window
  EXPECT_FALSE(l.streams[id].ended);
  std::size_t consumed = 0;
  for (int round = 0; round < 20 && !l.streams[id].ended; ++round) {
    std::size_t seen = l.streams[id].body.size();
    ASSERT_TRUE(l.client.consume(id, seen - consumed));
    consumed = seen;
    l.run();
    EXPECT_LE(l.streams[id].body.size() - seen, 64u << 10);  // never past the window
  }
  EXPECT_TRUE(l.streams[id].ended);
  EXPECT_EQ(l.streams[id].body.size(), 300'000u);
  EXPECT_FALSE(l.client.consume(id, 1'000'000));  // more than was seen
  EXPECT_EQ(l.client.last_error(), client_error::no_such_stream);
}

TEST(H2ClientSession, HundredConcurrentStreams) {
  link l;
  std::vector<std::int32_t> ids;
  for (int i = 0; i < 100; ++i) ids.push_back(get(l.client, "/hello"));
  for (auto id : ids) ASSERT_GT(id, 0);
  EXPECT_EQ(l.client.open_streams(), 100u);
  EXPECT_EQ(get(l.client, "/hello"), 0);  // a 101st while 100 are in flight
  EXPECT_EQ(l.client.last_error(), client_error::too_many_streams);
  l.run();
  int ok = 0;
  for (auto id : ids) ok += l.streams[id].body == "Hello, World!" && l.streams[id].ended;
  EXPECT_EQ(ok, 100);
  EXPECT_EQ(l.h.completed.size(), 100u);
  EXPECT_EQ(l.client.open_streams(), 0u);
  EXPECT_GT(get(l.client, "/hello"), 0);
}

// The server allows 10 streams: the client learns it from SETTINGS and
// refuses the 11th itself, so the server never has to refuse one.
TEST(H2ClientSession, ServerStreamLimitIsHonoured) {
  server::session_config small;
  small.http2.max_concurrent_streams = 10;
  link l({}, small);
  l.run();  // the SETTINGS exchange
  EXPECT_EQ(l.client.stream_capacity(), 10u);
  std::vector<std::int32_t> ids;
  for (int i = 0; i < 10; ++i) ids.push_back(get(l.client, "/big?100000"));
  EXPECT_EQ(get(l.client, "/hello"), 0);
  EXPECT_EQ(l.client.last_error(), client_error::too_many_streams);
  l.run();
  for (auto id : ids) {
    EXPECT_EQ(l.streams[id].body.size(), 100'000u);
    EXPECT_FALSE(l.streams[id].reset);  // none REFUSED_STREAM
  }
}

// The caller resets a stream mid-body: the server reports the exchange, the
// unconsumed data goes back to the connection's window, and the connection
// serves more streams than that window would otherwise allow.
TEST(H2ClientSession, ResetByTheClient) {
  link l;
  l.consume = false;
  std::int32_t big = get(l.client, "/big?1000000");
  l.run();
  EXPECT_EQ(l.streams[big].body.size(), 64u << 10);
  ASSERT_TRUE(l.client.reset(big));
  EXPECT_FALSE(l.client.reset(big));
  EXPECT_EQ(l.client.last_error(), client_error::no_such_stream);
  l.consume = true;
  l.run();
  EXPECT_TRUE(l.streams[big].reset);
  EXPECT_FALSE(l.streams[big].remote);
  EXPECT_EQ(l.streams[big].code, 0x8u);  // CANCEL
  EXPECT_EQ(l.h.completed, std::vector<std::string>{"/big?1000000 200"});
  // 20 x 64 KiB unconsumed would exhaust a 1 MiB connection window.
  l.consume = false;
  for (int i = 0; i < 20; ++i) {
    std::int32_t id = get(l.client, "/big?100000");
    l.run();
    ASSERT_EQ(l.streams[id].body.size(), 65536u) << i;
    ASSERT_TRUE(l.client.reset(id)) << i;
  }
}

// The server resets a stream (a streamed body above its limit after the
// response began: CANCEL); the connection goes on.
TEST(H2ClientSession, ResetByTheServer) {
  server::session_config small;
  small.max_body_bytes = 1000;
  link l({}, small);
  std::int32_t id = l.client.submit({.method = "PUT",
                                     .scheme = "http",
                                     .authority = "test.example",
                                     .path = "/echo",
                                     .body = std::string(5000, 'p')});
  l.run();
  EXPECT_TRUE(l.streams[id].reset);
  EXPECT_TRUE(l.streams[id].remote);
  EXPECT_EQ(l.streams[id].code, 0x8u);
  std::int32_t next = get(l.client, "/hello");
  l.run();
  EXPECT_EQ(l.streams[next].body, "Hello, World!");
}

// Server shutdown: GOAWAY with the last stream it took; that stream still
// completes, and new requests are refused by the client itself.
TEST(H2ClientSession, GoawayFromTheServer) {
  link l;
  std::int32_t id = get(l.client, "/big?200000");
  l.run(3);
  l.server->begin_shutdown(l.now());
  l.run();
  ASSERT_EQ(l.goaways.size(), 1u);
  EXPECT_EQ(l.goaways[0].error_code, 0u);
  EXPECT_EQ(l.goaways[0].last_stream_id, id);
  EXPECT_EQ(l.streams[id].body.size(), 200'000u);
  EXPECT_TRUE(l.streams[id].ended);
  EXPECT_EQ(get(l.client, "/hello"), 0);
  EXPECT_EQ(l.client.last_error(), client_error::going_away);
  EXPECT_TRUE(l.client.finished());
  EXPECT_TRUE(l.server->done());
}

TEST(H2ClientSession, GoawayFromTheClient) {
  link l;
  std::int32_t id = get(l.client, "/hello");
  l.client.shutdown();
  l.run();
  EXPECT_TRUE(l.streams[id].ended);
  EXPECT_EQ(get(l.client, "/hello"), 0);
  EXPECT_EQ(l.client.last_error(), client_error::going_away);
  EXPECT_TRUE(l.client.finished());
  EXPECT_TRUE(l.server->done());
}

// Limits on what we send and what we take.
TEST(H2ClientSession, HeaderListLimits) {
  server::session_config small;
  small.http2.max_header_list_size = 4096;
  client_limits limits;
  limits.max_header_list_size = 2048;
  link l(limits, small);
  l.run();
  std::vector<field> big = {{"x-filler", std::string(3000, 'a')}};
  EXPECT_EQ(get(l.client, "/hello", big), 0);
  EXPECT_EQ(l.client.last_error(), client_error::header_list_too_large);
  std::vector<field> upper = {{"X-Upper", "1"}};
  EXPECT_EQ(get(l.client, "/hello", upper), 0);
  EXPECT_EQ(l.client.last_error(), client_error::invalid_request);
  std::vector<field> conn = {{"connection", "close"}};
  EXPECT_EQ(get(l.client, "/hello", conn), 0);
  EXPECT_EQ(l.client.last_error(), client_error::invalid_request);
  std::int32_t id = get(l.client, "/bighead");  // a 6000-byte response field
  std::int32_t next = get(l.client, "/hello");
  l.run();
  EXPECT_TRUE(l.streams[id].reset);
  EXPECT_FALSE(l.streams[id].remote);
  EXPECT_EQ(l.streams[id].code, 0xbu);  // ENHANCE_YOUR_CALM
  EXPECT_NE(l.streams[id].detail.find("max_header_list_size"), std::string::npos);
  EXPECT_TRUE(l.streams[id].statuses.empty());
  EXPECT_EQ(l.streams[next].body, "Hello, World!");
}

// Bytes no HTTP/2 server would send: the connection ends with a GOAWAY of
// ours naming the error, and streams in flight are reset.
TEST(H2ClientSession, ServerThatBreaksTheProtocol) {
  client_session c;
  std::int32_t id = get(c, "/hello");
  std::string out;
  c.produce(out);
  // SETTINGS (empty), then DATA on stream 0 (RFC 9113 §6.1: PROTOCOL_ERROR).
  std::string bad(
      "\0\0\0\x04\0\0\0\0\0"
      "\0\0\x01\0\0\0\0\0\0x",
      19);
  c.receive({reinterpret_cast<const std::byte*>(bad.data()), bad.size()});
  EXPECT_EQ(c.error(), client_error::protocol_error);
  EXPECT_NE(c.error_detail().find("PROTOCOL_ERROR"), std::string::npos) << c.error_detail();
  std::vector<client_event> events;
  while (auto e = c.next_event()) events.push_back(*e);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].what, kind::stream_reset);
  EXPECT_EQ(events[0].stream, id);
  EXPECT_EQ(events[1].what, kind::connection_error);
  out.clear();
  c.produce(out);
  // Our GOAWAY (type 7) with PROTOCOL_ERROR (1) is among the frames that follow.
  std::uint32_t goaway_code = 0xffff'ffff;
  for (std::size_t at = 0; at + 9 <= out.size();) {
    auto byte = [&](std::size_t i) {
      return static_cast<std::uint32_t>(static_cast<std::uint8_t>(out[i]));
    };
    std::size_t len = (byte(at) << 16) | (byte(at + 1) << 8) | byte(at + 2);
    if (byte(at + 3) == 7 && at + 9 + 8 <= out.size())
      goaway_code =
          (byte(at + 13) << 24) | (byte(at + 14) << 16) | (byte(at + 15) << 8) | byte(at + 16);
    at += 9 + len;
  }
  EXPECT_EQ(goaway_code, 1u);
  EXPECT_TRUE(c.finished());
  EXPECT_EQ(get(c, "/hello"), 0);
}

TEST(H2ClientSession, ServerClosingMidStreamResetsIt) {
  link l;
  std::int32_t id = get(l.client, "/big?500000");
  l.run(2);
  ASSERT_FALSE(l.streams[id].ended);
  l.client.on_peer_closed();
  l.take_events();
  EXPECT_TRUE(l.streams[id].reset);
  EXPECT_EQ(l.client.error(), client_error::connection_closed);
  ASSERT_EQ(l.connection_errors.size(), 1u);
  EXPECT_TRUE(l.client.finished());
}

TEST(H2ClientSession, NamesAreStable) {
  EXPECT_EQ(to_string(client_error::too_many_streams), "too_many_streams");
  EXPECT_EQ(to_string(kind::stream_reset), "stream_reset");
  EXPECT_EQ(error_code_name(0xb), "ENHANCE_YOUR_CALM");
  EXPECT_EQ(error_code_name(0x99), "unknown");
}

}  // namespace
}  // namespace httpcore::h2::test
