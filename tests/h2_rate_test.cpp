// HTTP/2 peers that are too slow are cut off as HTTP/1 ones are: a request
// body trickled below session_config::min_body_rate, a response window
// opened a few bytes at a time (below min_send_rate), each measured per
// connection after rate_grace_us, ends in GOAWAY ENHANCE_YOUR_CALM; a shut
// window kept "alive" with PINGs is a stall (body_timeout_us), their ACKs
// being no progress. Sans I/O against nghttp2's client, on the clock passed in.

#include <gtest/gtest.h>

#include <cstring>

#include "httpcore/h2/server.hpp"
#include "support/h2_client.hpp"

namespace httpcore::h2::test {
namespace {

constexpr std::int64_t kSecond = 1'000'000;

// POST /echo buffered and echoed; GET /big streams 1 MB while writable().
class handler : public server::handler {
 public:
  std::vector<std::string> done;
  void on_request(const server::request& req, server::response& res) override {
    if (req.method() == "POST") return res.send(200, req.body);
    res.start(200);
    pump(res);
  }
  void on_complete(const summary& s) override {
    done.push_back(std::string(s.target) + " " + std::to_string(s.status));
  }

 private:
  std::size_t written_ = 0;
  void pump(server::response& res) {
    while (res.writable() && written_ < (1u << 20)) {
      res.write(std::string(4096, 'x'));
      written_ += 4096;
    }
    if (written_ < (1u << 20)) return res.when_writable([this](server::response& r) { pump(r); });
    res.end();
  }
};

struct fixture {
  handler h;
  server::session_config config;
  std::unique_ptr<server::session> s;
  client c{100, false};  // the window opens only when the test says
  std::unique_ptr<link> l;

  explicit fixture(std::vector<nghttp2_settings_entry> settings = {},
                   server::session_config base = {})
      : config(base) {
    config.h2 = &server_protocol();
    config.server_name = "";
    s = std::make_unique<server::session>(h, config, "127.0.0.1:5000",
                                          server::clock_now{1'000'000, {}});
    l = std::make_unique<link>(*s, c);
    c.preface(std::move(settings));
    l->run();
  }
  // One second passes, `step` runs on the client, bytes move, timers fire.
  template <class F>
  void second(F step) {
    l->now_us += kSecond;
    step();
    l->run();
    if (s->next_deadline() <= l->now_us) s->on_timer(l->now());
    l->run();
  }
  bool cut_off() const { return c.goaway && c.goaway_code == NGHTTP2_ENHANCE_YOUR_CALM; }
};

// A request whose body comes one DATA frame at a time.
struct body_source {
  std::string piece;
  static ssize_t read(nghttp2_session*, std::int32_t, std::uint8_t* buf, std::size_t len,
                      std::uint32_t* flags, nghttp2_data_source* src, void*) {
    auto* b = static_cast<body_source*>(src->ptr);
    std::size_t n = std::min(len, b->piece.size());
    std::memcpy(buf, b->piece.data(), n);
    b->piece.erase(0, n);
    if (b->piece.empty()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
};

std::int32_t open_post(client& c) {
  static std::string fields[] = {":method",    "POST", ":scheme", "http",
                                 ":authority", "x",    ":path",   "/echo"};
  nghttp2_nv nv[4];
  for (int i = 0; i < 4; ++i)
    nv[i] = {reinterpret_cast<std::uint8_t*>(fields[2 * i].data()),
             reinterpret_cast<std::uint8_t*>(fields[2 * i + 1].data()), fields[2 * i].size(),
             fields[2 * i + 1].size(), NGHTTP2_NV_FLAG_NONE};
  return nghttp2_submit_headers(c.ng, NGHTTP2_FLAG_NONE, -1, nullptr, nv, 4, nullptr);
}

void send_piece(client& c, std::int32_t id, body_source& src, std::size_t n, bool last) {
  src.piece.assign(n, 'b');
  nghttp2_data_provider p{};
  p.source.ptr = &src;
  p.read_callback = body_source::read;
  ASSERT_EQ(nghttp2_submit_data(c.ng, last ? NGHTTP2_FLAG_END_STREAM : NGHTTP2_FLAG_NONE, id, &p),
            0);
}

// The body timeout alone never fires here: a piece comes every second.
TEST(H2Rates, TrickledBodyBelowTheMinimumIsCutOff) {
  fixture f;
  ASSERT_EQ(f.config.min_body_rate, 256u);
  ASSERT_EQ(f.config.rate_grace_us, 5 * kSecond);
  body_source src;
  std::int32_t id = open_post(f.c);
  f.l->run();
  int seconds = 0;
  while (!f.cut_off() && seconds < 30) {
    f.second([&] { send_piece(f.c, id, src, 100, false); });
    ++seconds;
  }
  EXPECT_TRUE(f.cut_off());
  EXPECT_EQ(seconds, 5);  // the grace period, then 500 bytes were worth under 2 s
  EXPECT_TRUE(f.s->done());
  EXPECT_EQ(f.c.replies[id].status, 0);  // the handler never had the request
}

TEST(H2Rates, BodyAtTheMinimumIsServed) {
  fixture f;
  body_source src;
  std::int32_t id = open_post(f.c);
  f.l->run();
  for (int i = 0; i < 12; ++i) f.second([&] { send_piece(f.c, id, src, 300, false); });
  EXPECT_FALSE(f.c.goaway);
  f.second([&] { send_piece(f.c, id, src, 300, true); });
  EXPECT_EQ(f.c.replies[id].status, 200);
  EXPECT_EQ(f.c.replies[id].body.size(), 13u * 300);
}

// The client's stream window starts at 100 bytes and grows by `rate` a second.
int seconds_until_cut(std::uint32_t rate, int limit) {
  fixture f({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 100}});
  std::int32_t id = f.c.request("GET", "/big");
  f.l->run();
  EXPECT_EQ(f.c.replies[id].status, 200);
  int seconds = 0;
  while (!f.cut_off() && seconds < limit) {
    f.second([&] { nghttp2_submit_window_update(f.c.ng, NGHTTP2_FLAG_NONE, id, rate); });
    ++seconds;
  }
  // Each second the window opened and was filled before the timers ran.
  EXPECT_EQ(f.c.replies[id].body.size(), 100u + rate * static_cast<std::size_t>(seconds));
  return seconds;
}

TEST(H2Rates, WindowOpenedBelowTheMinimumIsCutOff) {
  EXPECT_EQ(seconds_until_cut(100, 30), 5);  // 100 B/s against 256
}

TEST(H2Rates, WindowOpenedAtTheMinimumIsServed) {
  EXPECT_EQ(seconds_until_cut(400, 12), 12);  // never cut: the loop ran out
}

// A shut window and a PING a second: the ACKs go out and are read, but they
// are not the response; after body_timeout_us without DATA taken it ends.
TEST(H2Rates, PingsDoNotKeepAShutWindowAlive) {
  fixture f;  // (min_send_rate does not fire first: the 64 KiB taken bought 256 s at 256 B/s)
  std::int32_t id = f.c.request("GET", "/big");
  f.l->run();
  EXPECT_EQ(f.c.replies[id].body.size(), 65535u);
  std::uint8_t opaque[8] = {};
  int seconds = 0;
  while (!f.s->done() && seconds < 60) {
    f.second([&] { nghttp2_submit_ping(f.c.ng, NGHTTP2_FLAG_NONE, opaque); });
    ++seconds;
  }
  EXPECT_TRUE(f.s->done());
  EXPECT_EQ(seconds, f.config.body_timeout_us / kSecond);
}

}  // namespace
}  // namespace httpcore::h2::test
