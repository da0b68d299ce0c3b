#pragma once
// An HTTP/2 client for tests, sans I/O: nghttp2's client session, wired in
// memory to a server::session serving HTTP/2 (session_config::h2). Bytes
// move both ways in pieces of a chosen size, so every frame can be split at
// every byte.

#include <nghttp2/nghttp2.h>

#include <cstring>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "httpcore/server/session.hpp"

namespace httpcore::h2::test {

// An HTTP/1.1 request asking to switch to h2c (RFC 7540 §3.2), and the
// SETTINGS payload it carries: the client's nghttp2_session_upgrade2() needs
// the same bytes.
struct h2c_upgrade {
  std::string request;
  std::string settings;
};

inline std::string base64url(std::string_view bytes) {
  static constexpr char digits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) out.push_back(digits[(acc >> (bits -= 6)) & 63]);
  }
  if (bits > 0) out.push_back(digits[(acc << (6 - bits)) & 63]);
  return out;
}

inline h2c_upgrade make_h2c_upgrade(std::string_view target, std::string_view host) {
  std::uint8_t payload[64];
  nghttp2_settings_entry iv[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, 100}};
  auto len = nghttp2_pack_settings_payload(payload, sizeof payload, iv, 1);
  std::string settings(reinterpret_cast<const char*>(payload),
                       len > 0 ? static_cast<std::size_t>(len) : 0);
  std::string request = "GET " + std::string(target) + " HTTP/1.1\r\nHost: " + std::string(host) +
                        "\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                        "HTTP2-Settings: " +
                        base64url(settings) + "\r\n\r\n";
  return {std::move(request), std::move(settings)};
}

struct reply {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> fields;
  std::string body;
  bool closed = false;
  std::uint32_t error = 0;  // RST_STREAM's code when reset
  std::string field(std::string_view name) const {
    for (const auto& [n, v] : fields)
      if (n == name) return v;
    return "";
  }
};

class client {
 public:
  std::map<std::int32_t, reply> replies;
  bool goaway = false;
  std::uint32_t goaway_code = 0;
  std::int32_t goaway_last_stream = -1;
  bool consume_automatically = true;  // false: the window stays shut until consume()

  explicit client(std::uint32_t assume_peer_streams = 100, bool auto_window = true) {
    consume_automatically = auto_window;
    nghttp2_session_callbacks* cb;
    nghttp2_session_callbacks_new(&cb);
    nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data);
    nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_close);
    nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame);
    nghttp2_option* opt;
    nghttp2_option_new(&opt);
    nghttp2_option_set_peer_max_concurrent_streams(opt, assume_peer_streams);
    nghttp2_option_set_no_auto_window_update(opt, auto_window ? 0 : 1);
    nghttp2_session_client_new2(&ng, cb, this, opt);
    nghttp2_option_del(opt);
    nghttp2_session_callbacks_del(cb);
  }
  ~client() { nghttp2_session_del(ng); }
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  void preface(std::vector<nghttp2_settings_entry> settings = {}) {
    nghttp2_submit_settings(ng, NGHTTP2_FLAG_NONE, settings.data(), settings.size());
  }

  // A request; `body` (when given) is sent as DATA from a string kept here.
  std::int32_t request(std::string method, std::string path, const std::string* body = nullptr,
                       std::vector<std::pair<std::string, std::string>> extra = {}) {
    std::vector<std::pair<std::string, std::string>> all = {
        {":method", method}, {":scheme", "http"}, {":authority", "test.example"}, {":path", path}};
    for (auto& f : extra) all.push_back(f);
    std::vector<nghttp2_nv> nv;
    for (auto& [n, v] : all) {
      // Names go as given (nghttp2 would lower-case a copy): kept until sent.
      std::string& name = kept_.emplace_back(n);
      nv.push_back({reinterpret_cast<std::uint8_t*>(name.data()),
                    reinterpret_cast<std::uint8_t*>(v.data()), name.size(), v.size(),
                    NGHTTP2_NV_FLAG_NO_COPY_NAME});
    }
    nghttp2_data_provider provider{};
    bodies_.push_back(std::make_unique<source>());
    if (body) {
      bodies_.back()->data = *body;
      provider.source.ptr = bodies_.back().get();
      provider.read_callback = read_source;
    }
    return nghttp2_submit_request(ng, nullptr, nv.data(), nv.size(), body ? &provider : nullptr,
                                  nullptr);
  }

  std::string take_output() {
    std::string out;
    for (;;) {
      const std::uint8_t* data;
      auto n = nghttp2_session_mem_send(ng, &data);
      if (n <= 0) break;
      out.append(reinterpret_cast<const char*>(data), static_cast<std::size_t>(n));
    }
    return out;
  }

  void receive(std::string_view bytes) {
    auto rv = nghttp2_session_mem_recv(ng, reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                       bytes.size());
    if (rv < 0) failed = true;
  }

  nghttp2_session* ng = nullptr;
  bool failed = false;

 private:
  struct source {
    std::string data;
    std::size_t at = 0;
  };
  std::vector<std::unique_ptr<source>> bodies_;
  std::deque<std::string> kept_;

  static ssize_t read_source(nghttp2_session*, std::int32_t, std::uint8_t* buf, std::size_t len,
                             std::uint32_t* flags, nghttp2_data_source* src, void*) {
    auto* s = static_cast<source*>(src->ptr);
    std::size_t n = std::min(len, s->data.size() - s->at);
    std::memcpy(buf, s->data.data() + s->at, n);
    s->at += n;
    if (s->at == s->data.size()) *flags |= NGHTTP2_DATA_FLAG_EOF;
    return static_cast<ssize_t>(n);
  }
  static int on_header(nghttp2_session*, const nghttp2_frame* f, const std::uint8_t* name,
                       std::size_t namelen, const std::uint8_t* value, std::size_t valuelen,
                       std::uint8_t, void* user) {
    auto& r = static_cast<client*>(user)->replies[f->hd.stream_id];
    std::string n(reinterpret_cast<const char*>(name), namelen);
    std::string v(reinterpret_cast<const char*>(value), valuelen);
    if (n == ":status") {
      r.status = std::stoi(v);  // a 100 is replaced by the final status
    } else {
      r.fields.emplace_back(n, v);
    }
    return 0;
  }
  static int on_data(nghttp2_session*, std::uint8_t, std::int32_t id, const std::uint8_t* data,
                     std::size_t len, void* user) {
    static_cast<client*>(user)->replies[id].body.append(reinterpret_cast<const char*>(data), len);
    return 0;
  }
  static int on_close(nghttp2_session*, std::int32_t id, std::uint32_t code, void* user) {
    auto& r = static_cast<client*>(user)->replies[id];
    r.closed = true;
    r.error = code;
    return 0;
  }
  static int on_frame(nghttp2_session*, const nghttp2_frame* f, void* user) {
    auto& c = *static_cast<client*>(user);
    if (f->hd.type == NGHTTP2_GOAWAY) {
      c.goaway = true;
      c.goaway_code = f->goaway.error_code;
      c.goaway_last_stream = f->goaway.last_stream_id;
    }
    return 0;
  }
};

// A client and a server session joined in memory.
struct link {
  link(server::session& s, client& c) : server(s), peer(c) {}
  server::session& server;
  client& peer;
  std::int64_t now_us = 1'000'000;
  std::size_t piece = 1u << 30;  // bytes per read, both ways
  bool server_reads_client = true;
  bool client_reads_server = true;
  std::uint64_t to_server = 0, to_client = 0;

  server::clock_now now() const { return {now_us, "Sun, 06 Nov 1994 08:49:37 GMT"}; }

  // Moves bytes until neither side has anything more to say.
  void run(int max_rounds = 100000) {
    std::string& pending_in = pending_in_;  // client bytes the server has not read yet
    for (int round = 0; round < max_rounds; ++round) {
      bool moved = false;
      pending_in += peer.take_output();
      while (server_reads_client && in_at_ < pending_in.size() && server.wants_input()) {
        auto buf = server.read_buffer();
        std::size_t n = std::min({buf.size(), piece, pending_in.size() - in_at_});
        std::memcpy(buf.data(), pending_in.data() + in_at_, n);
        in_at_ += n;
        server.commit_input(n, now());
        to_server += n;
        moved = true;
      }
      if (in_at_ == pending_in.size()) {
        pending_in.clear();
        in_at_ = 0;
      }
      while (client_reads_server && server.queued_output() > 0) {
        server::io_slice slice[1];
        if (server.output(slice) == 0) break;
        std::string_view bytes(static_cast<const char*>(slice[0].data), slice[0].size);
        std::size_t n = std::min(bytes.size(), piece);
        peer.receive(bytes.substr(0, n));
        server.consume_output(n, now());
        to_client += n;
        moved = true;
      }
      if (!moved && pending_in.empty() && nghttp2_session_want_write(peer.ng) == 0) break;
      if (!moved && !server_reads_client) break;
      if (!moved && !server.wants_input()) break;
    }
  }

 private:
  std::string pending_in_;
  std::size_t in_at_ = 0;
};

}  // namespace httpcore::h2::test
