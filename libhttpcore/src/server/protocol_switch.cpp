// Leaving HTTP/1 inside the session: the HTTP/2 preface (prior knowledge, or
// ALPN "h2") and `Upgrade: h2c` hand the connection to a connection_protocol
// that session_config::h2 makes; the session keeps its input buffer, output
// queue and the calls front ends make, and passes them through.

#include <limits>

#include "httpcore/server/protocol.hpp"
#include "httpcore/server/session.hpp"
#include "server/exchange_state.hpp"

namespace httpcore::server {

// RFC 9110 §7.8: a body-less request that asks for a protocol we serve gets
// the 101 and is answered in that protocol. One with a body is served over
// HTTP/1 instead (the upgrade is optional for the server), which spares
// holding its body across the switch.
bool session::try_upgrade(const h1::request_head& head, clock_now now) {
  if (config_.h2 == nullptr || !head.upgrade || head.framing != h1::body_framing::none ||
      !config_.h2->wants_upgrade(head))
    return false;
  auto p = config_.h2->start_upgraded(*this, *handler_, config_, peer_, head, now);
  if (!p) return false;
  std::string& out = tail_chunk();
  std::size_t before = out.size();
  out.append("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n");
  out.append(config_.h2->upgrade_fields());
  out.append("\r\n");
  queued_bytes_ += out.size() - before;
  protocol_ = std::move(p);
  upgrade_pending_ = true;  // the parser's `upgraded` event, right after, switches
  phase_ = phase::body;     // until then the parser finishes the request
  return true;
}

void session::start_protocol(std::unique_ptr<connection_protocol> p, clock_now now) {
  protocol_ = std::move(p);
  upgrade_pending_ = false;
  phase_ = phase::protocol;
  release_exchange();  // HTTP/1 is over: its parser and response go
  pump_protocol(now);
}

// Input to the protocol as far as it takes it, then its output, within the
// queue's high-water mark (the rest waits for consume_output()).
void session::pump_protocol(clock_now now) {
  // A deferred step run from inside the protocol's own work (a handler that
  // answered through its handle at once) leaves the output to this call.
  if (phase_ != phase::protocol || in_protocol_) return;
  struct guard {
    bool& flag;
    explicit guard(bool& f) : flag(f) { flag = true; }
    ~guard() { flag = false; }
    guard(const guard&) = delete;
    guard& operator=(const guard&) = delete;
  } busy(in_protocol_);
  if (in_begin_ < in_end_ && protocol_->wants_input()) {
    std::size_t taken = protocol_->receive(
        std::span<const std::byte>(in_.get() + in_begin_, in_end_ - in_begin_), now);
    in_begin_ += std::min(taken, in_end_ - in_begin_);
    if (in_begin_ == in_end_) in_begin_ = in_end_ = 0;
  }
  while (queued_bytes_ < config_.max_queued_output) {
    std::string& out = tail_chunk();
    std::size_t before = out.size();
    protocol_->produce(out, config_.max_queued_output - queued_bytes_, now);
    std::size_t added = out.size() - before;
    queued_bytes_ += added;
    if (added == 0) break;
  }
  if (protocol_->finished()) {
    phase_ = phase::closing;
    phase_start_us_ = now.monotonic_us;
  }
}

// A step of a deferred response the protocol carries: the protocol runs it,
// then its output goes to the queue (unless the step ran inside the protocol's
// own work, which produces afterwards). Once the connection is closing, the
// protocol's exchanges are over.
void session::run_protocol_deferred(std::uint64_t key, std::function<void(response&)>* step,
                                    clock_now now) {
  if (phase_ != phase::protocol) return;
  now_ = now;
  if (step != nullptr) {
    protocol_->run_deferred(key, *step, now);
  } else {
    protocol_->release_deferred(key, now);
  }
  pump_protocol(now);
}

}  // namespace httpcore::server
