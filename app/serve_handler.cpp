// The `httpcore serve` handler: fixed endpoints, static files, access log.

#include "serve_handler.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>

#include "api_routes.hpp"
#include "httpcore/app/middleware.hpp"
#include "httpcore/target.hpp"

namespace httpcore::app {
namespace {

constexpr std::string_view kHello = "Hello, World!";
constexpr std::size_t kMaxSlowPending = 100'000;  // /api/slow answers waiting at once

// The path a route is matched on: the target's path without its query, for
// origin-form and absolute-form alike; "" when the target does not parse
// (the static files then answer 400).
std::string_view route_path(std::string_view method, std::string_view target) {
  target_result parsed = parse_request_target(method, target);
  if (!parsed.ok()) return {};
  return parsed.parts.path.empty() && parsed.parts.form == target_form::absolute
             ? std::string_view("/")
             : parsed.parts.path;
}

bool is_api(std::string_view path) {
  return path == "/api" || path.starts_with("/api/");
}

bool is_get_or_head(std::string_view method) {
  return method == "GET" || method == "HEAD";
}

void send_text(server::response& res, std::string_view text) {
  res.add_header("Content-Type", "text/plain");
  res.send(200, text);
}

// JSON string with every byte outside printable ASCII escaped as \u00XX: the
// log stays valid JSON (and valid UTF-8) whatever a client put in a target.
void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (char c : s) {
    auto b = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (b >= 0x20 && b < 0x7F) {
      out += c;
    } else {
      out += "\\u00";
      out += hex[b >> 4];
      out += hex[b & 0xF];
    }
  }
  out += '"';
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

serve_handler::serve_handler(serve_options options)
    : files_(static_options{.root = options.root}),
      options_(std::move(options)),
      chat_(std::move(options_.chat_backend)),
      ws_(&chat_, deflate_available() ? &deflate_ : nullptr),
      timers_(kMaxSlowPending),
      session_store_(options_.sessions ? std::move(options_.sessions)
                                       : std::make_unique<memory_session_store>()) {
  sessions_ = std::make_unique<session_manager>(
      *session_store_,
      cookie_signer(options_.session_keys.empty() ? std::vector<std::string>{random_bytes(32)}
                                                  : options_.session_keys));
  if (options_.access_log)
    log_ = std::make_unique<access_log>(options_.log_fd, options_.log_queue_bytes);
  // Recovery logs through the access log's queue (never blocking a loop
  // thread on a slow log), or to standard error with the log off.
  api_.use(recovery([this](std::string_view line) {
    if (log_) {
      std::string json = "{\"error\":";
      append_json_string(json, line);
      json += "}\n";
      log_->write(json);
    } else {
      std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
    }
  }));
  api_.use(request_id());
  if (!options_.cors_origins.empty()) api_.use(cors({.allowed_origins = options_.cors_origins}));
  if (options_.rate_limit > 0)
    api_.use(rate_limit(
        {.per_second = options_.rate_limit, .burst = std::max(1.0, 2 * options_.rate_limit)}));
  api_.use(compression());
  api_.on_complete(metrics_.observer());
  add_api_routes(api_, timers_,
                 {.dir = options_.upload_dir, .max_body_bytes = options_.upload_max_bytes},
                 *sessions_);
  api_.get("/metrics", metrics_.endpoint());
  metrics_.add_gauge("httpcore_chat_peers", "WebSocket peers subscribed to /ws/chat.",
                     [this] { return static_cast<double>(chat_.subscribers("chat")); });
  ws_route echo;
  echo.on_message = [](const peer_ptr& peer, std::string_view m, bool text) {
    if (text) {
      peer->send_text(m);
    } else {
      peer->send_binary(m);
    }
  };
  ws_.add("/ws/echo", std::move(echo));
  // The router takes every peer out of the hub when its connection ends.
  ws_route chat;
  chat.on_open = [this](const peer_ptr& peer) { chat_.subscribe("chat", peer); };
  chat.on_message = [this](const peer_ptr&, std::string_view m, bool text) {
    chat_.publish("chat", m, text);
  };
  ws_.add("/ws/chat", std::move(chat));
}

bool serve_handler::stream_body(const h1::request_head& head) {
  // Only the echo streams: its body may be any size and goes straight back
  // out, so buffering it would only cost memory and latency.
  std::string_view path = route_path(head.method, head.target);
  if (is_api(path)) return api_.stream_body(head);
  return head.method == "POST" && path == "/echo";
}

void serve_handler::on_request(const server::request& req, server::response& res) {
  std::string_view method = req.method();
  std::string_view path = route_path(method, req.target());
  if (is_api(path) || path == "/metrics") return api_.on_request(req, res);
  if (ws_.handle(path, req, res)) return;
  if (path == "/hello" || path == "/healthz") {
    if (!is_get_or_head(method)) {
      res.add_header("Allow", "GET, HEAD");
      send_status_text(res, 405);
      return;
    }
    if (path == "/hello") {
      send_text(res, kHello);
      return;
    }
    if (!options_.frontend.empty()) res.add_header("X-Httpcore-Frontend", options_.frontend);
    res.add_header("Cache-Control", "no-store");
    send_text(res, "ok");
    return;
  }
  if (path == "/echo") {
    if (method != "POST") {
      res.add_header("Allow", "POST");
      send_status_text(res, 405);
      return;
    }
    // Streamed (stream_body() said so): the head goes out now, each body
    // piece follows as it arrives, on_body_end() ends the response.
    std::string_view type = req.header("Content-Type");
    res.add_header("Content-Type", type.empty() ? "application/octet-stream" : type);
    res.add_header("X-Content-Type-Options", "nosniff");
    res.add_header("Cache-Control", "no-store");
    res.start(200);
    return;
  }
  files_.serve(req, res);
}

void serve_handler::on_body(const server::request& req, std::string_view piece,
                            server::response& res) {
  if (is_api(route_path(req.method(), req.target()))) return api_.on_body(req, piece, res);
  res.write(piece);  // a no-op unless the echo started a stream
}

void serve_handler::on_body_end(const server::request& req, server::response& res) {
  if (is_api(route_path(req.method(), req.target()))) return api_.on_body_end(req, res);
  res.end();
}

// The fixed endpoints label their series by path; static files share one
// label (their paths are the client's to invent: one series each would let a
// client grow the metrics without bound).
static std::string_view metrics_route(std::string_view path) {
  for (std::string_view fixed : {"/hello", "/echo", "/healthz", "/ws/echo", "/ws/chat"})
    if (path == fixed) return fixed;
  return path.empty() ? "" : "static";  // "": a request that never parsed
}

void serve_handler::on_complete(const summary& s) {
  // The router reports its own exchanges, labelled by pattern.
  std::string_view path = route_path(s.method, s.target);
  if (is_api(path) || path == "/metrics") {
    api_.on_complete(s);
  } else {
    metrics_.observe(s, metrics_route(path));
  }
  if (!log_) return;
  auto unix_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  // Whole lines into one queue: lines from concurrent threads never
  // interleave; a log that does not keep up loses lines, never requests.
  log_->write(access_log_line(s, unix_ms));
}

void serve_handler::flush_access_log() {
  if (log_) log_->flush();
}

std::uint64_t serve_handler::stop_access_log() {
  if (!log_) return 0;
  log_->stop();
  return log_->dropped();
}

std::string rfc3339_utc_ms(std::int64_t unix_ms) {
  using namespace std::chrono;
  sys_time<milliseconds> t{milliseconds(unix_ms)};
  sys_days day = floor<days>(t);
  year_month_day ymd(day);
  hh_mm_ss<milliseconds> tod(t - day);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(tod.hours().count()),
                static_cast<int>(tod.minutes().count()), static_cast<int>(tod.seconds().count()),
                static_cast<int>(tod.subseconds().count()));
  return buf;
}

std::string access_log_line(const server::handler::summary& s, std::int64_t unix_ms) {
  std::string line;
  line.reserve(160 + s.target.size());
  line += "{\"time\":\"";
  line += rfc3339_utc_ms(unix_ms);
  line += "\",\"method\":";
  append_json_string(line, s.method);
  line += ",\"target\":";
  append_json_string(line, s.target);
  line += ",\"proto\":";
  append_json_string(line, s.protocol);
  line += ",\"status\":";
  line += std::to_string(s.status);
  line += ",\"bytes\":";
  line += std::to_string(s.body_bytes);
  line += ",\"duration_us\":";
  line += std::to_string(s.duration_us);
  line += ",\"peer\":";
  append_json_string(line, s.peer);
  line += "}\n";
  return line;
}

std::string default_site_dir() {
  // Where this executable is: <dir>/httpcore.
  std::string exe_dir;
  char exe[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n > 0) {
    exe_dir.assign(exe, static_cast<std::size_t>(n));
    exe_dir.resize(exe_dir.rfind('/') == std::string::npos ? 0 : exe_dir.rfind('/'));
  }
#if defined(HTTPCORE_SOURCE_SITE_DIR) && defined(HTTPCORE_BUILD_BIN_DIR)
  // Only a binary still in its build tree may show the source tree's copy: an
  // installed one must not depend on (or serve) a source checkout.
  if (!exe_dir.empty() && exe_dir == HTTPCORE_BUILD_BIN_DIR && exists(HTTPCORE_SOURCE_SITE_DIR))
    return HTTPCORE_SOURCE_SITE_DIR;
#endif
  // An installed tree, possibly moved: <prefix>/bin/httpcore -> <prefix>/share/httpcore/site.
  if (!exe_dir.empty()) {
    std::string prefix =
        exe_dir.substr(0, exe_dir.rfind('/') == std::string::npos ? 0 : exe_dir.rfind('/'));
    std::string candidate = prefix + "/share/httpcore/site";
    if (exists(candidate)) return candidate;
  }
#ifdef HTTPCORE_INSTALL_SITE_DIR
  return HTTPCORE_INSTALL_SITE_DIR;
#else
  return "share/httpcore/site";
#endif
}

}  // namespace httpcore::app
