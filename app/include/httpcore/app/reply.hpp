#pragma once
/// \file
/// The response side of an exchange as routes and middleware write it. A
/// reply wraps the session's server::response so that middleware can act
/// after the route without buffering it: hooks registered with on_head() see
/// (and may change) the status and fields just before the head goes out, and
/// may install one body transform (compression) that every later piece
/// passes through. A reply lives as long as its exchange, so a deferred answer
/// (defer()) writes through the same hooks.

#include <any>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "httpcore/server/handler.hpp"

namespace httpcore::app {

using fields = std::vector<std::pair<std::string, std::string>>;

/// Transforms a body as it is written (e.g. compresses it). Each call returns
/// the bytes to send for what it was given; finish() returns the rest.
class body_transform {
 public:
  virtual ~body_transform() = default;
  virtual std::string write(std::string_view piece) = 0;
  virtual std::string finish() = 0;
};

/// What on_head() hooks see: the status and fields about to be sent, the
/// body's length when the whole body is known (send()), and the transform
/// slot (empty unless a hook fills it).
struct reply_head {
  int status = 0;
  fields& headers;
  std::optional<std::size_t> length;  ///< nullopt: streamed
  std::unique_ptr<body_transform> transform;
  /// The first field called `name` (case-insensitive), or nullptr.
  std::string* find(std::string_view name);
  void set(std::string_view name, std::string_view value);  ///< replaces or adds
  void remove(std::string_view name);
};

class reply;

/// A reply kept to finish later, from any thread (reply::defer()). Steps run
/// on the connection's thread; the last copy gone ends the reply (500 when
/// nothing was said), as server::deferred_response does.
class deferred_reply {
 public:
  deferred_reply(std::shared_ptr<server::deferred_response> inner, std::shared_ptr<reply> r)
      : inner_(std::move(inner)), reply_(std::move(r)) {}
  void run(std::function<void(reply&)> step);
  void send(int status, std::string body, fields headers = {});

 private:
  std::shared_ptr<server::deferred_response> inner_;
  std::shared_ptr<reply> reply_;
};

class reply : public std::enable_shared_from_this<reply> {
 public:
  explicit reply(server::response& res) : res_(&res) {}

  /// Adds a field to send (before the head goes out).
  void add_header(std::string_view name, std::string_view value);
  /// A whole response (after the on_head hooks, through the transform).
  void send(int status, std::string_view body);
  /// A streamed response: start(), write() pieces, end().
  void start(int status);
  void write(std::string_view piece);
  void end();

  bool started() const noexcept { return started_; }
  bool finished() const noexcept { return res_->finished(); }
  int status() const noexcept { return status_; }
  /// Body bytes given to send()/write(), before any transform.
  std::uint64_t body_bytes() const noexcept { return body_bytes_; }

  /// Backpressure, as server::response: write while writable(), then ask to
  /// be called back when the connection's queue drained.
  bool writable() const noexcept { return res_->writable(); }
  void when_writable(std::function<void(reply&)> resume);

  /// Runs just before the head goes out, last registered first (so the
  /// outermost middleware has the last word). Register before start()/send().
  /// A hook may run after the route returned (a deferred reply), on the
  /// connection's thread: capture values, never the context.
  void on_head(std::function<void(reply_head&)> hook);

  /// Keeps the reply to answer later, from any thread; see deferred_reply.
  std::shared_ptr<deferred_reply> defer();

  /// The session's response: for what a reply does not wrap
  /// (accept_websocket()). Valid on the connection's thread only.
  server::response& raw() noexcept { return *res_; }

 private:
  friend class deferred_reply;
  bool write_head(int status, std::optional<std::size_t> length);

  server::response* res_;
  fields headers_;
  std::vector<std::function<void(reply_head&)>> hooks_;
  std::unique_ptr<body_transform> transform_;
  bool started_ = false;
  int status_ = 0;
  std::uint64_t body_bytes_ = 0;
};

}  // namespace httpcore::app
