#pragma once
/// \file
/// The server side of one HTTP/1 connection, sans I/O: the front end puts the
/// bytes it reads in, takes the bytes to write out, and tells the time. The
/// session runs the parser, the keep-alive cycle and pipelining, calls the
/// handler, enforces limits and deadlines, and says when to close. When a
/// handler accepts a WebSocket (response::accept_websocket()), the same
/// session goes on serving the connection in that protocol through the same
/// calls (see websocket.hpp), so a front end needs no protocol code for it.
///
/// A front end's loop, in outline:
/// \code
///   auto buf = s.read_buffer();                 // only if s.wants_input()
///   n = read(fd, buf);  n > 0 ? s.commit_input(n, now) : s.on_peer_closed(now);
///   n = writev(fd, s.output(slices));  s.consume_output(n, now);
///   if (s.done()) close(fd);                    // all output flushed, nothing more to do
///   timer at s.next_deadline(); on expiry s.on_timer(now)
/// \endcode

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/h1/parser.hpp"
#include "httpcore/server/handler.hpp"
#include "httpcore/server/rate_meter.hpp"
#include "httpcore/server/response_port.hpp"
#include "httpcore/server/websocket.hpp"

namespace httpcore::server {

/// Time as the front end passes it in: a monotonic clock for deadlines and
/// durations, and the current IMF-fixdate for Date headers (the front end
/// caches it once a second).
struct clock_now {
  std::int64_t monotonic_us = 0;
  std::string_view http_date;
};

class protocol_factory;
class connection_protocol;

/// HTTP/2's limits (httpcore::h2 applies them; the core only carries them).
/// max_header_list_size bounds a request's head and its trailers, each apart.
struct http2_limits {
  std::uint32_t max_concurrent_streams = 100;      ///< advertised; above it: REFUSED_STREAM
  std::uint32_t max_header_list_size = 64u << 10;  ///< decoded, RFC 9113 §6.5.2 sizing; 431 above
  std::uint32_t initial_window = 64u << 10;        ///< per stream: request body bytes in flight
  std::uint32_t connection_window = 1u << 20;      ///< all streams' request bodies in flight
  std::size_t max_stream_output = 64u << 10;       ///< a stream's response bytes held: writable()
  std::size_t max_buffered_bodies = 8u << 20;      ///< all buffered bodies of a connection
};

struct session_config {
  h1::limits parser_limits{};
  std::uint64_t max_body_bytes = 64ull << 20;  ///< above it: 413 (streamed or not)
  std::size_t max_buffered_body = 1u << 20;    ///< above it, unless streamed: 413
  std::size_t max_queued_output = 256u << 10;  ///< backpressure: stop reading above it
  std::size_t read_chunk = 16u << 10;          ///< bytes offered per read_buffer()
  std::int64_t head_timeout_us = 10'000'000;   ///< first byte of a head to its end
  std::int64_t body_timeout_us = 30'000'000;   ///< without body progress (or output taken)
  std::int64_t idle_timeout_us = 60'000'000;   ///< keep-alive wait for a next request
  /// A deferred response (response::defer()) that makes no step for this
  /// long is answered 503 and the connection closed (cut short if started).
  std::int64_t response_timeout_us = 30'000'000;
  /// Minimum average data rates (bytes per second), measured from the start of
  /// a request body, or from when output was queued after none was, and
  /// enforced once `rate_grace_us` has passed: a body that falls behind gets
  /// 408 and a close; a peer that takes our output slower is cut off. Unlike
  /// the timeouts above, a trickle of bytes does not reset them. 0: no minimum.
  std::uint32_t min_body_rate = 256;
  std::uint32_t min_send_rate = 256;
  std::int64_t rate_grace_us = 5'000'000;
  std::string_view server_name = "httpcore";  ///< Server header; empty: none
  websocket_config websocket{};               ///< after response::accept_websocket()
  /// HTTP/2 (httpcore::h2::server_protocol()): when set, a connection whose
  /// first bytes are the HTTP/2 preface (prior knowledge, or after ALPN "h2")
  /// and a body-less request with `Upgrade: h2c` switch to it, serving the
  /// same handler. Null: HTTP/1 only (the preface gets 505).
  const protocol_factory* h2 = nullptr;
  http2_limits http2{};
};

/// A slice of output, shaped like struct iovec so front ends can cast.
struct io_slice {
  const void* data;
  std::size_t size;
};

/// The canned answer for a connection the front end will not serve (over its
/// connection limit): a complete 503 response that closes.
std::string_view overload_response() noexcept;

class ws_channel;

class session : private response_port {
 public:
  /// `config` is referred to, not copied (one copy per server rather than per
  /// connection): it must outlive the session. Front ends keep theirs in
  /// server_options; a temporary does not compile.
  session(handler& h, const session_config& config, std::string peer, clock_now now);
  session(handler&, const session_config&&, std::string, clock_now) = delete;
  ~session();
  session(const session&) = delete;
  session& operator=(const session&) = delete;

  // ---- input
  /// False while too much output is queued, after an error, when closing or
  /// when upgraded: the front end should not read then.
  bool wants_input() const noexcept;
  /// Free space to read into; valid until the next call on the session.
  std::span<std::byte> read_buffer();
  /// Frees the input buffer and the parser's header tables when the
  /// connection is idle between requests with no byte pending (a no-op
  /// otherwise). The session does it itself after each exchange; front ends
  /// also call it when a read finds nothing, since read_buffer() allocated
  /// for that read (many accepted connections send nothing at once).
  void release_idle_memory() noexcept;
  /// `n` bytes were read into read_buffer(): parse them and run handlers.
  void commit_input(std::size_t n, clock_now now);
  /// The peer closed its side (read returned 0).
  void on_peer_closed(clock_now now);

  // ---- output
  /// Fills `out` with slices of queued output; returns how many were filled.
  std::size_t output(std::span<io_slice> out) const noexcept;
  std::size_t queued_output() const noexcept { return queued_bytes_; }
  /// Bytes of input buffer held now: 0 while the connection idles between
  /// requests with nothing pending (the buffer is freed then and allocated
  /// again by the next read_buffer()).
  std::size_t input_capacity() const noexcept { return in_capacity_; }
  /// `n` bytes of output were written.
  void consume_output(std::size_t n, clock_now now);

  // ---- lifetime
  /// The connection left HTTP/1 for another protocol the session serves
  /// (HTTP/2 through session_config::h2).
  bool switched_protocol() const noexcept { return protocol_ != nullptr; }

  /// Nothing more to write and nothing more to read: close the socket.
  bool done() const noexcept;
  /// When the next deadline expires (monotonic microseconds), or max() if none.
  std::int64_t next_deadline() const noexcept;
  /// A deadline passed: a stalled head gets 408 and a close, idle connections close.
  void on_timer(clock_now now);
  /// Front-end shutdown: finish the exchange in flight, then close; close now if idle.
  void begin_shutdown(clock_now now);
  bool idle() const noexcept;
  /// Why this connection's last refused request was refused: the parser's
  /// error (name, stream offset, status), or unsupported_transfer_coding (see
  /// handler::accept_transfer_coded_body). errc::ok when none was, or when the
  /// refusal was the session's own limit or deadline (413, 408, 505 for HTTP/2),
  /// which the answered status alone describes.
  h1::error error() const noexcept { return error_; }

  /// After a 101 response, HTTP/1 is over: the bytes the peer sent after the
  /// request (to hand to the next protocol). A WebSocket the handler accepted
  /// with response::accept_websocket() is not "upgraded" in this sense: the
  /// session itself serves it, through the same calls as HTTP/1.
  bool upgraded() const noexcept { return phase_ == phase::upgraded; }
  std::span<const std::byte> upgraded_bytes() const noexcept;

  // ---- WebSocket
  /// Lets other threads reach this connection: the front end's factory makes
  /// the ws_peer handed to the application, `connection_id` names this
  /// connection to it. Without one, the peer works on the session's thread only.
  void set_peer_factory(peer_factory* factory, std::uint64_t connection_id) noexcept {
    peers_ = factory;
    connection_id_ = connection_id;
  }
  std::uint64_t connection_id() const noexcept { return connection_id_; }
  /// The connection speaks WebSocket (after an accepted handshake).
  bool websocket() const noexcept { return ws_ != nullptr; }
  /// A deferred response is pending: its steps arrive through the link
  /// (peer_factory::make_link()). A front end that moves connections between
  /// threads keeps this one on the thread whose mailbox the link posts to.
  bool awaiting_deferred() const noexcept;
  /// A link to this connection's thread (deferred.hpp): the front end's
  /// (peer_factory::make_link()) when it gave one, else one that runs tasks at
  /// once on the calling thread. For protocols served inside the session.
  std::shared_ptr<connection_link> make_link();
  /// The time the front end passed in last.
  clock_now last_now() const noexcept { return now_; }
  /// Sends one message, from the thread that drives the session (a front end
  /// delivering a peer's queued send). A no-op unless the WebSocket is open.
  void ws_send(std::span<const std::byte> payload, bool text, clock_now now);
  /// The same for a message shared with other connections: it is queued by
  /// reference, not copied (see ws_peer::send_shared()).
  void ws_send(std::shared_ptr<const std::string> payload, bool text, clock_now now);
  /// Starts the close handshake (a no-op unless the WebSocket is open).
  void ws_close(std::uint16_t code, std::string_view reason, clock_now now);

 private:
  friend class response;
  friend class ws_channel;
  friend class deferred_response;
  enum class phase : std::uint8_t {
    idle,        // between requests
    head,        // bytes of a head have arrived
    body,        // reading the body of the current request
    responding,  // request read; the response is still being produced (a streamed
                 // writer may wait here for the queue to drain: response::when_writable())
    closing,     // write what is queued, then close
    upgraded,    // a protocol the session does not serve: the front end takes over
    websocket,   // ws_ serves the connection
    protocol,    // protocol_ (HTTP/2) serves the connection
  };

  // The HTTP/1 response_port (h1_response.cpp).
  bool write_head(int status, std::string_view reason, field_list f,
                  std::optional<std::uint64_t> length, bool streamed) override;
  void write_body(std::string_view piece) override;
  void end_body() override;
  void abort_body() override;
  void on_head_refused() override;
  bool writable() const noexcept override;
  bool accept_websocket(response& r, ws_handler& h, const ws_accept_options& options) override;
  deferral defer_target() override;

  // Another protocol takes the connection (protocol_switch.cpp).
  bool try_upgrade(const h1::request_head& head, clock_now now);
  void start_protocol(std::unique_ptr<connection_protocol> p, clock_now now);
  void pump_protocol(clock_now now);
  void run_protocol_deferred(std::uint64_t key, std::function<void(response&)>* step,
                             clock_now now);

  void process(clock_now now);
  std::size_t queued_chunks() const noexcept;
  void process_websocket(clock_now now);
  void start_websocket(clock_now now);
  bool accept_websocket(ws_handler& h, const ws_accept_options& options);
  void on_head(const h1::request_head& head, clock_now now);
  void on_body_piece(std::string_view piece);
  void on_message_end(std::span<const h1::header> trailers, clock_now now);
  void finish_exchange(clock_now now);
  void complete_exchange(clock_now now);
  void pump_writer(clock_now now);
  void abandon_writer() noexcept;
  // Deferred responses (deferred.hpp): a step, and the handle's last copy gone.
  bool h1_awaiting_deferred() const noexcept;
  void run_deferred(std::uint64_t exchange, std::function<void(response&)>& step, clock_now now);
  void release_deferred(std::uint64_t exchange, clock_now now);
  void after_deferred_step(clock_now now);
  void fail(int status, clock_now now);
  void fail(h1::error why, clock_now now);
  void queue(std::string bytes);
  std::int64_t write_deadline() const noexcept;
  std::int64_t rate_deadline(const rate_meter& m, std::uint32_t rate) const noexcept;
  bool input_paused() const noexcept { return queued_bytes_ >= config_.max_queued_output; }
  bool waiting_for_reader() const noexcept;
  std::string& tail_chunk();
  void own_head(const h1::request_head& head);
  request current_request() const noexcept;

  // What an HTTP/1 exchange needs only while it is under way (the parser, the
  // response, the request's copied head and buffered body): allocated by the
  // first byte of a request, freed when the connection idles with nothing
  // pending (exchange_state.hpp). Then it holds only what is declared below.
  struct exchange_state;
  exchange_state& exchange();  // allocated on first use
  void release_exchange() noexcept;

  handler* handler_;
  const session_config& config_;
  std::string peer_;
  std::unique_ptr<exchange_state> x_;
  std::uint64_t parsed_before_ = 0;  // bytes the parsers of freed exchange states consumed
  phase phase_ = phase::idle;
  bool close_after_ = false;  // the exchange in flight is the last one
  bool peer_closed_ = false;
  clock_now now_{};
  h1::error error_{};  // see error()

  // Input: [in_begin_, in_end_) is unparsed.
  std::unique_ptr<std::byte[]> in_;
  std::size_t in_capacity_ = 0, in_begin_ = 0, in_end_ = 0;

  // Output: chunks of bytes; the first may be partly written. A chunk owns
  // its bytes, or refers to an immutable buffer shared with other sessions (a
  // WebSocket message published to many peers is held once).
  struct out_chunk {
    std::string own;
    std::shared_ptr<const std::string> shared;
    const char* data() const noexcept { return shared ? shared->data() : own.data(); }
    std::size_t size() const noexcept { return shared ? shared->size() : own.size(); }
  };
  void queue_shared(std::shared_ptr<const std::string> bytes);
  std::vector<out_chunk> out_;  // [out_head_, size) are queued
  std::size_t out_head_ = 0, out_offset_ = 0, queued_bytes_ = 0;

  // The exchange in flight.
  const h1::request_head* current_ = nullptr;  // the request in flight
  bool streaming_ = false;
  bool dispatched_ = false;     // the handler has been given the request
  int in_handler_ = 0;          // depth of application callbacks running now
  struct in_app;                // counts one such callback (RAII)
  std::uint64_t exchange_ = 0;  // counts exchanges: tells a deferred step it is late
  std::int64_t exchange_start_us_ = 0;
  std::int64_t phase_start_us_ = 0;     // head: first byte; body: last progress; idle: since
  std::int64_t write_progress_us_ = 0;  // output last accepted by the peer
  rate_meter send_rate_;                // output taken since the queue was last empty

  // WebSocket: the channel that serves the connection after the 101.
  std::unique_ptr<ws_channel> ws_;
  peer_factory* peers_ = nullptr;
  std::uint64_t connection_id_ = 0;
  std::shared_ptr<session*> self_;  // what same-thread peers hold; nulled on destruction

  // HTTP/1's streamed body in flight: chunked, or until the close.
  bool h1_streamed_ = false, h1_chunked_ = false;
  // After the switch: the protocol that serves the connection; before it, one
  // an accepted `Upgrade` made, waiting for the parser to finish the request.
  std::unique_ptr<connection_protocol> protocol_;
  bool upgrade_pending_ = false;
  bool in_protocol_ = false;  // pump_protocol() is running
};

}  // namespace httpcore::server
