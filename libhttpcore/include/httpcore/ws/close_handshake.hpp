#pragma once
/// \file
/// The closing handshake (RFC 6455 §5.5.1, §7) as a state machine that says
/// what to do and never does it: send our close frame (echoing the peer's
/// code when the peer started), wait for the peer's close within a timeout,
/// close the TCP connection. Time is passed in (monotonic microseconds, like
/// the server session's clock_now); there is no clock inside.
///
/// \code
///   close_handshake ch(role::server);
///   // parser delivered a close frame:
///   auto a = ch.on_peer_close(ev.close_code, now);
///   if (a.send_close) queue_close_frame(a.code);  // then flush
///   if (a.close_tcp) close_after_flush();
///   // timer at ch.deadline(); on expiry: apply ch.on_timer(now)
/// \endcode
///
/// Server and client differ only in who closes TCP first: the server, as soon
/// as both close frames are exchanged; the client waits for the server to do
/// so, until the deadline (RFC 6455 §7.1.1).

#include <cstdint>
#include <limits>

#include "httpcore/ws/frame.hpp"

namespace httpcore::ws {

/// Where the closing handshake is.
enum class close_state : std::uint8_t {
  open,        ///< no close frame sent or received
  close_sent,  ///< we sent ours and wait for the peer's (until deadline()); keep reading
  closed,      ///< both sent, or the connection failed: the TCP connection is to be closed
};

/// What the caller should do now. Both may be set: send first, then close.
struct close_actions {
  /// Send a close frame with `code` (close_code::no_status: an empty payload).
  bool send_close = false;
  std::uint16_t code = 0;
  /// Close the TCP connection once queued output is flushed.
  bool close_tcp = false;
};

class close_handshake {
 public:
  static constexpr std::int64_t no_deadline = std::numeric_limits<std::int64_t>::max();

  /// `timeout_us`: how long to wait for the peer's close frame after ours, and
  /// (client) for the server to close TCP after the exchange.
  explicit close_handshake(role r, std::int64_t timeout_us = 5'000'000) noexcept
      : role_(r), timeout_us_(timeout_us) {}

  /// We want to close (the application asked, or going away). Open: send our
  /// close with `code` and wait for the peer's. Otherwise nothing to do.
  close_actions start(std::uint16_t code, std::int64_t now_us) noexcept;

  /// The parser found a protocol error: send a close with its close code and
  /// close TCP without waiting (Fail the WebSocket Connection, §7.1.7). After
  /// our close was sent, only close TCP.
  close_actions fail(std::uint16_t code, std::int64_t now_us) noexcept;

  /// The peer's close frame arrived carrying `code` (1005 when empty). Open:
  /// echo it. Either way the exchange is complete: the server closes TCP; the
  /// client waits for the server to close until the deadline.
  close_actions on_peer_close(std::uint16_t code, std::int64_t now_us) noexcept;

  /// The peer closed TCP (read returned 0). Nothing more can be exchanged.
  close_actions on_peer_eof() noexcept;

  /// Time passed; at or after deadline(), close TCP.
  close_actions on_timer(std::int64_t now_us) noexcept;

  close_state state() const noexcept { return state_; }

  /// When to call on_timer(), or no_deadline.
  std::int64_t deadline() const noexcept { return deadline_; }

  /// The code we sent (0 if none yet).
  std::uint16_t sent_code() const noexcept { return sent_code_; }
  /// The code the peer sent: 1005 for an empty close, close_code::abnormal
  /// (1006) if the connection ended without the peer's close frame, 0 while open.
  std::uint16_t received_code() const noexcept { return received_code_; }
  /// Both close frames were exchanged (the connection closed cleanly).
  bool clean() const noexcept { return sent_code_ != 0 && received_close_; }

 private:
  close_actions abandon() noexcept;
  role role_;
  std::int64_t timeout_us_;
  close_state state_ = close_state::open;
  std::int64_t deadline_ = no_deadline;
  std::uint16_t sent_code_ = 0;
  std::uint16_t received_code_ = 0;
  bool received_close_ = false;
  bool tcp_closed_ = false;  // close_tcp was said, or the peer closed
};

}  // namespace httpcore::ws
