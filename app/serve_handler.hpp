#pragma once
/// \file
/// The handler behind `httpcore serve`: a few fixed endpoints that show the
/// server working, static files for everything else, and an access log.
///
///   GET  /hello    200 "Hello, World!" (text/plain)
///   POST /echo     200, the request body streamed back as it arrives
///   GET  /healthz  200 "ok"
///   GET  /ws/echo  WebSocket: every message comes back (text as text, binary as
///                  binary), permessage-deflate when the client offers it
///   GET  /ws/chat  WebSocket: every message goes to every connected client
///                  (of every instance, with a Redis backend)
///   /api/...       the application routes (api_routes.hpp; uploads streamed to
///                  disk, upload_route.hpp), through the
///                  router and its middleware: recovery, request ids, CORS
///                  and rate limiting when asked for, compression
///   GET  /metrics  Prometheus text: every exchange, by route (for /api, the
///                  pattern; /hello, /echo, /healthz, /ws/*; "static" else)
///   anything else  static files under the root (see static_files.hpp)
///
/// One instance serves every connection from every front-end thread: it keeps
/// no per-request state (the echo needs none: each piece is written back as it
/// comes), and the access log (access_log.hpp) queues its lines for a writer
/// thread of its own, so a log nobody reads never blocks a front-end thread.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "access_log.hpp"
#include "deflate_codec.hpp"
#include "httpcore/app/hub.hpp"
#include "httpcore/app/metrics.hpp"
#include "httpcore/app/router.hpp"
#include "httpcore/app/sessions.hpp"
#include "httpcore/h1/events.hpp"
#include "httpcore/server/handler.hpp"
#include "static_files.hpp"
#include "timer_thread.hpp"
#include "websocket.hpp"

namespace httpcore::app {

struct serve_options {
  std::string root{};      ///< the static site (see default_site_dir())
  bool access_log = true;  ///< one JSON line per request
  int log_fd = 1;          ///< where those lines go (standard output)
  /// Log lines waiting to be written, at most; more are dropped (counted).
  std::size_t log_queue_bytes = 1u << 20;
  /// The front end's name, sent on /healthz as X-Httpcore-Frontend so the
  /// default site can say what is running; empty: not sent.
  std::string frontend{};
  /// Where /ws/chat's messages go beyond the local clients (hub_backend.hpp);
  /// nullptr: nowhere (a local_backend).
  std::unique_ptr<hub_backend> chat_backend{};
  /// /api/: requests per second per client address (burst: twice that, at
  /// least 1); 0: no limit.
  double rate_limit = 0;
  /// /api/: origins allowed by CORS; none: no CORS fields.
  std::vector<std::string> cors_origins{};
  /// POST /api/upload: the folder file parts are stored in (it must exist);
  /// empty: parts are measured and hashed, nothing is stored.
  std::string upload_dir{};
  /// POST /api/upload: bodies above this get 413.
  std::uint64_t upload_max_bytes = 1ull << 30;
  /// /api/session: the keys that sign the session cookie, newest first (each
  /// at least 16 bytes); none: one random key (sessions then end with the
  /// process, and instances do not share them).
  std::vector<std::string> session_keys{};
  /// /api/session: where sessions live; nullptr: in memory.
  std::unique_ptr<session_store> sessions{};
};

class serve_handler final : public server::handler {
 public:
  /// Throws std::system_error when the root is not a readable directory.
  explicit serve_handler(serve_options options);

  bool stream_body(const h1::request_head& head) override;
  void on_request(const server::request& req, server::response& res) override;
  void on_body(const server::request& req, std::string_view piece, server::response& res) override;
  void on_body_end(const server::request& req, server::response& res) override;
  void on_complete(const summary& s) override;

  const std::string& root() const noexcept { return files_.root(); }
  /// The hub behind /ws/chat (topic "chat").
  hub& chat() noexcept { return chat_; }
  /// Waits (up to a second) until the log lines of finished requests are written.
  void flush_access_log();
  /// Writes what the log still holds (giving up on a destination that takes
  /// nothing for 0.2 s) and stops it; returns how many lines
  /// were dropped in all because the destination did not keep up.
  std::uint64_t stop_access_log();

 private:
  static_files files_;
  serve_options options_;
  hub chat_;
  deflate_codec_factory deflate_;
  ws_router ws_;
  std::unique_ptr<access_log> log_;  // null without an access log
  timer_thread timers_;              // /api/slow answers from here
  metrics metrics_;
  std::unique_ptr<session_manager> sessions_;
  router api_;
  // Last, so destroyed first: a store's thread (Redis) may be running a
  // callback that uses the session manager or the routes' deferred replies.
  std::unique_ptr<session_store> session_store_;
};

/// One access-log line (with its '\n'): a JSON object with time (RFC 3339,
/// UTC, milliseconds), method, target, proto (the ALPN name: "http/1.0",
/// "http/1.1", "h2"), status, bytes, duration_us and peer.
/// Strings are escaped to plain ASCII, so the line is valid JSON whatever
/// bytes a client sent.
std::string access_log_line(const server::handler::summary& s, std::int64_t unix_ms);

/// "2024-05-01T12:34:56.789Z" for milliseconds since the Unix epoch.
std::string rfc3339_utc_ms(std::int64_t unix_ms);

/// The site `httpcore serve` shows by default: the source tree's app/site for
/// an executable in this build's bin/ directory (never for an installed one),
/// else the installed copy next to the executable
/// (<prefix>/share/httpcore/site), else the configured install prefix's.
/// Returns the first that exists, or the last candidate.
std::string default_site_dir();

}  // namespace httpcore::app
