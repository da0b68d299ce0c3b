// Uses the installed WebSocket pieces: the handshake (httpcore::core) and
// permessage-deflate (httpcore::ws_deflate, which brings zlib along).
#include <cstdio>
#include <string>

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
  std::printf("accept=%s deflate=%s\n", accept.c_str(), back.c_str());
  return 0;
}
