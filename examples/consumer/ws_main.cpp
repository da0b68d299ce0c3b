// Uses the installed WebSocket pieces: the handshake (httpcore::core) and
// permessage-deflate (httpcore::ws_deflate, which brings zlib along), both the
// message codec and the codec factory a server passes to accept_websocket().
#include <cstdio>
#include <span>
#include <string>

#include <httpcore/server/deflate_codec.hpp>
#include <httpcore/ws/deflate.hpp>
#include <httpcore/ws/handshake.hpp>

namespace ws = httpcore::ws;

int main() {
  // RFC 6455 §1.3's example key and RFC 7692 §7.2.3.1's example message.
  const std::string accept = ws::compute_accept("dGhlIHNhbXBsZSBub25jZQ==");
  ws::message_deflater deflater;
  ws::message_inflater inflater;
  std::string back;
  if (inflater.inflate_message(deflater.compress_message("Hello"), back) !=
      ws::inflate_error::none) {
    std::fprintf(stderr, "consumer_ws: inflate failed\n");
    return 1;
  }
  // The server's codec, as a session would make it once a handshake agreed
  // on the default parameters (same window both ways, so it reads itself).
  httpcore::server::deflate_codec_factory factory;
  auto codec = factory.make(ws::deflate_params{});
  const std::string message = "Hello, codec";
  std::string compressed, inflated;
  if (!codec->compress(std::as_bytes(std::span(message)), compressed) ||
      codec->inflate(std::as_bytes(std::span(compressed)), inflated, 1024) !=
          httpcore::server::message_codec::inflate_status::ok) {
    std::fprintf(stderr, "consumer_ws: the codec failed\n");
    return 1;
  }
  std::printf("accept=%s deflate=%s codec=%s\n", accept.c_str(), back.c_str(), inflated.c_str());
  return 0;
}
