#pragma once
/// \file
/// permessage-deflate for the app's WebSocket endpoints: the codec factory of
/// httpcore::ws_deflate (httpcore/server/deflate_codec.hpp) when this build
/// has zlib, and a factory that reports its absence otherwise, so the app
/// builds either way. Pass a deflate_codec_factory to ws_router to let its
/// routes compress.

#include <cstdint>
#include <memory>

#include "httpcore/server/websocket.hpp"

namespace httpcore::app {

/// Whether this build has permessage-deflate (zlib was found).
bool deflate_available() noexcept;

class deflate_codec_factory final : public server::codec_factory {
 public:
  /// `max_message_bytes` bounds an inflated message (1009 above it); keep it
  /// at session_config::websocket.max_inflated_message_bytes or below.
  /// `budget_bytes` bounds the inflated bytes that all the connections of
  /// this factory hold at once (see server::inflate_budget); 0: unbounded.
  explicit deflate_codec_factory(std::uint64_t max_message_bytes = 16u << 20, int level = 6,
                                 std::uint64_t budget_bytes = 64u << 20);
  ~deflate_codec_factory() override;
  /// Throws std::logic_error in a build without zlib (see deflate_available()).
  std::unique_ptr<server::message_codec> make(const ws::deflate_params& agreed) override;

 private:
  std::unique_ptr<server::codec_factory> impl_;  // one, so that its codecs share the budget
};

}  // namespace httpcore::app
