// The WebSocket half of a server session (RFC 6455 §5-7), sans I/O.

#include "server/ws_channel.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <variant>

#include "httpcore/ws/utf8.hpp"
#include "httpcore/ws/writer.hpp"

namespace httpcore::server {
namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();
// A buffer above this is freed after use rather than kept for the next message.
constexpr std::size_t kKeepBuffer = 64u << 10;
// Shared messages up to this size are still compressed (one copy each).
constexpr std::size_t kCompressSharedUpTo = 64u << 10;

void shrink(std::string& s) noexcept {
  if (s.capacity() > kKeepBuffer) {
    std::string().swap(s);
  } else {
    s.clear();
  }
}

std::span<const std::byte> bytes_of(std::string_view s) noexcept {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

ws::limits parser_limits(const websocket_config& c) {
  return c.limits;
}

}  // namespace

ws_channel::ws_channel(session& s, ws_handler& h, const websocket_config& config,
                       std::unique_ptr<message_codec> codec, std::shared_ptr<ws_peer> peer,
                       std::int64_t now_us)
    : session_(s),
      handler_(h),
      config_(config),
      codec_(std::move(codec)),
      peer_(std::move(peer)),
      parser_(ws::role::server, parser_limits(config), ws::parser_options{codec_ != nullptr}),
      closing_(ws::role::server, config.close_timeout_us),
      last_input_us_(now_us) {}

ws_channel::~ws_channel() {
  if (!opened_ || notified_) return;
  notified_ = true;
  try {
    handler_.on_close(peer_, ws::close_code::abnormal, {});
  } catch (...) {  // a destructor must not throw; the application had its say
  }
}

void ws_channel::open() {
  opened_ = true;
  handler_.on_open(peer_);
}

std::size_t ws_channel::feed(std::span<std::byte> in, std::int64_t now_us) {
  std::size_t used = 0;
  if (!in.empty()) {
    last_input_us_ = now_us;
    ping_sent_us_ = -1;  // anything from the peer proves it is there
  }
  while (wants_input()) {
    auto r = parser_.feed(in.subspan(used));
    used += r.consumed;
    if (r.err) {
      fail(r.err.close_code, r.err.name());
      break;
    }
    if (auto* b = std::get_if<ws::data_frame_begin>(&r.ev)) {
      on_data_begin(*b);
    } else if (auto* p = std::get_if<ws::data_payload>(&r.ev)) {
      // After our close frame, data is read (to find the peer's close) but dropped.
      if (open_for_data()) message_.append(p->text());
    } else if (auto* e = std::get_if<ws::data_frame_end>(&r.ev)) {
      on_data_end(e->message_end);
    } else if (auto* c = std::get_if<ws::control_frame>(&r.ev)) {
      on_control(*c);
    } else {
      break;  // need_more
    }
  }
  return used;
}

void ws_channel::on_data_begin(const ws::data_frame_begin& b) {
  if (!b.first_fragment) return;
  message_.clear();
  message_text_ = b.message_type == ws::opcode::text;
  message_compressed_ = b.compressed;
}

void ws_channel::on_data_end(bool message_end) {
  if (message_end && open_for_data()) deliver_message();
}

// What a message needed is given back once it is delivered or refused.
void ws_channel::done_with_message() noexcept {
  if (codec_) codec_->release(inflated_);
  shrink(message_);
}

void ws_channel::deliver_message() {
  struct release_at_exit {
    ws_channel& c;
    ~release_at_exit() { c.done_with_message(); }
  } release{*this};
  std::string_view message = message_;
  if (message_compressed_) {
    if (!codec_) return fail(ws::close_code::protocol_error, "unexpected compression");
    auto status =
        codec_->inflate(bytes_of(message_), inflated_, config_.max_inflated_message_bytes);
    if (status == message_codec::inflate_status::too_big)
      return fail(ws::close_code::message_too_big, "message too big");
    // Over the budget all connections share: 1009 too, since 1013 (try again
    // later) is not a code RFC 6455 defines and our parser refuses it.
    if (status == message_codec::inflate_status::busy)
      return fail(ws::close_code::message_too_big, "inflate budget spent");
    if (status != message_codec::inflate_status::ok)
      return fail(ws::close_code::invalid_payload, "invalid compressed data");
    // The parser cannot check compressed text; the inflated text is checked here.
    if (message_text_ && !ws::is_valid_utf8(inflated_))
      return fail(ws::close_code::invalid_payload, "invalid UTF-8");
    message = inflated_;
  }
  handler_.on_message(peer_, message, message_text_);
}

void ws_channel::on_control(const ws::control_frame& c) {
  switch (c.op) {
    case ws::opcode::ping:
      if (open_for_data()) write_frame(ws::opcode::pong, c.payload);
      break;
    case ws::opcode::pong:
      break;  // liveness was noted in feed()
    case ws::opcode::close: {
      // The peer started the handshake: its code is echoed (RFC 6455 §5.5.1)
      // and reported. Or it answered ours: the handshake ended with our code.
      bool ours = closing_.sent_code() != 0;
      std::string reason = ours ? close_reason_ : std::string(c.close_reason);
      act(closing_.on_peer_close(c.close_code, session_.now_.monotonic_us), {});
      notify_closed(ours ? closing_.sent_code() : c.close_code, reason);
      break;
    }
    default:
      break;
  }
}

// Whether a message of `bytes` may be queued; applies the overflow policy
// when not.
bool ws_channel::admit(std::size_t bytes) {
  if (!open_for_data()) return false;  // closing: nothing more may be sent
  // A message larger than the limit still goes out when nothing waits: the
  // limit bounds a backlog, not the size of a message (the parser's limits do).
  if (session_.queued_bytes_ > 0 && session_.queued_bytes_ + bytes > config_.max_queued_bytes) {
    if (config_.on_overflow == ws_overflow::close)
      close(ws::close_code::policy_violation, "send queue full", session_.now_.monotonic_us);
    return false;
  }
  return true;
}

void ws_channel::send(std::span<const std::byte> payload, bool text) {
  if (!admit(payload.size())) return;
  auto op = text ? ws::opcode::text : ws::opcode::binary;
  if (codec_) {
    bool ok = codec_->compress(payload, compressed_out_);
    if (ok) write_frame(op, bytes_of(compressed_out_), true);
    shrink(compressed_out_);
    if (!ok)
      close(ws::close_code::internal_error, "compression failed", session_.now_.monotonic_us);
    return;
  }
  write_frame(op, payload);
}

// A server frame is not masked, so the payload goes out as the publisher
// made it: our header, then the shared buffer itself.
void ws_channel::send(std::shared_ptr<const std::string> payload, bool text) {
  if (!payload) return;
  if (codec_ && payload->size() <= kCompressSharedUpTo) return send(bytes_of(*payload), text);
  if (!admit(payload->size())) return;
  std::array<std::byte, ws::max_frame_header_bytes> header;
  std::size_t n =
      ws::write_frame_header(header, text ? ws::opcode::text : ws::opcode::binary, payload->size());
  std::string& out = session_.tail_chunk();
  out.append(reinterpret_cast<const char*>(header.data()), n);
  session_.queued_bytes_ += n;
  session_.queue_shared(std::move(payload));
}

void ws_channel::close(std::uint16_t code, std::string_view reason, std::int64_t now_us) {
  if (!open_for_data()) return;
  if (!ws::close_code::valid_on_wire(code)) code = ws::close_code::internal_error;
  if (reason.size() > ws::max_control_payload - 2) reason = {};  // would not fit the frame
  close_reason_.assign(reason);
  act(closing_.start(code, now_us), reason);
}

void ws_channel::on_peer_closed() {
  if (finished()) return;
  act(closing_.on_peer_eof(), {});
  notify_closed(ws::close_code::abnormal, {});
}

// Failing the connection (RFC 6455 §7.1.7): our close frame with the reason's
// code (unless ours was sent already), then TCP closes as soon as it is
// written; the peer's answer is not awaited.
void ws_channel::fail(std::uint16_t code, std::string_view reason) {
  shrink(message_);  // nothing more of it will be delivered
  act(closing_.fail(code, session_.now_.monotonic_us), reason);
  notify_closed(code, reason);
}

// Does what the closing handshake says: a close frame, and from `closed` on
// only the flush is left (bounded by the close timeout, see next_deadline()).
void ws_channel::act(const ws::close_actions& a, std::string_view reason) {
  if (a.send_close) write_close(a.code, reason);
  if (finished() && finished_us_ == 0) finished_us_ = session_.now_.monotonic_us;
}

void ws_channel::notify_closed(std::uint16_t code, std::string_view reason) {
  if (!opened_ || notified_) return;
  notified_ = true;
  std::string owned(reason);  // the reason may point into input about to be reused
  handler_.on_close(peer_, code, owned);
}

void ws_channel::write_frame(ws::opcode op, std::span<const std::byte> payload, bool rsv1) {
  std::string& out = session_.tail_chunk();
  std::size_t before = out.size();
  ws::append_frame(out, op, payload, true, rsv1);
  session_.queued_bytes_ += out.size() - before;
}

void ws_channel::write_close(std::uint16_t code, std::string_view reason) {
  std::string payload = ws::close_payload(code, reason);
  write_frame(ws::opcode::close, bytes_of(payload));
}

std::int64_t ws_channel::next_deadline() const noexcept {
  switch (closing_.state()) {
    case ws::close_state::open:
      if (config_.ping_interval_us <= 0) return kNever;
      if (ping_sent_us_ >= 0) return ping_sent_us_ + config_.pong_timeout_us;
      return last_input_us_ + config_.ping_interval_us;
    case ws::close_state::close_sent:
      return closing_.deadline();
    case ws::close_state::closed:
      // Flushing the last frames to a peer that stopped reading is bounded too.
      return finished_us_ + config_.close_timeout_us;
  }
  return kNever;
}

void ws_channel::on_timer(std::int64_t now_us) {
  if (now_us < next_deadline()) return;
  switch (closing_.state()) {
    case ws::close_state::open:
      if (ping_sent_us_ >= 0) {
        // No answer to our ping: the peer is gone, as if TCP had closed.
        act(closing_.on_peer_eof(), {});
        notify_closed(ws::close_code::abnormal, "ping timeout");
      } else {
        write_frame(ws::opcode::ping, {});
        ping_sent_us_ = now_us;
      }
      break;
    case ws::close_state::close_sent: {
      // No answer to our close: the handshake ends with our code.
      std::string reason = close_reason_;
      act(closing_.on_timer(now_us), {});
      notify_closed(closing_.sent_code(), reason);
      break;
    }
    case ws::close_state::closed:
      break;  // the session drops what is left and closes
  }
}

}  // namespace httpcore::server
