#pragma once
// The server side of one HTTP/2 connection over nghttp2, sans I/O: bytes in
// (nghttp2_session_mem_recv), frames out (nghttp2_session_mem_send), streams
// driving server::handler. Flow control is ours: nghttp2 returns no window
// on its own (no_auto_window_update); a request body's bytes go back to the
// peer as the handler takes them. Limits and flood protections: see
// server_session.cpp (make_options, the frame budget).

#include <nghttp2/nghttp2.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "httpcore/server/protocol.hpp"
#include "httpcore/server/rate_meter.hpp"
#include "stream.hpp"

namespace httpcore::h2 {

class server_session final : public server::connection_protocol {
 public:
  /// `host`: the session this protocol serves the connection in (its links
  /// carry deferred responses' steps back to this connection's thread).
  server_session(server::session& host, server::handler& h, const server::session_config& config,
                 std::string_view peer, server::clock_now now);
  ~server_session() override;
  server_session(const server_session&) = delete;
  server_session& operator=(const server_session&) = delete;

  /// h2c upgrade (RFC 7540 §3.2): `settings` is the decoded HTTP2-Settings
  /// payload; `head` becomes stream 1, half-closed (remote), given to the
  /// handler at the first receive() or produce() (once the host serves this
  /// protocol, so that its deferred steps find it). False when nghttp2
  /// refuses the settings.
  bool upgrade(std::string_view settings, const h1::request_head& head, server::clock_now now);

  // ---- server::connection_protocol
  std::size_t receive(std::span<const std::byte> bytes, server::clock_now now) override;
  void produce(std::string& out, std::size_t budget, server::clock_now now) override;
  bool wants_input() const noexcept override;
  bool finished() const noexcept override;
  std::int64_t next_deadline() const noexcept override;
  void on_timer(server::clock_now now) override;
  void on_peer_closed(server::clock_now now) override;
  void begin_shutdown(server::clock_now now) override;
  void on_output_taken(std::size_t n, server::clock_now now) override;
  void run_deferred(std::uint64_t key, std::function<void(server::response&)>& step,
                    server::clock_now now) override;
  void release_deferred(std::uint64_t key, server::clock_now now) override;
  bool awaiting_deferred() const noexcept override;

  // ---- for streams
  server::session& host() const noexcept { return *host_; }
  nghttp2_session* ng() const noexcept { return ng_; }
  server::handler& handler() const noexcept { return *handler_; }
  const server::session_config& config() const noexcept { return config_; }
  const server::clock_now& now() const noexcept { return now_; }
  std::string_view peer() const noexcept { return peer_; }
  /// Buffered request bodies on this connection, all streams together.
  std::size_t& buffered_bodies() noexcept { return buffered_bodies_; }
  /// Output produced that the peer has not taken yet.
  std::size_t pending_output() const noexcept { return pending_output_; }
  /// A stream gave `n` bytes of its body to a DATA frame: they count as
  /// progress (the stall timeout, min_send_rate) once the peer takes them.
  void data_sent(std::size_t n) noexcept { data_untaken_ += n; }
  /// A stream's held output drained: run its waiting writer after nghttp2
  /// returns (handlers never run inside mem_send).
  void writer_drained(std::int32_t id) { drained_.push_back(id); }

 private:
  static int on_begin_headers(nghttp2_session*, const nghttp2_frame*, void*);
  static int on_header(nghttp2_session*, const nghttp2_frame*, nghttp2_rcbuf*, nghttp2_rcbuf*,
                       std::uint8_t, void*);
  static int on_invalid_header(nghttp2_session*, const nghttp2_frame*, nghttp2_rcbuf*,
                               nghttp2_rcbuf*, std::uint8_t, void*);
  static int on_frame_recv(nghttp2_session*, const nghttp2_frame*, void*);
  static int on_data_chunk(nghttp2_session*, std::uint8_t, std::int32_t, const std::uint8_t*,
                           std::size_t, void*);
  static int on_stream_close(nghttp2_session*, std::int32_t, std::uint32_t, void*);

  stream* find(std::int32_t id) const noexcept;
  bool spend_frame_budget(const nghttp2_frame& frame);
  void fail(nghttp2_error_code code);
  void run_drained_writers();
  void give_back_windows();
  void dispatch_upgraded();
  stream* stream_for(std::uint64_t key) const noexcept;
  bool awaiting_bodies() const noexcept;
  bool owed_reading() const noexcept;
  void update_meters();
  std::int64_t rate_deadline() const noexcept;

  server::session* host_;
  server::handler* handler_;
  const server::session_config& config_;
  std::string peer_;
  server::clock_now now_;
  nghttp2_session* ng_ = nullptr;
  std::unordered_map<std::int32_t, std::unique_ptr<stream>> streams_;
  std::vector<std::int32_t> drained_;
  std::size_t buffered_bodies_ = 0;
  bool upgraded_pending_ = false;  // stream 1 of an h2c upgrade awaits its handler
  bool settings_patched_ = false;  // see produce(): the advertised stream limit
  bool peer_closed_ = false;
  bool shutting_down_ = false;
  bool failed_ = false;
  // Frames that carry no request progress (PING, SETTINGS, PRIORITY,
  // WINDOW_UPDATE, RST_STREAM, empty DATA...): a token bucket refilled with time.
  double frame_tokens_;
  std::int64_t tokens_at_us_;
  std::int64_t idle_since_us_;      // no stream open since then
  std::int64_t write_progress_us_;  // request frames in, or response DATA taken
  std::size_t pending_output_ = 0;  // what produce() appended and the peer has not taken
  // session_config::min_body_rate and min_send_rate, per connection, as
  // HTTP/1 meters them: request body bytes while some stream waits for its
  // body; response body bytes the peer took while it owed us reading
  // (output pending, or a stream's output held by a shut window). Control
  // frames (a PING's ACK) move neither: a peer cannot buy time with them.
  server::rate_meter body_rate_, send_rate_;
  bool body_metered_ = false, send_metered_ = false;
  std::size_t data_untaken_ = 0;  // DATA payload produced, not yet taken by the peer
};

}  // namespace httpcore::h2
