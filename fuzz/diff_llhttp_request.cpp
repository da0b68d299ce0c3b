// libFuzzer target: requests through httpcore and llhttp 9.2.1 (see
// diff_driver.hpp); aborts on a difference docs/divergences.md does not explain.

#include "diff_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return httpcore::fuzz::diff_against_llhttp(data, size, /*request=*/true);
}
