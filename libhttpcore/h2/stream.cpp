// One HTTP/2 request stream: the request as handlers see it, its body under
// our flow control, and the response as HEADERS and DATA frames.

#include "stream.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "server_session.hpp"

namespace httpcore::h2 {
namespace {

// Fields of a connection, not of a message: never sent over HTTP/2
// (RFC 9113 §8.2.2); a handler's framing fields are the protocol's to write.
bool connection_specific(std::string_view lower_name) {
  for (std::string_view n : {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
                             "upgrade", "content-length"})
    if (lower_name == n) return true;
  return false;
}

nghttp2_nv make_nv(std::string_view name, std::string_view value) {
  return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(),
          value.size(), NGHTTP2_NV_FLAG_NONE};
}

// Counts a handler callback running on the stream: a deferred step that
// arrives inside one (answered at once, on this thread) leaves finishing the
// exchange to the callback's end.
struct in_app {
  explicit in_app(int& depth) : depth_(depth) { ++depth_; }
  ~in_app() { --depth_; }
  in_app(const in_app&) = delete;
  in_app& operator=(const in_app&) = delete;
  int& depth_;
};

ssize_t read_body_cb(nghttp2_session*, std::int32_t, std::uint8_t* buf, std::size_t length,
                     std::uint32_t* flags, nghttp2_data_source* source, void*) {
  return static_cast<stream*>(source->ptr)->read_body(buf, length, flags);
}

}  // namespace

stream::stream(server_session& owner, std::int32_t id, std::int64_t start_us)
    : owner_(owner), id_(id), start_us_(start_us), response_(make_response(*this)) {}

stream::~stream() {
  owner_.buffered_bodies() -= std::min(owner_.buffered_bodies(), body_.size());
}

// The head's fields, then (after on_head) the trailers' (nghttp2 has refused
// pseudo-header fields in trailers already). Each block is bounded apart by
// max_header_list_size; past it its fields are dropped and the stream
// refused (431) where the block ends.
void stream::add_field(std::string_view name, std::string_view value) {
  std::uint32_t limit = owner_.config().http2.max_header_list_size;
  if (head_done_) {
    trailer_list_size_ += name.size() + value.size() + 32;
    trailers_too_large_ = trailers_too_large_ || trailer_list_size_ > limit;
    if (trailers_too_large_ || refused_) return;
    std::size_t at = trailer_bytes_.size();
    trailer_bytes_.append(name);
    trailer_bytes_.append(value);
    trailer_offsets_.push_back({at, name.size(), at + name.size(), value.size()});
    return;
  }
  header_list_size_ += name.size() + value.size() + 32;
  if (header_list_size_ > limit) too_large_ = true;
  if (too_large_) return;
  std::size_t at = head_bytes_.size();
  head_bytes_.append(name);
  head_bytes_.append(value);
  field_offsets_.push_back({at, name.size(), at + name.size(), value.size()});
}

server::request stream::current_request() const noexcept {
  return {&head_, body_, owner_.peer(), {}};
}

void stream::on_trailers(bool end_stream) {
  if (!end_stream) return;  // nghttp2 resets a trailing HEADERS without END_STREAM
  if (refused_) return;
  if (trailers_too_large_) return refuse(431);  // RFC 6585 §5, as HTTP/1 answers
  for (const field_at& f : trailer_offsets_)
    trailers_.push_back({std::string_view(trailer_bytes_.data() + f.name, f.name_len),
                         std::string_view(trailer_bytes_.data() + f.value, f.value_len)});
  on_body_end();
}

// The head as HTTP/1 would have produced it: :method, :path as the target,
// :authority as Host (RFC 9113 §8.3.1), version 2.0, every connection
// persistent; framing from Content-Length, else "until END_STREAM".
void stream::on_head(bool end_stream, bool hold_dispatch) {
  if (head_done_) return;
  head_done_ = true;
  bool has_host = false;
  std::string_view content_length;
  for (const field_at& f : field_offsets_) {
    std::string_view name(head_bytes_.data() + f.name, f.name_len);
    std::string_view value(head_bytes_.data() + f.value, f.value_len);
    if (name == ":method") {
      method_ = value;
    } else if (name == ":path") {
      path_ = value;
    } else if (name == ":authority") {
      authority_ = value;
    } else if (name == ":scheme") {
      scheme_ = value;
    } else if (!name.empty() && name[0] != ':') {
      fields_.push_back({name, value});
      has_host = has_host || h1::find_header(std::span(&fields_.back(), 1), "host") != nullptr;
      if (h1::find_header(std::span(&fields_.back(), 1), "content-length") != nullptr)
        content_length = value;
    }
  }
  if (!authority_.empty() && !has_host) fields_.insert(fields_.begin(), {"host", authority_});
  head_.method = method_;
  head_.method_id = method_from_token(method_);
  head_.target = head_.method_id == httpcore::method::connect ? authority_ : path_;
  head_.target_form = head_.method_id == httpcore::method::connect ? h1::target_kind::authority
                      : path_ == "*"                               ? h1::target_kind::asterisk
                                                                   : h1::target_kind::origin;
  head_.version_major = 2;
  head_.version_minor = 0;
  head_.headers = fields_;
  head_.keep_alive = true;
  if (const h1::header* e = head_.find("expect"))
    head_.expect_continue = !end_stream && e->value == "100-continue";
  std::uint64_t length = 0;
  bool has_length =
      !content_length.empty() &&
      std::from_chars(content_length.data(), content_length.data() + content_length.size(), length)
              .ec == std::errc();
  head_.framing = end_stream   ? h1::body_framing::none
                  : has_length ? h1::body_framing::content_length
                               : h1::body_framing::chunked;
  head_.content_length = length;
  if (has_length) head_.announced_content_length = length;
  reset(response_, head_.method_id == httpcore::method::head);

  if (too_large_) return refuse(431);  // RFC 6585 §5
  const auto& config = owner_.config();
  streaming_ = owner_.handler().stream_body(head_);
  std::uint64_t limit =
      streaming_ ? config.max_body_bytes
                 : std::min<std::uint64_t>(config.max_body_bytes, config.max_buffered_body);
  if (has_length && length > limit) return refuse(413);
  if (end_stream) {
    if (!hold_dispatch) dispatch();
    return;
  }
  if (head_.expect_continue) {
    nghttp2_nv nv = make_nv(":status", "100");
    nghttp2_submit_headers(owner_.ng(), NGHTTP2_FLAG_NONE, id_, nullptr, &nv, 1, nullptr);
  }
  if (streaming_) {
    in_app scope(in_app_);
    owner_.handler().on_request(current_request(), response_);
  }
}

// Answered without the handler (413, 431); the rest of the body is dropped.
void stream::refuse(int status) {
  refused_ = dispatched_ = true;
  stop_waiting(response_);  // a deferred answer's later steps find it over
  owner_.buffered_bodies() -= std::min(owner_.buffered_bodies(), body_.size());
  std::string().swap(body_);
  if (!response_.started()) {
    response_.send(status, "");
  } else {
    nghttp2_submit_rst_stream(owner_.ng(), NGHTTP2_FLAG_NONE, id_, NGHTTP2_CANCEL);
  }
}

std::size_t stream::on_data(std::string_view piece) {
  body_bytes_ += piece.size();
  if (refused_ || !head_done_) return piece.size();
  const auto& config = owner_.config();
  if (streaming_) {
    if (body_bytes_ > config.max_body_bytes) {
      refuse(413);
      return piece.size();
    }
    {
      in_app scope(in_app_);
      owner_.handler().on_body(current_request(), piece, response_);
    }
    if (response_.writable()) return piece.size();
    unconsumed_ += piece.size();  // the window stays shut until the response drains
    return 0;
  }
  if (body_.size() + piece.size() > config.max_buffered_body ||
      owner_.buffered_bodies() + piece.size() > config.http2.max_buffered_bodies) {
    refuse(413);
    return piece.size();
  }
  body_.append(piece);
  owner_.buffered_bodies() += piece.size();
  return piece.size();
}

std::size_t stream::take_unconsumed() noexcept {
  if (unconsumed_ == 0 || !response_.writable()) return 0;
  return std::exchange(unconsumed_, 0);
}

void stream::on_body_end() {
  if (!refused_) dispatch();
}

void stream::dispatch() {
  if (dispatched_ || !head_done_) return;
  dispatched_ = true;
  {
    in_app scope(in_app_);
    server::request req = current_request();
    req.trailers = trailers_;  // this call ends the body: the only one that sees them
    if (streaming_) {
      owner_.handler().on_body_end(req, response_);
    } else {
      owner_.handler().on_request(req, response_);
    }
  }
  finish_if_idle();
}

// As over HTTP/1: a handler that said nothing gets a 500, a streamed body
// left open is ended, unless a writer waits to be called back or a deferred
// response (response::defer()) waits for its steps.
void stream::finish_if_idle() {
  if (writer_waiting() && !response_.finished()) {
    owner_.writer_drained(id_);
    return;
  }
  if (awaiting_deferred()) return;
  if (!response_.started()) {
    response_.send(500, "");
  } else if (!response_.finished()) {
    response_.end();
  }
}

bool stream::resume_writer() {
  const std::size_t low = owner_.config().http2.max_stream_output / 2;
  bool called = false;
  while (dispatched_ && writer_waiting() && held_output() <= low) {
    std::uint64_t before = response_.body_bytes();
    std::function<void(server::response&)> resume = take_resume(response_);
    {
      in_app scope(in_app_);
      resume(response_);
    }
    called = true;
    if (writer_waiting() && held_output() == 0 && response_.body_bytes() == before &&
        !response_.finished()) {
      // Nothing written and nothing held: no drain would call it again. The
      // reset tells the client the body was cut short.
      take_resume(response_);
      nghttp2_submit_rst_stream(owner_.ng(), NGHTTP2_FLAG_NONE, id_, NGHTTP2_INTERNAL_ERROR);
      return called;
    }
  }
  if (called && !writer_waiting()) finish_if_idle();
  return called;
}

bool stream::write_head(int status, std::string_view, field_list f,
                        std::optional<std::uint64_t> length, bool streamed) {
  if (submitted_) return false;
  const auto& config = owner_.config();
  char status_text[4];
  std::to_chars(status_text, status_text + 3, std::clamp(status, 100, 999));
  std::vector<std::string> names;  // lower-cased (RFC 9113 §8.2.1)
  names.reserve(f.size());
  std::vector<nghttp2_nv> nv;
  nv.reserve(f.size() + 4);
  nv.push_back(make_nv(":status", {status_text, 3}));
  for (const auto& [name, value] : f) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (nghttp2_check_header_name(reinterpret_cast<const std::uint8_t*>(lower.data()),
                                  lower.size()) == 0 ||
        nghttp2_check_header_value(reinterpret_cast<const std::uint8_t*>(value.data()),
                                   value.size()) == 0)
      return false;
    if (connection_specific(lower)) continue;
    names.push_back(std::move(lower));
    nv.push_back(make_nv(names.back(), value));
  }
  if (!owner_.now().http_date.empty()) nv.push_back(make_nv("date", owner_.now().http_date));
  if (!config.server_name.empty()) nv.push_back(make_nv("server", config.server_name));
  char digits[24];
  if (length) {  // send()'s, or start_with_length()'s
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, *length);
    nv.push_back(make_nv("content-length", {digits, static_cast<std::size_t>(end - digits)}));
  }
  bool head_only = head_.method_id == httpcore::method::head;
  has_body_ = !head_only && (streamed || (length && *length > 0));
  out_ended_ = !has_body_;
  fixed_ = !streamed;
  submitted_ = true;
  nghttp2_data_provider provider{};
  provider.source.ptr = this;
  provider.read_callback = read_body_cb;
  nghttp2_submit_response(owner_.ng(), id_, nv.data(), nv.size(), has_body_ ? &provider : nullptr);
  return true;
}

void stream::write_body(std::string_view piece) {
  if (!has_body_ || out_ended_) return;
  if (out_offset_ > 0 && out_offset_ == out_.size()) {
    out_.clear();
    out_offset_ = 0;
  }
  out_.append(piece);
  if (fixed_) out_ended_ = true;  // send(): the whole body at once
  resume_data();
}

void stream::end_body() {
  out_ended_ = true;
  resume_data();
}

void stream::abort_body() {
  // No END_STREAM may follow: the reset is the end the client sees.
  take_resume(response_);
  nghttp2_submit_rst_stream(owner_.ng(), NGHTTP2_FLAG_NONE, id_, NGHTTP2_INTERNAL_ERROR);
}

void stream::resume_data() {
  if (!deferred_) return;
  deferred_ = false;
  nghttp2_session_resume_data(owner_.ng(), id_);
}

bool stream::writable() const noexcept {
  return held_output() < owner_.config().http2.max_stream_output &&
         owner_.pending_output() < owner_.config().max_queued_output;
}

ssize_t stream::read_body(std::uint8_t* buf, std::size_t length, std::uint32_t* flags) {
  std::size_t n = std::min(length, held_output());
  if (n > 0) std::memcpy(buf, out_.data() + out_offset_, n);
  out_offset_ += n;
  if (out_offset_ == out_.size()) {
    out_.clear();
    out_offset_ = 0;
  } else if (out_offset_ >= (64u << 10) && out_offset_ * 2 >= out_.size()) {
    out_.erase(0, out_offset_);
    out_offset_ = 0;
  }
  if (held_output() == 0 && out_ended_) {
    *flags |= NGHTTP2_DATA_FLAG_EOF;
  } else if (n == 0) {
    deferred_ = true;
    return NGHTTP2_ERR_DEFERRED;
  }
  owner_.data_sent(n);
  if (writer_waiting() && held_output() <= owner_.config().http2.max_stream_output / 2)
    owner_.writer_drained(id_);
  return static_cast<ssize_t>(n);
}

bool stream::accept_websocket(server::response& r, server::ws_handler&,
                              const server::ws_accept_options&) {
  // RFC 8441 (extended CONNECT) is not offered, so no HTTP/2 request can be
  // a WebSocket handshake.
  r.send(501, "WebSocket over HTTP/2 (RFC 8441) is not served; use HTTP/1.1\n");
  return false;
}

void stream::on_close(std::uint32_t) {
  if (reported_ || !head_done_) return;
  reported_ = true;
  stop_waiting(response_);  // later deferred steps find the stream gone anyway
  owner_.handler().on_complete({method_, head_.target, owner_.peer(), response_.status(),
                                response_.body_bytes(), owner_.now().monotonic_us - start_us_,
                                &response_.user_data(), "h2"});
}

// ---- deferred responses

server::response_port::deferral stream::defer_target() {
  if (!head_done_ || refused_ || reported_) return {};
  step_us_ = owner_.now().monotonic_us;
  return {owner_.host().make_link(),
          server::protocol_exchange_bit | static_cast<std::uint32_t>(id_)};
}

std::int64_t stream::step_deadline() const noexcept {
  return step_us_ + owner_.config().response_timeout_us;
}

void stream::run_deferred(std::function<void(server::response&)>& step) {
  if (!awaiting_deferred()) return;
  {
    in_app scope(in_app_);
    step(response_);
  }
  step_us_ = owner_.now().monotonic_us;  // the response timeout restarts
  after_deferred_step();
}

void stream::release_deferred() {
  if (!response_.deferred()) return;
  stop_waiting(response_);
  after_deferred_step();
}

// Outside any callback, once the request is complete: a finished (or
// released) response ends the exchange as a returning handler would; a
// writer it left waiting is called from the session's next produce().
void stream::after_deferred_step() {
  if (in_app_ == 0 && dispatched_ && !refused_) finish_if_idle();
}

void stream::step_timed_out() {
  stop_waiting(response_);
  if (!response_.started()) {
    response_.send(503, "");
  } else if (!response_.finished()) {
    take_resume(response_);
    nghttp2_submit_rst_stream(owner_.ng(), NGHTTP2_FLAG_NONE, id_, NGHTTP2_INTERNAL_ERROR);
  }
}

}  // namespace httpcore::h2
