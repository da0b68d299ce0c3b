// libFuzzer target: permessage-deflate (httpcore::ws_deflate).
//
// Input: three control bytes, then data.
//   byte 0: bits 0-2 window bits - 8 (8..15); bit 3 no context takeover;
//           bit 4 round-trip mode (else inflate mode); bits 5-7 zlib level
//   byte 1: inflate limit: 0..254 -> that many times 37 bytes, 255 -> 1 MiB
//   byte 2: piece size for feeding (1..256)
// Inflate mode: the data is one compressed message (arbitrary bytes). Never
// a crash, never more output than the limit, an error is terminal, and
// feeding it in pieces gives the same outcome as feeding it whole.
// Round-trip mode: the data, cut into messages at each 0xff byte, is
// compressed (in pieces) and inflated again: every message comes back equal.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/ws/deflate.hpp"

namespace {

namespace ws = httpcore::ws;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_ws_deflate: %s\n", what);
  std::abort();
}

struct control {
  int window_bits;
  bool no_context;
  bool round_trip;
  int level;
  std::uint64_t limit;
  std::size_t piece;
};

control read_control(const std::uint8_t* data) {
  control c;
  c.window_bits = 8 + (data[0] & 7);
  c.no_context = (data[0] & 8) != 0;
  c.round_trip = (data[0] & 16) != 0;
  c.level = (data[0] >> 5) + 2;  // 2..9
  c.limit = data[1] == 255 ? std::uint64_t{1} << 20 : std::uint64_t{data[1]} * 37;
  c.piece = std::size_t{data[2]} + 1;
  return c;
}

void check_inflate(const control& c, std::string_view payload) {
  ws::message_inflater whole_inflater(c.window_bits, c.no_context, c.limit);
  std::string whole;
  const ws::inflate_error whole_error = whole_inflater.inflate_message(payload, whole);
  if (whole.size() > c.limit) fail("whole: output above the limit");
  if (whole_error != ws::inflate_error::none) {
    std::string more;
    if (whole_inflater.inflate("x", true, more) != whole_error || !more.empty())
      fail("an error is not terminal");
  }

  ws::message_inflater pieces_inflater(c.window_bits, c.no_context, c.limit);
  std::string pieces;
  ws::inflate_error pieces_error = ws::inflate_error::none;
  std::size_t at = 0;
  do {
    const std::string_view piece = payload.substr(at, c.piece);
    at += piece.size();
    pieces_error = pieces_inflater.inflate(piece, at >= payload.size(), pieces);
  } while (pieces_error == ws::inflate_error::none && at < payload.size());
  if (pieces.size() > c.limit) fail("pieces: output above the limit");
  if (pieces_error != whole_error) fail("pieces and whole end differently");
  // Output before a corrupt spot may stop at a different byte; otherwise the
  // results must be identical.
  if (whole_error != ws::inflate_error::corrupt_data && pieces != whole)
    fail("pieces and whole inflate differently");
}

void check_round_trip(const control& c, std::string_view data) {
  std::vector<std::string_view> messages;
  for (std::size_t start = 0;;) {
    const std::size_t end = data.find('\xff', start);
    messages.push_back(data.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  ws::message_deflater deflater(c.window_bits, c.no_context, c.level);
  ws::message_inflater inflater(c.window_bits, c.no_context, data.size());
  for (std::string_view m : messages) {
    std::string compressed;
    for (std::size_t at = 0; at < m.size(); at += c.piece)
      deflater.compress(m.substr(at, c.piece), false, compressed);
    deflater.compress(std::string_view(), true, compressed);
    std::string back;
    for (std::size_t at = 0; at < compressed.size(); at += c.piece) {
      const std::string_view piece = std::string_view(compressed).substr(at, c.piece);
      if (inflater.inflate(piece, false, back) != ws::inflate_error::none)
        fail("round trip: inflate failed");
    }
    if (inflater.inflate(std::string_view(), true, back) != ws::inflate_error::none)
      fail("round trip: inflate failed at the end");
    if (back != m) fail("round trip: the message changed");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const control c = read_control(data);
  const std::string_view rest(reinterpret_cast<const char*>(data) + 3, size - 3);
  if (c.round_trip) {
    check_round_trip(c, rest);
  } else {
    check_inflate(c, rest);
  }
  return 0;
}
