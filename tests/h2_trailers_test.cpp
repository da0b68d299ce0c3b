// HTTP/2 request trailers (a trailing HEADERS with END_STREAM, RFC 9113
// §8.1) reach the handler as HTTP/1's do: server::request::trailers in
// on_request for a buffered body, in on_body_end for a streamed one, nowhere
// else; another stream on the connection does not see them; a trailer block
// above http2_limits::max_header_list_size (counted apart from the head) is
// refused with 431 and never given to the handler. Our client session
// against our server session in memory, bytes split down to one.

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "httpcore/h2/client.hpp"
#include "httpcore/h2/server.hpp"
#include "httpcore/server/session.hpp"
#include "support/trailer_handler.hpp"

namespace httpcore::h2::test {
namespace {

using server::test::trailer_handler;

struct answer {
  int status = 0;
  std::string body;
  bool ended = false, reset = false;
};

// A client session and a server session joined in memory; bytes move both
// ways in reads of `piece` bytes.
struct link {
  trailer_handler h;
  server::session_config config;
  std::unique_ptr<server::session> server;
  client_session client;
  std::size_t piece = 1u << 30;
  std::map<std::int32_t, answer> answers;

  explicit link(server::session_config base = {}) : config(base) {
    config.h2 = &server_protocol();
    config.server_name = "";
    server = std::make_unique<server::session>(h, config, "127.0.0.1:5000", now());
  }
  static server::clock_now now() { return {1'000'000, "Sun, 06 Nov 1994 08:49:37 GMT"}; }

  void run() {
    for (int round = 0; round < 1'000'000; ++round) {
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
      }
      while (auto e = client.next_event()) {
        answer& a = answers[e->stream];
        if (e->what == client_event::kind::response_head) a.status = e->status;
        if (e->what == client_event::kind::data) {
          a.body += e->data;
          EXPECT_TRUE(client.consume(e->stream, e->data.size()));
        }
        if (e->what == client_event::kind::stream_end) a.ended = true;
        if (e->what == client_event::kind::stream_reset) a.reset = true;
      }
      if (!moved && at_ == to_server_.size() && !client.wants_write()) break;
    }
  }

  // A request whose body comes in two pieces, then `trailers`.
  std::int32_t send(std::string_view method, std::string_view path,
                    std::span<const field> trailers) {
    std::int32_t id = client.submit(
        {.method = method, .scheme = "http", .authority = "x", .path = path, .streamed = true});
    EXPECT_GT(id, 0);
    EXPECT_TRUE(client.write_body(id, "hello"));
    run();
    EXPECT_TRUE(client.write_body(id, " world"));
    EXPECT_TRUE(client.end_body(id, trailers));
    return id;
  }

 private:
  std::string to_server_;
  std::size_t at_ = 0;
};

const std::vector<field> kTrailers = {{"x-checksum", "abc123"}, {"x-count", "2"}};

TEST(H2Trailers, BufferedBodyGivesThemToOnRequestAtEverySplit) {
  for (std::size_t piece : {1, 2, 3, 7, 13, 64, 1 << 20}) {
    link l;
    l.piece = piece;
    std::int32_t id = l.send("POST", "/b", kTrailers);
    l.run();
    EXPECT_EQ(l.answers[id].status, 200) << piece;
    EXPECT_EQ(l.answers[id].body, "x-checksum=abc123;x-count=2;") << piece;
    EXPECT_EQ(l.h.seen, std::vector<std::string>{"on_request /b x-checksum=abc123;x-count=2;"})
        << piece;
    EXPECT_EQ(l.h.first_checksum, "abc123") << piece;  // request::trailer("X-Checksum")
  }
}

TEST(H2Trailers, StreamedBodyGivesThemToOnBodyEndOnly) {
  for (std::size_t piece : {1, 5, 1 << 20}) {
    link l;
    l.piece = piece;
    std::int32_t id = l.send("PUT", "/s", kTrailers);
    l.run();
    EXPECT_EQ(l.answers[id].body, "x-checksum=abc123;x-count=2;") << piece;
    EXPECT_TRUE(l.answers[id].ended) << piece;
    EXPECT_GE(l.h.calls, 3) << piece;  // on_request, on_body..., on_body_end
    EXPECT_EQ(l.h.seen, std::vector<std::string>{"on_body_end /s x-checksum=abc123;x-count=2;"})
        << piece;
  }
}

// Two streams at once: only the one that sent trailers has them; one that
// ended its body with DATA (no trailing HEADERS) has none.
TEST(H2Trailers, OnlyTheStreamThatSentThem) {
  link l;
  std::int32_t with = l.send("POST", "/with", kTrailers);
  std::int32_t without = l.send("POST", "/without", {});
  l.run();
  EXPECT_EQ(l.answers[with].body, "x-checksum=abc123;x-count=2;");
  EXPECT_EQ(l.answers[without].status, 200);
  EXPECT_EQ(l.answers[without].body, "");
  EXPECT_EQ(l.h.seen, std::vector<std::string>{"on_request /with x-checksum=abc123;x-count=2;"});
}

// The bound: name + value + 32 per field (RFC 9113 §6.5.2), for the
// trailers apart from the head. Above it: 431 (buffered, nothing sent yet)
// or a reset stream (streamed, the response begun); the handler never sees
// them. At the bound: served.
TEST(H2Trailers, AboveTheHeaderListSizeIsRefused) {
  server::session_config c;
  c.http2.max_header_list_size = 1024;
  std::vector<field> big = {{"x-big", std::string(1024 - 32 - 5 + 1, 'b')}};
  std::vector<field> fits = {{"x-big", std::string(1024 - 32 - 5, 'b')}};
  for (std::size_t piece : {1, 1 << 20}) {
    link l(c);
    l.piece = piece;
    std::int32_t buffered = l.send("POST", "/big", big);
    l.run();
    EXPECT_EQ(l.answers[buffered].status, 431) << piece;
    std::int32_t streamed = l.send("PUT", "/big", big);
    l.run();
    EXPECT_TRUE(l.answers[streamed].reset) << piece;
    EXPECT_TRUE(l.h.seen.empty()) << piece;
    std::int32_t ok = l.send("POST", "/fits", fits);
    l.run();
    EXPECT_EQ(l.answers[ok].status, 200) << piece;
    EXPECT_EQ(l.answers[ok].body.size(), 6 + fits[0].second.size() + 1) << piece;
  }
}

}  // namespace
}  // namespace httpcore::h2::test
