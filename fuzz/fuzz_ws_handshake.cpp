// libFuzzer target: the WebSocket opening handshake's parsing of untrusted
// text (httpcore/ws/handshake.hpp, extensions.hpp, deflate_params.hpp).
//
// Input: one control byte (deflate options: bits 0-1 no-context flags, bits
// 2-4 client window - 8, bits 5-7 server window - 8), then an HTTP/1 request.
// The request is parsed by the HTTP/1 parser and handed to accept_handshake:
// no crash; a 101 carries a 28-character accept and, when deflate was
// agreed, a response that parses back to exactly one valid
// permessage-deflate whose parameters a client that made the same offer
// accepts with the same meaning. Every Sec-WebSocket-Extensions value is
// also parsed alone: the parser appends nothing when it fails.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "httpcore/h1/parser.hpp"
#include "httpcore/ws/handshake.hpp"

namespace {

namespace ws = httpcore::ws;
namespace h1 = httpcore::h1;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_ws_handshake: %s\n", what);
  std::abort();
}

void check_params(const ws::deflate_params& p) {
  if (p.server_max_window_bits < 8 || p.server_max_window_bits > 15 ||
      p.client_max_window_bits < 8 || p.client_max_window_bits > 15)
    fail("window bits out of 8..15");
}

void check_head(const h1::request_head& head, const ws::server_options& options) {
  for (const h1::header& h : head.headers) {
    if (!ws::ascii_iequals(h.name, "sec-websocket-extensions")) continue;
    std::vector<ws::extension> out;
    if (!ws::parse_extensions(h.value, out) && !out.empty()) fail("failed parse appended");
  }
  const ws::server_handshake_result r = ws::accept_handshake(head, options);
  if (r.status != 101 && r.status != 400 && r.status != 426) fail("unexpected status");
  if (!r) {
    if (r.error == ws::handshake_error::none) fail("failure without a reason");
    return;
  }
  if (r.accept.size() != 28) fail("accept is not 28 characters");
  if (r.fields().count < 3) fail("101 without its fields");
  if (!r.deflate) {
    if (!r.extensions.empty()) fail("extensions without deflate");
    return;
  }
  check_params(*r.deflate);
  std::vector<ws::extension> answer;
  if (!ws::parse_extensions(r.extensions, answer) || answer.size() != 1)
    fail("the response does not parse back");
  // A client whose wishes match what the server granted accepts the answer.
  ws::deflate_options client;
  client.server_no_context_takeover = r.deflate->server_no_context_takeover;
  client.server_max_window_bits = r.extensions.find("server_max_window_bits") != std::string::npos
                                      ? r.deflate->server_max_window_bits
                                      : 15;
  const auto checked = ws::check_deflate_response(answer[0], client);
  if (!checked) fail("a matching client refuses the response");
  check_params(*checked);
  if (checked->server_no_context_takeover != r.deflate->server_no_context_takeover ||
      checked->client_no_context_takeover != r.deflate->client_no_context_takeover ||
      checked->client_max_window_bits != r.deflate->client_max_window_bits)
    fail("client and server disagree on the parameters");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  ws::deflate_options deflate;
  deflate.server_no_context_takeover = (data[0] & 1) != 0;
  deflate.client_no_context_takeover = (data[0] & 2) != 0;
  deflate.client_max_window_bits = 8 + ((data[0] >> 2) & 7);
  deflate.server_max_window_bits = 8 + (data[0] >> 5);
  static constexpr std::string_view protocols[] = {"chat", "superchat"};
  ws::server_options options;
  options.subprotocols = protocols;
  options.deflate = deflate;

  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  h1::parser parser(h1::role::server);
  std::span<const std::byte> in = std::as_bytes(std::span(bytes.data(), bytes.size()));
  for (int events = 0; events < 64 && !in.empty(); ++events) {
    const h1::result r = parser.feed(in);
    if (r.err) break;
    in = in.subspan(r.consumed);
    if (const auto* head = std::get_if<h1::request_head>(&r.ev)) check_head(*head, options);
    if (std::holds_alternative<h1::need_more>(r.ev) || std::holds_alternative<h1::upgraded>(r.ev))
      break;
  }
  return 0;
}
