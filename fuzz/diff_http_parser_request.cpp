// libFuzzer target: requests through httpcore and http-parser 2.9.4, compared
// only when both accept the whole input: http-parser is lenient where llhttp
// and httpcore are strict, so its rejections say little. Both run strict,
// except for the two flags http-parser has (lenient headers, chunked-length).
//
// A difference on an input both accept is judged in two steps. First the
// register, as for llhttp: many of http-parser's readings are llhttp's
// (HTAB around list tokens, 1xx bodies, ...). Then llhttp itself, which
// replaced http-parser in Node.js: when llhttp reads the input as httpcore
// does, the difference is a flaw of http-parser alone and is counted as
// "http-parser-only"; when llhttp differs from httpcore too, the register
// must explain that difference. Anything else aborts with all three logs.

#include <cstdio>
#include <cstdlib>

#include "diff_driver.hpp"
#include "http_parser_engine.hpp"

namespace httpcore::fuzz {
namespace {

constexpr const char* kName = "http-parser 2.9.4";

int diff_against_http_parser(const std::uint8_t* data, std::size_t size) {
  diff_input in;
  if (!read_diff_input(data, size, /*request=*/true, in)) return 0;
  http_parser_options opt;
  std::vector<std::string> flags;
  for (const std::string& f : in.mode.more_lenient) {
    if (f == "headers") opt.lenient_headers = true;
    if (f == "chunked_length") opt.allow_chunked_length = true;
    if (f == "headers" || f == "chunked_length") flags.push_back(f);
  }
  in.mode.more_lenient = flags;
  outcome theirs = run_http_parser(in.c.input, opt);
  digest their_digest = digest_of(theirs.events);
  if (their_digest.end == digest::ending::rejected) return 0;
  outcome ours = conformance::run_httpcore(in.c, in.mode, 0);
  digest our_digest = digest_of(ours.events);
  if (our_digest.end == digest::ending::rejected) return 0;
  std::optional<std::size_t> at = first_difference(our_digest, their_digest);
  if (!at) return 0;
  if (const char* id = classify({in, ours, theirs, our_digest, their_digest, *at})) {
    note_explained(id, in, ours, kName, theirs, *at);
    return 0;
  }
  outcome ll = conformance::run_llhttp(in.c, in.mode, 0);
  digest ll_digest = digest_of(ll.events);
  std::optional<std::size_t> ll_at = first_difference(our_digest, ll_digest);
  if (!ll_at) {
    ++reference_only_count;
    if (settings().verbose)
      print_difference("difference of http-parser alone (llhttp reads it as httpcore does)", in,
                       "httpcore", ours, kName, theirs, at);
    return 0;
  }
  if (const char* id = classify({in, ours, ll, our_digest, ll_digest, *ll_at})) {
    note_explained(id, in, ours, "llhttp 9.2.1", ll, *ll_at);
    return 0;
  }
  if (!settings().survey)
    print_difference("llhttp 9.2.1 on the same input", in, "httpcore", ours, "llhttp 9.2.1", ll,
                     ll_at);
  unexplained("MISMATCH: httpcore and http-parser 2.9.4 both accept, but differ", in, ours,
              our_digest, kName, theirs, their_digest, *at);
  return 0;
}

}  // namespace
}  // namespace httpcore::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return httpcore::fuzz::diff_against_http_parser(data, size);
}
