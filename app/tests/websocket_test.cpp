// The app's WebSocket pieces through real server sessions (sans I/O): routes,
// the pub/sub hub (fan-out, unsubscribe on every kind of end, thread safety),
// permessage-deflate with the zlib codec both ways, and the serve handler's
// /ws/echo and /ws/chat.

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "deflate_codec.hpp"
#include "httpcore/app/hub.hpp"
#include "httpcore/server/session.hpp"
#include "httpcore/ws/deflate.hpp"
#include "httpcore/ws/writer.hpp"
#include "websocket.hpp"

namespace httpcore::app::test {
namespace {

server::clock_now now_at(std::int64_t us = 1'000'000) {
  return {us, "Sun, 06 Nov 1994 08:49:37 GMT"};
}

std::string upgrade_request(std::string_view path, std::string_view extra = {}) {
  return "GET " + std::string(path) +
         " HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
         "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
         std::string(extra) + "\r\n";
}

std::string masked(ws::opcode op, std::string_view payload, bool rsv1 = false) {
  static const ws::masking_key key{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}};
  std::string out;
  ws::append_frame(out, op, payload, true, rsv1, &key);
  return out;
}

struct frame {
  int opcode;
  bool rsv1;
  std::string payload;
};

// One client connection: a session, what it wrote, and its frames decoded.
class connection {
 public:
  connection(server::handler& h, std::string_view path, std::string_view extra = {})
      : session_(h, config_, "127.0.0.1:9", now_at()) {
    feed(upgrade_request(path, extra));
    std::size_t end = wire_.find("\r\n\r\n");
    head = wire_.substr(0, end + 4);
    wire_.erase(0, end + 4);
  }

  void feed(std::string_view bytes) {
    while (!bytes.empty() && session_.wants_input()) {
      auto buf = session_.read_buffer();
      std::size_t n = std::min(buf.size(), bytes.size());
      std::memcpy(buf.data(), bytes.data(), n);
      bytes.remove_prefix(n);
      session_.commit_input(n, now_at());
      drain();
    }
  }
  void drain() {
    while (session_.queued_output() > 0) {
      server::io_slice slices[8];
      std::size_t n = session_.output(slices), total = 0;
      for (std::size_t i = 0; i < n; ++i) {
        wire_.append(static_cast<const char*>(slices[i].data), slices[i].size);
        total += slices[i].size;
      }
      session_.consume_output(total, now_at());
    }
  }
  std::vector<frame> frames() {
    drain();
    std::vector<frame> out;
    while (wire_.size() >= 2) {
      auto b = [&](std::size_t i) { return static_cast<unsigned char>(wire_[i]); };
      std::size_t len = b(1) & 0x7f, at = 2;
      if (len == 126) {
        len = (b(2) << 8) | b(3);
        at = 4;
      } else if (len == 127) {
        len = 0;
        for (std::size_t i = 0; i < 8; ++i) len = (len << 8) | b(2 + i);
        at = 10;
      }
      if (wire_.size() < at + len) break;
      out.push_back({b(0) & 0x0f, (b(0) & 0x40) != 0, wire_.substr(at, len)});
      wire_.erase(0, at + len);
    }
    return out;
  }
  server::session& session() { return session_; }
  std::string head;

 private:
  server::session_config config_;  // before session_, which refers to it
  server::session session_;
  std::string wire_;
};

class routed_handler : public server::handler {
 public:
  explicit routed_handler(ws_router& r) : router_(r) {}
  void on_request(const server::request& req, server::response& res) override {
    if (!router_.handle(req.target(), req, res)) res.send(404, "");
  }

 private:
  ws_router& router_;
};

TEST(Hub, SubscribePublishUnsubscribe) {
  hub h;
  ws_router router(&h);
  ws_route r;
  r.on_open = [&](const peer_ptr& p) { h.subscribe("room", p); };
  router.add("/room", std::move(r));
  routed_handler handler(router);
  connection a(handler, "/room"), b(handler, "/room");
  EXPECT_EQ(h.subscribers("room"), 2u);
  EXPECT_EQ(h.size(), 2u);
  EXPECT_EQ(h.publish("room", "to all"), 2u);
  EXPECT_EQ(h.publish("elsewhere", "to none"), 0u);
  for (connection* c : {&a, &b}) {
    auto f = c->frames();
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].opcode, 1);
    EXPECT_EQ(f[0].payload, "to all");
  }
  EXPECT_EQ(h.publish("room", "bin", false), 2u);
  EXPECT_EQ(a.frames().at(0).opcode, 2);
  b.frames();
}

TEST(Hub, EveryWayAConnectionEndsLeavesTheHub) {
  hub h;
  ws_router router(&h);
  std::vector<std::uint16_t> codes;
  ws_route r;
  r.on_open = [&](const peer_ptr& p) {
    h.subscribe("a", p);
    h.subscribe("b", p);
  };
  r.on_close = [&](const peer_ptr&, std::uint16_t code, std::string_view) {
    codes.push_back(code);
  };
  router.add("/room", std::move(r));
  routed_handler handler(router);
  auto closing = std::make_unique<connection>(handler, "/room");
  auto failing = std::make_unique<connection>(handler, "/room");
  auto dropped = std::make_unique<connection>(handler, "/room");
  auto vanished = std::make_unique<connection>(handler, "/room");
  EXPECT_EQ(h.size(), 8u);
  closing->feed(masked(ws::opcode::close, ws::close_payload(1000)));
  EXPECT_EQ(h.size(), 6u);
  failing->feed(masked(ws::opcode::text, "\xff"));
  EXPECT_EQ(h.size(), 4u);
  dropped->session().on_peer_closed(now_at());
  EXPECT_EQ(h.size(), 2u);
  vanished.reset();  // the front end dropped it (stop, error): no close at all
  EXPECT_EQ(h.size(), 0u);
  EXPECT_EQ(h.subscribers("a"), 0u);
  EXPECT_EQ(codes, (std::vector<std::uint16_t>{1000, 1007, 1006, 1006}));
}

TEST(Hub, UnsubscribeOneTopicKeepsTheOthers) {
  hub h;
  ws_router router(&h);
  ws_route r;
  peer_ptr peer;
  r.on_open = [&](const peer_ptr& p) {
    peer = p;
    h.subscribe("a", p);
    h.subscribe("a", p);  // twice: once
    h.subscribe("b", p);
  };
  router.add("/room", std::move(r));
  routed_handler handler(router);
  connection c(handler, "/room");
  EXPECT_EQ(h.size(), 2u);
  h.unsubscribe("a", peer->id());
  EXPECT_EQ(h.subscribers("a"), 0u);
  EXPECT_EQ(h.subscribers("b"), 1u);
  h.unsubscribe("a", peer->id());  // not subscribed: no effect
  EXPECT_EQ(h.size(), 1u);
}

// A peer that only counts: the hub's locking under concurrent use.
class counting_peer final : public server::ws_peer {
 public:
  explicit counting_peer(std::uint64_t id) : id_(id) {}
  std::uint64_t id() const noexcept override { return id_; }
  void send_text(std::string_view) override { ++received; }
  void send_binary(std::span<const std::byte>) override { ++received; }
  void close(std::uint16_t, std::string_view) override {}
  std::atomic<int> received{0};

 private:
  std::uint64_t id_;
};

// A peer that keeps what send_shared() gave it.
class sharing_peer final : public server::ws_peer {
 public:
  explicit sharing_peer(std::uint64_t id) : id_(id) {}
  std::uint64_t id() const noexcept override { return id_; }
  void send_text(std::string_view) override { ++copies; }
  void send_binary(std::span<const std::byte>) override { ++copies; }
  void send_shared(std::shared_ptr<const std::string> m, bool) override { got = std::move(m); }
  void close(std::uint16_t, std::string_view) override {}
  std::shared_ptr<const std::string> got;
  int copies = 0;

 private:
  std::uint64_t id_;
};

TEST(Hub, APublishIsOneCopySharedByEverySubscriber) {
  hub h;
  std::vector<std::shared_ptr<sharing_peer>> peers;
  for (std::uint64_t i = 0; i < 30; ++i) {
    peers.push_back(std::make_shared<sharing_peer>(i + 1));
    h.subscribe("chat", peers.back());
  }
  std::string message(1u << 20, 'x');
  EXPECT_EQ(h.publish("chat", message, false), 30u);
  ASSERT_TRUE(peers[0]->got);
  EXPECT_EQ(*peers[0]->got, message);
  for (auto& p : peers) {
    EXPECT_EQ(p->got, peers[0]->got) << "the same buffer, not a copy each";
    EXPECT_EQ(p->copies, 0);
  }
}

TEST(Hub, ConcurrentSubscribersAndPublishers) {
  hub h;
  std::vector<std::shared_ptr<counting_peer>> peers;
  for (std::uint64_t i = 0; i < 32; ++i) peers.push_back(std::make_shared<counting_peer>(i + 1));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        auto& p = peers[static_cast<std::size_t>((t * 8 + round) % 32)];
        h.subscribe("t", p);
        h.publish("t", "x");
        if (round % 3 == 0) h.unsubscribe_all(p->id());
      }
    });
  }
  for (auto& t : threads) t.join();
  for (auto& p : peers) h.unsubscribe_all(p->id());
  EXPECT_EQ(h.size(), 0u);
  EXPECT_EQ(h.subscribers("t"), 0u);
}

TEST(WsRouter, OtherPathsAndMethodsAreNotWebSocket) {
  ws_router router;
  ws_route r;
  router.add("/ws", std::move(r));
  EXPECT_TRUE(router.has("/ws"));
  EXPECT_FALSE(router.has("/ws/"));
}

#ifdef HTTPCORE_APP_TEST_HAVE_DEFLATE
TEST(WsDeflate, EchoIsCompressedBothWaysWithContextTakeover) {
  ASSERT_TRUE(deflate_available());
  deflate_codec_factory factory;
  ws_router router(nullptr, &factory);
  ws_route echo;
  echo.on_message = [](const peer_ptr& p, std::string_view m, bool text) {
    if (text) {
      p->send_text(m);
    } else {
      p->send_binary(m);
    }
  };
  router.add("/echo", std::move(echo));
  routed_handler handler(router);
  connection c(handler, "/echo", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
  ASSERT_TRUE(c.head.starts_with("HTTP/1.1 101 ")) << c.head;
  ASSERT_NE(c.head.find("permessage-deflate"), std::string::npos) << c.head;

  ws::deflate_stream client = ws::deflate_stream::for_client(ws::deflate_params{});
  const std::string messages[] = {"hello hello hello hello", "", "hello again",
                                  std::string(100000, 'q')};
  for (const std::string& m : messages) {
    std::string compressed;
    client.sender().compress(std::string_view(m), true, compressed);
    if (compressed.empty()) compressed.push_back('\0');
    c.feed(masked(ws::opcode::text, compressed, true));
    auto f = c.frames();
    ASSERT_EQ(f.size(), 1u);
    EXPECT_TRUE(f[0].rsv1) << "the answer is compressed";
    std::string inflated;
    ASSERT_EQ(client.receiver().inflate(std::string_view(f[0].payload), true, inflated),
              ws::inflate_error::none);
    EXPECT_EQ(inflated, m);
  }
  c.feed(masked(ws::opcode::text, "uncompressed"));
  auto f = c.frames();
  ASSERT_EQ(f.size(), 1u);
  std::string inflated;
  ASSERT_EQ(client.receiver().inflate(std::string_view(f[0].payload), true, inflated),
            ws::inflate_error::none);
  EXPECT_EQ(inflated, "uncompressed");
}

TEST(WsDeflate, GarbageThatIsNotDeflateClosesWith1007) {
  deflate_codec_factory factory;
  ws_router router(nullptr, &factory);
  ws_route echo;
  echo.on_message = [](const peer_ptr&, std::string_view, bool) {};
  router.add("/echo", std::move(echo));
  routed_handler handler(router);
  connection c(handler, "/echo", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
  c.feed(masked(ws::opcode::binary, "\xff\xff\xff\xff", true));
  auto f = c.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].opcode, 8);
  EXPECT_EQ(f[0].payload.substr(0, 2), std::string("\x03\xef", 2));  // 1007
}

TEST(WsDeflate, ABombAboveTheLimitClosesWith1009) {
  deflate_codec_factory factory(1 << 20);
  ws_router router(nullptr, &factory);
  ws_route echo;
  echo.on_message = [](const peer_ptr&, std::string_view, bool) {};
  router.add("/echo", std::move(echo));
  routed_handler handler(router);
  connection c(handler, "/echo", "Sec-WebSocket-Extensions: permessage-deflate\r\n");
  ws::message_deflater d;
  std::string compressed;
  d.compress(std::string_view(std::string(4 << 20, 'z')), true, compressed);
  ASSERT_LT(compressed.size(), 64u << 10);
  c.feed(masked(ws::opcode::binary, compressed, true));
  auto f = c.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].payload.substr(0, 2), std::string("\x03\xf1", 2));  // 1009
}
#endif

}  // namespace
}  // namespace httpcore::app::test
