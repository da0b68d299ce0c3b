// libFuzzer target: h2::client_session (httpcore::h2 over nghttp2) with
// requests in flight, fed arbitrary bytes from the server.
//
// Input: one control byte, then the bytes a server sends.
//   byte 0: bits 0-5: piece size for feeding - 1 (1..64); bit 6: an empty
//           SETTINGS frame is put in front (the server's preface, so
//           mutations need not find it); bit 7: the caller consumes data as
//           it comes (window updates go out), and resets stream 1 on its
//           first data
// Requests in flight: GET (stream 1), POST with a body (3), PUT with a
// streamed body and trailers (5), and (bit 7) a fourth submitted once the
// first response head arrives. Never a crash, a leak or undefined behaviour;
// output ready never far above max_buffered_output; events only for our
// streams and none for a stream after its end; data never beyond the
// windows we gave; after a connection error nothing but what it ended.
// Without bit 7 the bytes are fed whole and then in pieces, and when
// neither run saw a reset or a connection error both give the same
// transcript (events, data joined per stream). Errors are not compared:
// whether a frame on a stream nghttp2 just closed is a stream or a
// connection error, and how much of a frame's data came before its stream
// error, depend on when our own frames went out and on the pieces.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "httpcore/h2/client.hpp"

namespace {

namespace h2 = httpcore::h2;
using kind = h2::client_event::kind;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_h2_client: %s\n", what);
  std::abort();
}

struct outcome {
  std::string transcript;
  bool clean;  // no stream reset and no connection error
};

outcome run(std::string_view server, std::size_t piece, bool consume) {
  static const h2::client_limits limits = [] {
    h2::client_limits l;
    l.initial_window = 4096;
    l.connection_window = 16384;
    l.max_header_list_size = 4096;
    l.max_buffered_output = 16u << 10;
    l.max_stream_body_buffer = 2048;
    return l;
  }();
  h2::client_session c(limits);
  std::set<std::int32_t> ours, ended;
  auto submit = [&](h2::client_request r) {
    std::int32_t id = c.submit(r);
    if (id > 0 && !ours.insert(id).second) fail("a stream id given twice");
    return id;
  };
  const h2::field extra[] = {{"accept", "*/*"}};
  submit({.method = "GET",
          .scheme = "http",
          .authority = "fuzz.example",
          .path = "/a",
          .headers = extra});
  submit({.method = "POST",
          .scheme = "http",
          .authority = "fuzz.example",
          .path = "/b",
          .body = std::string(5000, 'p')});
  std::int32_t put = submit({.method = "PUT",
                             .scheme = "http",
                             .authority = "fuzz.example",
                             .path = "/c",
                             .streamed = true});
  std::size_t put_left = 6000;
  bool fourth = false;
  std::map<std::int32_t, std::size_t> unconsumed;
  std::size_t total_unconsumed = 0;
  std::map<std::int32_t, std::string> bodies;
  // Each stream's events in order, and the connection's; which stream's
  // come first depends on when frames went out, so they are kept apart.
  std::map<std::int32_t, std::string> per_stream;
  std::string transcript;
  bool clean = true;
  bool over = false;

  auto drain = [&] {
    std::string out;
    c.produce(out, 1u << 20);
    if (out.size() > limits.max_buffered_output + (64u << 10))
      fail("output ready far above max_buffered_output");
    while (auto e = c.next_event()) {
      if (over) fail("an event after the connection error");
      if (e->what == kind::goaway) {
        transcript += "goaway " + std::to_string(e->last_stream_id) + " " +
                      std::to_string(e->error_code) + "\n";
        continue;
      }
      if (e->what == kind::connection_error) {
        if (c.error() == h2::client_error::none) fail("a connection error without error()");
        transcript += "error " + std::string(to_string(c.error())) + " " +
                      std::string(c.error_detail()) + "\n";
        over = true;
        clean = false;
        continue;
      }
      if (ours.count(e->stream) == 0) fail("an event for a stream we did not open");
      if (ended.count(e->stream) != 0) fail("an event after the stream ended");
      std::string id = std::to_string(e->stream);
      switch (e->what) {
        case kind::response_head:
          if (e->what == kind::stream_reset) clean = false;
          per_stream[e->stream] += id + " head " + std::to_string(e->status) + "\n";
          if (consume && !fourth && e->status >= 200) {  // timing: not in whole vs pieces
            fourth = true;
            submit({.method = "GET", .scheme = "http", .authority = "fuzz.example", .path = "/d"});
          }
          break;
        case kind::data:
          bodies[e->stream] += e->data;
          unconsumed[e->stream] += e->data.size();
          total_unconsumed += e->data.size();
          // Until the server acknowledges our SETTINGS its windows are the
          // protocol's default (65,535 bytes), not ours.
          if (unconsumed[e->stream] > std::max<std::size_t>(limits.initial_window, 65535))
            fail("more data on a stream than its window");
          if (total_unconsumed > std::max<std::size_t>(limits.connection_window, 65535))
            fail("more data than the connection's window");
          if (consume && e->stream == 1) {
            // Its events still queued are dropped; a stream_reset of ours ends it.
            if (!c.reset(1)) fail("reset of an open stream refused");
            total_unconsumed -= unconsumed[1];
            unconsumed[1] = 0;
          } else if (consume) {
            if (!c.consume(e->stream, e->data.size())) fail("consume of data seen refused");
            total_unconsumed -= e->data.size();
            unconsumed[e->stream] = 0;
          }
          break;
        case kind::trailers:
          if (e->what == kind::stream_reset) clean = false;
          per_stream[e->stream] += id + " trailers\n";
          break;
        case kind::stream_end:
        case kind::stream_reset:
          // A stream error can come mid-frame: how much of its data was
          // passed on first depends on the pieces, so a reset names no size.
          if (e->what == kind::stream_reset) clean = false;
          per_stream[e->stream] +=
              id + (e->what == kind::stream_end
                        ? " end " + std::to_string(bodies[e->stream].size()) + "\n"
                        : " reset\n");
          ended.insert(e->stream);
          break;
        default:
          fail("an unknown event");
      }
    }
    // The streamed body goes on as room allows, then ends with trailers.
    if (put > 0 && put_left > 0 && ended.count(put) == 0) {
      std::size_t n = std::min(put_left, c.body_room(put));
      if (n > 0 && c.write_body(put, std::string(n, 'u'))) put_left -= n;
      if (put_left == 0) {
        const h2::field trailers[] = {{"x-sum", "1"}};
        c.end_body(put, trailers);
      }
    }
  };

  drain();
  for (std::size_t i = 0; i < server.size() && !c.finished(); i += piece) {
    auto part = server.substr(i, piece);
    c.receive({reinterpret_cast<const std::byte*>(part.data()), part.size()});
    drain();
    if (c.error() != h2::client_error::none && c.wants_read()) fail("a failed session wants input");
  }
  c.on_peer_closed();
  drain();
  if (!c.finished()) fail("not finished after the server closed");
  if (c.open_streams() != 0) fail("streams open after the server closed");
  for (const auto& [id, events] : per_stream) transcript += events;
  return {transcript, clean};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t piece = std::size_t{data[0] & 0x3fu} + 1;
  const bool consume = (data[0] & 0x80) != 0;
  std::string server;
  if (data[0] & 0x40) server.assign("\0\0\0\x04\0\0\0\0\0", 9);
  server.append(reinterpret_cast<const char*>(data + 1), size - 1);
  const outcome pieces = run(server, piece, consume);
  if (!consume) {
    const outcome whole = run(server, server.size() + 1, false);
    if (whole.clean && pieces.clean && whole.transcript != pieces.transcript) {
      std::fprintf(stderr, "whole:\n%s\npieces of %zu:\n%s\n", whole.transcript.c_str(), piece,
                   pieces.transcript.c_str());
      fail("pieces and whole give other events");
    }
  }
  return 0;
}
