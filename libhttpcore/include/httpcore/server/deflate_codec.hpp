#pragma once
/// \file
/// permessage-deflate for a server's WebSocket endpoints: the session's codec
/// interface (server::codec_factory, httpcore/server/websocket.hpp) over
/// ws::deflate_stream. Part of httpcore::ws_deflate (it links zlib), not of
/// httpcore::core. Pass a deflate_codec_factory in ws_accept_options to let
/// accept_websocket() agree on compression with clients that offer it.

#include <atomic>
#include <cstdint>
#include <memory>

#include "httpcore/server/websocket.hpp"
#include "httpcore/ws/deflate_params.hpp"

namespace httpcore::server {

/// Inflated bytes that the codecs of one factory may hold at once, across all
/// their connections and threads. Before inflating a message, a codec takes
/// the most it can inflate to (1032 times its compressed size, DEFLATE's
/// densest code, at most the message limit) and gives it back once the
/// message is delivered (message_codec::release()); a message that cannot get
/// it fails with inflate_status::busy. All or nothing, so that concurrent
/// messages that each took a part cannot all fail. A message holds its share
/// only while it is inflated and delivered, so ordinary traffic rarely meets
/// the bound; a flood of compression bombs does. Thread-safe.
class inflate_budget {
 public:
  explicit inflate_budget(std::uint64_t bytes) noexcept : left_(bytes) {}
  /// Takes `bytes` if that many are left; else takes nothing.
  bool take(std::uint64_t bytes) noexcept;
  void give(std::uint64_t bytes) noexcept;
  std::uint64_t left() const noexcept { return left_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> left_;
};

class deflate_codec_factory final : public codec_factory {
 public:
  /// `max_message_bytes` bounds one inflated message (the session answers
  /// 1009 above it); keep it at or below
  /// session_config::websocket.max_inflated_message_bytes. `level` is zlib's
  /// compression level, 0 (store) to 9 (smallest). `budget_bytes` bounds the
  /// inflated bytes held at once by every connection this factory serves
  /// (the session answers 1009 "inflate budget spent" above it); 0: no bound
  /// but the per-message one. One factory per server: its codecs share it.
  explicit deflate_codec_factory(std::uint64_t max_message_bytes = 16u << 20, int level = 6,
                                 std::uint64_t budget_bytes = 64u << 20)
      : max_message_bytes_(max_message_bytes),
        level_(level),
        budget_(budget_bytes > 0 ? std::make_shared<inflate_budget>(budget_bytes) : nullptr) {}

  /// A codec for one connection, with the parameters the handshake agreed.
  /// Throws std::bad_alloc when zlib cannot allocate its state.
  std::unique_ptr<message_codec> make(const ws::deflate_params& agreed) override;

  /// The budget its codecs share (nullptr when unbounded).
  const inflate_budget* budget() const noexcept { return budget_.get(); }

 private:
  std::uint64_t max_message_bytes_;
  int level_;
  std::shared_ptr<inflate_budget> budget_;  // codecs hold it too: they may outlive us
};

}  // namespace httpcore::server
