// The server session serving WebSocket, sans I/O: the upgrade, messages both
// ways (whole, fragmented, split anywhere), ping/pong, the close handshake in
// both directions and its timeout, idle pings, protocol errors mapped to close
// codes, the outgoing queue limit, and on_close reported exactly once.

#include <gtest/gtest.h>

#include <string>

#include "support/ws_session_driver.hpp"

namespace httpcore::test {
namespace {

using ws::opcode;

constexpr int kText = 1, kBinary = 2, kClose = 8, kPing = 9, kPong = 10;

TEST(ServerWebSocket, UpgradeAnswers101AndOpens) {
  ws_session_driver d;
  d.upgrade();
  EXPECT_TRUE(d.handler_.accepted);
  ASSERT_EQ(d.ws_handler_.peers.size(), 1u);
  EXPECT_FALSE(d.session().done());
  EXPECT_TRUE(d.session().wants_input());
  EXPECT_FALSE(d.session().upgraded()) << "served by the session, not handed to the front end";
}

TEST(ServerWebSocket, HandshakeWithoutKeyGets400AndHttpGoesOn) {
  ws_session_driver d;
  d.feed(
      "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Version: 13\r\n\r\nGET /other HTTP/1.1\r\nHost: t\r\n\r\n");
  std::string first = d.take_head();
  EXPECT_TRUE(first.starts_with("HTTP/1.1 400 ")) << first;
  EXPECT_FALSE(d.session().websocket());
  EXPECT_TRUE(d.ws_handler_.peers.empty());
  EXPECT_NE(d.wire().find("HTTP/1.1 404 "), std::string::npos) << "the next request is served";
}

TEST(ServerWebSocket, WrongVersionGets426WithTheSupportedOne) {
  ws_session_driver d;
  d.feed(
      "GET /ws HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
  std::string head = d.take_head();
  EXPECT_TRUE(head.starts_with("HTTP/1.1 426 ")) << head;
  EXPECT_NE(head.find("Sec-WebSocket-Version: 13"), std::string::npos) << head;
  EXPECT_FALSE(d.session().websocket());
}

TEST(ServerWebSocket, EchoesTextAndBinaryAtEverySplit) {
  std::string input = client_frame(opcode::text, "héllo wörld") +
                      client_frame(opcode::binary, std::string("\x00\xff\x01", 3)) +
                      client_frame(opcode::text, std::string(300, 'x'));
  for (std::size_t split : {std::size_t{1}, std::size_t{3}, std::size_t{7}, input.size()}) {
    ws_session_driver d;
    d.upgrade();
    d.feed(input, split);
    auto f = d.frames();
    ASSERT_EQ(f.size(), 3u) << "split " << split;
    EXPECT_EQ(f[0].opcode, kText);
    EXPECT_EQ(f[0].payload, "héllo wörld");
    EXPECT_TRUE(f[0].fin);
    EXPECT_FALSE(f[0].masked) << "server frames are never masked";
    EXPECT_EQ(f[1].opcode, kBinary);
    EXPECT_EQ(f[1].payload, std::string("\x00\xff\x01", 3));
    EXPECT_EQ(f[2].payload, std::string(300, 'x'));
    ASSERT_EQ(d.ws_handler_.messages.size(), 3u);
    EXPECT_TRUE(d.ws_handler_.messages[0].text);
    EXPECT_FALSE(d.ws_handler_.messages[1].text);
  }
}

TEST(ServerWebSocket, FramesSentWithTheRequestAreServed) {
  ws_session_driver d;
  d.feed(ws_request() + client_frame(opcode::text, "early"));
  ASSERT_TRUE(d.take_head().starts_with("HTTP/1.1 101 "));
  auto f = d.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].payload, "early");
}

TEST(ServerWebSocket, FragmentsAreJoinedAndPingsBetweenThemAnswered) {
  ws_session_driver d;
  d.upgrade();
  d.feed(client_frame(opcode::text, "one ", false) + client_frame(opcode::ping, "p") +
         client_frame(opcode::continuation, "two ", false) +
         client_frame(opcode::continuation, "three", true));
  auto f = d.frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].opcode, kPong);
  EXPECT_EQ(f[0].payload, "p");
  EXPECT_EQ(f[1].opcode, kText);
  EXPECT_EQ(f[1].payload, "one two three");
  ASSERT_EQ(d.ws_handler_.messages.size(), 1u);
}

TEST(ServerWebSocket, PingIsAnsweredWithItsPayload) {
  ws_session_driver d;
  d.upgrade();
  d.feed(client_frame(opcode::ping, "are you there?"));
  auto f = d.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].opcode, kPong);
  EXPECT_EQ(f[0].payload, "are you there?");
  d.feed(client_frame(opcode::pong, "unsolicited"));
  EXPECT_TRUE(d.frames().empty()) << "a pong needs no answer";
}

TEST(ServerWebSocket, ClientCloseIsEchoedThenTcpCloses) {
  ws_session_driver d;
  d.upgrade();
  d.feed(client_close(4000, "bye"));
  auto f = d.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].opcode, kClose);
  EXPECT_EQ(f[0].close_code(), 4000);
  EXPECT_TRUE(d.session().done()) << "the server closes TCP after the handshake";
  ASSERT_EQ(d.ws_handler_.closes.size(), 1u);
  EXPECT_EQ(d.ws_handler_.closes[0].code, 4000);
  EXPECT_EQ(d.ws_handler_.closes[0].reason, "bye");
  d.destroy();
  EXPECT_EQ(d.ws_handler_.closes.size(), 1u) << "on_close exactly once";
}

TEST(ServerWebSocket, EmptyCloseIsAnsweredWithAnEmptyClose) {
  ws_session_driver d;
  d.upgrade();
  d.feed(client_frame(opcode::close, ""));
  auto f = d.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].opcode, kClose);
  EXPECT_TRUE(f[0].payload.empty());
  ASSERT_EQ(d.ws_handler_.closes.size(), 1u);
  EXPECT_EQ(d.ws_handler_.closes[0].code, 1005);
}

TEST(ServerWebSocket, ServerCloseWaitsForTheAnswer) {
  ws_session_driver d;
  d.upgrade();
  d.ws_handler_.peers[0]->close(4001, "done");
  auto f = d.frames();
  ASSERT_EQ(f.size(), 0u) << "nothing written before the driver drains";
  d.drain();
  f = d.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].close_code(), 4001);
  EXPECT_FALSE(d.session().done());
  EXPECT_TRUE(d.ws_handler_.closes.empty());
  d.ws_handler_.peers[0]->send_text("too late");
  d.drain();
  EXPECT_TRUE(d.frames().empty()) << "no data after our close frame";
  d.feed(client_frame(opcode::text, "in flight") + client_close(4001));
  EXPECT_TRUE(d.session().done());
  EXPECT_TRUE(d.ws_handler_.messages.empty()) << "data after our close is dropped";
  ASSERT_EQ(d.ws_handler_.closes.size(), 1u);
  EXPECT_EQ(d.ws_handler_.closes[0].code, 4001);
}

TEST(ServerWebSocket, CloseTimeoutClosesTcpWithoutAnAnswer) {
  server::session_config config;
  config.websocket.close_timeout_us = 2'000'000;
  ws_session_driver d(config);
  d.upgrade();
  d.ws_handler_.peers[0]->close(1000, {});
  d.drain();
  EXPECT_EQ(d.session().next_deadline(), d.now() + 2'000'000);
  d.advance_us(1'999'999);
  EXPECT_FALSE(d.session().done());
  d.advance_us(1);
  EXPECT_TRUE(d.session().done());
  ASSERT_EQ(d.ws_handler_.closes.size(), 1u);
  EXPECT_EQ(d.ws_handler_.closes[0].code, 1000);
}

TEST(ServerWebSocket, IdlePeerIsPingedAndClosedWhenSilent) {
  server::session_config config;
  config.websocket.ping_interval_us = 10'000'000;
  config.websocket.pong_timeout_us = 3'000'000;
  ws_session_driver d(config);
  d.upgrade();
  d.advance_us(10'000'000);
  auto f = d.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].opcode, kPing);
  d.advance_us(2'999'999);
  EXPECT_FALSE(d.session().done());
  d.advance_us(1);
  EXPECT_TRUE(d.session().done());
  ASSERT_EQ(d.ws_handler_.closes.size(), 1u);
  EXPECT_EQ(d.ws_handler_.closes[0].code, 1006);
}

TEST(ServerWebSocket, APongKeepsTheConnection) {
  server::session_config config;
  config.websocket.ping_interval_us = 10'000'000;
  config.websocket.pong_timeout_us = 3'000'000;
  ws_session_driver d(config);
  d.upgrade();
  d.advance_us(10'000'000);
  ASSERT_EQ(d.frames().size(), 1u);
  d.advance_us(1'000'000);
  d.feed(client_frame(opcode::pong, ""));
  d.advance_us(5'000'000);
  EXPECT_FALSE(d.session().done());
  EXPECT_TRUE(d.frames().empty()) << "next ping only after another idle interval";
  d.advance_us(5'000'000);
  auto f = d.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].opcode, kPing);
}

struct protocol_error_case {
  const char* name;
  std::string input;
  std::uint16_t code;
};

TEST(ServerWebSocket, ProtocolErrorsCloseWithTheirCode) {
  std::string unmasked;
  ws::append_frame(unmasked, opcode::text, std::string_view("hi"));
  std::string reserved_opcode = client_frame(opcode::text, "x");
  reserved_opcode[0] = static_cast<char>(0x83);
  std::string rsv1 = client_frame(opcode::text, "x", true, true);
  const protocol_error_case cases[] = {
      {"unmasked", unmasked, 1002},
      {"reserved opcode", reserved_opcode, 1002},
      {"rsv1 without deflate", rsv1, 1002},
      {"continuation without message", client_frame(opcode::continuation, "x"), 1002},
      {"fragmented ping", client_frame(opcode::ping, "x", false), 1002},
      {"invalid utf-8", client_frame(opcode::text, "\xc3\x28"), 1007},
      {"close with 1005", client_frame(opcode::close, "\x03\xed"), 1002},
      {"close with one byte", client_frame(opcode::close, "\x03"), 1002},
      {"too big", client_frame(opcode::binary, std::string(2000, 'b')), 1009},
  };
  for (const auto& c : cases) {
    server::session_config config;
    config.websocket.limits.max_frame_bytes = 1000;
    config.websocket.limits.max_message_bytes = 1000;
    ws_session_driver d(config);
    d.upgrade();
    d.feed(c.input);
    auto f = d.frames();
    ASSERT_EQ(f.size(), 1u) << c.name;
    EXPECT_EQ(f[0].opcode, kClose) << c.name;
    EXPECT_EQ(f[0].close_code(), c.code) << c.name;
    EXPECT_TRUE(d.session().done()) << c.name << ": the connection is failed, not half-closed";
    ASSERT_EQ(d.ws_handler_.closes.size(), 1u) << c.name;
    EXPECT_EQ(d.ws_handler_.closes[0].code, c.code) << c.name;
  }
}

TEST(ServerWebSocket, OverTheQueueLimitClosesWith1008) {
  server::session_config config;
  config.websocket.max_queued_bytes = 1000;
  ws_session_driver d(config);
  d.upgrade();
  auto& peer = d.ws_handler_.peers[0];
  peer->send_binary(std::string(600, 'a'));  // not drained: the peer does not read
  peer->send_binary(std::string(600, 'b'));
  peer->send_binary(std::string(10, 'c'));
  d.drain();
  auto f = d.frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].payload, std::string(600, 'a'));
  EXPECT_EQ(f[1].opcode, kClose);
  EXPECT_EQ(f[1].close_code(), 1008);
}

TEST(ServerWebSocket, OverTheQueueLimitDropsWhenConfigured) {
  server::session_config config;
  config.websocket.max_queued_bytes = 1000;
  config.websocket.on_overflow = server::ws_overflow::drop;
  ws_session_driver d(config);
  d.upgrade();
  auto& peer = d.ws_handler_.peers[0];
  peer->send_binary(std::string(600, 'a'));
  peer->send_binary(std::string(600, 'b'));  // dropped
  d.drain();
  peer->send_binary(std::string(600, 'c'));
  d.drain();
  auto f = d.frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].payload, std::string(600, 'a'));
  EXPECT_EQ(f[1].payload, std::string(600, 'c'));
  EXPECT_FALSE(d.session().done());
}

TEST(ServerWebSocket, AMessageAboveTheQueueLimitGoesOutWhenNothingWaits) {
  server::session_config config;
  config.websocket.max_queued_bytes = 1000;
  ws_session_driver d(config);
  d.upgrade();
  d.feed(client_frame(opcode::binary, std::string(5000, 'z')));
  auto f = d.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].payload, std::string(5000, 'z'));
}

TEST(ServerWebSocket, ReadingPausesWhileTooMuchOutputWaits) {
  server::session_config config;
  config.max_queued_output = 1000;
  ws_session_driver d(config);
  d.upgrade();
  // Echoes the peer does not read: once 1000 bytes wait, the session stops
  // asking for input (TCP then pushes back on the peer), and resumes after.
  d.feed(client_frame(opcode::binary, std::string(1200, 'e')), 1u << 20, false);
  EXPECT_FALSE(d.session().wants_input());
  d.drain();
  EXPECT_TRUE(d.session().wants_input());
  ASSERT_EQ(d.frames().size(), 1u);
}

TEST(ServerWebSocket, TcpCloseReportsAbnormalClosure) {
  ws_session_driver d;
  d.upgrade();
  d.session().on_peer_closed(at_us(d.now()));
  EXPECT_TRUE(d.session().done());
  ASSERT_EQ(d.ws_handler_.closes.size(), 1u);
  EXPECT_EQ(d.ws_handler_.closes[0].code, 1006);
}

TEST(ServerWebSocket, ADroppedSessionReportsCloseAndItsPeerGoesQuiet) {
  ws_session_driver d;
  d.upgrade();
  auto peer = d.ws_handler_.peers[0];
  d.destroy();
  ASSERT_EQ(d.ws_handler_.closes.size(), 1u);
  EXPECT_EQ(d.ws_handler_.closes[0].code, 1006);
  peer->send_text("nobody there");  // a no-op, not a use-after-free (ASan)
  peer->close(1000, {});
}

TEST(ServerWebSocket, ShutdownClosesWithGoingAway) {
  ws_session_driver d;
  d.upgrade();
  d.session().begin_shutdown(at_us(d.now()));
  d.drain();
  auto f = d.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].close_code(), 1001);
  d.feed(client_close(1001));
  EXPECT_TRUE(d.session().done());
}

// A stand-in for permessage-deflate: "compresses" by reversing the bytes, so
// the test sees the session route both directions through the codec and mark
// frames with RSV1.
class reversing_codec final : public server::message_codec {
 public:
  bool compress(std::span<const std::byte> m, std::string& out) override {
    out.assign(reinterpret_cast<const char*>(m.data()), m.size());
    std::reverse(out.begin(), out.end());
    return true;
  }
  inflate_status inflate(std::span<const std::byte> m, std::string& out,
                         std::uint64_t max_bytes) override {
    if (m.size() > max_bytes) return inflate_status::too_big;
    out.assign(reinterpret_cast<const char*>(m.data()), m.size());
    std::reverse(out.begin(), out.end());
    return inflate_status::ok;
  }
};
class reversing_factory final : public server::codec_factory {
 public:
  std::unique_ptr<server::message_codec> make(const ws::deflate_params&) override {
    ++made;
    return std::make_unique<reversing_codec>();
  }
  int made = 0;
};

TEST(ServerWebSocket, NegotiatedCompressionGoesThroughTheCodec) {
  reversing_factory factory;
  ws_session_driver d;
  d.handler_.accept.compression = &factory;
  d.feed(ws_request("/ws", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
  std::string head = d.take_head();
  ASSERT_TRUE(head.starts_with("HTTP/1.1 101 ")) << head;
  EXPECT_NE(head.find("Sec-WebSocket-Extensions: permessage-deflate"), std::string::npos) << head;
  EXPECT_EQ(factory.made, 1);
  d.feed(client_frame(opcode::text, "olleh", true, true) + client_frame(opcode::text, "plain"));
  ASSERT_EQ(d.ws_handler_.messages.size(), 2u);
  EXPECT_EQ(d.ws_handler_.messages[0].data, "hello");
  EXPECT_EQ(d.ws_handler_.messages[1].data, "plain");
  auto f = d.frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_TRUE(f[0].rsv1);
  EXPECT_EQ(f[0].payload, "olleh");
  EXPECT_EQ(f[1].payload, "nialp");
}

TEST(ServerWebSocket, CompressedTextThatInflatesToInvalidUtf8Closes1007) {
  reversing_factory factory;
  ws_session_driver d;
  d.handler_.accept.compression = &factory;
  d.feed(ws_request("/ws", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
  ASSERT_TRUE(d.take_head().starts_with("HTTP/1.1 101 "));
  d.feed(client_frame(opcode::text, "\x28\xc3", true, true));
  auto f = d.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].close_code(), 1007);
}

TEST(ServerWebSocket, NoCompressionUnlessTheEndpointOffersIt) {
  ws_session_driver d;
  d.feed(ws_request("/ws", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
  std::string head = d.take_head();
  ASSERT_TRUE(head.starts_with("HTTP/1.1 101 "));
  EXPECT_EQ(head.find("Sec-WebSocket-Extensions"), std::string::npos) << head;
}

}  // namespace
}  // namespace httpcore::test
