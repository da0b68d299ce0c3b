// compare_with_http_parser (comparison.hpp): http-parser 2.9.4 against
// httpcore, on requests both accept.

#include "comparison.hpp"
#include "http_parser_engine.hpp"

namespace httpcore::fuzz {

bool compare_with_http_parser(const std::uint8_t* data, std::size_t size, comparison& out) {
  if (!read_diff_input(data, size, /*request=*/true, out.in)) return false;
  out.in.reference = diff_input::engine::http_parser;
  http_parser_options opt;
  std::vector<std::string> flags;
  for (const std::string& f : out.in.mode.more_lenient) {
    if (f == "headers") opt.lenient_headers = true;
    if (f == "chunked_length") opt.allow_chunked_length = true;
    // host: http-parser checks no Host either, and a Host error is a
    // rejection, which is not compared; keeping the flag keeps its inputs.
    if (f == "headers" || f == "chunked_length" || f == "host") flags.push_back(f);
  }
  out.in.mode.more_lenient = flags;
  out.theirs = run_http_parser(out.in.c.input, opt);
  out.their_digest = digest_of(out.theirs.events);
  if (out.their_digest.end == digest::ending::rejected) return false;
  out.ours = conformance::run_httpcore(out.in.c, out.in.mode, 0);
  out.refresh();
  return out.our_digest.end != digest::ending::rejected;
}

}  // namespace httpcore::fuzz
