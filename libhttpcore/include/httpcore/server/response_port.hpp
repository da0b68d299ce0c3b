#pragma once
/// \file
/// Where one response's bytes go: for protocol implementations (HTTP/1 in the
/// session, HTTP/2 streams in httpcore::h2), not for application code, which
/// only ever sees server::response.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "httpcore/server/handler.hpp"

namespace httpcore::server {

/// Where one response's bytes go: HTTP/1's output queue, or one HTTP/2 stream.
class response_port {
 public:
  using field_list = std::span<const std::pair<std::string, std::string>>;
  virtual ~response_port() = default;

  /// Queues the head: `status`, the handler's fields `f` and the protocol's
  /// own (Date, Server, framing). Not `streamed`: a complete response whose
  /// body of `length` bytes (none when nullopt: 1xx, 204, 304) follows in one
  /// write_body() unless it is empty or answers HEAD. `streamed`: pieces
  /// follow through write_body() and end_body(), `length` bytes of them in
  /// all when it is set (framed by it: no chunked coding, a content-length
  /// field), any number otherwise. Returns false, queuing
  /// nothing, when a field cannot be sent (a 500 replaces the response then).
  virtual bool write_head(int status, std::string_view reason, field_list f,
                          std::optional<std::uint64_t> length, bool streamed) = 0;
  /// Queues body bytes (the fixed body whole, or one streamed piece).
  virtual void write_body(std::string_view piece) = 0;
  /// Ends a streamed body.
  virtual void end_body() = 0;
  /// A streamed body with a length will not get its bytes: the client must
  /// see it cut short (HTTP/1 closes the connection after what is queued,
  /// HTTP/2 resets the stream). No end_body() follows.
  virtual void abort_body() = 0;
  /// A head was refused and replaced by a 500: HTTP/1 closes after it.
  virtual void on_head_refused() {}
  /// Whether the writer may queue more (see response::writable()).
  virtual bool writable() const noexcept = 0;
  /// response::accept_websocket(); a protocol without WebSocket answers the
  /// request itself (with a status saying so) and returns false.
  virtual bool accept_websocket(response& r, ws_handler& h, const ws_accept_options& options) = 0;
  /// response::defer(): where the steps of this response, kept for later, go:
  /// a link to the connection's thread, and the key that names this exchange
  /// to session::run_deferred() there (HTTP/1's exchange count; a protocol's
  /// keys carry protocol_exchange_bit). No link: the response cannot be kept.
  struct deferral {
    std::shared_ptr<connection_link> link;
    std::uint64_t key = 0;
  };
  virtual deferral defer_target() = 0;

 protected:
  // What protocol implementations may do to the responses they serve.
  static void reset(response& r, bool head_only) noexcept {
    r.reset();
    r.head_only_ = head_only;
  }
  static bool has_resume(const response& r) noexcept { return r.resume_ != nullptr; }
  static std::function<void(response&)> take_resume(response& r) noexcept {
    return std::exchange(r.resume_, nullptr);
  }
  static response make_response(response_port& port) { return response(port); }
  /// A deferred response is no longer waited for (its handle is gone, or it
  /// timed out): later steps find it over.
  static void stop_waiting(response& r) noexcept { r.deferred_ = false; }
};

}  // namespace httpcore::server
