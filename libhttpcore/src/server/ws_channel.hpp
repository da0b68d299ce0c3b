#pragma once
// The WebSocket half of a server session, after the 101: runs the frame parser
// on the bytes the peer sends, joins fragments into messages for the
// application, answers pings, pings idle peers, runs the close handshake with
// its timeout, bounds what waits to be written, and writes frames into the
// session's output queue. Sans I/O, like the session that owns it.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "httpcore/server/session.hpp"
#include "httpcore/server/websocket.hpp"
#include "httpcore/ws/close_handshake.hpp"
#include "httpcore/ws/frame.hpp"
#include "httpcore/ws/parser.hpp"

namespace httpcore::server {

class ws_channel {
 public:
  ws_channel(session& s, ws_handler& h, const websocket_config& config,
             std::unique_ptr<message_codec> codec, std::shared_ptr<ws_peer> peer,
             std::int64_t now_us);
  /// A connection dropped while open still reports on_close (1006).
  ~ws_channel();
  ws_channel(const ws_channel&) = delete;
  ws_channel& operator=(const ws_channel&) = delete;

  /// Tells the application the connection is open.
  void open();
  /// Parses what it can of `in` (unmasking in place); returns the bytes used.
  std::size_t feed(std::span<std::byte> in, std::int64_t now_us);
  /// The peer closed TCP (read returned 0).
  void on_peer_closed();

  /// One message from the application (any thread's sends arrive here on the
  /// owning thread).
  void send(std::span<const std::byte> payload, bool text);
  /// One message shared with other connections: queued by reference.
  void send(std::shared_ptr<const std::string> payload, bool text);
  /// Starts the close handshake (no-op once it has begun).
  void close(std::uint16_t code, std::string_view reason, std::int64_t now_us);

  /// Reading still makes sense (the peer's close has not arrived, no error).
  bool wants_input() const noexcept { return !finished(); }
  /// Nothing more will happen but flushing the output, then closing TCP.
  bool finished() const noexcept { return closing_.state() == ws::close_state::closed; }
  std::int64_t next_deadline() const noexcept;
  void on_timer(std::int64_t now_us);

 private:
  bool open_for_data() const noexcept { return closing_.state() == ws::close_state::open; }
  void on_data_begin(const ws::data_frame_begin& b);
  void on_data_end(bool message_end);
  void on_control(const ws::control_frame& c);
  bool admit(std::size_t bytes);
  void deliver_message();
  void done_with_message() noexcept;
  void fail(std::uint16_t code, std::string_view reason);
  void act(const ws::close_actions& a, std::string_view reason);
  void notify_closed(std::uint16_t code, std::string_view reason);
  void write_frame(ws::opcode op, std::span<const std::byte> payload, bool rsv1 = false);
  void write_close(std::uint16_t code, std::string_view reason);

  session& session_;
  ws_handler& handler_;
  websocket_config config_;
  std::unique_ptr<message_codec> codec_;
  std::shared_ptr<ws_peer> peer_;
  ws::parser parser_;
  // open -> close_sent -> closed (RFC 6455 §7), with the close timeout as
  // its deadline; closed means: flush, then close TCP.
  ws::close_handshake closing_;
  bool opened_ = false;    // on_open was called
  bool notified_ = false;  // on_close was called

  // The message being received (fragments joined; reused between messages,
  // but a large buffer is freed once its message is delivered: an idle
  // connection must not keep what its largest message needed).
  std::string message_;
  std::string inflated_;
  bool message_text_ = false;
  bool message_compressed_ = false;
  std::string compressed_out_;  // scratch for outgoing compressed messages

  // Time: the last input (liveness), an outstanding ping, the end.
  std::int64_t last_input_us_ = 0;
  std::int64_t ping_sent_us_ = -1;  // -1: no ping outstanding
  std::int64_t finished_us_ = 0;
  std::string close_reason_;  // the reason of our close frame, for on_close
};

}  // namespace httpcore::server
