#pragma once
/// \file
/// What application code sees of an HTTP exchange: a request and a response to
/// write. No sockets, no threads: a session calls the handler, and everything
/// the handler writes becomes bytes queued on that session.

#include <any>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/h1/events.hpp"
#include "httpcore/server/deferred.hpp"
#include "httpcore/server/websocket.hpp"

namespace httpcore::server {

/// A request as the handler sees it. Views stay valid during the callback.
struct request {
  const h1::request_head* head = nullptr;  ///< method, target, headers, keep_alive...
  std::string_view body;                   ///< the whole body when buffered; empty when streamed
  std::string_view peer;                   ///< the peer's address as the front end named it
  /// The request's trailer fields: those after the last chunk of an HTTP/1
  /// chunked body (RFC 9112 §7.1.2), or the trailing HEADERS of an HTTP/2
  /// stream (RFC 9113 §8.1). Set in the call that sees the end of the body:
  /// on_request for a buffered body, on_body_end for a streamed one; empty
  /// in every other call and when the request had none. They are bounded as
  /// the head is (HTTP/1: h1::limits::max_trailer_bytes and max_headers;
  /// HTTP/2: http2_limits::max_header_list_size, counted apart from the
  /// head): a larger trailer section is refused with 431 (a reset stream on
  /// HTTP/2 once the response has begun) and never reaches the handler.
  /// Views valid during the callback; a handler that defers copies them.
  std::span<const h1::header> trailers;

  std::string_view method() const noexcept { return head->method; }
  std::string_view target() const noexcept { return head->target; }
  /// The first field called `name` (case-insensitive), or "" when absent.
  std::string_view header(std::string_view name) const noexcept;
  /// The first trailer field called `name` (case-insensitive), or "" when absent.
  std::string_view trailer(std::string_view name) const noexcept;
};

class session;
class response_port;

/// The response to one request. Either send() a whole response, or start() a
/// streamed one, write() pieces and end() it. Writes are queued on the session
/// (copying the bytes), so a handler never blocks and never sees the socket.
///
/// A streamed response of any size keeps memory bounded with writable() and
/// when_writable(): write while writable(), then ask to be called back when
/// the connection's queue has drained, and go on from there:
/// \code
///   void pump(response& res) {           // e.g. reading a file piece by piece
///     while (res.writable() && more()) res.write(next_piece());
///     if (more()) res.when_writable(pump); else res.end();
///   }
/// \endcode
class response {
 public:
  /// Adds a header to send (before send() or start()). Names and values that
  /// would inject CR/LF or invalid bytes make the response fail with 500.
  void add_header(std::string_view name, std::string_view value);

  /// A complete response with a fixed-length body. An empty reason means the
  /// standard phrase for the status.
  void send(int status, std::string_view body, std::string_view reason = {});

  /// Starts a streamed response: chunked for HTTP/1.1 clients, delimited by
  /// closing the connection for HTTP/1.0 ones, DATA frames on HTTP/2.
  void start(int status, std::string_view reason = {});
  /// Starts a streamed response whose body is exactly `length` bytes, sent
  /// with that Content-Length: HTTP/1 writes the pieces as they are (no
  /// chunked coding; the connection stays open, HTTP/1.0 included), HTTP/2
  /// sends content-length. For a HEAD request only the head goes out (no
  /// write() needed). The declared length is a promise: a write() that would
  /// go past it is not sent, and it or an end() before the last byte aborts
  /// the response, cut short where the client sees it (HTTP/1 closes the
  /// connection once what is queued is written, HTTP/2 resets the stream);
  /// aborted() then says so.
  void start_with_length(int status, std::uint64_t length, std::string_view reason = {});
  void write(std::string_view piece);
  void end();
  /// A start_with_length() body broke its promise (see there).
  bool aborted() const noexcept { return aborted_; }

  /// Backpressure: true while the connection's queued output is below its
  /// high-water mark (session_config::max_queued_output). A streamed writer
  /// writes more only then; write() itself never refuses bytes.
  bool writable() const noexcept;
  /// Calls `resume` once, on the connection's thread, when the queue has
  /// drained to half the high-water mark or below (right after the handler
  /// returns when it is that low already). Only for a started, unfinished
  /// streamed response; a later call replaces an earlier one. Until `resume`
  /// ends the response (end()) the exchange stays open and the session reads
  /// no further request; `resume` may call when_writable() again. If the
  /// connection ends first (peer gone, write timeout, an error), `resume` is
  /// destroyed without being called, so what it owns (an open file) is freed.
  /// A `resume` that neither writes nor ends the response while the queue is
  /// empty would wait forever: the session then closes the connection without
  /// ending the body, so the client sees it cut short.
  void when_writable(std::function<void(response&)> resume);

  /// Accepts a WebSocket opening handshake (RFC 6455 §4.2): a valid request
  /// gets its 101 and the connection then serves `h` (which must outlive the
  /// server); an invalid one gets 400, or 426 with the supported version.
  /// Returns whether the upgrade was accepted.
  bool accept_websocket(ws_handler& h, const ws_accept_options& options = {});

  /// Keeps this response to finish later, from any thread (see deferred.hpp):
  /// the handler returns without answering and the exchange stays open. Call
  /// it from a handler callback (on_request, on_body, on_body_end) before the
  /// response is finished; a second call returns the same handle while it
  /// lives, nullptr afterwards, as it does once the response is finished. The
  /// request's views die with the callback: copy what the answer needs.
  std::shared_ptr<deferred_response> defer();
  bool deferred() const noexcept { return deferred_; }

  /// One slot of the application's own per exchange (a route's name, a
  /// request id, a start time), emptied when the next exchange begins. The
  /// same object in every callback of the exchange, in deferred steps, and in
  /// handler::summary::user_data.
  std::any& user_data() noexcept { return user_data_; }
  const std::any& user_data() const noexcept { return user_data_; }

  bool started() const noexcept { return state_ != state::idle; }
  bool finished() const noexcept { return state_ == state::done; }
  int status() const noexcept { return status_; }
  /// Body bytes written so far (not counting framing).
  std::uint64_t body_bytes() const noexcept { return body_bytes_; }

 private:
  friend class session;
  friend class response_port;
  enum class state : std::uint8_t { idle, streaming, done };

  explicit response(response_port& port) : port_(&port) {}
  void reset() noexcept;
  bool write_head(int status, std::string_view reason, std::optional<std::uint64_t> length,
                  bool streamed);
  void abort();

  response_port* port_;  // the protocol that carries the bytes (HTTP/1, an HTTP/2 stream)
  state state_ = state::idle;
  int status_ = 0;
  std::uint64_t body_bytes_ = 0;
  bool head_only_ = false;                 // a response to HEAD carries no body
  bool aborted_ = false;                   // a declared length was not kept
  std::optional<std::uint64_t> declared_;  // start_with_length()'s
  std::vector<std::pair<std::string, std::string>> headers_;
  std::function<void(response&)> resume_;  // when_writable(): the queue drained
  bool deferred_ = false;                  // defer(): the answer comes later
  bool handed_out_ = false;                // defer() made its one handle
  std::weak_ptr<deferred_response> handle_;
  std::any user_data_;
};

/// Application code. One handler serves every connection of a server, from
/// every front-end thread at once, so it must be thread-safe.
///
/// The contract every driver of a handler keeps (the HTTP/1 session, and any
/// other protocol's): per exchange, on_request once; for a streamed body,
/// on_body per piece and on_body_end once; on_complete exactly once when the
/// exchange is over, however it ended; all of them on the connection's
/// thread, never two at once for one connection. A handler that returns
/// without finishing its response (and without defer() or when_writable())
/// has its stream ended, or a 500 sent when it said nothing. An exception
/// from a callback ends that connection only.
class handler {
 public:
  virtual ~handler() = default;

  /// Whether to stream this request's body (on_body pieces) rather than have
  /// it buffered (up to session_config::max_buffered_body, else 413).
  virtual bool stream_body(const h1::request_head&) { return false; }

  /// Whether to take a request whose body still carries transfer codings
  /// other than chunked (head.transfer_codings is not empty, e.g. "gzip" for
  /// "Transfer-Encoding: gzip, chunked"). The session undoes chunked only: a
  /// handler that says yes receives the body as sent, de-chunked but still
  /// coded, and must undo the codings itself (the whole list is in the
  /// Transfer-Encoding fields). The default, no: the session answers 501 and
  /// closes the connection (RFC 9112 §6.1), without calling the handler for
  /// that request; session::error() then says unsupported_transfer_coding,
  /// at the first coding. Called only when codings remain, before stream_body().
  virtual bool accept_transfer_coded_body(const h1::request_head&) { return false; }

  /// Buffered: called once the whole body is in request::body. Streamed:
  /// called at the head, then on_body for each piece, then on_body_end.
  virtual void on_request(const request& req, response& res) = 0;
  virtual void on_body(const request&, std::string_view /*piece*/, response&) {}
  virtual void on_body_end(const request&, response&) {}

  /// One exchange is over: for access logs and metrics. The views are valid
  /// during the call only.
  struct summary {
    std::string_view method, target, peer;
    int status;
    std::uint64_t body_bytes;
    /// From the first byte of the request to the end of the response as the
    /// session knew the time then: the time the front end passed in with the
    /// call that finished it (a deferred step; the drain a streamed writer
    /// waited for). The session reads no clock, so a handler that blocks its
    /// thread is not measured: work that takes time should defer().
    std::int64_t duration_us;
    const std::any* user_data = nullptr;  ///< response::user_data() of the exchange
    /// The protocol, by its ALPN name (RFC 7301): "http/1.0", "http/1.1"
    /// or "h2" (h2c included); a static string.
    std::string_view protocol = "http/1.1";
  };
  virtual void on_complete(const summary&) {}
};

}  // namespace httpcore::server
