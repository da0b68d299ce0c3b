// The closing handshake's transitions, each in one function.

#include "httpcore/ws/close_handshake.hpp"

#include "httpcore/ws/close_code.hpp"

namespace httpcore::ws {
namespace {

std::int64_t after(std::int64_t now, std::int64_t timeout) noexcept {
  return timeout >= close_handshake::no_deadline - now ? close_handshake::no_deadline
                                                       : now + timeout;
}

}  // namespace

close_actions close_handshake::start(std::uint16_t code, std::int64_t now_us) noexcept {
  if (state_ != close_state::open) return {};
  state_ = close_state::close_sent;
  sent_code_ = code;
  deadline_ = after(now_us, timeout_us_);
  return {.send_close = true, .code = code, .close_tcp = false};
}

close_actions close_handshake::fail(std::uint16_t code, std::int64_t /*now_us*/) noexcept {
  close_actions a;
  if (state_ == close_state::open) {
    sent_code_ = code;
    a.send_close = true;
    a.code = code;
  }
  state_ = close_state::closed;
  deadline_ = no_deadline;
  if (!received_close_ && received_code_ == 0) received_code_ = close_code::abnormal;
  a.close_tcp = !tcp_closed_;
  tcp_closed_ = true;
  return a;
}

close_actions close_handshake::on_peer_close(std::uint16_t code, std::int64_t now_us) noexcept {
  if (state_ == close_state::closed) return {};
  close_actions a;
  if (state_ == close_state::open) {
    // Echo the peer's code (an empty close is answered with an empty close).
    sent_code_ = code;
    a.send_close = true;
    a.code = code;
  }
  received_close_ = true;
  received_code_ = code;
  state_ = close_state::closed;
  if (role_ == role::server) {
    // The server closes TCP first, so that the TIME_WAIT state is on its side.
    a.close_tcp = !tcp_closed_;
    tcp_closed_ = true;
    deadline_ = no_deadline;
  } else {
    deadline_ = after(now_us, timeout_us_);  // for the server to close TCP
  }
  return a;
}

// The connection ends without (the rest of) the closing handshake: the peer
// went away, or did not answer in time. Without its close frame, the code
// is 1006 (RFC 6455 §7.1.5).
close_actions close_handshake::abandon() noexcept {
  if (!received_close_) received_code_ = close_code::abnormal;
  state_ = close_state::closed;
  deadline_ = no_deadline;
  close_actions a;
  a.close_tcp = !tcp_closed_;
  tcp_closed_ = true;
  return a;
}

close_actions close_handshake::on_peer_eof() noexcept {
  return abandon();
}

close_actions close_handshake::on_timer(std::int64_t now_us) noexcept {
  if (deadline_ == no_deadline || now_us < deadline_) return {};
  return abandon();
}

}  // namespace httpcore::ws
