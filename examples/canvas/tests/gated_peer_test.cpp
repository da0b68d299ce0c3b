// gated_peer: what a client is sent before its snapshot waits for it, in
// order; hold() waits for the next snapshot; too much held closes with 1008.
#include "gated_peer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

// Records what reaches the connection, as (text?, bytes) in order.
struct recording_peer final : httpcore::server::ws_peer {
  std::vector<std::pair<bool, std::string>> sent;
  std::uint16_t closed = 0;
  std::uint64_t id() const noexcept override { return 42; }
  void send_text(std::string_view t) override { sent.emplace_back(true, std::string(t)); }
  void send_binary(std::span<const std::byte> b) override {
    sent.emplace_back(false, std::string(reinterpret_cast<const char*>(b.data()), b.size()));
  }
  void close(std::uint16_t code, std::string_view) override { closed = code; }
};

using sent_list = std::vector<std::pair<bool, std::string>>;

TEST(GatedPeer, HoldsUntilTheSnapshotThenSendsInOrder) {
  auto inner = std::make_shared<recording_peer>();
  canvas::gated_peer gate(inner);
  EXPECT_EQ(gate.id(), 42u);
  gate.send_text("u1");
  gate.send_shared(std::make_shared<const std::string>("u2"), true);
  EXPECT_TRUE(inner->sent.empty());
  gate.open(std::make_shared<const std::string>("SNAP"));
  gate.send_text("u3");
  EXPECT_EQ(inner->sent, (sent_list{{false, "SNAP"}, {true, "u1"}, {true, "u2"}, {true, "u3"}}));
}

TEST(GatedPeer, HoldWaitsForTheNextSnapshot) {
  auto inner = std::make_shared<recording_peer>();
  canvas::gated_peer gate(inner);
  gate.open(std::make_shared<const std::string>("S1"));
  gate.hold();
  gate.send_text("u1");
  EXPECT_EQ(inner->sent, (sent_list{{false, "S1"}}));
  gate.open(std::make_shared<const std::string>("S2"));
  EXPECT_EQ(inner->sent, (sent_list{{false, "S1"}, {false, "S2"}, {true, "u1"}}));
}

TEST(GatedPeer, TooMuchHeldClosesWith1008) {
  auto inner = std::make_shared<recording_peer>();
  canvas::gated_peer gate(inner);
  const std::string update(1000, 'u');
  for (std::size_t held = 0; held + update.size() <= canvas::gated_peer::max_held_bytes;
       held += update.size()) {
    gate.send_text(update);
  }
  EXPECT_EQ(inner->closed, 0);
  gate.send_text(update);
  EXPECT_EQ(inner->closed, 1008);
}

}  // namespace
