#pragma once
/// \file
/// The client side of one HTTP/2 connection (httpcore::h2, over nghttp2),
/// sans I/O: the caller moves bytes (receive(), produce()), submits
/// requests, and pulls events (next_event()). No socket, clock or thread is
/// touched; TLS and ALPN ("h2") or prior knowledge are the caller's.
///
/// The connection preface and our SETTINGS go out with the first produce();
/// the server's SETTINGS are acknowledged as they arrive. Every bound is in
/// client_limits; a peer that breaks the protocol ends the session with a
/// GOAWAY and error() naming what went wrong.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace httpcore::h2 {

/// Bounds of a client connection; the defaults are safe against a hostile server.
struct client_limits {
  /// Requests in flight at once (also never above the server's
  /// SETTINGS_MAX_CONCURRENT_STREAMS); submit() refuses more.
  std::uint32_t max_concurrent_streams = 100;
  /// A response head or trailer block, decoded (RFC 9113 §6.5.2 sizing:
  /// name + value + 32 per field); advertised, and a larger one resets the stream.
  std::uint32_t max_header_list_size = 64u << 10;
  /// Response body bytes in flight per stream, and for all streams
  /// together: data the caller has not consumed() yet stays below these.
  std::uint32_t initial_window = 64u << 10;
  std::uint32_t connection_window = 1u << 20;
  /// Frames made ready and not yet taken by produce() (receive() makes the
  /// answers to what it read ready at once, up to this), and request body
  /// bytes held per stream (write_body() takes no more).
  std::size_t max_buffered_output = 256u << 10;
  std::size_t max_stream_body_buffer = 64u << 10;
};

/// A header field; names lower-case (RFC 9113 §8.2.1).
using field = std::pair<std::string, std::string>;

/// A request to submit. The views need to live only during submit().
struct client_request {
  std::string_view method = "GET";
  std::string_view scheme = "https";
  std::string_view authority;   ///< :authority (host[:port])
  std::string_view path = "/";  ///< :path, the target
  std::span<const field> headers = {};
  /// The whole body, sent as DATA with END_STREAM (copied). Unset with
  /// `streamed` false: no body (END_STREAM on HEADERS).
  std::optional<std::string_view> body = std::nullopt;
  /// The body comes later through write_body() and end_body().
  bool streamed = false;
};

/// Why something failed; to_string() gives its stable name.
enum class client_error : std::uint8_t {
  none,
  too_many_streams,       ///< submit(): max_concurrent_streams requests in flight
  going_away,             ///< submit(): the server sent GOAWAY, or we are closing
  invalid_request,        ///< submit(): a field HTTP/2 forbids (upper case, a bad byte,
                          ///< connection-specific), or both a body and streamed
  header_list_too_large,  ///< submit(): above the server's or our max_header_list_size;
                          ///< a response head or trailers above ours (stream reset)
  no_such_stream,         ///< write_body()/end_body()/consume()/reset(): unknown or not streamed
  body_buffer_full,       ///< write_body(): more than max_stream_body_buffer held
  protocol_error,         ///< the server broke HTTP/2: GOAWAY sent, the session is over
  flooded,                ///< the server sent more control frames than we will answer
  connection_closed,      ///< the server closed the connection (on_peer_closed())
  internal,               ///< nghttp2 failed (out of memory)
};
std::string_view to_string(client_error e) noexcept;

/// The name of an HTTP/2 error code (RFC 9113 §7): "NO_ERROR", "CANCEL"...
std::string_view error_code_name(std::uint32_t code) noexcept;

/// What happened, in the order it happened on the wire.
struct client_event {
  enum class kind : std::uint8_t {
    response_head,     ///< status and fields (a 1xx is a head of its own)
    data,              ///< a piece of the body; call consume() once it is taken
    trailers,          ///< fields after the body
    stream_end,        ///< the response is complete (END_STREAM)
    stream_reset,      ///< the stream ended early: error_code (RST_STREAM, refused)
    goaway,            ///< the server is closing: streams above last_stream_id were not served
    connection_error,  ///< the session is over: error() says why
  };
  kind what;
  std::int32_t stream = 0;
  int status = 0;                   ///< response_head
  std::vector<field> fields = {};   ///< response_head, trailers
  std::string data = {};            ///< data; goaway's debug data
  std::uint32_t error_code = 0;     ///< stream_reset, goaway (RFC 9113 §7)
  std::int32_t last_stream_id = 0;  ///< goaway
  bool remote = true;               ///< stream_reset: sent by the server (false: by us)
};
std::string_view to_string(client_event::kind k) noexcept;

class client_session {
 public:
  explicit client_session(const client_limits& limits = {});
  ~client_session();
  client_session(const client_session&) = delete;
  client_session& operator=(const client_session&) = delete;

  /// Submits a request; returns its stream id (odd, > 0), or 0 with
  /// last_error() saying why (too_many_streams, going_away, invalid_request).
  std::int32_t submit(const client_request& request);
  /// A piece of a streamed body (copied). False (and nothing taken) when the
  /// stream holds max_stream_body_buffer already (body_room() says how much
  /// fits) or is not a streamed request of ours.
  bool write_body(std::int32_t stream, std::string_view piece);
  std::size_t body_room(std::int32_t stream) const noexcept;
  /// Ends a streamed body, with trailers if any.
  bool end_body(std::int32_t stream, std::span<const field> trailers = {});
  /// The caller has taken `n` bytes of the stream's data events: that much
  /// window goes back to the server (stream and connection).
  bool consume(std::int32_t stream, std::size_t n);
  /// Cancels a stream (RST_STREAM with `error_code`, CANCEL by default).
  bool reset(std::int32_t stream, std::uint32_t error_code = 0x8);
  /// GOAWAY (NO_ERROR): no new requests; those in flight finish.
  void shutdown();

  /// Bytes from the server; all are taken (after a connection error they
  /// are dropped). Events become available through next_event().
  void receive(std::span<const std::byte> bytes);
  /// Appends frames for the server to `out`, stopping once about `budget`
  /// bytes were appended (the rest waits here, within max_buffered_output).
  void produce(std::string& out, std::size_t budget = std::size_t(-1));
  /// The server closed its side: the session is over. Unless a GOAWAY
  /// announced it with no stream left open, streams still open end with
  /// stream_reset events (CANCEL) and error() is connection_closed.
  void on_peer_closed();

  /// The oldest event not yet taken, if any.
  std::optional<client_event> next_event();

  bool wants_write() const noexcept;  ///< produce() has something to append
  bool wants_read() const noexcept;   ///< streams open or the connection still usable
  /// Nothing more to send or receive: close once the output is written.
  bool finished() const noexcept;
  /// Requests in flight (submitted, not ended or reset).
  std::size_t open_streams() const noexcept;
  /// The server's SETTINGS_MAX_CONCURRENT_STREAMS, capped by our limit.
  std::uint32_t stream_capacity() const noexcept;
  /// The last call's failure, or the connection's once it is over.
  client_error last_error() const noexcept { return last_error_; }
  /// The connection's failure (none while it is usable); with the stream
  /// and nghttp2's description of the frame that caused it, when known.
  client_error error() const noexcept { return error_; }
  std::string_view error_detail() const noexcept { return error_detail_; }

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
  client_error last_error_ = client_error::none;
  client_error error_ = client_error::none;
  std::string error_detail_;
};

}  // namespace httpcore::h2
