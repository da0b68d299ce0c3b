// The hub and its backend: the backend hears of a topic when it gains its
// first local subscriber and when it loses its last (however that happens),
// every publish goes through it, and what it delivers reaches the local
// subscribers of that topic only; a resync reaches the application's
// callback. The local backend delivers each publish to the local
// subscribers exactly once.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "httpcore/app/hub.hpp"
#include "httpcore/app/hub_backend.hpp"

namespace httpcore::app::test {
namespace {

class recording_peer final : public server::ws_peer {
 public:
  explicit recording_peer(std::uint64_t id) : id_(id) {}
  std::uint64_t id() const noexcept override { return id_; }
  void send_text(std::string_view t) override { got.emplace_back(t); }
  void send_binary(std::span<const std::byte> b) override {
    got.emplace_back(std::string("bin:").append(reinterpret_cast<const char*>(b.data()), b.size()));
  }
  void close(std::uint16_t, std::string_view) override {}
  std::vector<std::string> got;

 private:
  std::uint64_t id_;
};

// Records what the hub tells it; delivers only when the test says so (as
// a backend does for other instances' messages).
class recording_backend final : public hub_backend {
 public:
  void attach(hub_sink& s) override { sink = &s; }
  // Built up by appends: GCC 12's -Wrestrict misfires on "+" + std::string at -O3.
  void subscribe(std::string_view t) override { events.push_back(std::string("+").append(t)); }
  void unsubscribe(std::string_view t) override { events.push_back(std::string("-").append(t)); }
  std::size_t publish(std::string_view topic, std::string_view m, bool) override {
    events.push_back(std::string("pub ").append(topic).append(" ").append(m));
    return 0;
  }
  hub_sink* sink = nullptr;
  std::vector<std::string> events;
};

TEST(HubBackend, HearsFirstAndLastSubscriberOfEachTopic) {
  auto backend = std::make_unique<recording_backend>();
  recording_backend* b = backend.get();
  hub h(std::move(backend));
  ASSERT_NE(b->sink, nullptr);
  auto p1 = std::make_shared<recording_peer>(1);
  auto p2 = std::make_shared<recording_peer>(2);
  h.subscribe("chat", p1);
  h.subscribe("chat", p2);
  h.subscribe("chat", p2);  // again: nothing new
  h.subscribe("news", p1);
  h.unsubscribe("chat", 1);
  h.unsubscribe("chat", 9);  // not subscribed: nothing
  h.unsubscribe_all(2);      // chat's last
  h.unsubscribe_all(1);      // news's last
  std::vector<std::string> want = {"+chat", "+news", "-chat", "-news"};
  EXPECT_EQ(b->events, want);
}

TEST(HubBackend, PublishGoesThroughTheBackendAndDeliveryReachesTheTopicOnly) {
  auto backend = std::make_unique<recording_backend>();
  recording_backend* b = backend.get();
  hub h(std::move(backend));
  auto chat = std::make_shared<recording_peer>(1);
  auto news = std::make_shared<recording_peer>(2);
  h.subscribe("chat", chat);
  h.subscribe("news", news);
  EXPECT_EQ(h.publish("chat", "hello"), 0u);  // the backend decides: this one delivers nothing
  EXPECT_EQ(b->events.back(), "pub chat hello");
  EXPECT_TRUE(chat->got.empty());
  EXPECT_EQ(b->sink->deliver("chat", "from elsewhere", true), 1u);
  EXPECT_EQ(b->sink->deliver("chat", "raw", false), 1u);
  EXPECT_EQ(b->sink->deliver("nobody", "x", true), 0u);
  std::vector<std::string> want = {"from elsewhere", "bin:raw"};
  EXPECT_EQ(chat->got, want);
  EXPECT_TRUE(news->got.empty());
}

TEST(HubBackend, ResyncReachesTheApplication) {
  auto backend = std::make_unique<recording_backend>();
  recording_backend* b = backend.get();
  hub h(std::move(backend));
  b->sink->resynced();  // nobody listening yet: nothing happens
  int calls = 0;
  h.on_resync([&] {
    ++calls;
    h.publish("chat", "snapshot");  // the hub is not locked while it runs
  });
  b->sink->resynced();
  b->sink->resynced();
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(b->events.back(), "pub chat snapshot");
}

TEST(HubBackend, LocalBackendDeliversEachPublishOnce) {
  hub h;  // the default: local_backend
  auto p1 = std::make_shared<recording_peer>(1);
  auto p2 = std::make_shared<recording_peer>(2);
  h.subscribe("chat", p1);
  h.subscribe("chat", p2);
  EXPECT_EQ(h.publish("chat", "one"), 2u);
  EXPECT_EQ(h.publish("chat", "two"), 2u);
  std::vector<std::string> want = {"one", "two"};
  EXPECT_EQ(p1->got, want);
  EXPECT_EQ(p2->got, want);
}

}  // namespace
}  // namespace httpcore::app::test
