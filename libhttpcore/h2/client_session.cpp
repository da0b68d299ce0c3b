// The client side of one HTTP/2 connection over nghttp2, sans I/O.
//
// nghttp2's callbacks turn frames into client_events on a queue the caller
// pulls. Bounds, and who keeps them:
//   nghttp2: the messaging rules of RFC 9113 §8 on responses (a stream
//     error), queued ACKs of PING/SETTINGS a server floods us with
//     (max_outbound_ack, then ERR_FLOODED), SETTINGS entries, CONTINUATIONs,
//     and the concurrency the server allows (requests above it wait in its
//     queue, so ours below refuses them first)
//   ours: requests in flight (submit() refuses above the lower of our limit
//     and the server's), response header lists (the stream is reset),
//     1xx heads per stream, GOAWAY events, request bodies held per stream,
//     frames made ready and not yet produced(), and response data: the
//     window reopens only as the caller consume()s (no_auto_window_update)

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <unordered_map>

#include "httpcore/h2/client.hpp"

namespace httpcore::h2 {
namespace {

constexpr std::size_t kMaxContinuations = 8;
constexpr std::size_t kMaxOutboundAcks = 1000;
constexpr std::size_t kMaxSettingsEntries = 32;
constexpr int kMaxInformational = 8;     // 1xx heads on one stream before we reset it
constexpr int kMaxGoawayEvents = 4;      // a server may lower last_stream_id; each is news
constexpr std::size_t kMaxDetail = 160;  // bytes of nghttp2's description kept

using kind = client_event::kind;

nghttp2_nv make_nv(std::string_view name, std::string_view value) {
  return {reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
          reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())), name.size(),
          value.size(), NGHTTP2_NV_FLAG_NONE};
}

// Fields of a connection, not of a message (RFC 9113 §8.2.2); "te" only as "trailers".
bool connection_specific(const field& f) {
  for (std::string_view n :
       {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host"})
    if (f.first == n) return true;
  return f.first == "te" && f.second != "trailers";
}

bool valid_field(const field& f) {
  const auto* n = reinterpret_cast<const std::uint8_t*>(f.first.data());
  const auto* v = reinterpret_cast<const std::uint8_t*>(f.second.data());
  return !f.first.empty() && f.first[0] != ':' &&
         nghttp2_check_header_name(n, f.first.size()) != 0 &&
         nghttp2_check_header_value(v, f.second.size()) != 0 && !connection_specific(f);
}

std::string_view view(nghttp2_rcbuf* b) {
  nghttp2_vec v = nghttp2_rcbuf_get_buf(b);
  return {reinterpret_cast<const char*>(v.base), v.len};
}

}  // namespace

struct client_session::impl {
  struct stream {
    bool streamed = false;
    std::string body;  // [body_at, size) not yet in DATA frames
    std::size_t body_at = 0;
    bool body_ended = true;
    std::vector<field> trailers;
    bool deferred = false;      // nghttp2 waits for resume_data
    std::vector<field> fields;  // the header block being received
    int status = 0;
    std::size_t header_list_size = 0;
    bool too_large = false;
    int informational = 0;
    bool head_done = false;  // the final response head was reported
    bool open = true;        // nghttp2 has not closed it
    bool reported = false;   // stream_end or stream_reset is queued
    bool remote_reset = false;
    bool cancelled = false;       // reset() by the caller
    bool dropping = false;        // we reset it over a limit: what still comes is dropped
    std::string local_detail;     // why we reset it, when nghttp2 or a limit did
    std::size_t outstanding = 0;  // data reported and not consume()d yet
  };

  client_session& self;
  client_limits limits;
  nghttp2_session* ng = nullptr;
  std::unordered_map<std::int32_t, stream> streams;
  std::deque<client_event> events;
  std::string staged;  // frames made ready, not yet taken by produce()
  std::size_t staged_at = 0;
  std::size_t open = 0;
  bool shutting_down = false;
  bool goaway_received = false;
  bool failed = false;
  int goaways = 0;
  std::string last_detail;  // nghttp2's last description of a bad frame
  std::int32_t last_bad_stream = 0;

  impl(client_session& s, const client_limits& l) : self(s), limits(l) {
    nghttp2_session_callbacks* cb = nullptr;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_begin_headers_callback(cb, on_begin_headers);
    nghttp2_session_callbacks_set_on_header_callback2(cb, on_header);
    nghttp2_session_callbacks_set_on_invalid_header_callback2(cb, on_invalid_header);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame_recv);
    nghttp2_session_callbacks_set_on_invalid_frame_recv_callback(cb, on_invalid_frame);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data_chunk);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_stream_close);
    nghttp2_session_callbacks_set_on_frame_send_callback(cb, on_frame_send);
    nghttp2_session_callbacks_set_error_callback2(cb, on_error);
    nghttp2_option* o = nullptr;
    nghttp2_option_new(&o);
    nghttp2_option_set_no_auto_window_update(o, 1);
    nghttp2_option_set_max_continuations(o, kMaxContinuations);
    nghttp2_option_set_max_outbound_ack(o, kMaxOutboundAcks);
    nghttp2_option_set_max_settings(o, kMaxSettingsEntries);
    nghttp2_option_set_peer_max_concurrent_streams(o, limits.max_concurrent_streams);
    nghttp2_option_set_max_send_header_block_length(o, limits.max_header_list_size);
    nghttp2_session_client_new2(&ng, cb, this, o);
    nghttp2_option_del(o);
    nghttp2_session_callbacks_del(cb);
    nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_ENABLE_PUSH, 0},
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 0},  // the server opens none (no push)
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, limits.initial_window},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, limits.max_header_list_size},
    };
    nghttp2_submit_settings(ng, NGHTTP2_FLAG_NONE, settings, std::size(settings));
    nghttp2_session_set_local_window_size(ng, NGHTTP2_FLAG_NONE, 0,
                                          static_cast<std::int32_t>(limits.connection_window));
  }
  ~impl() { nghttp2_session_del(ng); }

  stream* find(std::int32_t id) {
    auto it = streams.find(id);
    return it == streams.end() ? nullptr : &it->second;
  }

  std::uint32_t capacity() const {
    return std::min(
        limits.max_concurrent_streams,
        nghttp2_session_get_remote_settings(ng, NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS));
  }

  void push(client_event e) { events.push_back(std::move(e)); }

  // The stream's story is told (stream_end or stream_reset): it no longer
  // counts as in flight; its state goes once nghttp2 closed it and the
  // caller consumed its data.
  void report_end(std::int32_t id, stream& s, client_event e) {
    if (s.reported) return;
    s.reported = true;
    --open;
    push(std::move(e));
    forget_if_done(id, s);
  }
  void forget_if_done(std::int32_t id, stream& s) {
    if (s.reported && !s.open && s.outstanding == 0) streams.erase(id);
  }

  // The session is over: every stream still in flight ends with a reset.
  void fail(client_error why, std::string detail, std::int32_t stream_id,
            std::uint32_t code = NGHTTP2_INTERNAL_ERROR) {
    if (failed) return;
    failed = true;
    self.error_ = self.last_error_ = why;
    self.error_detail_ = std::move(detail);
    std::vector<std::int32_t> ids;
    for (auto& [id, s] : streams)
      if (!s.reported) ids.push_back(id);
    std::sort(ids.begin(), ids.end());
    for (std::int32_t id : ids)
      report_end(id, streams.at(id),
                 {.what = kind::stream_reset, .stream = id, .error_code = code, .remote = false});
    push({.what = kind::connection_error, .stream = stream_id, .data = self.error_detail_});
  }

  // Frames nghttp2 has ready, into `staged`, while within the bound.
  void pump() {
    while (!failed && staged.size() - staged_at < limits.max_buffered_output) {
      const std::uint8_t* data = nullptr;
      auto n = nghttp2_session_mem_send(ng, &data);
      if (n < 0) {
        fail(client_error::internal, nghttp2_strerror(static_cast<int>(n)), 0);
        break;
      }
      if (n == 0) break;
      if (staged_at > 0 && staged_at == staged.size()) {
        staged.clear();
        staged_at = 0;
      }
      staged.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    }
  }

  // ---- the request body, for nghttp2's data source
  static ssize_t read_body(nghttp2_session* ng, std::int32_t id, std::uint8_t* buf,
                           std::size_t length, std::uint32_t* flags, nghttp2_data_source*,
                           void* user) {
    auto& self = *static_cast<impl*>(user);
    stream* s = self.find(id);
    if (s == nullptr) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
    std::size_t n = std::min(length, s->body.size() - s->body_at);
    if (n > 0) std::memcpy(buf, s->body.data() + s->body_at, n);
    s->body_at += n;
    if (s->body_at == s->body.size()) {
      s->body.clear();
      s->body_at = 0;
      if (s->body_ended) {
        *flags |= NGHTTP2_DATA_FLAG_EOF;
        if (!s->trailers.empty()) {
          std::vector<nghttp2_nv> nv;
          for (const auto& [name, value] : s->trailers) nv.push_back(make_nv(name, value));
          if (nghttp2_submit_trailer(ng, id, nv.data(), nv.size()) == 0)
            *flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
          s->trailers.clear();
        }
      } else if (n == 0) {
        s->deferred = true;
        return NGHTTP2_ERR_DEFERRED;
      }
    }
    return static_cast<ssize_t>(n);
  }

  void resume(std::int32_t id, stream& s) {
    if (!s.deferred) return;
    s.deferred = false;
    nghttp2_session_resume_data(ng, id);
  }

  // ---- nghttp2's callbacks
  static int on_begin_headers(nghttp2_session*, const nghttp2_frame* f, void* user) {
    auto& self = *static_cast<impl*>(user);
    if (stream* s = self.find(f->hd.stream_id)) {
      s->fields.clear();
      s->status = 0;
      s->header_list_size = 0;
      s->too_large = false;
    }
    return 0;
  }

  static int on_header(nghttp2_session*, const nghttp2_frame* f, nghttp2_rcbuf* name,
                       nghttp2_rcbuf* value, std::uint8_t, void* user) {
    auto& self = *static_cast<impl*>(user);
    stream* s = self.find(f->hd.stream_id);
    if (s == nullptr || s->reported) return 0;
    std::string_view n = view(name), v = view(value);
    s->header_list_size += n.size() + v.size() + 32;  // RFC 9113 §6.5.2
    if (s->header_list_size > self.limits.max_header_list_size) {
      // The rest of the block is still decoded (HPACK state), not kept.
      if (!s->too_large) {
        s->too_large = s->dropping = true;
        s->local_detail = "response header list above max_header_list_size";
        s->fields.clear();
        nghttp2_submit_rst_stream(self.ng, NGHTTP2_FLAG_NONE, f->hd.stream_id,
                                  NGHTTP2_ENHANCE_YOUR_CALM);
      }
      return 0;
    }
    if (n == ":status") {
      s->status = 0;
      for (char c : v) s->status = s->status * 10 + (c - '0');  // nghttp2 checked: 3 digits
    } else {
      s->fields.emplace_back(n, v);
    }
    return 0;
  }

  // nghttp2 would drop a field it finds invalid and go on; the response is
  // malformed (RFC 9113 §8.2.1), so the stream is reset.
  static int on_invalid_header(nghttp2_session*, const nghttp2_frame* f, nghttp2_rcbuf*,
                               nghttp2_rcbuf*, std::uint8_t, void* user) {
    auto& self = *static_cast<impl*>(user);
    if (stream* s = self.find(f->hd.stream_id))
      s->local_detail = "invalid field in a response header block";
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  }

  static int on_frame_recv(nghttp2_session*, const nghttp2_frame* f, void* user) {
    auto& self = *static_cast<impl*>(user);
    std::int32_t id = f->hd.stream_id;
    if (f->hd.type == NGHTTP2_GOAWAY) {
      self.goaway_received = true;
      if (++self.goaways <= kMaxGoawayEvents) {
        std::size_t debug = std::min(f->goaway.opaque_data_len, kMaxDetail);
        self.push({.what = kind::goaway,
                   .data = std::string(reinterpret_cast<const char*>(f->goaway.opaque_data), debug),
                   .error_code = f->goaway.error_code,
                   .last_stream_id = f->goaway.last_stream_id});
      }
      return 0;
    }
    stream* s = self.find(id);
    if (s == nullptr || s->reported) return 0;
    if (f->hd.type == NGHTTP2_RST_STREAM) {
      s->remote_reset = true;
      return 0;
    }
    bool end = (f->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
    if (s->dropping) return 0;
    if (f->hd.type == NGHTTP2_HEADERS) {
      if (s->status != 0 && !s->head_done) {
        bool informational = s->status < 200;
        if (informational && ++s->informational > kMaxInformational) {
          s->local_detail = "too many informational (1xx) responses";
          s->dropping = true;
          nghttp2_submit_rst_stream(self.ng, NGHTTP2_FLAG_NONE, id, NGHTTP2_ENHANCE_YOUR_CALM);
          return 0;
        }
        s->head_done = !informational;
        self.push({.what = kind::response_head,
                   .stream = id,
                   .status = s->status,
                   .fields = std::move(s->fields)});
      } else if (s->head_done) {
        self.push({.what = kind::trailers, .stream = id, .fields = std::move(s->fields)});
      }
      s->fields.clear();
    }
    if (end && s->head_done && (f->hd.type == NGHTTP2_HEADERS || f->hd.type == NGHTTP2_DATA))
      self.report_end(id, *s, {.what = kind::stream_end, .stream = id});
    return 0;
  }

  static int on_invalid_frame(nghttp2_session*, const nghttp2_frame* f, int, void* user) {
    static_cast<impl*>(user)->last_bad_stream = f->hd.stream_id;
    return 0;
  }

  static int on_error(nghttp2_session*, int, const char* msg, std::size_t len, void* user) {
    static_cast<impl*>(user)->last_detail.assign(msg, std::min(len, kMaxDetail));
    return 0;
  }

  static int on_data_chunk(nghttp2_session*, std::uint8_t, std::int32_t id,
                           const std::uint8_t* data, std::size_t len, void* user) {
    auto& self = *static_cast<impl*>(user);
    stream* s = self.find(id);
    if (s == nullptr || s->reported || s->dropping) {  // reset: only the connection's window
      nghttp2_session_consume_connection(self.ng, len);
      return 0;
    }
    s->outstanding += len;
    self.push({.what = kind::data,
               .stream = id,
               .data = std::string(reinterpret_cast<const char*>(data), len)});
    return 0;
  }

  static int on_stream_close(nghttp2_session*, std::int32_t id, std::uint32_t code, void* user) {
    auto& self = *static_cast<impl*>(user);
    stream* s = self.find(id);
    if (s == nullptr) return 0;
    s->open = false;
    if (!s->reported) {
      bool remote = s->remote_reset || s->local_detail.empty();
      self.report_end(id, *s,
                      {.what = kind::stream_reset,
                       .stream = id,
                       .data = s->remote_reset ? std::string() : s->local_detail,
                       .error_code = code,
                       .remote = remote});
    } else {
      self.forget_if_done(id, *s);
    }
    return 0;
  }

  // A GOAWAY with an error code that we send is nghttp2 ending the
  // connection over a frame the server got wrong.
  static int on_frame_send(nghttp2_session*, const nghttp2_frame* f, void* user) {
    auto& self = *static_cast<impl*>(user);
    if (f->hd.type == NGHTTP2_GOAWAY && f->goaway.error_code != NGHTTP2_NO_ERROR) {
      std::string detail(error_code_name(f->goaway.error_code));
      if (!self.last_detail.empty()) detail += ": " + self.last_detail;
      self.fail(f->goaway.error_code == NGHTTP2_ENHANCE_YOUR_CALM ? client_error::flooded
                                                                  : client_error::protocol_error,
                std::move(detail), self.last_bad_stream, f->goaway.error_code);
    } else if (f->hd.type == NGHTTP2_RST_STREAM) {
      if (stream* s = self.find(f->hd.stream_id); s && s->local_detail.empty())
        s->local_detail = self.last_detail.empty() ? "reset" : self.last_detail;
    }
    return 0;
  }
};

client_session::client_session(const client_limits& limits)
    : impl_(std::make_unique<impl>(*this, limits)) {}

client_session::~client_session() = default;

std::int32_t client_session::submit(const client_request& r) {
  impl& m = *impl_;
  auto refuse = [&](client_error why) {
    last_error_ = why;
    return 0;
  };
  if (m.failed || m.shutting_down || m.goaway_received)
    return refuse(m.failed ? error_ : client_error::going_away);
  if (m.open >= m.capacity()) return refuse(client_error::too_many_streams);
  if (r.body && r.streamed) return refuse(client_error::invalid_request);
  std::vector<nghttp2_nv> nv = {make_nv(":method", r.method), make_nv(":scheme", r.scheme),
                                make_nv(":authority", r.authority), make_nv(":path", r.path)};
  std::size_t list_size = 4 * 32 + 7 + r.method.size() + 7 + r.scheme.size() + 10 +
                          r.authority.size() + 5 + r.path.size();
  if (r.method.empty() || r.path.empty() ||
      nghttp2_check_method(reinterpret_cast<const std::uint8_t*>(r.method.data()),
                           r.method.size()) == 0 ||
      nghttp2_check_path(reinterpret_cast<const std::uint8_t*>(r.path.data()), r.path.size()) ==
          0 ||
      nghttp2_check_authority(reinterpret_cast<const std::uint8_t*>(r.authority.data()),
                              r.authority.size()) == 0)
    return refuse(client_error::invalid_request);
  for (const field& f : r.headers) {
    if (!valid_field(f)) return refuse(client_error::invalid_request);
    nv.push_back(make_nv(f.first, f.second));
    list_size += f.first.size() + f.second.size() + 32;
  }
  std::uint32_t peer_max =
      nghttp2_session_get_remote_settings(m.ng, NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE);
  if (list_size > std::min(peer_max, m.limits.max_header_list_size))
    return refuse(client_error::header_list_too_large);

  impl::stream s;
  s.streamed = r.streamed;
  s.body_ended = !r.streamed;
  if (r.body) s.body.assign(*r.body);
  bool has_body = r.streamed || r.body.has_value();
  nghttp2_data_provider provider{};
  provider.read_callback = impl::read_body;
  std::int32_t id = nghttp2_submit_request(m.ng, nullptr, nv.data(), nv.size(),
                                           has_body ? &provider : nullptr, nullptr);
  if (id < 0)
    return refuse(id == NGHTTP2_ERR_STREAM_ID_NOT_AVAILABLE ? client_error::going_away
                                                            : client_error::invalid_request);
  m.streams.emplace(id, std::move(s));
  ++m.open;
  last_error_ = client_error::none;
  return id;
}

bool client_session::write_body(std::int32_t id, std::string_view piece) {
  impl::stream* s = impl_->find(id);
  if (s == nullptr || !s->streamed || s->body_ended || s->reported) {
    last_error_ = client_error::no_such_stream;
    return false;
  }
  if (piece.size() > body_room(id)) {
    last_error_ = client_error::body_buffer_full;
    return false;
  }
  s->body.append(piece);
  impl_->resume(id, *s);
  last_error_ = client_error::none;
  return true;
}

std::size_t client_session::body_room(std::int32_t id) const noexcept {
  auto it = impl_->streams.find(id);
  if (it == impl_->streams.end() || !it->second.streamed || it->second.body_ended) return 0;
  std::size_t held = it->second.body.size() - it->second.body_at;
  return impl_->limits.max_stream_body_buffer -
         std::min(held, impl_->limits.max_stream_body_buffer);
}

bool client_session::end_body(std::int32_t id, std::span<const field> trailers) {
  impl::stream* s = impl_->find(id);
  if (s == nullptr || !s->streamed || s->body_ended || s->reported) {
    last_error_ = client_error::no_such_stream;
    return false;
  }
  for (const field& f : trailers) {
    if (!valid_field(f)) {
      last_error_ = client_error::invalid_request;
      return false;
    }
  }
  s->trailers.assign(trailers.begin(), trailers.end());
  s->body_ended = true;
  impl_->resume(id, *s);
  last_error_ = client_error::none;
  return true;
}

bool client_session::consume(std::int32_t id, std::size_t n) {
  impl::stream* s = impl_->find(id);
  if (s == nullptr || n > s->outstanding) {
    last_error_ = client_error::no_such_stream;
    return false;
  }
  s->outstanding -= n;
  nghttp2_session_consume(impl_->ng, id, n);
  impl_->forget_if_done(id, *s);
  last_error_ = client_error::none;
  return true;
}

// The stream's events not yet taken are dropped, and the window its data
// held goes back to the server; a stream still open is reset.
bool client_session::reset(std::int32_t id, std::uint32_t error_code) {
  impl& m = *impl_;
  impl::stream* s = m.find(id);
  if (s == nullptr || s->cancelled) {
    last_error_ = client_error::no_such_stream;
    return false;
  }
  s->cancelled = true;
  std::erase_if(m.events, [id](const client_event& e) { return e.stream == id; });
  nghttp2_session_consume(m.ng, id, s->outstanding);
  s->outstanding = 0;
  if (s->open) nghttp2_submit_rst_stream(m.ng, NGHTTP2_FLAG_NONE, id, error_code);
  if (!s->reported) {
    m.report_end(
        id, *s,
        {.what = kind::stream_reset, .stream = id, .error_code = error_code, .remote = false});
  } else {
    m.forget_if_done(id, *s);
  }
  last_error_ = client_error::none;
  return true;
}

void client_session::shutdown() {
  impl& m = *impl_;
  if (m.shutting_down || m.failed) return;
  m.shutting_down = true;
  nghttp2_submit_goaway(m.ng, NGHTTP2_FLAG_NONE, 0, NGHTTP2_NO_ERROR, nullptr, 0);
}

void client_session::receive(std::span<const std::byte> bytes) {
  impl& m = *impl_;
  if (m.failed || bytes.empty()) return;
  auto rv = nghttp2_session_mem_recv(m.ng, reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                     bytes.size());
  if (rv == NGHTTP2_ERR_FLOODED) {
    m.fail(client_error::flooded, "more PING/SETTINGS than we answer", 0);
  } else if (rv < 0) {
    std::string detail = nghttp2_strerror(static_cast<int>(rv));
    if (!m.last_detail.empty()) detail += ": " + m.last_detail;
    m.fail(rv == NGHTTP2_ERR_NOMEM ? client_error::internal : client_error::protocol_error,
           std::move(detail), m.last_bad_stream);
  }
  m.pump();  // answers (ACKs, a GOAWAY over a bad frame) are ready, and errors known, now
}

void client_session::produce(std::string& out, std::size_t budget) {
  impl& m = *impl_;
  std::size_t start = out.size();
  for (;;) {
    std::size_t ready = m.staged.size() - m.staged_at;
    std::size_t n = std::min(ready, budget - (out.size() - start));
    out.append(m.staged, m.staged_at, n);
    m.staged_at += n;
    if (m.staged_at == m.staged.size()) {
      m.staged.clear();
      m.staged_at = 0;
    }
    if (out.size() - start >= budget || m.failed) break;
    std::size_t before = m.staged.size();
    m.pump();
    if (m.staged.size() == before) break;
  }
}

void client_session::on_peer_closed() {
  impl& m = *impl_;
  if (m.open == 0 && (m.goaway_received || m.shutting_down)) {
    m.failed = true;  // the close a GOAWAY announced: over, and no error
    return;
  }
  m.fail(client_error::connection_closed, "the server closed the connection", 0, NGHTTP2_CANCEL);
}

std::optional<client_event> client_session::next_event() {
  impl& m = *impl_;
  if (m.events.empty()) return std::nullopt;
  client_event e = std::move(m.events.front());
  m.events.pop_front();
  return e;
}

bool client_session::wants_write() const noexcept {
  return impl_->staged.size() > impl_->staged_at ||
         (!impl_->failed && nghttp2_session_want_write(impl_->ng) != 0);
}

bool client_session::wants_read() const noexcept {
  return !impl_->failed && nghttp2_session_want_read(impl_->ng) != 0;
}

bool client_session::finished() const noexcept {
  if (impl_->staged.size() > impl_->staged_at) return false;
  return impl_->failed || (!wants_write() && !wants_read());
}

std::size_t client_session::open_streams() const noexcept {
  return impl_->open;
}

std::uint32_t client_session::stream_capacity() const noexcept {
  return impl_->capacity();
}

}  // namespace httpcore::h2
