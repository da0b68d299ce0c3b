// How the WebSocket fuzz targets read their input: two control bytes, then
// the bytes to parse. The control bytes choose parser options, small limits
// and a split point, so that the fuzzer explores them together with the input.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "support/ws_driver.hpp"

namespace httpcore::fuzz {

struct ws_fuzz_input {
  test::ws_config config;
  std::size_t split = 0;
  std::string_view bytes;
};

// Control byte 0: bit 0 allow_rsv1 (permessage-deflate), bit 1 small frame
// limit, bit 2 small message limit. Byte 1: the split point.
inline bool read_ws_fuzz_input(const std::uint8_t* data, std::size_t size, ws::role role,
                               ws_fuzz_input& out) {
  if (size < 2) return false;
  out.config.role = role;
  out.config.guard_page = false;  // libFuzzer's buffers are exact-size heap blocks: ASan guards
  out.config.options.allow_rsv1 = (data[0] & 1) != 0;
  if (data[0] & 2) out.config.limits.max_frame_bytes = 200;
  if (data[0] & 4) out.config.limits.max_message_bytes = 300;
  out.bytes = {reinterpret_cast<const char*>(data) + 2, size - 2};
  out.split = out.bytes.empty() ? 0 : data[1] % (out.bytes.size() + 1);
  return true;
}

inline void print_ws_log(const char* title, const test::ws_log& log) {
  std::fprintf(stderr, "--- %s\n", title);
  for (const auto& line : log) std::fprintf(stderr, "%.300s\n", line.c_str());
}

// The invariants every WebSocket fuzz target checks, whatever the input. The
// driver itself checks each call: consumed <= given, payload views at the end
// of the consumed input, no need_more with input left, errors terminal.
inline void check_ws_invariants(const ws_fuzz_input& in) {
  test::ws_log whole = test::run_ws(in.config, in.bytes);
  for (const auto& line : whole)
    if (line.rfind("BUG", 0) == 0) {
      print_ws_log("parser broke its contract", whole);
      std::abort();
    }
  // Split invariance: a split chosen by the fuzzer, and byte by byte when short.
  test::ws_log split = test::run_ws(in.config, in.bytes, {in.split});
  if (split != whole) {
    print_ws_log("whole", whole);
    print_ws_log("split", split);
    std::abort();
  }
  if (in.bytes.size() <= 512) {
    std::vector<std::size_t> ones(in.bytes.size(), 1);
    test::ws_log bytewise = test::run_ws(in.config, in.bytes, ones);
    if (bytewise != whole) {
      print_ws_log("whole", whole);
      print_ws_log("byte by byte", bytewise);
      std::abort();
    }
  }
  // Every error maps to the close code its class promises.
  if (whole.size() >= 2 && whole[whole.size() - 2].rfind("error ", 0) == 0) {
    const std::string& e = whole[whole.size() - 2];
    const bool ok_code =
        e.ends_with(" close 1002") || e.ends_with(" close 1007") || e.ends_with(" close 1009");
    if (!ok_code) {
      print_ws_log("unexpected close code", whole);
      std::abort();
    }
  }
}

}  // namespace httpcore::fuzz
