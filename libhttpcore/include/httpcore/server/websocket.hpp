#pragma once
/// \file
/// What application code sees of a WebSocket connection, and the few hooks a
/// front end and an extension plug into. The server session runs the protocol
/// (RFC 6455: framing, fragmentation, UTF-8, ping/pong, the close handshake,
/// timeouts) sans I/O; a handler accepts a connection with
/// response::accept_websocket() and from then on gets its messages through a
/// ws_handler, and sends through a ws_peer.
///
/// Threads: every ws_handler callback runs on the thread that owns the
/// connection. A ws_peer made by a front end (see peer_factory) may be used
/// from any thread: its sends are queued to that owning thread. Without a
/// front end (sans-I/O tests), the session makes a peer usable only on the
/// thread driving the session.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "httpcore/server/deferred.hpp"
#include "httpcore/ws/close_code.hpp"
#include "httpcore/ws/deflate_params.hpp"
#include "httpcore/ws/limits.hpp"

namespace httpcore::server {

/// What a server does with a message it is asked to send while its peer
/// already has too many bytes waiting to be written (a slow consumer).
enum class ws_overflow : std::uint8_t {
  close,  ///< fail the connection with close code 1008 (policy violation)
  drop,   ///< drop that message, keep the connection
};

/// WebSocket settings of a session (session_config::websocket).
struct websocket_config {
  /// Frame and message limits of the parser (on the wire; 1009 above them).
  ws::limits limits{};
  /// permessage-deflate: the largest message after inflating (1009 above it).
  std::uint64_t max_inflated_message_bytes = 16u << 20;
  /// A connection that sent nothing for this long is pinged; 0: never ping.
  std::int64_t ping_interval_us = 30'000'000;
  /// A ping not answered (by anything: any input proves the peer alive) within
  /// this long closes the connection.
  std::int64_t pong_timeout_us = 10'000'000;
  /// After our close frame, how long the peer has to answer with its own
  /// before the TCP connection is closed anyway (also bounds flushing the
  /// last frames to a peer that stopped reading).
  std::int64_t close_timeout_us = 5'000'000;
  /// Outgoing bytes allowed to wait for the socket; a send that would pass
  /// it follows `on_overflow` (unless nothing waits: one message of any size
  /// may always be queued). A shared message (ws_peer::send_shared()) counts
  /// its whole size against the bound of every connection it is queued on,
  /// though its bytes are held once: a subscriber that does not read gets one
  /// such message, and the next one overflows.
  std::size_t max_queued_bytes = 4u << 20;
  ws_overflow on_overflow = ws_overflow::close;
};

/// One side of an open WebSocket connection, as the application holds it.
/// Shared: the application may keep it (e.g. in a pub/sub hub) after the
/// connection is gone; sends then do nothing.
class ws_peer {
 public:
  virtual ~ws_peer() = default;
  /// Tells connections apart: unique in the process for a front end's peers;
  /// for a session without a peer_factory, unique among live sessions.
  virtual std::uint64_t id() const noexcept = 0;
  /// Sends one whole message (text must be UTF-8; it is sent as given).
  virtual void send_text(std::string_view text) = 0;
  virtual void send_binary(std::span<const std::byte> bytes) = 0;
  void send_binary(std::string_view bytes) {
    send_binary(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())));
  }
  /// Sends one whole message that the caller shares with other peers (a
  /// publish to many subscribers): the peer keeps a reference to the buffer
  /// until the bytes are written rather than a copy, so the message is held
  /// once however many connections it goes to. The buffer must not change
  /// once passed. Messages larger than 64 KiB go uncompressed (RSV1 clear,
  /// as RFC 7692 allows per message) even where permessage-deflate was agreed,
  /// since compressing means one copy per connection. The default copies
  /// (send_text / send_binary), for peers that cannot share.
  virtual void send_shared(std::shared_ptr<const std::string> message, bool text) {
    if (!message) return;
    if (text) {
      send_text(*message);
    } else {
      send_binary(std::string_view(*message));
    }
  }
  /// Starts the close handshake with `code` (a code allowed on the wire) and
  /// a UTF-8 reason of at most 123 bytes.
  virtual void close(std::uint16_t code = ws::close_code::normal, std::string_view reason = {}) = 0;
};

/// permessage-deflate (RFC 7692) as the session uses it: one codec per
/// connection, made by the extension (httpcore::ws_deflate, which links zlib;
/// the core cannot) when the handshake negotiated it. Called only on the
/// connection's thread.
class message_codec {
 public:
  virtual ~message_codec() = default;
  /// Compresses one whole outgoing message into `out` (replacing its
  /// content), without the trailing 00 00 ff ff. False on failure.
  virtual bool compress(std::span<const std::byte> message, std::string& out) = 0;
  /// busy: the inflated bytes held at once across connections would pass a
  /// budget of the codec's (see server::inflate_budget); the session
  /// closes with 1009 and the reason "inflate budget spent".
  enum class inflate_status : std::uint8_t { ok, too_big, corrupt, busy };
  /// Inflates one whole received message into `out` (replacing its content),
  /// stopping with too_big once it would pass `max_bytes`.
  virtual inflate_status inflate(std::span<const std::byte> message, std::string& out,
                                 std::uint64_t max_bytes) = 0;
  /// The message inflate() put in `out` has been delivered (or refused): `out`
  /// is emptied and a large buffer freed, and whatever budget the inflated
  /// bytes took is given back. Called after every inflate().
  virtual void release(std::string& out) noexcept {
    if (out.capacity() > (64u << 10)) {
      std::string().swap(out);
    } else {
      out.clear();
    }
  }
};

/// Makes the codec once the handshake agreed on permessage-deflate (the
/// negotiation itself is the core's, ws/deflate_params.hpp). The application
/// passes one to accept_websocket() to offer compression.
class codec_factory {
 public:
  virtual ~codec_factory() = default;
  /// Never nullptr: throws when the codec cannot be made.
  virtual std::unique_ptr<message_codec> make(const ws::deflate_params& agreed) = 0;
};

/// Application callbacks of one WebSocket endpoint. One instance serves many
/// connections (from every front-end thread), so it must be thread-safe.
class ws_handler {
 public:
  virtual ~ws_handler() = default;
  /// The 101 is queued and messages may be sent.
  virtual void on_open(const std::shared_ptr<ws_peer>& /*peer*/) {}
  /// A whole message (fragments joined, inflated, text checked as UTF-8).
  /// The view is valid during the call only.
  virtual void on_message(const std::shared_ptr<ws_peer>& peer, std::string_view message,
                          bool text) = 0;
  /// The connection is over: called exactly once per on_open, however it
  /// ended. `code` is the close code of the handshake (the peer's when it
  /// started it, ours otherwise), or 1006 (abnormal) when the connection ended
  /// without one (TCP close, ping timeout, server stop).
  virtual void on_close(const std::shared_ptr<ws_peer>& /*peer*/, std::uint16_t /*code*/,
                        std::string_view /*reason*/) {}
};

/// How a handler accepts a WebSocket upgrade (response::accept_websocket()).
struct ws_accept_options {
  /// Subprotocols the endpoint speaks, in order of preference; the first one
  /// the client offers is chosen. Empty: none is selected.
  std::span<const std::string_view> subprotocols{};
  /// Accepts permessage-deflate when the client offers it, within `deflate`.
  codec_factory* compression = nullptr;
  ws::deflate_options deflate{};
};

/// Implemented by a front end: makes the handles through which other threads
/// reach a connection it owns (see frontends/common/mailbox).
class peer_factory {
 public:
  virtual ~peer_factory() = default;
  /// The WebSocket peer of the connection: its sends reach its thread.
  virtual std::shared_ptr<ws_peer> make_peer(std::uint64_t connection_id) = 0;
  /// Runs tasks on the connection's thread (deferred responses). nullptr: the
  /// front end cannot, and the session's own link serves only the thread
  /// driving it.
  virtual std::shared_ptr<connection_link> make_link(std::uint64_t /*connection_id*/) {
    return nullptr;
  }
};

}  // namespace httpcore::server
