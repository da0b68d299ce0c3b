// The WebSocket frame parser on well-formed input, both roles. Every case runs
// whole, byte by byte and split at every index, against a guard page; the
// driver also checks the contract on every call (consumed <= given, payload
// views at the end of the consumed input, errors terminal).

#include <gtest/gtest.h>

#include "support/ws_driver.hpp"
#include "support/ws_frames.hpp"
#include "support/ws_parse.hpp"

namespace httpcore::test {
namespace {

using ws::opcode;

// RFC 6455 §5.7's examples, byte for byte.
TEST(WsParser, Rfc6455UnmaskedTextFromServer) {
  EXPECT_EQ(parse(client(), "\x81\x05Hello"), (ws_log{"begin text first fin length=5", "data Hello",
                                                      "end message", "state frame_start"}));
}

TEST(WsParser, Rfc6455MaskedTextFromClient) {
  EXPECT_EQ(
      parse(server(), "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"),
      (ws_log{"begin text first fin length=5", "data Hello", "end message", "state frame_start"}));
}

TEST(WsParser, Rfc6455FragmentedText) {
  EXPECT_EQ(
      parse(client(), std::string("\x01\x03Hel\x80\x02lo", 9)),
      (ws_log{"begin text first length=3", "data Hel", "end frame", "begin text next fin length=2",
              "data lo", "end message", "state frame_start"}));
}

TEST(WsParser, Rfc6455PingAndMaskedPong) {
  EXPECT_EQ(parse(client(), "\x89\x05Hello"), (ws_log{"ping 'Hello'", "state frame_start"}));
  EXPECT_EQ(parse(server(), "\x8a\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58"),
            (ws_log{"pong 'Hello'", "state frame_start"}));
}

TEST(WsParser, Rfc6455SixteenAndSixtyFourBitLengths) {
  std::string payload256(256, 'x');
  auto log = parse(client(), std::string("\x82\x7E\x01\x00", 4) + payload256);
  EXPECT_EQ(log, (ws_log{"begin binary first fin length=256", "data " + payload256, "end message",
                         "state frame_start"}));
  std::string payload64k(65536, 'y');
  log = parse(client(), std::string("\x82\x7F\x00\x00\x00\x00\x00\x01\x00\x00", 10) + payload64k,
              4099);
  EXPECT_EQ(log, (ws_log{"begin binary first fin length=65536", "data " + payload64k, "end message",
                         "state frame_start"}));
}

TEST(WsParser, ControlFramesBetweenFragments) {
  std::string in =
      client_frame(opcode::text, "frag1-", false) + client_frame(opcode::ping, "p1") +
      client_frame(opcode::pong, "") + client_frame(opcode::continuation, "frag2-", false) +
      client_frame(opcode::ping, "p2") + client_frame(opcode::continuation, "end", true);
  EXPECT_EQ(
      parse(server(), in),
      (ws_log{"begin text first length=6", "data frag1-", "end frame", "ping 'p1'", "pong ''",
              "begin text next length=6", "data frag2-", "end frame", "ping 'p2'",
              "begin text next fin length=3", "data end", "end message", "state frame_start"}));
}

TEST(WsParser, EmptyFramesOfEveryKind) {
  std::string in = client_frame(opcode::text, "") + client_frame(opcode::binary, "", false) +
                   client_frame(opcode::continuation, "") + client_frame(opcode::ping, "") +
                   client_frame(opcode::close, "");
  EXPECT_EQ(parse(server(), in),
            (ws_log{"begin text first fin length=0", "end message", "begin binary first length=0",
                    "end frame", "begin binary next fin length=0", "end message", "ping ''",
                    "close '' code=1005 reason=''", "state closed"}));
}

TEST(WsParser, CloseWithCodeAndReason) {
  auto log = parse(server(), client_frame(opcode::close, ws::close_payload(1001, "bye \xc3\xa9")));
  EXPECT_EQ(log, (ws_log{"close '\\x03\\xe9bye \\xc3\\xa9' code=1001 reason='bye \\xc3\\xa9'",
                         "state closed"}));
  log = parse(client(), server_frame(opcode::close, ws::close_payload(4999, "")));
  EXPECT_EQ(log, (ws_log{"close '\\x13\\x87' code=4999 reason=''", "state closed"}));
}

TEST(WsParser, EveryCodeValidOnTheWireIsAccepted) {
  for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999}) {
    auto log = parse(
        client(),
        server_frame(opcode::close, ws::close_payload(static_cast<std::uint16_t>(code), "r")));
    ASSERT_EQ(log.size(), 2u) << code;
    EXPECT_NE(log[0].find(" code=" + std::to_string(code) + " reason='r'"), std::string::npos)
        << log[0];
  }
}

TEST(WsParser, BinaryIsNotCheckedAsUtf8) {
  EXPECT_EQ(parse(server(), client_frame(opcode::binary, "\xff\xfe\xc0")),
            (ws_log{"begin binary first fin length=3", "data \\xff\\xfe\\xc0", "end message",
                    "state frame_start"}));
}

TEST(WsParser, TextUtf8AcrossFragmentsAndControlFrames) {
  // U+1F600 cut after each of its bytes, with a ping in the middle.
  std::string in = client_frame(opcode::text, "a\xf0", false) +
                   client_frame(opcode::continuation, "\x9f", false) +
                   client_frame(opcode::ping, "x") +
                   client_frame(opcode::continuation, "\x98\x80", true);
  auto log = parse(server(), in);
  EXPECT_EQ(log.back(), "state frame_start");
  EXPECT_EQ(log[log.size() - 2], "end message");
}

TEST(WsParser, CompressedMessagesMarkEveryFrameAndSkipUtf8) {
  std::string in = client_frame(opcode::text, std::string_view("\xff\x00", 2), false, true) +
                   client_frame(opcode::continuation, "\xfe", true) +
                   client_frame(opcode::binary, "plain");
  EXPECT_EQ(parse(deflate(server()), std::string(in)),
            (ws_log{"begin text first compressed length=2", "data \\xff\\x00", "end frame",
                    "begin text next fin compressed length=1", "data \\xfe", "end message",
                    "begin binary first fin length=5", "data plain", "end message",
                    "state frame_start"}));
}

TEST(WsParser, StatesWhereTheInputStops) {
  std::string f = client_frame(opcode::binary, std::string(300, 'z'));  // 2 + 2 + 4 + 300
  EXPECT_EQ(parse(server(), "").back(), "state frame_start");
  EXPECT_EQ(parse(server(), f.substr(0, 1)).back(), "state payload_length");
  EXPECT_EQ(parse(server(), f.substr(0, 3)).back(), "state extended_length");
  EXPECT_EQ(parse(server(), f.substr(0, 6)).back(), "state mask");
  EXPECT_EQ(parse(server(), f.substr(0, 9)).back(), "state data_payload");
  EXPECT_EQ(parse(server(), client_frame(opcode::ping, "abc").substr(0, 7)).back(),
            "state control_payload");
  EXPECT_EQ(parse(server(), f).back(), "state frame_start");
}

TEST(WsParser, StateEnumStepByStep) {
  ws::parser p(ws::role::client);
  std::string f = server_frame(opcode::text, "hi", true);
  std::span<std::byte> in(reinterpret_cast<std::byte*>(f.data()), f.size());
  EXPECT_EQ(p.state(), ws::parse_state::frame_start);
  auto r = p.feed(in.first(1));
  EXPECT_EQ(r.consumed, 1u);
  EXPECT_EQ(p.state(), ws::parse_state::payload_length);
  r = p.feed(in.subspan(1));
  EXPECT_TRUE(std::holds_alternative<ws::data_frame_begin>(r.ev));
  EXPECT_EQ(p.state(), ws::parse_state::data_payload);
  EXPECT_TRUE(p.in_message());
  r = p.feed(in.subspan(2));
  EXPECT_TRUE(std::holds_alternative<ws::data_payload>(r.ev));
  EXPECT_EQ(p.state(), ws::parse_state::data_frame_end);
  r = p.feed({});
  ASSERT_TRUE(std::holds_alternative<ws::data_frame_end>(r.ev));
  EXPECT_TRUE(std::get<ws::data_frame_end>(r.ev).message_end);
  EXPECT_EQ(p.state(), ws::parse_state::frame_start);
  EXPECT_FALSE(p.in_message());
}

TEST(WsParser, UnmasksInPlaceAtUnalignedOffsets) {
  // Payload lengths around the word size, starting at every alignment.
  for (std::size_t lead = 0; lead < 9; ++lead) {
    for (std::size_t len : {1u, 3u, 7u, 8u, 9u, 15u, 16u, 17u, 33u, 200u}) {
      std::string payload;
      for (std::size_t i = 0; i < len; ++i) payload += static_cast<char>('a' + (i * 7) % 26);
      std::string storage(lead, '#');
      storage += client_frame(opcode::binary, payload);
      auto* base = reinterpret_cast<std::byte*>(storage.data());
      std::span<std::byte> in(base + lead, storage.size() - lead);
      ws::parser p(ws::role::server);
      auto r = p.feed(in);
      ASSERT_TRUE(std::holds_alternative<ws::data_frame_begin>(r.ev));
      auto r2 = p.feed(in.subspan(r.consumed));
      ASSERT_TRUE(std::holds_alternative<ws::data_payload>(r2.ev));
      auto bytes = std::get<ws::data_payload>(r2.ev).bytes;
      EXPECT_EQ(bytes.data(), in.data() + r.consumed);  // zero copy
      EXPECT_EQ(std::get<ws::data_payload>(r2.ev).text(), payload);
      EXPECT_EQ(storage.substr(lead + r.consumed), payload);  // the caller's buffer, unmasked
    }
  }
}

TEST(WsParser, OddSplitsOfLongMaskedPayloads) {
  std::string payload;
  for (int i = 0; i < 1000; ++i) payload += static_cast<char>(i * 31 + 7);
  std::string in = client_frame(opcode::binary, payload) + client_frame(opcode::ping, "tail");
  const std::string expected_data = "data " + printable(std::as_bytes(std::span(payload)));
  for (std::vector<std::size_t> pieces :
       {std::vector<std::size_t>{3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47},
        std::vector<std::size_t>{9, 1, 1, 1, 1, 1, 1, 1, 1, 999, 1, 2, 3},
        std::vector<std::size_t>{8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8}}) {
    auto log = run_ws(server(), in, pieces);
    EXPECT_EQ(log, (ws_log{"begin binary first fin length=1000", expected_data, "end message",
                           "ping 'tail'", "state frame_start"}));
  }
}

TEST(WsParser, ControlFrameSplitIsGatheredInsideTheParser) {
  std::string f = client_frame(opcode::ping, "0123456789");
  ws::parser p(ws::role::server);
  std::string first = f.substr(0, 9), second = f.substr(9);
  auto r = p.feed(std::span(reinterpret_cast<std::byte*>(first.data()), first.size()));
  EXPECT_EQ(r.consumed, first.size());
  EXPECT_TRUE(std::holds_alternative<ws::need_more>(r.ev));
  EXPECT_EQ(p.state(), ws::parse_state::control_payload);
  first.assign(first.size(), '!');  // the caller reuses its buffer: the parser kept a copy
  r = p.feed(std::span(reinterpret_cast<std::byte*>(second.data()), second.size()));
  ASSERT_TRUE(std::holds_alternative<ws::control_frame>(r.ev));
  const auto& c = std::get<ws::control_frame>(r.ev);
  EXPECT_EQ(printable(c.payload), "0123456789");
  EXPECT_EQ(r.consumed, second.size());
}

TEST(WsParser, MaximalControlPayloadAndManyFramesInOneInput) {
  std::string in = client_frame(opcode::ping, std::string(125, 'p'));
  for (int i = 0; i < 20; ++i) in += client_frame(opcode::binary, std::to_string(i));
  auto log = parse(server(), in, 7);
  ASSERT_EQ(log.size(), 1u + 20 * 3 + 1);
  EXPECT_EQ(log[0], "ping '" + std::string(125, 'p') + "'");
  EXPECT_EQ(log[59], "data 19");
}

TEST(WsParser, ResetForgetsMessageAndError) {
  ws::parser p(ws::role::server);
  std::string bad = "\x83\x80\x00\x00\x00\x00";
  auto r = p.feed(std::span(reinterpret_cast<std::byte*>(bad.data()), bad.size()));
  EXPECT_EQ(r.err.code, ws::error_code::unknown_opcode);
  EXPECT_EQ(p.state(), ws::parse_state::failed);
  p.reset();
  EXPECT_EQ(p.state(), ws::parse_state::frame_start);
  std::string good = client_frame(opcode::text, "ok");
  r = p.feed(std::span(reinterpret_cast<std::byte*>(good.data()), good.size()));
  EXPECT_FALSE(r.err);
  ASSERT_TRUE(std::holds_alternative<ws::data_frame_begin>(r.ev));
}

}  // namespace
}  // namespace httpcore::test
