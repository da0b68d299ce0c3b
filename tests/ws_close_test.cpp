// The closing handshake state machine: who sends what, who closes TCP first,
// deadlines computed from the time passed in, and the codes it records.

#include <gtest/gtest.h>

#include "httpcore/ws/close_code.hpp"
#include "httpcore/ws/close_handshake.hpp"

namespace httpcore::ws {
namespace {

constexpr std::int64_t kTimeout = 1'000'000;

bool same(const close_actions& a, const close_actions& b) {
  return a.send_close == b.send_close && a.code == b.code && a.close_tcp == b.close_tcp;
}
constexpr close_actions nothing{};
constexpr close_actions send(std::uint16_t code) {
  return {true, code, false};
}
constexpr close_actions send_and_close(std::uint16_t code) {
  return {true, code, true};
}
constexpr close_actions close_tcp{false, 0, true};

TEST(WsClose, WeStartServerSide) {
  close_handshake ch(role::server, kTimeout);
  EXPECT_EQ(ch.state(), close_state::open);
  EXPECT_EQ(ch.deadline(), close_handshake::no_deadline);
  EXPECT_TRUE(same(ch.start(close_code::going_away, 100), send(1001)));
  EXPECT_EQ(ch.state(), close_state::close_sent);
  EXPECT_EQ(ch.deadline(), 100 + kTimeout);
  EXPECT_TRUE(same(ch.start(close_code::normal, 200), nothing));  // only once
  EXPECT_TRUE(same(ch.on_timer(100 + kTimeout - 1), nothing));    // not yet
  // The peer answers: the server closes TCP at once.
  EXPECT_TRUE(same(ch.on_peer_close(1001, 300), close_tcp));
  EXPECT_EQ(ch.state(), close_state::closed);
  EXPECT_EQ(ch.deadline(), close_handshake::no_deadline);
  EXPECT_TRUE(ch.clean());
  EXPECT_EQ(ch.sent_code(), 1001);
  EXPECT_EQ(ch.received_code(), 1001);
  EXPECT_TRUE(same(ch.on_peer_eof(), nothing));  // already told to close
}

TEST(WsClose, PeerStartsServerSideWeEchoAndClose) {
  close_handshake ch(role::server, kTimeout);
  EXPECT_TRUE(same(ch.on_peer_close(4001, 50), send_and_close(4001)));
  EXPECT_EQ(ch.state(), close_state::closed);
  EXPECT_TRUE(ch.clean());
  EXPECT_TRUE(same(ch.start(1000, 60), nothing));
  EXPECT_TRUE(same(ch.on_peer_close(1000, 70), nothing));
}

TEST(WsClose, EmptyCloseIsAnsweredWithAnEmptyClose) {
  close_handshake ch(role::server);
  auto a = ch.on_peer_close(close_code::no_status, 0);
  EXPECT_TRUE(a.send_close);
  EXPECT_EQ(a.code, close_code::no_status);  // close_payload(1005) is empty
  EXPECT_EQ(ch.received_code(), close_code::no_status);
}

TEST(WsClose, PeerStartsClientSideWeEchoAndWaitForTheServer) {
  close_handshake ch(role::client, kTimeout);
  EXPECT_TRUE(same(ch.on_peer_close(1000, 10), send(1000)));
  EXPECT_EQ(ch.state(), close_state::closed);
  EXPECT_EQ(ch.deadline(), 10 + kTimeout);
  // The server closes TCP as it should.
  EXPECT_TRUE(same(ch.on_peer_eof(), close_tcp));
  EXPECT_EQ(ch.deadline(), close_handshake::no_deadline);
  EXPECT_TRUE(ch.clean());
}

TEST(WsClose, ClientGivesUpWaitingForTheServerToCloseTcp) {
  close_handshake ch(role::client, kTimeout);
  EXPECT_TRUE(same(ch.start(1000, 0), send(1000)));
  EXPECT_TRUE(same(ch.on_peer_close(1000, 500), nothing));
  EXPECT_EQ(ch.deadline(), 500 + kTimeout);
  EXPECT_TRUE(same(ch.on_timer(500 + kTimeout), close_tcp));
  EXPECT_TRUE(ch.clean());  // both close frames were exchanged
  EXPECT_TRUE(same(ch.on_timer(500 + 2 * kTimeout), nothing));
}

TEST(WsClose, PeerNeverAnswersOurClose) {
  close_handshake ch(role::server, kTimeout);
  ch.start(1000, 1'000);
  EXPECT_TRUE(same(ch.on_timer(1'000 + kTimeout), close_tcp));
  EXPECT_EQ(ch.state(), close_state::closed);
  EXPECT_FALSE(ch.clean());
  EXPECT_EQ(ch.received_code(), close_code::abnormal);
}

TEST(WsClose, PeerVanishesWithoutAClose) {
  close_handshake ch(role::server, kTimeout);
  EXPECT_TRUE(same(ch.on_peer_eof(), close_tcp));
  EXPECT_EQ(ch.state(), close_state::closed);
  EXPECT_EQ(ch.received_code(), close_code::abnormal);
  EXPECT_FALSE(ch.clean());
  EXPECT_TRUE(same(ch.start(1000, 0), nothing));
}

TEST(WsClose, ProtocolErrorFailsTheConnection) {
  close_handshake ch(role::server, kTimeout);
  EXPECT_TRUE(same(ch.fail(close_code::protocol_error, 5), send_and_close(1002)));
  EXPECT_EQ(ch.state(), close_state::closed);
  EXPECT_EQ(ch.sent_code(), 1002);
  EXPECT_FALSE(ch.clean());
  // After our close was sent, failing only closes TCP.
  close_handshake ch2(role::client, kTimeout);
  ch2.start(1000, 0);
  EXPECT_TRUE(same(ch2.fail(close_code::invalid_payload, 10), close_tcp));
  EXPECT_EQ(ch2.sent_code(), 1000);
}

TEST(WsClose, DeadlineSaturatesInsteadOfOverflowing) {
  close_handshake ch(role::server, close_handshake::no_deadline);
  ch.start(1000, 1'000'000);
  EXPECT_EQ(ch.deadline(), close_handshake::no_deadline);
  EXPECT_TRUE(same(ch.on_timer(close_handshake::no_deadline - 1), nothing));
}

}  // namespace
}  // namespace httpcore::ws
