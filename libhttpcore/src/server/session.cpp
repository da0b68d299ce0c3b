// One server connection, sans I/O: input buffer -> parser -> handler ->
// output queue, with keep-alive, pipelining, limits and deadlines.

#include "httpcore/server/session.hpp"

#include <algorithm>
#include <cstring>
#include <functional>

#include "httpcore/h1/serializer.hpp"
#include "httpcore/server/protocol.hpp"
#include "server/exchange_state.hpp"
#include "server/ws_channel.hpp"

namespace httpcore::server {
namespace {

constexpr std::size_t kOutputChunk = 16u << 10;  // append to the last chunk below this
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// The parser enforces the body limit on chunked bodies as they arrive (413).
h1::limits parser_limits_for(const session_config& config) {
  h1::limits limits = config.parser_limits;
  limits.max_body_bytes = std::min(limits.max_body_bytes, config.max_body_bytes);
  return limits;
}

// The link of a session without a front end's: tasks run at once, on the
// calling thread, which must be the one driving the session.
class local_link final : public connection_link {
 public:
  explicit local_link(std::shared_ptr<session*> target) : target_(std::move(target)) {}
  void post(connection_task task) override {
    if (session* s = *target_) task(*s, s->last_now());
  }

 private:
  std::shared_ptr<session*> target_;  // nulled when the session is destroyed
};

// An HTTP/1 exchange's protocol for its summary, by its ALPN name.
std::string_view protocol_name(const h1::request_head& head) {
  return head.version_major == 1 && head.version_minor == 0 ? "http/1.0" : "http/1.1";
}

}  // namespace

// Application code runs: a deferred step posted from inside it (on this
// thread) is done at once, and what follows a step waits for the callback.
struct session::in_app {
  explicit in_app(session& s) : s_(s) { ++s_.in_handler_; }
  ~in_app() { --s_.in_handler_; }
  in_app(const in_app&) = delete;
  in_app& operator=(const in_app&) = delete;
  session& s_;
};

std::string_view overload_response() noexcept {
  return "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n"
         "Retry-After: 1\r\n\r\n";
}

session::session(handler& h, const session_config& config, std::string peer, clock_now now)
    : handler_(&h),
      config_(config),
      peer_(std::move(peer)),
      now_(now),
      phase_start_us_(now.monotonic_us) {}

session::~session() {
  abandon_writer();             // the exchange still gets its on_complete
  if (self_) *self_ = nullptr;  // peers that outlive the session send nowhere
  // The channel reports on_close to the application; a peer send made from
  // that callback must find no channel rather than one half destroyed.
  std::unique_ptr<ws_channel> ws = std::move(ws_);
  protocol_.reset();  // its exchanges report to the handler while the session is whole
}

bool session::wants_input() const noexcept {
  if (phase_ == phase::protocol)
    return !peer_closed_ && protocol_->wants_input() && queued_bytes_ < config_.max_queued_output;
  if (phase_ == phase::websocket)
    return !peer_closed_ && ws_->wants_input() && queued_bytes_ < config_.max_queued_output;
  // While a streamed writer waits for the queue to drain (responding), the
  // next request waits too: reading it would only grow the input buffer.
  return phase_ != phase::closing && phase_ != phase::upgraded && phase_ != phase::responding &&
         !peer_closed_ && queued_bytes_ < config_.max_queued_output;
}

session::exchange_state& session::exchange() {
  if (!x_) x_ = std::make_unique<exchange_state>(*this, parser_limits_for(config_), parsed_before_);
  return *x_;
}

// Precondition: no request refers to it (current_ is null or not its head).
void session::release_exchange() noexcept {
  if (!x_) return;
  parsed_before_ = x_->parser.stream_offset();
  x_.reset();
}

request session::current_request() const noexcept {
  return {current_, x_ ? std::string_view(x_->body) : std::string_view(), peer_, {}};
}

bool session::idle() const noexcept {
  return phase_ == phase::idle && queued_bytes_ == 0;
}

bool session::done() const noexcept {
  return phase_ == phase::closing && queued_bytes_ == 0;
}

// A keep-alive connection can idle for a long time between requests; what it
// holds then is what a server with many connections pays for each. With no
// byte pending, nothing refers to the input buffer or the exchange state (the
// parser, the response, the copied head), so they go (the next read_buffer()
// allocates again, as nginx does with its buffers).
void session::release_idle_memory() noexcept {
  if (phase_ != phase::idle || in_begin_ != in_end_) return;
  release_exchange();
  in_.reset();
  in_capacity_ = in_begin_ = in_end_ = 0;
  if (queued_bytes_ == 0) {
    std::vector<out_chunk>().swap(out_);
    out_head_ = out_offset_ = 0;
  }
}

std::span<std::byte> session::read_buffer() {
  if (in_begin_ == in_end_) in_begin_ = in_end_ = 0;
  if (in_capacity_ - in_end_ < config_.read_chunk / 2) {
    // Unparsed bytes move to the front: the parser keeps offsets, not pointers.
    if (in_begin_ > 0) {
      std::memmove(in_.get(), in_.get() + in_begin_, in_end_ - in_begin_);
      in_end_ -= in_begin_;
      in_begin_ = 0;
    }
    if (in_capacity_ - in_end_ < config_.read_chunk / 2) {
      std::size_t capacity = std::max(in_capacity_ * 2, in_end_ + config_.read_chunk);
      // Not zeroed: only received bytes are ever read from it.
      auto bigger = std::make_unique_for_overwrite<std::byte[]>(capacity);
      if (in_end_ > 0) std::memcpy(bigger.get(), in_.get(), in_end_);
      in_ = std::move(bigger);
      in_capacity_ = capacity;
    }
  }
  return {in_.get() + in_end_, in_capacity_ - in_end_};
}

void session::commit_input(std::size_t n, clock_now now) {
  now_ = now;
  in_end_ = std::min(in_end_ + n, in_capacity_);
  if (n > 0 && phase_ == phase::idle) {
    phase_ = phase::head;
    phase_start_us_ = now.monotonic_us;
  }
  if (phase_ == phase::body) {  // progress, and towards the minimum rate
    phase_start_us_ = now.monotonic_us;
    x_->body_rate.bytes += n;
  }
  if (phase_ == phase::websocket) return process_websocket(now);
  if (phase_ == phase::protocol) return pump_protocol(now);
  process(now);
}

void session::on_peer_closed(clock_now now) {
  now_ = now;
  peer_closed_ = true;
  // What is queued is still written (a client may half-close after sending);
  // a request cut short gets no answer: nobody is left to read it.
  if (phase_ == phase::protocol) {
    protocol_->on_peer_closed(now);
    pump_protocol(now);
  } else if (phase_ == phase::websocket) {
    ws_->on_peer_closed();
    phase_ = phase::closing;
    phase_start_us_ = now.monotonic_us;
  } else if (phase_ == phase::responding) {
    close_after_ = true;  // a streamed writer finishes its response, then we close
  } else if (phase_ != phase::upgraded) {
    phase_ = phase::closing;
  }
}

void session::process(clock_now now) {
  if (!x_ && in_begin_ == in_end_) {  // idle: no parser until bytes come
    release_idle_memory();            // (the output queue may have drained)
    return;
  }
  exchange_state& x = exchange();
  while (phase_ != phase::closing && phase_ != phase::upgraded && phase_ != phase::responding &&
         queued_bytes_ < config_.max_queued_output) {
    auto r = x.parser.feed(std::span<const std::byte>(in_.get() + in_begin_, in_end_ - in_begin_));
    if (r.err) {
      fail(r.err, now);
      return;
    }
    if (auto* head = std::get_if<h1::request_head>(&r.ev)) {
      on_head(*head, now);
    } else if (auto* body = std::get_if<h1::body_data>(&r.ev)) {
      on_body_piece(body->text());
    } else if (auto* end = std::get_if<h1::message_end>(&r.ev)) {
      on_message_end(end->trailers, now);
    } else if (auto* up = std::get_if<h1::upgraded>(&r.ev)) {
      in_begin_ += r.consumed;
      if (up->kind == h1::upgrade_kind::h2_preface) {
        // HTTP/2 with prior knowledge (or ALPN "h2"): the preface is not
        // consumed, it is the protocol's to read.
        if (config_.h2 == nullptr) return fail(505, now);
        return start_protocol(config_.h2->start(*this, *handler_, config_, peer_, now), now);
      }
      if (upgrade_pending_) return start_protocol(std::move(protocol_), now);
      // A 101 (or a 2xx to CONNECT) accepted the switch; otherwise HTTP/1 goes on.
      int status = x.res.status();
      bool accepted =
          up->kind == h1::upgrade_kind::connect ? status >= 200 && status < 300 : status == 101;
      if (accepted && x.ws_app != nullptr) return start_websocket(now);
      if (accepted) {
        phase_ = phase::upgraded;
        return;
      }
      x.ws_app = nullptr;  // a handshake the handler refused: HTTP/1 goes on
      x.parser.reset(x.parser.stream_offset());
      continue;
    } else {  // need_more
      in_begin_ += r.consumed;
      // Between requests, unparsed bytes mean a next head has begun.
      bool pending = in_begin_ < in_end_;
      if ((phase_ == phase::idle && pending) || (phase_ == phase::head && !pending)) {
        phase_ = pending ? phase::head : phase::idle;
        phase_start_us_ = now.monotonic_us;
      }
      if (phase_ == phase::idle && !pending) release_idle_memory();
      return;
    }
    in_begin_ += r.consumed;
  }
}

void session::own_head(const h1::request_head& head) {
  x_->owned_bytes.clear();
  x_->owned_headers.clear();
  std::size_t total = head.method.size() + head.target.size();
  for (const auto& h : head.headers) total += h.name.size() + h.value.size();
  x_->owned_bytes.reserve(total);  // no reallocation below: views stay put
  auto keep = [this](std::string_view v) {
    std::size_t at = x_->owned_bytes.size();
    x_->owned_bytes.append(v);
    return std::string_view(x_->owned_bytes.data() + at, v.size());
  };
  x_->owned_head = head;
  x_->owned_head.method = keep(head.method);
  x_->owned_head.target = keep(head.target);
  std::string_view first_coding = head.transfer_codings.first;
  for (const auto& h : head.headers) {
    x_->owned_headers.push_back({keep(h.name), keep(h.value)});
    // The first remaining transfer coding is a view into a field value.
    const char* v = h.value.data();
    if (!first_coding.empty() && first_coding.data() >= v &&
        first_coding.data() + first_coding.size() <= v + h.value.size())
      x_->owned_head.transfer_codings.first = x_->owned_headers.back().value.substr(
          static_cast<std::size_t>(first_coding.data() - v), first_coding.size());
  }
  x_->owned_head.headers = x_->owned_headers;
}

void session::on_head(const h1::request_head& head, clock_now now) {
  exchange_start_us_ = phase_ == phase::head ? phase_start_us_ : now.monotonic_us;
  phase_start_us_ = now.monotonic_us;
  ++exchange_;
  x_->res.reset();
  x_->res.head_only_ = head.method_id == httpcore::method::head;
  x_->body.clear();
  dispatched_ = false;
  close_after_ = close_after_ || !head.keep_alive;
  current_ = &head;
  // The session decodes chunked only: another coding reaches a handler that
  // takes it raw, or gets 501 before any byte of the body is read.
  if (!head.transfer_codings.empty() && !handler_->accept_transfer_coded_body(head)) {
    fail(h1::error{h1::errc::unsupported_transfer_coding, head.transfer_codings.offset}, now);
    return;
  }
  streaming_ = handler_->stream_body(head);
  if (try_upgrade(head, now)) {  // answered by the protocol switched to
    current_ = nullptr;
    dispatched_ = true;
    return;
  }

  bool has_body = head.framing != h1::body_framing::none;
  std::uint64_t limit =
      streaming_ ? config_.max_body_bytes
                 : std::min<std::uint64_t>(config_.max_body_bytes, config_.max_buffered_body);
  if (head.framing == h1::body_framing::content_length && head.content_length > limit) {
    fail(413, now);  // before any 100-continue: the client need not send it
    return;
  }
  if (!has_body) {
    // The whole request is here: answer and finish it now, while its views
    // (into the input buffer and the parser) are valid. The parser's
    // message_end that follows has nothing left to do.
    phase_ = phase::responding;
    request req = current_request();
    {
      in_app scope(*this);
      handler_->on_request(req, x_->res);
      if (streaming_) handler_->on_body_end(req, x_->res);
    }
    dispatched_ = true;
    finish_exchange(now);
    return;
  }
  own_head(head);
  current_ = &x_->owned_head;
  phase_ = phase::body;
  x_->body_rate = {now.monotonic_us, 0};
  if (head.expect_continue) queue(std::string(kContinue));
  if (streaming_) {
    in_app scope(*this);
    handler_->on_request(current_request(), x_->res);
  }
}

void session::on_body_piece(std::string_view piece) {
  if (phase_ != phase::body) return;
  if (streaming_) {
    in_app scope(*this);
    handler_->on_body(current_request(), piece, x_->res);
    return;
  }
  if (x_->body.size() + piece.size() > config_.max_buffered_body) {
    fail(413, now_);
    return;
  }
  x_->body.append(piece);
}

// `trailers` (views into the parser's input, valid during this call) reach
// the handler in the call that ends the body, and only there.
void session::on_message_end(std::span<const h1::header> trailers, clock_now now) {
  if (phase_ == phase::closing) return;
  if (dispatched_ && current_ == nullptr) return;  // a body-less request, already finished
  if (!dispatched_) {
    phase_ = phase::responding;
    in_app scope(*this);
    request req = current_request();
    req.trailers = trailers;
    if (streaming_) {
      handler_->on_body_end(req, x_->res);
    } else {
      handler_->on_request(req, x_->res);
    }
  }
  finish_exchange(now);
}

void session::finish_exchange(clock_now now) {
  // A streamed writer waiting for the queue to drain (response::when_writable())
  // or a deferred response (response::defer()) keeps the exchange open; its
  // head must then outlive the input buffer.
  bool writer = x_->res.resume_ && !x_->res.finished();
  if (writer || h1_awaiting_deferred()) {
    if (current_ != nullptr && current_ != &x_->owned_head) {
      own_head(*current_);
      current_ = &x_->owned_head;
    }
    phase_ = phase::responding;
    phase_start_us_ = now.monotonic_us;
    if (writer) pump_writer(now);
    return;
  }
  complete_exchange(now);
}

// Calls a streamed writer back while the queue is at most half its high-water
// mark, so a response of any size holds about max_queued_output at a time.
void session::pump_writer(clock_now now) {
  while (phase_ == phase::responding && x_->res.resume_ &&
         queued_bytes_ <= config_.max_queued_output / 2) {
    std::size_t before = queued_bytes_;
    std::function<void(response&)> resume = std::move(x_->res.resume_);
    x_->res.resume_ = nullptr;
    {
      in_app scope(*this);
      resume(x_->res);
    }
    if (before == 0 && queued_bytes_ == 0 && x_->res.resume_ && !x_->res.finished()) {
      // Nothing queued and nothing written: no drain will ever call it again.
      // Closing without the body's end tells the client it was cut short.
      abandon_writer();
      phase_ = phase::closing;
      return;
    }
  }
  if (phase_ == phase::responding && !x_->res.resume_ && !h1_awaiting_deferred())
    complete_exchange(now);
}

// The connection ends under a waiting writer or a pending deferred response:
// the writer is dropped uncalled (freeing what it holds), later deferred steps
// find the exchange over, and the exchange is still reported, with what was
// written.
void session::abandon_writer() noexcept {
  if (phase_ != phase::responding || (!x_->res.resume_ && !h1_awaiting_deferred())) return;
  x_->res.resume_ = nullptr;
  x_->res.deferred_ = false;
  if (current_ != nullptr) {
    try {
      handler_->on_complete({current_->method, current_->target, peer_, x_->res.status(),
                             x_->res.body_bytes(), now_.monotonic_us - exchange_start_us_,
                             &x_->res.user_data_, protocol_name(*current_)});
    } catch (...) {  // from a destructor: the application had its say
    }
  }
  current_ = nullptr;
}

bool session::h1_awaiting_deferred() const noexcept {
  return x_ && x_->res.deferred_ && !x_->res.finished() && current_ != nullptr;
}

bool session::awaiting_deferred() const noexcept {
  if (phase_ == phase::protocol) return protocol_->awaiting_deferred();
  return h1_awaiting_deferred();
}

response_port::deferral session::defer_target() {
  if (current_ == nullptr) return {};
  return {make_link(), exchange_};
}

std::shared_ptr<connection_link> session::make_link() {
  if (peers_ != nullptr) {
    if (auto link = peers_->make_link(connection_id_)) return link;
  }
  if (!self_) self_ = std::make_shared<session*>(this);
  return std::make_shared<local_link>(self_);
}

// A step of a deferred response reached the connection's thread. One for an
// exchange that is over (answered, timed out, failed) does nothing.
void session::run_deferred(std::uint64_t exchange, std::function<void(response&)>& step,
                           clock_now now) {
  if ((exchange & protocol_exchange_bit) != 0) return run_protocol_deferred(exchange, &step, now);
  if (exchange != exchange_ || !h1_awaiting_deferred()) return;
  now_ = now;
  {
    in_app scope(*this);
    step(x_->res);
  }
  if (phase_ == phase::responding) phase_start_us_ = now.monotonic_us;  // the timeout restarts
  if (in_handler_ == 0) after_deferred_step(now);
}

// The handle's last copy is gone: the response ends with what it has.
void session::release_deferred(std::uint64_t exchange, clock_now now) {
  if ((exchange & protocol_exchange_bit) != 0) return run_protocol_deferred(exchange, nullptr, now);
  if (exchange != exchange_ || !x_ || !x_->res.deferred_) return;
  now_ = now;
  x_->res.deferred_ = false;
  if (in_handler_ == 0) after_deferred_step(now);
}

// Outside any callback: a finished (or released) response completes its
// exchange, and requests the client pipelined behind it are served. While
// the request body is still arriving, its end finishes the exchange instead.
void session::after_deferred_step(clock_now now) {
  if (phase_ != phase::responding || (x_->res.resume_ && !x_->res.finished())) return;
  finish_exchange(now);
  if (phase_ == phase::idle && queued_bytes_ < config_.max_queued_output) process(now);
}

void session::complete_exchange(clock_now now) {
  // A handler that said nothing gets a 500; a stream left open is ended.
  if (!x_->res.started()) {
    close_after_ = true;
    x_->res.send(500, "");
  } else if (!x_->res.finished()) {
    x_->res.end();
  }
  if (current_ != nullptr) {
    handler_->on_complete({current_->method, current_->target, peer_, x_->res.status(),
                           x_->res.body_bytes(), now.monotonic_us - exchange_start_us_,
                           &x_->res.user_data_, protocol_name(*current_)});
  }
  current_ = nullptr;
  x_->body.clear();
  phase_start_us_ = now.monotonic_us;
  // Idle until process() sees bytes of a next request (see need_more there).
  phase_ = close_after_ ? phase::closing : phase::idle;
}

// The status answers the request in flight or, between exchanges (a bad or
// stalled next head after earlier ones were answered and queued in order), a
// request of its own. Only a request whose response has begun (a streaming
// handler answered before its body went bad) gets none: the close says it.
void session::fail(h1::error why, clock_now now) {
  error_ = why;
  fail(why.status(), now);
}

void session::fail(int status, clock_now now) {
  exchange();  // a refusal between requests answers with a response of its own
  close_after_ = true;
  x_->res.deferred_ = false;  // later steps of a deferred response find it over
  x_->res.resume_ = nullptr;
  bool between_exchanges = current_ == nullptr;
  if (between_exchanges || !x_->res.started()) {
    // Error responses never reach the handler; the summary still logs them.
    if (between_exchanges)
      exchange_start_us_ = phase_ == phase::head ? phase_start_us_ : now.monotonic_us;
    x_->res.reset();
    x_->res.send(status, "");
    handler_->on_complete({current_ ? current_->method : std::string_view("-"),
                           current_ ? current_->target : std::string_view("-"), peer_, status, 0,
                           now.monotonic_us - exchange_start_us_, nullptr,
                           current_ ? protocol_name(*current_) : "http/1.1"});
  }
  current_ = nullptr;
  phase_ = phase::closing;
  phase_start_us_ = now.monotonic_us;
}

// The output queue is a vector of chunks whose first out_head_ are written
// (a deque would hold a 512-byte node even when empty, on every idle
// connection). out_offset_ is how much of chunk out_head_ is written.
std::size_t session::queued_chunks() const noexcept {
  return out_.size() - out_head_;
}

std::string& session::tail_chunk() {
  if (queued_bytes_ == 0) send_rate_ = {now_.monotonic_us, 0};  // the peer's turn to read
  if (queued_chunks() == 0 || out_.back().shared || out_.back().size() >= kOutputChunk ||
      (queued_chunks() == 1 && out_offset_ > 0))
    out_.emplace_back();
  return out_.back().own;
}

void session::queue(std::string bytes) {
  if (queued_bytes_ == 0) send_rate_ = {now_.monotonic_us, 0};
  queued_bytes_ += bytes.size();
  if (queued_chunks() > 0 && !out_.back().shared &&
      out_.back().size() + bytes.size() <= kOutputChunk &&
      !(queued_chunks() == 1 && out_offset_ > 0)) {
    out_.back().own.append(bytes);
  } else {
    out_.push_back({std::move(bytes), nullptr});
  }
}

void session::queue_shared(std::shared_ptr<const std::string> bytes) {
  if (!bytes || bytes->empty()) return;
  if (queued_bytes_ == 0) send_rate_ = {now_.monotonic_us, 0};
  queued_bytes_ += bytes->size();
  out_.push_back({{}, std::move(bytes)});
}

std::size_t session::output(std::span<io_slice> out) const noexcept {
  std::size_t n = 0;
  for (std::size_t i = out_head_; i < out_.size() && n < out.size(); ++i) {
    std::size_t skip = i == out_head_ ? out_offset_ : 0;
    if (out_[i].size() == skip) continue;
    out[n++] = {out_[i].data() + skip, out_[i].size() - skip};
  }
  return n;
}

void session::consume_output(std::size_t n, clock_now now) {
  now_ = now;
  bool was_paused = input_paused();
  n = std::min(n, queued_bytes_);
  const std::size_t taken = n;
  queued_bytes_ -= n;
  send_rate_.bytes += n;
  if (n > 0) write_progress_us_ = now.monotonic_us;
  if (phase_ == phase::body && was_paused && !input_paused()) {
    // The body's clocks stood still while we did not read: they start again.
    phase_start_us_ = now.monotonic_us;
    x_->body_rate = {now.monotonic_us, 0};
  }
  while (n > 0 && queued_chunks() > 0) {
    std::size_t left = out_[out_head_].size() - out_offset_;
    if (n < left) {
      out_offset_ += n;
      n = 0;
    } else {
      n -= left;
      out_[out_head_++] = {};  // frees owned bytes, drops a shared reference
      out_offset_ = 0;
    }
  }
  if (queued_chunks() == 0) {
    out_.clear();
    out_head_ = 0;
  } else if (out_head_ >= 64 && out_head_ * 2 >= out_.size()) {
    out_.erase(out_.begin(), out_.begin() + static_cast<std::ptrdiff_t>(out_head_));
    out_head_ = 0;
  }
  if (phase_ == phase::protocol) {
    protocol_->on_output_taken(taken, now);
    return pump_protocol(now);
  }
  if (phase_ == phase::responding) pump_writer(now);  // a streamed writer waits for this
  if (phase_ == phase::closing || phase_ == phase::responding) {
    return;
  } else if (phase_ == phase::websocket) {
    if (queued_bytes_ < config_.max_queued_output) process_websocket(now);
  } else if (queued_bytes_ < config_.max_queued_output) {
    process(now);  // pipelined requests, or a pending message_end, waited for the queue
  }
}

// While output is queued, the clock that matters is write progress: a slow
// reader is fine as long as it keeps reading, within body_timeout per step,
// and on average at min_send_rate.
std::int64_t session::write_deadline() const noexcept {
  return std::min(std::max(write_progress_us_, phase_start_us_) + config_.body_timeout_us,
                  rate_deadline(send_rate_, config_.min_send_rate));
}

std::int64_t session::rate_deadline(const rate_meter& m, std::uint32_t rate) const noexcept {
  return m.deadline(rate, config_.rate_grace_us);
}

// Output is queued and the peer's reading is what the exchange waits for: the
// response is being written, or a streamed body's echo filled the queue and
// we stopped reading the body until the peer takes it.
bool session::waiting_for_reader() const noexcept {
  if (queued_bytes_ == 0 || phase_ == phase::head) return false;
  return phase_ != phase::body || input_paused();
}

std::int64_t session::next_deadline() const noexcept {
  if (ws_ != nullptr && (phase_ == phase::websocket || phase_ == phase::closing))
    return ws_->next_deadline();  // pings, the close handshake, the last flush
  if (protocol_ != nullptr && (phase_ == phase::protocol || phase_ == phase::closing)) {
    if (phase_ == phase::closing) return queued_bytes_ > 0 ? write_deadline() : phase_start_us_;
    return protocol_->next_deadline();
  }
  if (waiting_for_reader()) return write_deadline();
  switch (phase_) {
    case phase::idle:
      return phase_start_us_ + config_.idle_timeout_us;
    case phase::head:
      return phase_start_us_ + config_.head_timeout_us;
    case phase::body:
      return std::min(phase_start_us_ + config_.body_timeout_us,
                      rate_deadline(x_->body_rate, config_.min_body_rate));
    case phase::responding:
      if (h1_awaiting_deferred() && !x_->res.resume_)
        return phase_start_us_ + config_.response_timeout_us;
      return std::numeric_limits<std::int64_t>::max();
    default:
      return std::numeric_limits<std::int64_t>::max();
  }
}

void session::on_timer(clock_now now) {
  now_ = now;
  if (now.monotonic_us < next_deadline()) return;
  if (phase_ == phase::protocol) {
    protocol_->on_timer(now);
    return pump_protocol(now);
  }
  if (phase_ == phase::closing && protocol_ != nullptr) {  // the last output is not taken
    out_.clear();
    out_head_ = out_offset_ = 0;
    queued_bytes_ = 0;
    return;
  }
  if (phase_ == phase::websocket) {
    ws_->on_timer(now.monotonic_us);
    if (ws_->finished()) {
      phase_ = phase::closing;
      phase_start_us_ = now.monotonic_us;
    }
    return;
  }
  if (waiting_for_reader()) {
    // The peer stopped reading, or reads too slowly: drop what is queued and close.
    abandon_writer();
    out_.clear();
    out_head_ = out_offset_ = 0;
    queued_bytes_ = 0;
    phase_ = phase::closing;
    return;
  }
  switch (phase_) {
    case phase::idle:
      phase_ = phase::closing;
      break;
    case phase::head:
    case phase::body:
      fail(408, now);  // RFC 9110 §15.5.9
      break;
    case phase::responding:
      // A deferred response made no step in time: 503 if it said nothing,
      // else the connection closes under it (the client sees it cut short).
      if (!h1_awaiting_deferred()) break;
      if (!x_->res.started()) {
        x_->res.deferred_ = false;
        close_after_ = true;
        x_->res.send(503, "");
        complete_exchange(now);
      } else {
        abandon_writer();
        phase_ = phase::closing;
      }
      break;
    default:
      break;
  }
}

void session::begin_shutdown(clock_now now) {
  now_ = now;
  close_after_ = true;
  if (phase_ == phase::websocket) {
    ws_->close(ws::close_code::going_away, "server shutting down", now.monotonic_us);
    return;
  }
  if (phase_ == phase::protocol) {
    protocol_->begin_shutdown(now);
    return pump_protocol(now);
  }
  if (phase_ == phase::idle) {
    phase_ = phase::closing;
    phase_start_us_ = now.monotonic_us;
  }
}

std::span<const std::byte> session::upgraded_bytes() const noexcept {
  return {in_.get() + in_begin_, in_end_ - in_begin_};
}

}  // namespace httpcore::server
