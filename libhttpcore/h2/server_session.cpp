// One HTTP/2 server connection over nghttp2, sans I/O.
//
// Protections and who gives them (nghttp2 1.52 as Debian ships it, with the
// security fixes backported; each set explicitly in make_options()):
//   nghttp2's, through options:
//     rapid reset (CVE-2023-44487): RST_STREAM token bucket; when empty, a
//       graceful GOAWAY (INTERNAL_ERROR), which stops new streams once sent
//       (so one read's worth still gets in; ours below then ends it hard)
//     CONTINUATION flood (CVE-2024-27316 class): at most kMaxContinuations
//     ping/settings floods a peer does not read (CVE-2019-9512, -9515):
//       queued ACKs capped (max_outbound_ack), then the session ends
//     SETTINGS with too many entries: max_settings
//     RFC 9113 §8 messaging: pseudo-header and connection-specific field
//       rules, content-length against DATA (stream PROTOCOL_ERROR); fields
//       it finds invalid it drops, and on_invalid_header() resets instead
//   ours, here and in stream.cpp:
//     concurrent streams: REFUSED_STREAM above the advertised limit (nghttp2
//       would end the whole connection instead: see patch_settings())
//     header list size: 431 above max_header_list_size
//     control frames that carry no request (PING, SETTINGS, PRIORITY,
//       RST_STREAM, empty DATA; CVE-2019-9512/9515/9516/9518): a token
//       bucket per connection, GOAWAY ENHANCE_YOUR_CALM when empty
//     request bodies: the window opens only as the handler takes the bytes;
//       buffered bodies bounded per stream (413) and per connection
//     response bodies: held per stream within max_stream_output, pulled by
//       nghttp2 only as the peer's window and our output queue allow
//     idle connections and stalled streams (a zero window held open): timeouts
//     slow peers: request bodies and response reading below min_body_rate
//       and min_send_rate (per connection, after rate_grace_us): GOAWAY
//       ENHANCE_YOUR_CALM, as an HTTP/1 connection would be closed

#include "server_session.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

namespace httpcore::h2 {
namespace {

constexpr std::size_t kMaxContinuations = 8;
constexpr std::size_t kMaxOutboundAcks = 1000;  // above a read's worth of PINGs (16 KiB / 17)
constexpr std::size_t kMaxSettingsEntries = 32;
constexpr std::uint64_t kResetBurst = 200;
constexpr std::uint64_t kResetsPerSecond = 33;
constexpr double kFrameBurst = 500;       // control frames a connection may send at once
constexpr double kFramesPerSecond = 100;  // and then on average
// nghttp2 ends the connection (PROTOCOL_ERROR) when a peer opens more streams
// than its local SETTINGS_MAX_CONCURRENT_STREAMS; RFC 9113 §5.1.2 asks for a
// stream error. So nghttp2 is told this many more, the peer is told the limit
// (patch_settings()), and streams between the two are refused one by one.
constexpr std::uint32_t kRefusedStreamSlack = 1000;

struct options {
  nghttp2_option* o = nullptr;
  options() {
    nghttp2_option_new(&o);
    nghttp2_option_set_no_auto_window_update(o, 1);
    nghttp2_option_set_max_continuations(o, kMaxContinuations);
    nghttp2_option_set_max_outbound_ack(o, kMaxOutboundAcks);
    nghttp2_option_set_max_settings(o, kMaxSettingsEntries);
    nghttp2_option_set_stream_reset_rate_limit(o, kResetBurst, kResetsPerSecond);
  }
  ~options() { nghttp2_option_del(o); }
};

bool is_control_chaff(const nghttp2_frame& f) {
  switch (f.hd.type) {
    case NGHTTP2_PING:
    case NGHTTP2_SETTINGS:
    case NGHTTP2_PRIORITY:
    case NGHTTP2_RST_STREAM:
      return true;
    case NGHTTP2_DATA:
      return f.hd.length == 0 && (f.hd.flags & NGHTTP2_FLAG_END_STREAM) == 0;
    default:
      return false;
  }
}

// Our first frame is our SETTINGS (RFC 9113 §3.4): the limit the peer sees
// replaces the larger one nghttp2 enforces (kRefusedStreamSlack).
void patch_settings(std::string& out, std::size_t at, std::uint32_t limit) {
  if (out.size() < at + 9 || static_cast<std::uint8_t>(out[at + 3]) != NGHTTP2_SETTINGS) return;
  std::size_t len = (static_cast<std::uint8_t>(out[at]) << 16) |
                    (static_cast<std::uint8_t>(out[at + 1]) << 8) |
                    static_cast<std::uint8_t>(out[at + 2]);
  if (out.size() < at + 9 + len) return;
  for (std::size_t e = at + 9; e + 6 <= at + 9 + len; e += 6) {
    if (out[e] == 0 && out[e + 1] == NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS) {
      for (int i = 0; i < 4; ++i) out[e + 2 + i] = static_cast<char>(limit >> (24 - 8 * i));
    }
  }
}

}  // namespace

server_session::server_session(server::session& host, server::handler& h,
                               const server::session_config& config, std::string_view peer,
                               server::clock_now now)
    : host_(&host),
      handler_(&h),
      config_(config),
      peer_(peer),
      now_(now),
      frame_tokens_(kFrameBurst),
      tokens_at_us_(now.monotonic_us),
      idle_since_us_(now.monotonic_us),
      write_progress_us_(now.monotonic_us) {
  nghttp2_session_callbacks* cb = nullptr;
  nghttp2_session_callbacks_new(&cb);
  nghttp2_session_callbacks_set_on_begin_headers_callback(cb, on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback2(cb, on_header);
  nghttp2_session_callbacks_set_on_invalid_header_callback2(cb, on_invalid_header);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data_chunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_stream_close);
  static const options opts;
  nghttp2_session_server_new2(&ng_, cb, this, opts.o);
  nghttp2_session_callbacks_del(cb);

  const auto& limits = config_.http2;
  nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS,
       limits.max_concurrent_streams + kRefusedStreamSlack},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, limits.initial_window},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, limits.max_header_list_size},
  };
  nghttp2_submit_settings(ng_, NGHTTP2_FLAG_NONE, settings, std::size(settings));
  nghttp2_session_set_local_window_size(ng_, NGHTTP2_FLAG_NONE, 0,
                                        static_cast<std::int32_t>(limits.connection_window));
}

server_session::~server_session() {
  // The connection ends under streams still open: each exchange is still
  // reported (as HTTP/1 reports an abandoned writer's), with what was written.
  for (auto& [id, s] : streams_) {
    try {
      s->on_close(NGHTTP2_CANCEL);
    } catch (...) {  // from a destructor: the application had its say
    }
  }
  streams_.clear();
  nghttp2_session_del(ng_);
}

bool server_session::upgrade(std::string_view settings, const h1::request_head& head,
                             server::clock_now now) {
  now_ = now;
  auto s = std::make_unique<stream>(*this, 1, now.monotonic_us);
  int rv =
      nghttp2_session_upgrade2(ng_, reinterpret_cast<const std::uint8_t*>(settings.data()),
                               settings.size(), head.method_id == httpcore::method::head, s.get());
  if (rv != 0) return false;
  stream& st = *s;
  streams_.emplace(1, std::move(s));
  st.add_field(":method", head.method);
  st.add_field(":path", head.target);
  st.add_field(":scheme", "http");
  // Fields of the HTTP/1 connection, not of the request (RFC 9113 §8.2.2).
  auto hop_by_hop = [](const h1::header& f) {
    for (std::string_view hop : {"connection", "upgrade", "http2-settings", "keep-alive",
                                 "proxy-connection", "transfer-encoding", "te"})
      if (h1::find_header(std::span(&f, 1), hop) != nullptr) return true;
    return false;
  };
  for (const auto& f : head.headers)
    if (!hop_by_hop(f)) st.add_field(f.name, f.value);
  st.on_head(true, /*hold_dispatch=*/true);
  upgraded_pending_ = true;
  return true;
}

void server_session::dispatch_upgraded() {
  if (!upgraded_pending_) return;
  upgraded_pending_ = false;
  if (stream* s = find(1)) s->dispatch();
}

stream* server_session::find(std::int32_t id) const noexcept {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : it->second.get();
}

void server_session::fail(nghttp2_error_code code) {
  nghttp2_session_terminate_session(ng_, code);  // GOAWAY, sent by produce()
}

// A token bucket: control frames that open no request and carry no body are
// what a flood is made of; a client that needs many of them is rare.
bool server_session::spend_frame_budget(const nghttp2_frame& frame) {
  if (!is_control_chaff(frame)) return true;
  double elapsed = static_cast<double>(now_.monotonic_us - tokens_at_us_) / 1e6;
  tokens_at_us_ = now_.monotonic_us;
  frame_tokens_ = std::min(kFrameBurst, frame_tokens_ + elapsed * kFramesPerSecond);
  if (frame_tokens_ < 1) return false;
  frame_tokens_ -= 1;
  return true;
}

int server_session::on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto& self = *static_cast<server_session*>(user);
  if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
  std::int32_t id = frame->hd.stream_id;
  if (self.shutting_down_ || self.streams_.size() >= self.config_.http2.max_concurrent_streams) {
    nghttp2_submit_rst_stream(self.ng_, NGHTTP2_FLAG_NONE, id, NGHTTP2_REFUSED_STREAM);
    return 0;
  }
  auto s = std::make_unique<stream>(self, id, self.now_.monotonic_us);
  nghttp2_session_set_stream_user_data(self.ng_, id, s.get());
  self.streams_.emplace(id, std::move(s));
  return 0;
}

int server_session::on_header(nghttp2_session*, const nghttp2_frame* frame, nghttp2_rcbuf* name,
                              nghttp2_rcbuf* value, std::uint8_t, void* user) {
  auto& self = *static_cast<server_session*>(user);
  stream* s = self.find(frame->hd.stream_id);
  if (s == nullptr) return 0;
  nghttp2_vec n = nghttp2_rcbuf_get_buf(name), v = nghttp2_rcbuf_get_buf(value);
  s->add_field({reinterpret_cast<const char*>(n.base), n.len},
               {reinterpret_cast<const char*>(v.base), v.len});
  return 0;
}

// nghttp2 drops a field it finds invalid (upper case in the name, a bad
// byte) and goes on; RFC 9113 §8.2.1 makes the request malformed, so the
// stream is reset (PROTOCOL_ERROR).
int server_session::on_invalid_header(nghttp2_session*, const nghttp2_frame*, nghttp2_rcbuf*,
                                      nghttp2_rcbuf*, std::uint8_t, void*) {
  return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
}

int server_session::on_frame_recv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto& self = *static_cast<server_session*>(user);
  if (!self.spend_frame_budget(*frame)) {
    self.fail(NGHTTP2_ENHANCE_YOUR_CALM);
    return 0;
  }
  stream* s = self.find(frame->hd.stream_id);
  if (s == nullptr) return 0;
  bool end_stream = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  if (frame->hd.type == NGHTTP2_HEADERS) {
    self.write_progress_us_ = self.now_.monotonic_us;
    if (frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
      s->on_head(end_stream);
    } else {
      s->on_trailers(end_stream);
    }
  } else if (frame->hd.type == NGHTTP2_DATA && end_stream) {
    s->on_body_end();
  }
  return 0;
}

int server_session::on_data_chunk(nghttp2_session*, std::uint8_t, std::int32_t id,
                                  const std::uint8_t* data, std::size_t len, void* user) {
  auto& self = *static_cast<server_session*>(user);
  self.write_progress_us_ = self.now_.monotonic_us;
  stream* s = self.find(id);
  if (s != nullptr && s->awaiting_body()) {
    if (!self.body_metered_) self.body_rate_ = {self.now_.monotonic_us, 0};
    self.body_metered_ = true;
    self.body_rate_.bytes += len;
  }
  if (s == nullptr) {  // a stream we refused or answered: only the connection's window
    nghttp2_session_consume_connection(self.ng_, len);
    return 0;
  }
  std::size_t take = s->on_data({reinterpret_cast<const char*>(data), len});
  if (take > 0) nghttp2_session_consume(self.ng_, id, take);
  return 0;
}

int server_session::on_stream_close(nghttp2_session*, std::int32_t id, std::uint32_t code,
                                    void* user) {
  auto& self = *static_cast<server_session*>(user);
  auto it = self.streams_.find(id);
  if (it == self.streams_.end()) return 0;
  std::unique_ptr<stream> s = std::move(it->second);
  self.streams_.erase(it);
  s->on_close(code);
  if (self.streams_.empty()) self.idle_since_us_ = self.now_.monotonic_us;
  return 0;
}

std::size_t server_session::receive(std::span<const std::byte> bytes, server::clock_now now) {
  now_ = now;
  if (failed_) return bytes.size();
  dispatch_upgraded();
  auto rv = nghttp2_session_mem_recv(ng_, reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                     bytes.size());
  if (rv == NGHTTP2_ERR_BAD_CLIENT_MAGIC) {
    fail(NGHTTP2_PROTOCOL_ERROR);
  } else if (rv < 0) {
    failed_ = true;  // flooded, or out of memory: nothing more is sent
  }
  give_back_windows();
  run_drained_writers();
  update_meters();
  return bytes.size();
}

// Streamed request bodies held back while their responses were full: the
// window reopens once those drained.
void server_session::give_back_windows() {
  for (auto& [id, s] : streams_) {
    if (std::size_t n = s->take_unconsumed(); n > 0) nghttp2_session_consume(ng_, id, n);
  }
}

void server_session::run_drained_writers() {
  while (!drained_.empty()) {
    std::vector<std::int32_t> ids;
    ids.swap(drained_);
    for (std::int32_t id : ids) {
      if (stream* s = find(id)) s->resume_writer();
    }
  }
}

void server_session::produce(std::string& out, std::size_t budget, server::clock_now now) {
  now_ = now;
  if (failed_) return;
  dispatch_upgraded();
  std::size_t start = out.size();
  while (out.size() - start < budget) {
    run_drained_writers();
    give_back_windows();
    const std::uint8_t* data = nullptr;
    auto n = nghttp2_session_mem_send(ng_, &data);
    if (n < 0) {
      failed_ = true;
      break;
    }
    if (n == 0) {
      if (drained_.empty()) break;
      continue;
    }
    std::size_t at = out.size();
    out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    if (!settings_patched_) {
      patch_settings(out, at, config_.http2.max_concurrent_streams);
      settings_patched_ = true;
    }
  }
  pending_output_ += out.size() - start;
  update_meters();
}

// Bytes taken count as response body bytes up to the DATA produced: what
// else went out (HEADERS, a PING's ACK) earns the peer no time.
void server_session::on_output_taken(std::size_t n, server::clock_now now) {
  now_ = now;
  pending_output_ -= std::min(n, pending_output_);
  std::size_t body = std::min(n, data_untaken_);
  data_untaken_ -= body;
  if (body > 0 || (n > 0 && !owed_reading())) write_progress_us_ = now.monotonic_us;
  if (send_metered_) send_rate_.bytes += body;
  update_meters();
}

bool server_session::awaiting_bodies() const noexcept {
  for (const auto& [id, s] : streams_)
    if (s->awaiting_body()) return true;
  return false;
}

// The peer must read before we can go on: output is pending, or a stream's
// response is held by a window the peer has not opened.
bool server_session::owed_reading() const noexcept {
  if (pending_output_ > 0) return true;
  for (const auto& [id, s] : streams_)
    if (s->held_output() > 0) return true;
  return false;
}

// A meter runs while the peer owes us its part, from when it began owing.
void server_session::update_meters() {
  bool body = awaiting_bodies(), send = owed_reading();
  if (body && !body_metered_) body_rate_ = {now_.monotonic_us, 0};
  if (send && !send_metered_) send_rate_ = {now_.monotonic_us, 0};
  body_metered_ = body;
  send_metered_ = send;
}

std::int64_t server_session::rate_deadline() const noexcept {
  std::int64_t deadline = std::numeric_limits<std::int64_t>::max();
  if (body_metered_)
    deadline =
        std::min(deadline, body_rate_.deadline(config_.min_body_rate, config_.rate_grace_us));
  if (send_metered_)
    deadline =
        std::min(deadline, send_rate_.deadline(config_.min_send_rate, config_.rate_grace_us));
  return deadline;
}

bool server_session::wants_input() const noexcept {
  return !failed_ && !peer_closed_ && nghttp2_session_want_read(ng_) != 0;
}

bool server_session::finished() const noexcept {
  if (failed_) return true;
  bool writing = nghttp2_session_want_write(ng_) != 0;
  if (peer_closed_) return !writing;
  return !writing && nghttp2_session_want_read(ng_) == 0;
}

// Idle (no stream open): the idle timeout. Streams open: some progress (a
// request's frames in, or output taken) within the body timeout, so a peer
// that holds a zero window open, or stops reading, is let go; except while
// every open stream waits for its deferred response's next step and no
// output is pending, when the peer is owed nothing: each such stream then has
// its own deadline, response_timeout_us after its last step.
std::int64_t server_session::next_deadline() const noexcept {
  if (failed_) return std::numeric_limits<std::int64_t>::max();
  if (streams_.empty()) return idle_since_us_ + config_.idle_timeout_us;
  std::int64_t deadline = std::numeric_limits<std::int64_t>::max();
  bool peer_owes = pending_output_ > 0;
  for (const auto& [id, s] : streams_) {
    if (s->awaiting_step()) {
      deadline = std::min(deadline, s->step_deadline());
    } else {
      peer_owes = true;
    }
  }
  if (peer_owes) deadline = std::min(deadline, write_progress_us_ + config_.body_timeout_us);
  return std::min(deadline, rate_deadline());
}

void server_session::on_timer(server::clock_now now) {
  now_ = now;
  if (failed_ || now.monotonic_us < next_deadline()) return;
  if (streams_.empty()) {
    nghttp2_session_terminate_session(ng_, NGHTTP2_NO_ERROR);
    idle_since_us_ = std::numeric_limits<std::int64_t>::max() / 2;
    return;
  }
  bool peer_owes = pending_output_ > 0;
  std::vector<std::int32_t> late;
  for (const auto& [id, s] : streams_) {
    if (!s->awaiting_step()) {
      peer_owes = true;
    } else if (now.monotonic_us >= s->step_deadline()) {
      late.push_back(id);
    }
  }
  for (std::int32_t id : late) {
    if (stream* s = find(id)) s->step_timed_out();
  }
  if (peer_owes && now.monotonic_us >= write_progress_us_ + config_.body_timeout_us) {
    failed_ = true;  // the peer stopped taking or sending: nothing more gets through
    return;
  }
  // Too slow on average (a trickled body, a window opened a few bytes at a
  // time, output read slowly): the connection ends; a peer that still reads
  // learns why from the GOAWAY.
  if (now.monotonic_us >= rate_deadline()) {
    body_metered_ = send_metered_ = false;
    fail(NGHTTP2_ENHANCE_YOUR_CALM);
  }
}

// Deferred responses: a key is protocol_exchange_bit and the stream's id.
stream* server_session::stream_for(std::uint64_t key) const noexcept {
  return find(static_cast<std::int32_t>(key & 0x7fffffffu));
}

void server_session::run_deferred(std::uint64_t key, std::function<void(server::response&)>& step,
                                  server::clock_now now) {
  now_ = now;
  if (failed_) return;
  if (stream* s = stream_for(key)) s->run_deferred(step);
}

void server_session::release_deferred(std::uint64_t key, server::clock_now now) {
  now_ = now;
  if (failed_) return;
  if (stream* s = stream_for(key)) s->release_deferred();
}

bool server_session::awaiting_deferred() const noexcept {
  if (failed_) return false;
  for (const auto& [id, s] : streams_)
    if (s->awaiting_deferred()) return true;
  return false;
}

void server_session::on_peer_closed(server::clock_now now) {
  now_ = now;
  peer_closed_ = true;
}

// GOAWAY with the last stream we took: streams in flight finish, new ones
// are refused, and the connection ends when the last one does.
void server_session::begin_shutdown(server::clock_now now) {
  now_ = now;
  if (shutting_down_) return;
  shutting_down_ = true;
  nghttp2_submit_goaway(ng_, NGHTTP2_FLAG_NONE, nghttp2_session_get_last_proc_stream_id(ng_),
                        NGHTTP2_NO_ERROR, nullptr, 0);
}

}  // namespace httpcore::h2
