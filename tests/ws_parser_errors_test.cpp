// The WebSocket frame parser's rules, one test per rule: each violation gives
// its error code, close code (1002, 1007, 1009) and the offset of the
// offending byte, the same whole, byte by byte and split at every index.

#include <gtest/gtest.h>

#include "support/ws_driver.hpp"
#include "support/ws_frames.hpp"
#include "support/ws_parse.hpp"

namespace httpcore::test {
namespace {

using ws::opcode;

// The error line of the log (the one before the final state line).
std::string error_of(const ws_config& cfg, std::string_view input) {
  ws_log log = parse(cfg, input);
  EXPECT_GE(log.size(), 2u);
  EXPECT_EQ(log.back(), "state failed");
  return log.size() >= 2 ? log[log.size() - 2] : "";
}

std::string err(std::string_view name, std::uint64_t at, int close) {
  return "error " + std::string(name) + " at " + std::to_string(at) + " close " +
         std::to_string(close);
}

// ------------------------------------------------------------ header bits ----

TEST(WsParserErrors, Rsv2AndRsv3AreAlwaysRejected) {
  for (std::uint8_t bit : {kRsv2, kRsv3}) {
    std::string f = raw_frame(kFin | bit | op_bits(opcode::text), "x", true);
    EXPECT_EQ(error_of(server(), f), err("reserved_bits", 0, 1002));
    EXPECT_EQ(error_of(deflate(server()), f), err("reserved_bits", 0, 1002));
  }
}

TEST(WsParserErrors, Rsv1WithoutDeflateIsRejected) {
  std::string f = raw_frame(kFin | kRsv1 | op_bits(opcode::binary), "x", false);
  EXPECT_EQ(error_of(client(), f), err("reserved_bits", 0, 1002));
}

TEST(WsParserErrors, Rsv1OnlyOnTheFirstFrameOfADataMessage) {
  std::string first = raw_frame(kRsv1 | op_bits(opcode::text), "a", true);  // 7 bytes
  std::string cont = raw_frame(kFin | kRsv1 | op_bits(opcode::continuation), "b", true);
  EXPECT_EQ(error_of(deflate(server()), first + cont), err("rsv1_not_first_fragment", 7, 1002));
  std::string ping = raw_frame(kFin | kRsv1 | op_bits(opcode::ping), "", true);
  EXPECT_EQ(error_of(deflate(server()), ping), err("rsv1_not_first_fragment", 0, 1002));
}

TEST(WsParserErrors, ReservedOpcodes) {
  for (int op : {3, 4, 5, 6, 7, 11, 12, 13, 14, 15}) {
    EXPECT_EQ(error_of(server(), raw_frame(static_cast<std::uint8_t>(kFin | op), "", true)),
              err("unknown_opcode", 0, 1002))
        << int(op);
  }
}

TEST(WsParserErrors, ClientFramesMustBeMasked) {
  EXPECT_EQ(error_of(server(), raw_frame(kFin | op_bits(opcode::text), "hi", false)),
            err("unmasked_client_frame", 1, 1002));
  // Also after a good frame: the offset counts from the start of the stream.
  EXPECT_EQ(error_of(server(), client_frame(opcode::ping, "abc") +
                                   raw_frame(kFin | op_bits(opcode::pong), "", false)),
            err("unmasked_client_frame", 10, 1002));
}

TEST(WsParserErrors, ServerFramesMustNotBeMasked) {
  EXPECT_EQ(error_of(client(), raw_frame(kFin | op_bits(opcode::binary), "hi", true)),
            err("masked_server_frame", 1, 1002));
}

// ---------------------------------------------------------------- lengths ----

TEST(WsParserErrors, SixteenBitLengthMustBeMinimal) {
  EXPECT_EQ(error_of(client(),
                     raw_frame(kFin | op_bits(opcode::binary), std::string(125, 'x'), false, 16)),
            err("non_minimal_length", 2, 1002));
  // 126 is the smallest length the 16-bit form may carry.
  auto log =
      parse(client(), raw_frame(kFin | op_bits(opcode::binary), std::string(126, 'x'), false, 16));
  EXPECT_EQ(log.back(), "state frame_start");
}

TEST(WsParserErrors, SixtyFourBitLengthMustBeMinimal) {
  EXPECT_EQ(error_of(server(), raw_frame(kFin | op_bits(opcode::binary), "", true, 64, 65535)),
            err("non_minimal_length", 2, 1002));
  EXPECT_EQ(error_of(server(), raw_frame(kFin | op_bits(opcode::binary), "", true, 64, 0)),
            err("non_minimal_length", 2, 1002));
  // 65536 is the smallest length the 64-bit form may carry: no error, just waiting.
  auto log = parse(server(), raw_frame(kFin | op_bits(opcode::binary), "", true, 64, 65536));
  EXPECT_EQ(log, (ws_log{"begin binary first fin length=65536", "state data_payload"}));
}

TEST(WsParserErrors, SixtyFourBitLengthMostSignificantBitMustBeClear) {
  EXPECT_EQ(error_of(client(), raw_frame(kFin | op_bits(opcode::binary), "", false, 64,
                                         0x8000000000000000ull)),
            err("length_msb_set", 2, 1002));
  EXPECT_EQ(error_of(client(), raw_frame(kFin | op_bits(opcode::binary), "", false, 64,
                                         0xFFFFFFFFFFFFFFFFull)),
            err("length_msb_set", 2, 1002));
}

TEST(WsParserErrors, FrameAboveTheLimitIs1009) {
  ws_config c = server();
  c.limits.max_frame_bytes = 100;
  EXPECT_EQ(error_of(c, client_frame(opcode::binary, std::string(101, 'x'))),
            err("frame_too_big", 1, 1009));
  EXPECT_EQ(parse(c, client_frame(opcode::binary, std::string(100, 'x'))).back(),
            "state frame_start");
  // Huge declared lengths fail at once, before any payload.
  c.limits.max_frame_bytes = 16u << 20;
  EXPECT_EQ(error_of(c, raw_frame(kFin | op_bits(opcode::text), "", true, 64, 1ull << 40)),
            err("frame_too_big", 1, 1009));
}

TEST(WsParserErrors, MessageAboveTheLimitIs1009) {
  ws_config c = server();
  c.limits.max_message_bytes = 10;
  std::string in = client_frame(opcode::text, "12345", false) +          // 11 bytes
                   client_frame(opcode::ping, "") +                      // 6
                   client_frame(opcode::continuation, "67890", false) +  // 11
                   client_frame(opcode::continuation, "!", true);        // fails
  EXPECT_EQ(error_of(c, in), err("message_too_big", 29, 1009));
  // Exactly at the limit is fine, and the count starts over with each message.
  std::string ok = client_frame(opcode::text, "12345", false) +
                   client_frame(opcode::continuation, "67890", true) +
                   client_frame(opcode::binary, "0123456789");
  EXPECT_EQ(parse(c, ok).back(), "state frame_start");
}

// --------------------------------------------------------- control frames ----

TEST(WsParserErrors, ControlPayloadAtMost125Bytes) {
  EXPECT_EQ(error_of(server(), client_frame(opcode::ping, std::string(126, 'p'))),
            err("control_too_long", 1, 1002));
  EXPECT_EQ(error_of(client(), raw_frame(kFin | op_bits(opcode::close), "", false, 64, 70000)),
            err("control_too_long", 1, 1002));
}

TEST(WsParserErrors, ControlFramesMustNotBeFragmented) {
  EXPECT_EQ(error_of(server(), client_frame(opcode::ping, "x", false)),
            err("fragmented_control", 0, 1002));
  EXPECT_EQ(error_of(client(), server_frame(opcode::close, "", false)),
            err("fragmented_control", 0, 1002));
}

// ------------------------------------------------------- message sequence ----

TEST(WsParserErrors, ContinuationWithoutAMessage) {
  EXPECT_EQ(error_of(server(), client_frame(opcode::continuation, "x")),
            err("unexpected_continuation", 0, 1002));
  // After a message ended, too.
  EXPECT_EQ(error_of(server(), client_frame(opcode::text, "done") +
                                   client_frame(opcode::continuation, "x", false)),
            err("unexpected_continuation", 10, 1002));
}

TEST(WsParserErrors, NewMessageWhileOneIsInProgress) {
  EXPECT_EQ(
      error_of(server(), client_frame(opcode::text, "a", false) + client_frame(opcode::ping, "") +
                             client_frame(opcode::binary, "b")),
      err("expected_continuation", 13, 1002));
}

TEST(WsParserErrors, NothingAfterTheClose) {
  EXPECT_EQ(parse(server(), client_frame(opcode::close, ws::close_payload(1000, "")) +
                                client_frame(opcode::ping, "")),
            (ws_log{"close '\\x03\\xe8' code=1000 reason=''", err("data_after_close", 8, 1002),
                    "state failed"}));
}

// ------------------------------------------------------------ close frame ----

TEST(WsParserErrors, OneByteClosePayload) {
  EXPECT_EQ(error_of(server(), client_frame(opcode::close, "\x03")),
            err("invalid_close_payload", 6, 1002));
}

TEST(WsParserErrors, CloseCodesNotAllowedOnTheWire) {
  for (int code : {0, 999, 1004, 1005, 1006, 1012, 1014, 1015, 1016, 2000, 2999, 5000, 65535}) {
    std::string payload = ws::close_payload(static_cast<std::uint16_t>(code), "why");
    if (code == 1005) payload = std::string("\x03\xed", 2) + "why";  // close_payload omits it
    EXPECT_EQ(error_of(client(), server_frame(opcode::close, payload)),
              err("invalid_close_code", 2, 1002))
        << code;
  }
}

TEST(WsParserErrors, CloseReasonMustBeUtf8) {
  EXPECT_EQ(error_of(server(), client_frame(opcode::close, std::string("\x03\xe8ok\xff", 5))),
            err("invalid_close_reason", 10, 1007));
  // Cut inside a sequence: the error is at the end of the payload.
  EXPECT_EQ(error_of(client(), server_frame(opcode::close, std::string("\x03\xe8\xe2\x82", 4))),
            err("invalid_close_reason", 6, 1007));
}

// ----------------------------------------------------------------- UTF-8 ----

TEST(WsParserErrors, TextFailsAtTheFirstInvalidByteAfterDeliveringTheValidPart) {
  EXPECT_EQ(parse(server(), client_frame(opcode::text, "ab\xc3\xa9z\xc0\xafyz")),
            (ws_log{"begin text first fin length=9", "data ab\\xc3\\xa9z",
                    err("invalid_utf8", 11, 1007), "state failed"}));
}

TEST(WsParserErrors, InvalidSequenceSplitAcrossFragments) {
  // E2 82 starts a 3-byte sequence; the next fragment's 28 cannot continue it.
  std::string in = client_frame(opcode::text, "x\xe2\x82", false) +  // 9 bytes
                   client_frame(opcode::ping, "") +                  // 6
                   client_frame(opcode::continuation, "(", true);    // payload at 21
  EXPECT_EQ(parse(server(), in), (ws_log{"begin text first length=3", "data x\\xe2\\x82",
                                         "end frame", "ping ''", "begin text next fin length=1",
                                         err("invalid_utf8", 21, 1007), "state failed"}));
}

TEST(WsParserErrors, TextMessageEndingInsideASequence) {
  std::string in = client_frame(opcode::text, "ok\xf0\x9f", false) +  // 10 bytes
                   client_frame(opcode::continuation, "\x98", true);  // ends at 17
  EXPECT_EQ(parse(server(), in), (ws_log{"begin text first length=4", "data ok\\xf0\\x9f",
                                         "end frame", "begin text next fin length=1", "data \\x98",
                                         err("invalid_utf8", 17, 1007), "state failed"}));
  // An empty final frame ends it too.
  EXPECT_EQ(error_of(client(), server_frame(opcode::text, "\xc3", false) +
                                   server_frame(opcode::continuation, "", true)),
            err("invalid_utf8", 5, 1007));
}

TEST(WsParserErrors, Utf8RulesInTextFrames) {
  struct bad_case {
    std::string_view payload;
    std::size_t bad_at;  // index of the first invalid byte
  };
  const bad_case cases[] = {
      {"\x80", 0},              // stray continuation
      {"\xc0\x80", 0},          // overlong NUL
      {"\xc1\xbf", 0},          // overlong
      {"\xe0\x80\x80", 1},      // overlong 3-byte
      {"\xe0\x9f\xbf", 1},      // overlong U+07FF
      {"\xed\xa0\x80", 1},      // U+D800
      {"\xed\xbf\xbf", 1},      // U+DFFF
      {"\xf0\x8f\xbf\xbf", 1},  // overlong 4-byte
      {"\xf4\x90\x80\x80", 1},  // U+110000
      {"\xf5\x80\x80\x80", 0},  // beyond Unicode
      {"\xff", 0},
      {"a\xc3(", 2},  // missing continuation
  };
  for (const auto& c : cases) {
    EXPECT_EQ(error_of(server(), client_frame(opcode::text, c.payload)),
              err("invalid_utf8", 6 + c.bad_at, 1007))
        << printable(std::as_bytes(std::span(c.payload)));
  }
}

TEST(WsParserErrors, CompressedTextIsLeftToTheDeflateLayer) {
  EXPECT_EQ(parse(deflate(server()), client_frame(opcode::text, "\xc0\xaf", true, true)).back(),
            "state frame_start");
}

TEST(WsParserErrors, FirstErrorInStreamOrderWins) {
  // RSV2 and a reserved opcode in the same byte: one fixed choice.
  EXPECT_EQ(error_of(server(), raw_frame(kRsv2 | 3, "", false)), err("reserved_bits", 0, 1002));
  // Unmasked and too long: the mask bit is checked first.
  EXPECT_EQ(
      error_of(server(), raw_frame(kFin | op_bits(opcode::ping), std::string(126, 'x'), false)),
      err("unmasked_client_frame", 1, 1002));
}

TEST(WsParserErrors, ErrorNamesAndCloseCodes) {
  EXPECT_EQ(ws::error_name(ws::error_code::none), "none");
  EXPECT_EQ(ws::error_name(ws::error_code::invalid_close_reason), "invalid_close_reason");
  EXPECT_EQ(ws::error_close_code(ws::error_code::none), 0);
  EXPECT_EQ(ws::error_close_code(ws::error_code::unknown_opcode), 1002);
  EXPECT_EQ(ws::error_close_code(ws::error_code::invalid_utf8), 1007);
  EXPECT_EQ(ws::error_close_code(ws::error_code::message_too_big), 1009);
}

}  // namespace
}  // namespace httpcore::test
