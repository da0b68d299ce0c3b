// libFuzzer target: the WebSocket frame parser alone, client role (it parses
// frames from a server, which must not be masked). Checks that it never crashes, never
// consumes more than given, gives the same events however the input is split,
// and that an error is terminal.

#include "ws_fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  httpcore::fuzz::ws_fuzz_input in;
  if (!httpcore::fuzz::read_ws_fuzz_input(data, size, httpcore::ws::role::client, in)) return 0;
  httpcore::fuzz::check_ws_invariants(in);
  return 0;
}
