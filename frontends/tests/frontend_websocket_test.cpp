// WebSocket through real loopback sockets, for every front end: the protocol
// lives in the session, the mailboxes in frontends/common, the routes and the
// hub in app/, so the same rows pass everywhere.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "httpcore/app/hub.hpp"
#include "httpcore/frontend.hpp"
#include "support/availability.hpp"
#include "support/ws_client.hpp"
#include "websocket.hpp"

namespace httpcore::test {
namespace {

///   /ws/echo   every message back
///   /ws/chat   every message to every client (hub topic "chat")
///   /ws/hold   peers kept for the test to send to from its own thread
///   /ws/flood  on "go", a thread sends 16 KiB messages until the peer closes
class ws_test_handler : public server::handler {
 public:
  ws_test_handler() : router_(&chat) {
    app::ws_route echo;
    echo.on_message = [](const app::peer_ptr& p, std::string_view m, bool text) {
      if (text) {
        p->send_text(m);
      } else {
        p->send_binary(m);
      }
    };
    router_.add("/ws/echo", std::move(echo));

    app::ws_route chat_route;
    chat_route.on_open = [this](const app::peer_ptr& p) {
      chat.subscribe("chat", p);
      std::lock_guard lock(m_);
      open_threads.insert(std::this_thread::get_id());
    };
    chat_route.on_message = [this](const app::peer_ptr&, std::string_view m, bool text) {
      chat.publish("chat", m, text);
    };
    router_.add("/ws/chat", std::move(chat_route));

    app::ws_route hold;
    hold.on_open = [this](const app::peer_ptr& p) {
      std::lock_guard lock(m_);
      held.push_back(p);
    };
    hold.on_close = [this](const app::peer_ptr&, std::uint16_t code, std::string_view) {
      std::lock_guard lock(m_);
      close_codes.push_back(code);
    };
    router_.add("/ws/hold", std::move(hold));

    app::ws_route flood;
    flood.on_message = [this](const app::peer_ptr& p, std::string_view, bool) {
      flood_done = false;
      flooder_ = std::thread([this, p] {
        std::string chunk(16 << 10, 'f');
        auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!flood_done && std::chrono::steady_clock::now() < until) {
          p->send_binary(chunk);
          ++flood_sent;
          std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
      });
    };
    flood.on_close = [this](const app::peer_ptr&, std::uint16_t code, std::string_view) {
      std::lock_guard lock(m_);
      close_codes.push_back(code);
      flood_done = true;
    };
    router_.add("/ws/flood", std::move(flood));
  }
  ~ws_test_handler() override { join_flooder(); }

  void on_request(const server::request& req, server::response& res) override {
    if (!router_.handle(req.target(), req, res)) res.send(404, "not found");
  }

  void join_flooder() {
    flood_done = true;
    if (flooder_.joinable()) flooder_.join();
  }

  std::vector<app::peer_ptr> held_peers() {
    std::lock_guard lock(m_);
    return held;
  }
  std::vector<std::uint16_t> closes() {
    std::lock_guard lock(m_);
    return close_codes;
  }
  std::size_t threads_seen() {
    std::lock_guard lock(m_);
    return open_threads.size();
  }

  app::hub chat;
  std::atomic<bool> flood_done{false};
  std::atomic<int> flood_sent{0};

 private:
  app::ws_router router_;
  std::mutex m_;
  std::vector<app::peer_ptr> held;
  std::vector<std::uint16_t> close_codes;
  std::set<std::thread::id> open_threads;
  std::thread flooder_;
};

class websocket_test : public ::testing::TestWithParam<std::string_view> {
 protected:
  void SetUp() override { require_available(GetParam()); }

  server_options options(unsigned threads = 0) const {
    server_options o;
    o.host = "127.0.0.1";
    o.port = 0;
    // A threads worker holds one connection for its whole life: enough of them.
    o.threads = threads != 0 ? threads : GetParam() == "threads" ? 24 : 4;
    o.drain_timeout_us = 5'000'000;
    return o;
  }
  void start(const server_options& o) {
    fe_ = make_frontend(GetParam());
    ASSERT_NE(fe_, nullptr);
    fe_->start(handler_, o);
  }
  void start() { start(options()); }
  void TearDown() override {
    handler_.join_flooder();
    if (fe_) fe_->stop();
  }
  std::uint16_t port() const { return fe_->port(); }

  static bool eventually(const std::function<bool()>& condition,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    auto until = std::chrono::steady_clock::now() + timeout;
    while (!condition()) {
      if (std::chrono::steady_clock::now() > until) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return true;
  }

  ws_test_handler handler_;
  std::unique_ptr<frontend> fe_;
};

TEST_P(websocket_test, EchoesTextBinaryAndFragmentedMessages) {
  start();
  ws_client c(port());
  ASSERT_TRUE(c.send_text("hello"));
  auto f = c.read_message();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->opcode, ws_client::text);
  EXPECT_EQ(f->payload, "hello");

  std::string bin("\x00\x01\xfe\xff", 4);
  ASSERT_TRUE(c.send(ws_client::binary, bin));
  f = c.read_message();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->opcode, ws_client::binary);
  EXPECT_EQ(f->payload, bin);

  ASSERT_TRUE(c.send(ws_client::text, "frag", false));
  ASSERT_TRUE(c.send(ws_client::ping, "p"));
  ASSERT_TRUE(c.send(0, std::string(70000, 'm'), false));
  ASSERT_TRUE(c.send(0, "ented", true));
  f = c.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->opcode, ws_client::pong);
  EXPECT_EQ(f->payload, "p");
  f = c.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->payload, "frag" + std::string(70000, 'm') + "ented");
}

TEST_P(websocket_test, CloseHandshakeThenTheServerClosesTcp) {
  start();
  ws_client c(port());
  ASSERT_TRUE(c.send_close(1000, "bye"));
  auto f = c.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->opcode, ws_client::close_op);
  EXPECT_EQ(f->close_code(), 1000);
  EXPECT_TRUE(c.wait_tcp_close());
  EXPECT_TRUE(eventually([&] { return fe_->stats().connections == 0; }));
}

TEST_P(websocket_test, InvalidUtf8FailsTheConnectionWith1007) {
  start();
  ws_client c(port());
  ASSERT_TRUE(c.send(ws_client::text, "\xff"));
  auto f = c.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->close_code(), 1007);
  EXPECT_TRUE(c.wait_tcp_close());
}

TEST_P(websocket_test, SendsFromAnotherThreadReachThePeer) {
  start();
  ws_client c(port(), "/ws/hold");
  ASSERT_TRUE(eventually([&] { return handler_.held_peers().size() == 1; }));
  app::peer_ptr peer = handler_.held_peers()[0];
  std::thread sender([peer] {
    for (int i = 0; i < 50; ++i) peer->send_text("from outside " + std::to_string(i));
    peer->close(4000, "done");
  });
  sender.join();
  for (int i = 0; i < 50; ++i) {
    auto f = c.read_message();
    ASSERT_TRUE(f) << i;
    EXPECT_EQ(f->payload, "from outside " + std::to_string(i));
  }
  auto f = c.read_message();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->opcode, ws_client::close_op);
  EXPECT_EQ(f->close_code(), 4000);
  ASSERT_TRUE(c.send_close(4000));
  EXPECT_TRUE(c.wait_tcp_close());
  ASSERT_TRUE(eventually([&] { return handler_.closes().size() == 1; }));
  EXPECT_EQ(handler_.closes()[0], 4000);
  // The connection is gone; its handle is still held: sends are no-ops.
  peer->send_text("into the void");
  peer->close(1000, {});
}

TEST_P(websocket_test, ChatFansOutAcrossEventLoops) {
  start();
  constexpr int kClients = 12;
  std::vector<std::unique_ptr<ws_client>> clients;
  for (int i = 0; i < kClients; ++i)
    clients.push_back(std::make_unique<ws_client>(port(), "/ws/chat"));
  ASSERT_TRUE(eventually([&] { return handler_.chat.subscribers("chat") == kClients; }));
  EXPECT_GT(handler_.threads_seen(), 1u) << "clients spread over several loops or workers";
  for (int i = 0; i < kClients; ++i) ASSERT_TRUE(clients[i]->send_text("msg " + std::to_string(i)));
  for (int i = 0; i < kClients; ++i) {
    std::multiset<std::string> got;
    for (int k = 0; k < kClients; ++k) {
      auto f = clients[i]->read_message();
      ASSERT_TRUE(f) << "client " << i << " message " << k;
      got.insert(f->payload);
    }
    for (int k = 0; k < kClients; ++k) EXPECT_EQ(got.count("msg " + std::to_string(k)), 1u);
  }
}

TEST_P(websocket_test, PeersThatVanishAreUnsubscribed) {
  start();
  ws_client a(port(), "/ws/chat"), b(port(), "/ws/chat"), c(port(), "/ws/chat");
  ASSERT_TRUE(eventually([&] { return handler_.chat.size() == 3; }));
  a.reset();      // RST, no close frame
  b.close_tcp();  // FIN, no close frame
  ASSERT_TRUE(eventually([&] { return handler_.chat.size() == 1; }));
  EXPECT_EQ(handler_.chat.publish("chat", "still here"), 1u);
  auto f = c.read_message();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->payload, "still here");
  ASSERT_TRUE(c.send_close(1000));
  ASSERT_TRUE(c.read_frame());
  EXPECT_TRUE(eventually([&] { return handler_.chat.size() == 0; }));
}

TEST_P(websocket_test, SlowConsumerIsClosedWith1008) {
  auto o = options();
  o.session.websocket.max_queued_bytes = 256 << 10;
  start(o);
  ws_client c(port(), "/ws/flood", 16 << 10);
  ASSERT_TRUE(c.send_text("go"));
  // Not reading while 16 MiB are sent: more than the kernel's buffers hold,
  // so the session's queue fills past its limit.
  ASSERT_TRUE(eventually([&] { return handler_.flood_sent >= 1024; }, std::chrono::seconds(20)));
  std::uint16_t code = 0;
  for (;;) {
    auto f = c.read_message();
    ASSERT_TRUE(f) << "no close frame after the flood";
    if (f->opcode == ws_client::close_op) {
      code = f->close_code();
      break;
    }
  }
  EXPECT_EQ(code, 1008);
  c.send_close(1008);
  ASSERT_TRUE(eventually([&] { return !handler_.closes().empty(); }));
  EXPECT_EQ(handler_.closes()[0], 1008);
}

TEST_P(websocket_test, SilentPeerIsPingedThenDropped) {
  auto o = options();
  o.session.websocket.ping_interval_us = 100'000;
  o.session.websocket.pong_timeout_us = 200'000;
  start(o);
  ws_client answering(port(), "/ws/hold");
  // This one answers its pings (read_message does) until a message comes.
  std::optional<ws_frame> last;
  std::thread answer([&] { last = answering.read_message(); });
  ws_client silent(port(), "/ws/hold");
  auto f = silent.read_frame();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->opcode, ws_client::ping);
  EXPECT_TRUE(silent.wait_tcp_close()) << "no pong: the server drops the connection";
  ASSERT_TRUE(eventually([&] { return handler_.closes().size() == 1; }));
  EXPECT_EQ(handler_.closes()[0], 1006);
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // several ping rounds
  EXPECT_EQ(handler_.closes().size(), 1u) << "the answering peer stays";
  handler_.held_peers()[0]->send_text("still open");
  answer.join();
  ASSERT_TRUE(last);
  EXPECT_EQ(last->payload, "still open");
}

TEST_P(websocket_test, TwoHundredConcurrentClients) {
  constexpr int kClients = 200;
  start(options(GetParam() == "threads" ? kClients + 8 : 0));
  std::vector<std::unique_ptr<ws_client>> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(std::make_unique<ws_client>(port()));
  // (Built up by appends: GCC 12's -Wrestrict misfires on "n" + std::string at -O3.)
  for (int i = 0; i < kClients; ++i)
    ASSERT_TRUE(clients[i]->send_text(std::string("n").append(std::to_string(i))));
  for (int i = 0; i < kClients; ++i) {
    auto f = clients[i]->read_message();
    ASSERT_TRUE(f) << i;
    EXPECT_EQ(f->payload, "n" + std::to_string(i));
  }
  EXPECT_EQ(fe_->stats().connections, static_cast<std::size_t>(kClients));
  for (auto& c : clients) ASSERT_TRUE(c->send_close(1000));
  for (auto& c : clients) EXPECT_TRUE(c->wait_tcp_close());
  EXPECT_TRUE(eventually([&] { return fe_->stats().connections == 0; }));
}

TEST_P(websocket_test, StopClosesOpenConnectionsWithGoingAway) {
  start();
  ws_client c(port(), "/ws/hold");
  ASSERT_TRUE(eventually([&] { return handler_.held_peers().size() == 1; }));
  std::thread stopper([this] { fe_->stop(); });
  auto f = c.read_message();
  ASSERT_TRUE(f);
  EXPECT_EQ(f->close_code(), 1001);
  c.send_close(1001);
  EXPECT_TRUE(c.wait_tcp_close());
  stopper.join();
  ASSERT_EQ(handler_.closes().size(), 1u);
  // The loops and workers are gone, their mailboxes closed: a held peer's
  // sends are no-ops, even once the front end itself is destroyed.
  app::peer_ptr peer = handler_.held_peers()[0];
  peer->send_text("after stop");
  fe_.reset();
  peer->send_text("after the front end");
  peer->close(1000, {});
}

INSTANTIATE_TEST_SUITE_P(frontends, websocket_test, ::testing::ValuesIn(frontend_names()),
                         [](const auto& param) { return std::string(param.param); });

}  // namespace
}  // namespace httpcore::test
