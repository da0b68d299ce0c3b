// libFuzzer target: requests through httpcore and http-parser 2.9.4, compared
// only when both accept the whole input (comparison.hpp says why). Both run
// strict, except for the two flags http-parser has (lenient headers,
// chunked-length). A difference is judged by the register alone, as for
// llhttp: many of http-parser's readings are llhttp's (HTAB around list
// tokens, 1xx bodies, ...), and those of its own have entries of their own
// (docs/divergences.md). Anything else aborts with both logs.

#include "diff_driver.hpp"

namespace httpcore::fuzz {
namespace {

constexpr const char* kName = "http-parser 2.9.4";

int diff_against_http_parser(const std::uint8_t* data, std::size_t size) {
  comparison c;
  if (!compare_with_http_parser(data, size, c) || !c.at) return 0;
  if (const char* id = classify(c.view())) {
    note_explained(id, c.in, c.ours, kName, c.theirs, *c.at);
    return 0;
  }
  unexplained("MISMATCH: httpcore and http-parser 2.9.4 both accept, but differ", c.in, c.ours,
              c.our_digest, kName, c.theirs, c.their_digest, *c.at);
  return 0;
}

}  // namespace
}  // namespace httpcore::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return httpcore::fuzz::diff_against_http_parser(data, size);
}
