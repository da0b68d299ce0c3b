#pragma once
// A server session driven sans I/O for tests: bytes in through
// read_buffer()/commit_input(), bytes out through output()/consume_output(),
// time passed in, and a handler that logs what it was given.

#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "httpcore/server/session.hpp"

namespace httpcore::server::test {

constexpr std::string_view kDate = "Sun, 06 Nov 1994 08:49:37 GMT";

// Answers GET /hello, echoes POST bodies (buffered) and streams PUT bodies back.
class test_handler : public handler {
 public:
  std::vector<std::string> log;

  bool stream_body(const h1::request_head& head) override { return head.method == "PUT"; }

  void on_request(const request& req, response& res) override {
    log.push_back(std::string(req.method()) + " " + std::string(req.target()) +
                  " body=" + std::string(req.body));
    if (req.method() == "PUT") {
      res.start(200);
    } else if (req.target() == "/silent") {
      // says nothing: the session answers 500
    } else if (req.method() == "POST") {
      res.send(200, req.body);
    } else {
      res.add_header("Content-Type", "text/plain");
      res.send(200, "Hello, World!");
    }
  }
  void on_body(const request&, std::string_view piece, response& res) override { res.write(piece); }
  void on_body_end(const request&, response& res) override { res.end(); }
  void on_complete(const summary& s) override {
    log.push_back("done " + std::to_string(s.status) + " " + std::to_string(s.body_bytes));
    protocols.emplace_back(s.protocol);
  }
  std::vector<std::string> protocols;  // summary::protocol of each exchange
};

// Writes `bytes` into `s` in reads of at most `piece` bytes, while it wants
// input (what a front end's reads do).
inline void feed_session(session& s, std::string_view bytes, clock_now now,
                         std::size_t piece = 1u << 30) {
  while (!bytes.empty() && s.wants_input()) {
    auto buf = s.read_buffer();
    std::size_t n = std::min({bytes.size(), buf.size(), piece});
    std::memcpy(buf.data(), bytes.data(), n);
    bytes.remove_prefix(n);
    s.commit_input(n, now);
  }
}

// Takes everything `s` has queued, as a writev that writes it all would.
inline std::string drain_session(session& s, clock_now now) {
  std::string out;
  io_slice slices[16];
  while (s.queued_output() > 0) {
    std::size_t n = s.output(slices);
    std::size_t bytes = 0;
    for (std::size_t i = 0; i < n; ++i) {
      out.append(static_cast<const char*>(slices[i].data), slices[i].size);
      bytes += slices[i].size;
    }
    s.consume_output(bytes, now);
  }
  return out;
}

struct harness {
  test_handler h;
  session_config config;
  std::unique_ptr<session> s;
  std::int64_t now = 1'000'000;

  explicit harness(session_config c = {}) : config(c) {
    config.server_name = "";
    s = std::make_unique<session>(h, config, "127.0.0.1:5000", clock());
  }
  clock_now clock() const { return {now, kDate}; }

  // Writes `bytes` in reads of at most `piece` bytes.
  void send(std::string_view bytes, std::size_t piece = 1u << 30) {
    feed_session(*s, bytes, clock(), piece);
  }
  // Takes everything queued (as a writev that writes all).
  std::string drain() { return drain_session(*s, clock()); }
};

inline std::string ok(std::string_view body, std::string_view extra = "") {
  return "HTTP/1.1 200 OK\r\n" + std::string(extra) + "Date: " + std::string(kDate) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

}  // namespace httpcore::server::test
