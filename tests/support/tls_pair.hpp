// A client and a server TLS session wired to each other in memory: what one
// writes the other receives, whole or in pieces of a chosen size.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "httpcore/tls/session.hpp"

namespace httpcore::test {

/// Moves everything `from` has to write into `to`, `piece` bytes per
/// receive() (0: all at once). Returns the number of bytes moved.
inline std::size_t deliver(tls::session& from, tls::session& to, std::string& to_plaintext,
                           std::size_t piece = 0) {
  const std::string bytes(from.output());
  from.consume_output(bytes.size());
  const std::size_t step = piece == 0 ? bytes.size() : piece;
  for (std::size_t i = 0; i < bytes.size(); i += step) {
    to.receive(std::string_view(bytes).substr(i, step), to_plaintext);
  }
  return bytes.size();
}

struct tls_pair {
  tls_pair(tls::session c, tls::session s) : client(std::move(c)), server(std::move(s)) {}

  tls::session client;
  tls::session server;
  std::string client_received;  // plaintext the client got
  std::string server_received;  // plaintext the server got
  std::size_t to_server = 0;    // ciphertext bytes moved client -> server
  std::size_t to_client = 0;

  /// Moves bytes both ways until neither side has anything to write.
  void pump(std::size_t piece = 0) {
    for (int round = 0; round < 64; ++round) {
      const std::size_t up = deliver(client, server, server_received, piece);
      const std::size_t down = deliver(server, client, client_received, piece);
      to_server += up;
      to_client += down;
      if (up + down == 0) return;
    }
  }
};

}  // namespace httpcore::test
