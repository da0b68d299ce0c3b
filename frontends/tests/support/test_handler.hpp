#pragma once
// The application the front-end tests serve: a few endpoints, each exercising
// one way a handler can answer, plus hooks the tests use to observe and stall
// exchanges.

#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "httpcore/server/handler.hpp"

namespace httpcore::test {

/// A one-shot event a thread can wait for, with a timeout.
class gate {
 public:
  void open() {
    std::lock_guard lock(m_);
    open_ = true;
    cv_.notify_all();
  }
  bool wait(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(m_);
    return cv_.wait_for(lock, timeout, [this] { return open_; });
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  bool open_ = false;
};

///   GET  /hello        200 "Hello, World!"
///   GET  /target...    200, the request-target as the body
///   POST /echo         200, the buffered body
///   POST /stream       200, the body streamed back piece by piece (chunked)
///   GET  /big?N        200, N bytes of 'x'
///   GET  /upgrade      101 Switching Protocols
///   GET  /throw        throws
///   GET  /block        opens `entered`, waits for `release`, then 200 "released"
///   POST /coded        takes a transfer-coded body raw (accept_transfer_coded_body):
///                      200, the body as received, X-Codings: "<first or none> <count>"
class test_handler : public server::handler {
 public:
  struct completed {
    std::string method, target;
    int status;
  };

  bool stream_body(const h1::request_head& head) override {
    return head.target.starts_with("/stream");
  }

  bool accept_transfer_coded_body(const h1::request_head& head) override {
    return head.target == "/coded";
  }

  void on_request(const server::request& req, server::response& res) override {
    std::string_view target = req.target();
    if (target == "/coded") {
      const auto& codings = req.head->transfer_codings;
      res.add_header("X-Codings", (codings.empty() ? "none" : std::string(codings.first)) + " " +
                                      std::to_string(codings.count));
      res.send(200, req.body);
    } else if (target == "/hello") {
      res.add_header("Content-Type", "text/plain");
      res.send(200, "Hello, World!");
    } else if (target.starts_with("/target")) {
      res.send(200, target);
    } else if (target.starts_with("/echo")) {
      res.send(200, req.body);
    } else if (target.starts_with("/stream")) {
      res.start(200);
    } else if (target.starts_with("/big?")) {
      std::size_t n = 0;
      std::from_chars(target.data() + 5, target.data() + target.size(), n);
      res.send(200, std::string(n, 'x'));
    } else if (target == "/upgrade") {
      res.add_header("Upgrade", "websocket");
      res.add_header("Connection", "Upgrade");
      res.send(101, "");
    } else if (target == "/throw") {
      throw std::runtime_error("handler failure");
    } else if (target == "/block") {
      entered.open();
      release.wait(std::chrono::seconds(30));
      res.send(200, "released");
    } else {
      res.send(404, "not found");
    }
  }

  void on_body(const server::request&, std::string_view piece, server::response& res) override {
    res.write(piece);
  }
  void on_body_end(const server::request&, server::response& res) override { res.end(); }

  void on_complete(const summary& s) override {
    std::lock_guard lock(m_);
    done_.push_back({std::string(s.method), std::string(s.target), s.status});
  }

  /// Room for `n` completions, so that recording them allocates nothing (for
  /// tests that count the server's heap).
  void reserve_completions(std::size_t n) {
    std::lock_guard lock(m_);
    done_.reserve(n);
  }

  std::vector<completed> completions() {
    std::lock_guard lock(m_);
    return done_;
  }

  gate entered, release;

 private:
  std::mutex m_;
  std::vector<completed> done_;
};

}  // namespace httpcore::test
