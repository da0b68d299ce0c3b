// What the WebSocket parser tests share: the parser configurations they use
// and parse(), which runs an input whole, byte by byte and split at every
// index (every `stride`-th index for long inputs) and fails the test when the
// splits disagree or the driver saw the contract broken.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "support/ws_driver.hpp"

namespace httpcore::test {

inline ws_config server() {
  return {};
}
inline ws_config client() {
  ws_config c;
  c.role = ws::role::client;
  return c;
}
inline ws_config deflate(ws_config c) {
  c.options.allow_rsv1 = true;
  return c;
}

inline ws_log parse(const ws_config& cfg, std::string_view input, std::size_t stride = 1) {
  std::string mismatch;
  ws_log log = run_ws_all_splits(cfg, input, &mismatch, stride);
  EXPECT_EQ(mismatch, "");
  for (const auto& line : log) EXPECT_NE(line.rfind("BUG", 0), 0u) << line;
  return log;
}

}  // namespace httpcore::test
