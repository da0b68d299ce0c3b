// libFuzzer target: the HTTP/1 parser alone, requests (server role). Checks that
// it never crashes, never consumes more than given, gives the same events
// however the input is split, and that an error is terminal.

#include "h1_fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  httpcore::fuzz::h1_fuzz_input in;
  if (!httpcore::fuzz::read_h1_fuzz_input(data, size, httpcore::h1::role::server, in)) return 0;
  httpcore::fuzz::check_h1_invariants(in);
  return 0;
}
