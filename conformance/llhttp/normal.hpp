// The normalised event list: what both engines and the expected log are
// reduced to before they are compared. It keeps only what httpcore's public
// API can observe, at the granularity that API delivers it:
//
//   request method="GET" url="/" version=1.1 keep-alive=1 upgrade=0   (a whole head,
//       header "Name": "value"                                          headers inside)
//   response status=200 reason="OK" version=1.1 keep-alive=1
//   body "..."        every body byte of one message, joined across spans and chunks
//   end               message complete, with its trailers as `trailer` lines
//   upgrade at=N      HTTP/1 ended; bytes from offset N belong to the next protocol
//   error             the input was rejected (where, and why, is not compared)
//   eof safe|complete|unsafe   what closing the connection after the input means
//
// Left out on purpose: message begin/reset/pause, the offsets of spans, chunk
// sizes and chunk extensions (httpcore does not expose them), llhttp's method
// numbers and flag bits (reduced to keep-alive and upgrade), and a head that
// was still incomplete when an error or the end of input came (httpcore
// delivers a head whole or not at all). Field values are trimmed of leading
// and trailing spaces and tabs: llhttp keeps trailing whitespace, httpcore
// strips it, and RFC 9112 §5 says it is not part of the value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace httpcore::conformance {

using event_list = std::vector<std::string>;
using field_list = std::vector<std::pair<std::string, std::string>>;

// What an engine reports for one case: the normalised events, plus a free-form
// note printed with failures (error names and offsets, for a human).
struct outcome {
  event_list events;
  std::string note;
  // The engine's own name for the error that stopped it ("obs_fold",
  // "HPE_INVALID_METHOD"; empty when none) and its offset in the input. Never
  // compared: the differential fuzzers' divergence classifier reads them to
  // tell which register entry explains a difference.
  std::string error;
  std::uint64_t error_offset = 0;
  // httpcore only: the input offset right after each complete message, so the
  // classifier can find a message's start line in the input.
  std::vector<std::uint64_t> message_ends;
};

// Bytes as a double-quoted string, with \r \n \t \\ \" and \xHH escapes.
std::string quote(std::string_view bytes);
std::string trim_ows(std::string_view value);

std::string request_event(std::string_view method, std::string_view url, int major, int minor,
                          bool keep_alive, bool upgrade, const field_list& headers);
std::string response_event(int status, std::string_view reason, int major, int minor,
                           bool keep_alive, const field_list& headers);
std::string body_event(std::string_view bytes);
std::string end_event(const field_list& trailers);
std::string upgrade_event(std::uint64_t offset);
std::string error_event();
enum class eof_kind { safe, complete, unsafe };
std::string eof_event(eof_kind kind);

// Whether the events end in a head immediately followed by `error`: the
// engine handed an application a head, then refused the message.
bool head_then_error(const event_list& events);
// Drops the head of `reference` that is immediately followed by `error`,
// unless `engine` delivered one there too. llhttp calls on_headers_complete
// before it judges framing fields (say "Transfer-Encoding: pigeons"), where
// httpcore judges them as part of the head (RFC 9112 §6.3) and refuses the
// message before delivering it: that difference is not compared. The other
// way round it is: a head httpcore delivers and then refuses must be the one
// the reference delivered (neither side's head is ever dropped when the engine
// under test has one).
void settle_errors(event_list& reference, const event_list& engine);

// llhttp_should_keep_alive() recomputed from what the log prints at "headers
// complete", except that a message whose body runs until the connection
// closes never keeps it alive (llhttp says it does for such requests), so that
// the expected side and the live llhttp engine (which calls
// the real function) can be compared; a mistake here shows up as llhttp
// failing its own suite.
bool llhttp_keep_alive(bool request, int status, int major, int minor, unsigned flags,
                       bool skip_body);

// Turns llhttp's callbacks, in the order llhttp makes them, into the normalised
// list. The expected ```log block and the live llhttp engine both go through
// this one class.
class llhttp_normaliser {
 public:
  void span(std::string_view kind, std::string_view bytes);
  void complete(std::string_view kind);  // "header_value", "url", ... (not message)
  void request_head(int major, int minor, bool keep_alive, bool upgrade);
  void response_head(int status, int major, int minor, bool keep_alive);
  void message_complete();
  // llhttp's error codes 22 and 23 mean "paused for an upgrade", not failure.
  void error(int code, std::uint64_t offset);
  void finish(int llhttp_finish_state);  // 0 safe, 1 safe with callback, 2 unsafe
  event_list take();                     // the input ended

 private:
  void flush_body();
  void reset_message();

  event_list events_;
  std::string method_, url_, reason_, field_, value_, body_;
  field_list headers_, trailers_;
  bool head_done_ = false, in_field_ = false;
};

// The ```log block as a normalised list. `skip_body` is the case's meta flag,
// which llhttp's keep-alive depends on. Returns nullopt and sets `problem` on a
// line it does not understand.
std::optional<event_list> normalise_log(const std::string& log, bool skip_body,
                                        std::string& problem);

// url.md: the components llhttp's URL parser reports, in its span names
// ("url.schema", "url.host", ...); empty ones are left out, and a rejected URL
// is the single event `error`.
std::optional<event_list> normalise_url_log(const std::string& log, std::string& problem);
std::string url_component_event(std::string_view name, std::string_view value);

}  // namespace httpcore::conformance
