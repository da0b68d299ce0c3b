#pragma once
// What a session holds only while an HTTP/1 exchange is under way, from the
// first byte of a request head to the end of its response (and of any
// requests pipelined behind it).
//
// Why apart: a keep-alive connection idles far longer than it exchanges, and
// what it holds while idle is what a server with many connections pays for
// each one. The parser and the response alone are most of a session's size,
// and neither carries anything from one request to the next that the session
// does not keep itself (the stream offset, in session::parsed_before_). So
// session::release_idle_memory() frees this state with the input buffer, and
// session::exchange() makes a fresh one when bytes arrive: one allocation per
// busy period, where nginx, too, frees a request's pool between requests.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "httpcore/h1/parser.hpp"
#include "httpcore/server/session.hpp"

namespace httpcore::server {

struct session::exchange_state {
  /// A parser that resumes the connection's byte count at `stream_offset`.
  exchange_state(session& s, const h1::limits& limits, std::uint64_t stream_offset)
      : parser(h1::role::server, limits), res(s) {
    parser.reset(stream_offset);
  }

  h1::parser parser;
  response res;  // the exchange's response (the handler's `response&`)

  // A request with a body outlives the read that brought its head, so its
  // head is copied here (the input buffer may be compacted between reads).
  h1::request_head owned_head;
  std::string owned_bytes;
  std::vector<h1::header> owned_headers;
  std::string body;      // a buffered (not streamed) request body
  rate_meter body_rate;  // the request body's bytes, while we read it

  // WebSocket: what accept_websocket() settled, until the 101 is past the
  // parser and start_websocket() hands them to the channel.
  ws_handler* ws_app = nullptr;
  std::unique_ptr<message_codec> ws_codec;
};

}  // namespace httpcore::server
