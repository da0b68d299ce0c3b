// The WebSocket frame parser allocates nothing, not even at construction
// (docs/design.md, rule 1): parsing data and control frames, split control frames
// gathered inside the parser, errors and reset() must not touch the heap.
// This test replaces the global allocation functions with counting ones.

#include <gtest/gtest.h>

#include <string>

#include "httpcore/ws/parser.hpp"
#include "support/counting_new.hpp"
#include "support/ws_frames.hpp"

namespace httpcore::test {
namespace {

using ws::opcode;

// Feeds `input` (a copy; it is unmasked in place) the way a caller does, in
// pieces of `piece` bytes, and returns how many allocations happened.
long allocations_while_parsing(ws::parser& p, std::string input, std::size_t piece) {
  auto* data = reinterpret_cast<std::byte*>(input.data());
  const long before = g_allocations.load();
  std::size_t given = 0, done = 0;
  for (int guard = 0; guard < 100000 && done < input.size(); ++guard) {
    given = std::min(input.size(), std::max(given, done) + piece);
    auto r = p.feed(std::span(data + done, given - done));
    done += r.consumed;
    if (r.err) break;
  }
  return g_allocations.load() - before;
}

TEST(WsNoAlloc, ParsingAllocatesNothing) {
  std::string in = client_frame(opcode::text, "hello, w\xc3\xb6rld", false) +
                   client_frame(opcode::ping, std::string(125, 'p')) +
                   client_frame(opcode::continuation, std::string(70000, 'z'), true) +
                   client_frame(opcode::binary, std::string(300, '\xff')) +
                   client_frame(opcode::pong, "") +
                   client_frame(opcode::close, ws::close_payload(1000, "bye"));
  std::string bad = client_frame(opcode::text, "ok\xc0\xaf");
  for (std::size_t piece : {1u, 3u, 7u, 64u, 100000u}) {
    const long ctor_before = g_allocations.load();
    ws::parser p(ws::role::server);
    EXPECT_EQ(g_allocations.load() - ctor_before, 0) << "construction";
    EXPECT_EQ(allocations_while_parsing(p, in, piece), 0) << piece;
    EXPECT_EQ(p.state(), ws::parse_state::closed);
    const long reset_before = g_allocations.load();
    p.reset();
    EXPECT_EQ(g_allocations.load() - reset_before, 0) << "reset";
    EXPECT_EQ(allocations_while_parsing(p, bad, piece), 0) << piece;
    EXPECT_EQ(p.state(), ws::parse_state::failed);
  }
}

}  // namespace
}  // namespace httpcore::test
