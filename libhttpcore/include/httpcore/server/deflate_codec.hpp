#pragma once
/// \file
/// permessage-deflate for a server's WebSocket endpoints: the session's codec
/// interface (server::codec_factory, httpcore/server/websocket.hpp) over
/// ws::deflate_stream. Part of httpcore::ws_deflate (it links zlib), not of
/// httpcore::core. Pass a deflate_codec_factory in ws_accept_options to let
/// accept_websocket() agree on compression with clients that offer it.

#include <cstdint>
#include <memory>

#include "httpcore/server/websocket.hpp"
#include "httpcore/ws/deflate_params.hpp"

namespace httpcore::server {

class deflate_codec_factory final : public codec_factory {
 public:
  /// `max_message_bytes` bounds one inflated message (the session answers
  /// 1009 above it); keep it at or below
  /// session_config::websocket.max_inflated_message_bytes. `level` is zlib's
  /// compression level, 0 (store) to 9 (smallest).
  explicit deflate_codec_factory(std::uint64_t max_message_bytes = 16u << 20,
                                 int level = 6) noexcept
      : max_message_bytes_(max_message_bytes), level_(level) {}

  /// A codec for one connection, with the parameters the handshake agreed.
  /// Throws std::bad_alloc when zlib cannot allocate its state.
  std::unique_ptr<message_codec> make(const ws::deflate_params& agreed) override;

 private:
  std::uint64_t max_message_bytes_;
  int level_;
};

}  // namespace httpcore::server
