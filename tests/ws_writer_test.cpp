// The frame writer: exact header bytes for every length encoding, and writer
// -> parser round trips for both roles (server frames unmasked, client frames
// masked), fed whole and in odd pieces. Also close payloads and the masking
// transform on its own.

#include <gtest/gtest.h>

#include "httpcore/ws/close_code.hpp"
#include "support/ws_driver.hpp"
#include "support/ws_frames.hpp"

namespace httpcore::test {
namespace {

using ws::opcode;

std::string hex_prefix(std::string_view s, std::size_t n) {
  return printable(std::as_bytes(std::span(s.substr(0, n))));
}

TEST(WsWriter, HeaderBytesForEveryLengthEncoding) {
  struct length_case {
    std::size_t length;
    std::string_view header;  // unmasked
  };
  const length_case cases[] = {
      {0, "\\x82\\x00"},
      {125, "\\x82}"},
      {126, "\\x82~\\x00~"},
      {65535, "\\x82~\\xff\\xff"},
      {65536, "\\x82\\x7f\\x00\\x00\\x00\\x00\\x00\\x01\\x00\\x00"},
  };
  for (const auto& c : cases) {
    const std::string payload(c.length, 'x');
    std::string out;
    ws::append_frame(out, opcode::binary, payload);
    const std::size_t header = ws::frame_header_size(c.length, false);
    EXPECT_EQ(out.size(), header + c.length);
    EXPECT_EQ(hex_prefix(out, header), c.header) << c.length;
    // Masked: the same with the MASK bit and the key after the length.
    out.clear();
    ws::append_frame(out, opcode::binary, payload, true, false, &kTestKey);
    EXPECT_EQ(out.size(), ws::frame_header_size(c.length, true) + c.length);
    EXPECT_EQ(static_cast<unsigned char>(out[1]) & 0x80, 0x80);
    EXPECT_EQ(out.substr(header, 4), "\x37\xfa\x21\x3d");
  }
}

TEST(WsWriter, FirstByteCarriesFinRsv1AndOpcode) {
  std::string out;
  ws::append_frame(out, opcode::text, "", false, true);
  EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x41);
  out.clear();
  ws::append_frame(out, opcode::pong, "");
  EXPECT_EQ(static_cast<unsigned char>(out[0]), 0x8A);
}

TEST(WsWriter, Rfc6455Examples) {
  EXPECT_EQ(server_frame(opcode::text, "Hello"), "\x81\x05Hello");
  EXPECT_EQ(client_frame(opcode::text, "Hello"), "\x81\x85\x37\xfa\x21\x3d\x7f\x9f\x4d\x51\x58");
}

TEST(WsWriter, RoundTripsThroughTheParserForBothRoles) {
  for (std::size_t length : {0u, 1u, 125u, 126u, 127u, 65535u, 65536u, 70001u}) {
    std::string payload;
    for (std::size_t i = 0; i < length; ++i) payload += static_cast<char>((i * 13 + 5) & 0xFF);
    const std::string expected_data = "data " + printable(std::as_bytes(std::span(payload)));
    for (auto peer : {ws::role::client, ws::role::server}) {
      // The peer writes; we parse in the opposite role.
      const bool from_client = peer == ws::role::client;
      const std::string frame = from_client ? client_frame(opcode::binary, payload)
                                            : server_frame(opcode::binary, payload);
      ws_config cfg;
      cfg.role = from_client ? ws::role::server : ws::role::client;
      ws_log expected = {"begin binary first fin length=" + std::to_string(length)};
      if (length > 0) expected.push_back(expected_data);
      expected.push_back("end message");
      expected.push_back("state frame_start");
      EXPECT_EQ(run_ws(cfg, frame), expected) << length;
      EXPECT_EQ(run_ws(cfg, frame, {1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233}), expected)
          << length;
      // Every split for the short ones; a sample for the long ones.
      const std::size_t stride = frame.size() < 300 ? 1 : 4093;
      for (std::size_t cut = 1; cut < frame.size(); cut += stride)
        ASSERT_EQ(run_ws(cfg, frame, {cut}), expected) << length << " split at " << cut;
    }
  }
}

TEST(WsWriter, FragmentedMessageAndControlFramesRoundTrip) {
  std::string in = client_frame(opcode::text, "Hello, ", false) + client_frame(opcode::ping, "?") +
                   client_frame(opcode::continuation, "w\xc3\xb6rld", true) +
                   client_frame(opcode::close, ws::close_payload(1000, "done"));
  std::string mismatch;
  auto log = run_ws_all_splits({}, in, &mismatch);
  EXPECT_EQ(mismatch, "");
  EXPECT_EQ(log, (ws_log{"begin text first length=7", "data Hello, ", "end frame", "ping '?'",
                         "begin text next fin length=6", "data w\\xc3\\xb6rld", "end message",
                         "close '\\x03\\xe8done' code=1000 reason='done'", "state closed"}));
}

TEST(WsWriter, WriteFrameHeaderMatchesAppendFrame) {
  std::byte header[ws::max_frame_header_bytes];
  for (std::uint64_t length : {0ull, 125ull, 126ull, 65535ull, 65536ull, 1ull << 40}) {
    for (bool masked : {false, true}) {
      std::size_t n = ws::write_frame_header(header, opcode::binary, length, true, false,
                                             masked ? &kTestKey : nullptr);
      EXPECT_EQ(n, ws::frame_header_size(length, masked));
      if (length <= 65536) {
        std::string out;
        ws::append_frame(out, opcode::binary, std::string(length, 'a'), true, false,
                         masked ? &kTestKey : nullptr);
        EXPECT_EQ(out.substr(0, n), std::string(reinterpret_cast<const char*>(header), n));
      }
    }
  }
}

TEST(WsWriter, MaskIsItsOwnInverseAtAnyOffsetAndAlignment) {
  std::string original;
  for (int i = 0; i < 100; ++i) original += static_cast<char>(i * 7);
  for (std::size_t start = 0; start < 9; ++start) {
    for (std::size_t cut : {0u, 1u, 3u, 8u, 13u, 64u}) {
      std::string buf = original;
      auto* p = reinterpret_cast<std::byte*>(buf.data());
      const std::size_t len = buf.size() - start;
      // Mask in two pieces, the second continuing the key phase.
      ws::apply_mask(std::span(p + start, std::min(cut, len)), kTestKey, 0);
      if (cut < len) ws::apply_mask(std::span(p + start + cut, len - cut), kTestKey, cut);
      for (std::size_t i = 0; i < len; ++i) {
        const auto expected =
            static_cast<char>(original[start + i] ^ static_cast<char>(kTestKey[i % 4]));
        ASSERT_EQ(buf[start + i], expected) << start << " " << cut << " " << i;
      }
      ws::apply_mask(std::span(p + start, len), kTestKey, 0);  // whole: back to the original
      EXPECT_EQ(buf, original);
    }
  }
}

TEST(WsWriter, ClosePayload) {
  EXPECT_EQ(ws::close_payload(1000), std::string("\x03\xe8", 2));
  EXPECT_EQ(ws::close_payload(4999, "bye"),
            "\x13\x87"
            "bye");
  EXPECT_EQ(ws::close_payload(ws::close_code::no_status, "ignored"), "");
}

TEST(WsWriter, ClosePayloadReasonIsCutOnACharacterBoundary) {
  // 123 bytes of room: 122 ASCII then a 2-byte character does not fit whole.
  std::string reason = std::string(122, 'a') + "\xc3\xa9" + "tail";
  std::string p = ws::close_payload(1001, reason);
  EXPECT_EQ(p.size(), 2u + 122u);
  EXPECT_TRUE(ws::is_valid_utf8(std::string_view(p).substr(2)));
  // A 4-byte character straddling the limit at each of its positions.
  for (std::size_t lead = 119; lead <= 123; ++lead) {
    std::string r = std::string(lead, 'b') + "\xf0\x9f\x98\x80" + "more";
    std::string q = ws::close_payload(1000, r);
    EXPECT_LE(q.size(), ws::max_control_payload);
    EXPECT_TRUE(ws::is_valid_utf8(std::string_view(q).substr(2))) << lead;
    EXPECT_EQ(q.size(), 2 + (lead + 4 <= 123 ? lead + 4 : lead)) << lead;
  }
  // Exactly 123 bytes fit unchanged; the frame parses.
  std::string exact(123, 'c');
  EXPECT_EQ(ws::close_payload(1000, exact).size(), 125u);
  auto log = run_ws({}, client_frame(opcode::close, ws::close_payload(1000, exact)));
  EXPECT_EQ(log.back(), "state closed");
}

TEST(WsWriter, CloseCodesValidOnTheWire) {
  int valid = 0;
  for (int code = 0; code < 65536; ++code)
    valid += ws::close_code::valid_on_wire(static_cast<std::uint16_t>(code)) ? 1 : 0;
  EXPECT_EQ(valid, 4 + 5 + 2000);  // 1000-1003, 1007-1011, 3000-4999
  EXPECT_FALSE(ws::close_code::valid_on_wire(1004));
  EXPECT_FALSE(ws::close_code::valid_on_wire(1005));
  EXPECT_FALSE(ws::close_code::valid_on_wire(1006));
  EXPECT_FALSE(ws::close_code::valid_on_wire(1015));
  EXPECT_TRUE(ws::close_code::valid_on_wire(3000));
  EXPECT_FALSE(ws::close_code::valid_on_wire(5000));
}

}  // namespace
}  // namespace httpcore::test
