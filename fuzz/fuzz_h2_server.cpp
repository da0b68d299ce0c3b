// libFuzzer target: HTTP/2 through server::session (session_config::h2,
// httpcore::h2 over nghttp2), fed hostile frames.
//
// Input: one control byte, then the bytes a client sends.
//   byte 0: bits 0-6: piece size for feeding - 1 (1..128); bit 7: the
//           connection preface is put in front (so mutations need not find it)
// The session is fed the bytes whole, then a fresh one in pieces, and its
// output is taken after every read. Never a crash, a leak or undefined
// behaviour; output queued never far above max_queued_output; a connection
// the session is done with wants no input; and both feedings end alike: done
// or not, and the same requests (method, target, body size) given to the
// handler, in any order. Which responses complete may differ: a peer's
// flow-control windows let through whichever streams nghttp2 schedules
// first, and that order follows the timing of the input.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/h2/server.hpp"
#include "httpcore/server/session.hpp"

namespace {

namespace server = httpcore::server;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_h2_server: %s\n", what);
  std::abort();
}

// GET: a fixed body; POST: the buffered body back; PUT: streamed back as it
// comes; /stream: a streamed response written while writable().
class handler final : public server::handler {
 public:
  std::string requests;  // what reached the handler
  bool stream_body(const httpcore::h1::request_head& head) override { return head.method == "PUT"; }
  void on_request(const server::request& req, server::response& res) override {
    requests += std::string(req.method()) + " " + std::string(req.target()) + " " +
                std::to_string(req.body.size()) + "\n";
    if (req.method() == "PUT") return res.start(200);
    if (req.method() == "POST") return res.send(200, req.body);
    if (req.target() == "/stream") {
      res.start(200);
      for (int i = 0; i < 64 && res.writable(); ++i) res.write(std::string(1024, 'z'));
      return res.end();
    }
    res.add_header("content-type", "text/plain");
    res.send(200, "Hello, World!");
  }
  void on_body(const server::request&, std::string_view piece, server::response& res) override {
    res.write(piece);
  }
  void on_body_end(const server::request&, server::response& res) override { res.end(); }
};

struct outcome {
  bool done;
  std::string requests;
};

outcome run(std::string_view client, std::size_t piece) {
  static server::session_config config = [] {
    server::session_config c;
    c.h2 = &httpcore::h2::server_protocol();
    c.max_queued_output = 64u << 10;
    // Streams refused above the limit depend on how many are still open,
    // which depends on the pieces: a limit no input of a few KiB reaches.
    c.http2.max_concurrent_streams = 1000;
    return c;
  }();
  handler h;
  const std::int64_t now = 1'000'000;  // one instant: budgets refill alike in both feedings
  server::session s(h, config, "fuzz", {now, "Sun, 06 Nov 1994 08:49:37 GMT"});
  for (std::size_t i = 0; i < client.size() && s.wants_input(); i += piece) {
    const auto part = client.substr(i, piece);
    auto buf = s.read_buffer();
    const std::size_t n = std::min(part.size(), buf.size());
    std::copy_n(part.data(), n, reinterpret_cast<char*>(buf.data()));
    s.commit_input(n, {now, {}});
    if (s.queued_output() > config.max_queued_output + (64u << 10))
      fail("output queued far above max_queued_output");
    while (s.queued_output() > 0) {
      server::io_slice slices[16];
      std::size_t count = s.output(slices), total = 0;
      for (std::size_t k = 0; k < count; ++k) total += slices[k].size;
      if (total == 0) fail("queued output without a slice");
      s.consume_output(total, {now, {}});
    }
    if (s.done() && s.wants_input()) fail("a finished session wants input");
  }
  s.on_peer_closed({now, {}});
  while (s.queued_output() > 0) {
    server::io_slice slices[16];
    std::size_t count = s.output(slices), total = 0;
    for (std::size_t k = 0; k < count; ++k) total += slices[k].size;
    s.consume_output(total, {now, {}});
  }
  // Streams may be dispatched in another order when input comes in pieces.
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < h.requests.size();) {
    std::size_t end = h.requests.find('\n', at);
    lines.push_back(std::string_view(h.requests).substr(at, end - at));
    at = end + 1;
  }
  std::sort(lines.begin(), lines.end());
  std::string sorted;
  for (auto l : lines) (sorted += l) += '\n';
  return {s.done(), sorted};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t piece = std::size_t{data[0] & 0x7fu} + 1;
  std::string client;
  if (data[0] & 0x80) client = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
  client.append(reinterpret_cast<const char*>(data + 1), size - 1);
  const outcome whole = run(client, client.size() + 1);
  const outcome pieces = run(client, piece);
  if (whole.done != pieces.done) fail("pieces and whole end differently");
  if (whole.requests != pieces.requests) fail("pieces and whole give the handler other requests");
  return 0;
}
