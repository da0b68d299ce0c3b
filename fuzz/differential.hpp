// What the differential fuzz targets share: reading their input, reducing two
// engines' normalised events (conformance/llhttp/normal.hpp) to what is
// compared, and reporting a difference.
//
// Input layout (the same as fuzz/h1_fuzz_input.hpp, so seeds are shared): two
// bytes of lenient-flag bits (bit i = h1::lenient_flag_names[i], which are
// llhttp's llhttp_set_lenient_* names), of which the second also holds the
// tiny-limits bit (0x80, ignored here: llhttp has no limits) and, for
// responses, the method of the request being answered ((byte >> 4) % 3 == 1:
// HEAD, llhttp's skipBody); a split byte (ignored: both engines get the input
// whole, split invariance is fuzz_h1_*'s job); then the bytes to parse. The
// end of the input is the peer closing the connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engines.hpp"
#include "normal.hpp"

namespace httpcore::fuzz {

using conformance::case_mode;
using conformance::event_list;
using conformance::outcome;
using conformance::test_case;

struct diff_input {
  test_case c;     // c.input: the bytes; c.meta.skip_body: a response to HEAD
  case_mode mode;  // role, lenient flags (in mode.more_lenient), no limits, finish
  // The engine httpcore is compared with: rules of http-parser's own entries
  // (H01, ...) apply to it alone.
  enum class engine { llhttp, http_parser } reference = engine::llhttp;
};

// False when the input is too short to hold the control bytes.
bool read_diff_input(const std::uint8_t* data, std::size_t size, bool request, diff_input& out);

// One engine's outcome reduced to what is compared. A message counts once it is
// complete (head, body, end): how far into a message's body an engine got
// before it rejected the message is not compared, since llhttp fails on the
// first bad byte while httpcore judges a head whole. A head httpcore delivered
// before refusing its message is compared (first_difference).
struct digest {
  enum class ending { clean, rejected, upgraded };
  std::vector<std::string> messages;  // each: head, body and end events, one per line
  ending end = ending::clean;
  std::string upgrade;  // "upgrade at=N" when end == upgraded
  std::string partial;  // an incomplete message the input ended in (compared unless rejected)
  std::string dropped;  // the message a rejection cut short (its head compared: first_difference)
};
digest digest_of(const event_list& events);
const char* ending_name(digest::ending e);

// Where two digests, httpcore's (`a`) and the reference's (`b`), first differ:
// the index of the first message that differs (or that only one has), or
// messages.size() when only the endings differ (or the head of a message
// httpcore delivered and then refused); nullopt when they agree.
std::optional<std::size_t> first_difference(const digest& a, const digest& b);

// The lenient flags `mode` sets, as "a,b,c" ("strict" when none).
std::string describe_mode(const diff_input& in);

// Prints the input, the mode and both engines' events and notes to stderr.
void print_difference(const char* title, const diff_input& in, const char* our_name,
                      const outcome& ours, const char* their_name, const outcome& theirs,
                      std::optional<std::size_t> at);

// The events of one message head, taken apart again for the classifier.
struct head_fields {
  bool request = true;
  std::string method, url, reason;
  int status = 0;
  std::string version;  // "1.1"
  bool keep_alive = false, upgrade = false;
  std::vector<std::pair<std::string, std::string>> headers, trailers;
  std::string body;
  bool ended = false;  // the message has its end event
};
// Reads a digest message (or a partial one); nullopt for anything else.
std::optional<head_fields> parse_message(const std::string& message);

}  // namespace httpcore::fuzz
