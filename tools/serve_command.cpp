// `httpcore serve`: wires the pieces together and nothing more: options from
// the command line, the serve handler (app/), a front end (frontends/) chosen
// by name, and run_until_signal() for the graceful stop.

#include "serve_command.hpp"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <functional>
#include <limits>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "httpcore/frontend.hpp"
#include "serve_handler.hpp"
#ifdef HTTPCORE_HAVE_TLS
#include "serve_tls.hpp"
#endif
#ifdef HTTPCORE_HAVE_H2
#include "httpcore/h2/server.hpp"
#endif
#ifdef HTTPCORE_HAVE_REDIS
#include "httpcore/redis/redis_backend.hpp"
#include "httpcore/redis/redis_session_store.hpp"
#include "httpcore/redis/redis_url.hpp"
#endif

namespace httpcore::tools {
namespace {

constexpr char synopsis[] =
    "usage: httpcore serve [--frontend NAME] [--host ADDR] [--port N] [--root DIR]\n"
    "                      [--threads N] [--max-connections N] [--header-timeout S]\n"
    "                      [--idle-timeout S] [--pin] [--quiet] [--list-frontends]\n"
    "                      [--rate-limit N] [--cors ORIGIN]... [--session-secret HEX]...\n"
    "                      [--upload-dir DIR] [--upload-max-bytes N]\n"
    "                      [--tls-cert FILE --tls-key FILE]... [--tls-port N]\n"
    "                      [--redis redis://HOST:PORT]\n";

std::string frontend_list() {
  std::string names;
  for (std::string_view name : frontend_names()) {
    if (!names.empty()) names += ", ";
    names += name;
  }
  return names;
}

void print_help() {
  std::fputs(synopsis, stdout);
  std::printf(
      "\n"
      "Serves HTTP/1.1 and WebSocket until SIGINT or SIGTERM, then stops gracefully\n"
      "(in-flight requests finish, WebSockets get a 1001 close) and exits 0. Endpoints:\n"
      "  GET  /hello      Hello, World! (text/plain)\n"
      "  POST /echo       the request body, streamed back as it arrives (any size)\n"
      "  GET  /healthz    ok\n"
      "  GET  /ws/echo    WebSocket: every message back as sent (permessage-deflate\n"
      "                   when offered)\n"
      "  GET  /ws/chat    WebSocket: every message to every connected client (of\n"
      "                   every instance on the same --redis)\n"
      "  GET  /api/greet/{name}  {\"hello\":\"<name>\"} (application/json)\n"
      "  GET  /api/slow?ms=N     {\"slept_ms\":N} after N ms (0..10000), not holding\n"
      "                          its loop thread meanwhile\n"
      "  GET  /api/session       {\"visits\":N}, counting per session cookie (signed;\n"
      "                          sessions in memory, or in Redis with --redis)\n"
      "  GET  /api/boom          throws: answered 500 by the recovery middleware\n"
      "  POST /api/upload        multipart/form-data (or urlencoded): a JSON array,\n"
      "                          one object per part: field, filename (null for\n"
      "                          a plain field), size, sha256, and stored (the\n"
      "                          file's name under --upload-dir) for file parts\n"
      "                   /api/ answers carry X-Request-Id and are compressed (gzip, br)\n"
      "  GET  /...        static files under --root (index.html for directories)\n"
      "Each request is logged to standard output as one JSON line:\n"
      "  {\"time\":\"...Z\",\"method\":\"GET\",\"target\":\"/\",\"status\":200,\"bytes\":N,"
      "\"duration_us\":N,\"peer\":\"...\"}\n"
      "Lines that standard output does not take in time are dropped, and counted\n"
      "on standard error at exit. The start line on standard error gives the URL (with the bound "
      "port for --port 0).\n"
      "\n"
      "options:\n"
      "  --frontend NAME       I/O front end, one of: %s (default %.*s)\n"
      "  --host ADDR           address to listen on (default 127.0.0.1)\n"
      "  --port N              TCP port; 0 picks a free one (default 8080)\n"
      "  --root DIR            directory of static files (default: the site shipped\n"
      "                        with httpcore, %s)\n"
      "  --threads N           event loops or worker threads (default: per front end)\n"
      "  --pin                 pin each event loop to its own core (epoll, io_uring,\n"
      "                        kqueue; loop i to the i-th core this process may use)\n"
      "  --max-connections N   above it, new connections get 503 (default 10000)\n"
      "  --header-timeout S    seconds allowed for a request head (default 10)\n"
      "  --idle-timeout S      seconds a keep-alive connection may idle (default 60)\n"
      "  --tls-cert FILE       also serve https and wss with this PEM certificate chain\n"
      "  --tls-key FILE        and this PEM private key (TLS 1.2 and 1.3). Repeat the\n"
      "                        pair for more certificates (the n-th key goes with the\n"
      "                        n-th certificate): a client gets the first certificate\n"
      "                        whose names (subjectAltName, wildcards too) cover the\n"
      "                        host name it asks for (SNI), and the first one when it\n"
      "                        asks for none or a name none covers. SIGHUP reloads\n"
      "                        them all for new connections\n"
      "  --tls-port N          TCP port for TLS; 0 picks a free one (default 8443)\n"
      "  --tls-handshake-timeout S  seconds allowed for a TLS handshake (default 10)\n"
      "  --tls-ticket-rotation S  session-ticket keys rotate every S seconds; a ticket\n"
      "                        resumes a session for 3 periods (default 3600)\n"
      "  --redis URL           /ws/chat spans every instance started with the same\n"
      "                        redis://HOST[:PORT] (Redis pub/sub), and /api/session's\n"
      "                        sessions live there, shared by those instances. Without\n"
      "                        Redis (down, restarting) local chat goes on, /api/session\n"
      "                        answers 503, and the instance reconnects with backoff\n"
      "                        (up to 5 s apart)\n"
      "  --session-secret HEX  the key that signs session cookies, 32 or more hex digits\n"
      "                        (repeatable or comma-separated: the first signs, all\n"
      "                        verify, for rotation). Default: a random key, so\n"
      "                        sessions end with the process; instances sharing\n"
      "                        sessions through --redis need the same key\n"
      "  --rate-limit N        /api/: N requests per second per client address (burst\n"
      "                        2N); more get 429 with Retry-After\n"
      "  --cors ORIGIN         /api/: allow this origin by CORS (repeatable; * for any)\n"
      "  --upload-dir DIR      /api/upload stores file parts here, streamed to disk\n"
      "                        under names it makes (upload-XXXXXX); without it,\n"
      "                        parts are only measured and hashed\n"
      "  --upload-max-bytes N  /api/upload: larger bodies get 413 (default 1 GiB)\n"
      "  --quiet               no access log\n"
      "  --list-frontends      print the front ends built in, one per line, and exit\n"
      "  -h, --help            print this help\n"
      "\n"
      "exit status: 0 stopped by a signal, 1 could not start, 2 usage error or a front\n"
      "end this system does not let run (io_uring under a seccomp filter or\n"
      "kernel.io_uring_disabled)\n",
      frontend_list().c_str(), static_cast<int>(frontend_names()[0].size()),
      frontend_names()[0].data(), app::default_site_dir().c_str());
}

int usage_error(const std::string& what) {
  std::fprintf(stderr, "httpcore serve: %s\n%sRun 'httpcore serve --help' for details.\n",
               what.c_str(), synopsis);
  return 2;
}

template <class T>
bool parse_number(std::string_view text, T& out, T min, T max) {
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
    return false;
  out = value;
  return true;
}

// Seconds as a decimal ("10", "0.5") to microseconds, at most a day.
bool parse_seconds(std::string_view text, std::int64_t& us) {
  double s = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), s);
  if (ec != std::errc{} || end != text.data() + text.size() || !(s > 0) || s > 86400) return false;
  us = static_cast<std::int64_t>(s * 1e6);
  return us > 0;
}

// glibc raises its mmap threshold to the size of the largest block freed so
// far (up to 32 MiB): after one 16 MiB WebSocket message, the next buffers of
// that size come from the heap and stay in the process's RSS once freed,
// however idle the connections are. A fixed threshold keeps large buffers in
// their own mappings, so freeing one gives the memory back to the system.
void keep_large_blocks_returnable() {
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 256 << 10);
#endif
}

bool writable_directory(const std::string& path) {
  struct stat st {};
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode) &&
         ::access(path.c_str(), W_OK | X_OK) == 0;
}

struct options {
  std::string frontend;
  std::string root;
  bool quiet = false;
  bool help = false;
  bool list = false;
  server_options server;
  std::vector<std::string> tls_certs, tls_keys;  // paired in order
  std::uint16_t tls_port = 8443;
  std::int64_t tls_handshake_timeout_us = 10'000'000;
  std::int64_t tls_ticket_rotation_us = 3'600'000'000;
  std::string redis_host;  // empty: no --redis
  std::uint16_t redis_port = 0;
  double rate_limit = 0;
  std::vector<std::string> cors;
  std::string upload_dir;  // empty: uploads are hashed, not stored
  std::uint64_t upload_max_bytes = 1ull << 30;
  std::vector<std::string> session_keys;  // newest first; empty: a random one
};

int parse_options(std::span<const std::string_view> args, options& opt) {
  for (std::string_view arg : args) {  // --help wins over any mistake
    if (arg == "--help" || arg == "-h") {
      opt.help = true;
      return 0;
    }
  }
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i], name = arg, value;
    bool inline_value = false;
    if (std::size_t eq = arg.find('='); arg.starts_with("--") && eq != std::string_view::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
      inline_value = true;
    }
    bool flag = name == "--quiet" || name == "--list-frontends" || name == "--pin";
    bool takes_value = name == "--frontend" || name == "--host" || name == "--port" ||
                       name == "--root" || name == "--threads" || name == "--max-connections" ||
                       name == "--header-timeout" || name == "--idle-timeout" ||
                       name == "--tls-cert" || name == "--tls-key" || name == "--tls-port" ||
                       name == "--tls-handshake-timeout" || name == "--tls-ticket-rotation" ||
                       name == "--redis" || name == "--rate-limit" || name == "--cors" ||
                       name == "--upload-dir" || name == "--upload-max-bytes" ||
                       name == "--session-secret";
    if (!flag && !takes_value) return usage_error("unknown argument '" + std::string(arg) + "'");
    if (flag && inline_value) return usage_error("option " + std::string(name) + " takes no value");
    if (takes_value && !inline_value) {
      if (i + 1 == args.size())
        return usage_error("option " + std::string(name) + " needs a value");
      value = args[++i];
    }
    std::string v(value);
    if (name == "--quiet") {
      opt.quiet = true;
    } else if (name == "--pin") {
      opt.server.pin_threads = true;
    } else if (name == "--list-frontends") {
      opt.list = true;
    } else if (name == "--frontend") {
      if (std::find(frontend_names().begin(), frontend_names().end(), value) ==
          frontend_names().end())
        return usage_error("unknown front end '" + v + "'; built in: " + frontend_list());
      opt.frontend = v;
    } else if (name == "--host") {
      if (value.empty()) return usage_error("--host needs an address");
      opt.server.host = v;
    } else if (name == "--port") {
      if (!parse_number<std::uint16_t>(value, opt.server.port, 0, 65535))
        return usage_error("--port needs a number from 0 to 65535, not '" + v + "'");
    } else if (name == "--root") {
      if (value.empty()) return usage_error("--root needs a directory");
      opt.root = v;
    } else if (name == "--threads") {
      if (!parse_number<unsigned>(value, opt.server.threads, 1, 4096))
        return usage_error("--threads needs a number from 1 to 4096, not '" + v + "'");
    } else if (name == "--max-connections") {
      if (!parse_number<std::size_t>(value, opt.server.max_connections, 1, 10'000'000))
        return usage_error("--max-connections needs a positive number, not '" + v + "'");
    } else if (name == "--tls-cert" || name == "--tls-key") {
      if (value.empty()) return usage_error(std::string(name) + " needs a file");
      (name == "--tls-cert" ? opt.tls_certs : opt.tls_keys).push_back(v);
    } else if (name == "--tls-port") {
      if (!parse_number<std::uint16_t>(value, opt.tls_port, 0, 65535))
        return usage_error("--tls-port needs a number from 0 to 65535, not '" + v + "'");
    } else if (name == "--tls-handshake-timeout") {
      if (!parse_seconds(value, opt.tls_handshake_timeout_us))
        return usage_error("--tls-handshake-timeout needs seconds above 0, not '" + v + "'");
    } else if (name == "--tls-ticket-rotation") {
      if (!parse_seconds(value, opt.tls_ticket_rotation_us) ||
          opt.tls_ticket_rotation_us < 1'000'000)
        return usage_error("--tls-ticket-rotation needs at least 1 second, not '" + v + "'");
    } else if (name == "--redis") {
#ifdef HTTPCORE_HAVE_REDIS
      redis::redis_url_result url = redis::parse_redis_url(value);
      if (!url.ok())
        return usage_error("--redis '" + v + "': " + url.error + " (at byte " +
                           std::to_string(url.offset) + ")");
      opt.redis_host = url.address.host;
      opt.redis_port = url.address.port;
#else
      return usage_error("--redis: this build has no Redis backend (hiredis was not found)");
#endif
    } else if (name == "--rate-limit") {
      double rate = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), rate);
      if (ec != std::errc{} || end != value.data() + value.size() || !(rate > 0) || rate > 1e6)
        return usage_error("--rate-limit needs requests per second above 0, not '" + v + "'");
      opt.rate_limit = rate;
    } else if (name == "--cors") {
      if (value.empty()) return usage_error("--cors needs an origin (or *)");
      opt.cors.push_back(v);
    } else if (name == "--upload-dir") {
      if (!writable_directory(v))
        return usage_error("--upload-dir '" + v + "' is not a directory this process can write");
      opt.upload_dir = v;
    } else if (name == "--upload-max-bytes") {
      if (!parse_number<std::uint64_t>(value, opt.upload_max_bytes, 1,
                                       std::numeric_limits<std::uint64_t>::max()))
        return usage_error("--upload-max-bytes needs a positive number of bytes, not '" + v + "'");
    } else if (name == "--session-secret") {
      std::size_t from = 0;
      for (;;) {  // comma-separated keys, in order
        std::size_t comma = value.find(',', from);
        std::string_view hex = value.substr(from, comma - from);
        app::hex_key_result key = app::decode_hex_key(hex);
        if (!key.ok())
          return usage_error("--session-secret: " + key.error + " (at byte " +
                             std::to_string(from + key.offset) + ")");
        opt.session_keys.push_back(std::move(key.key));
        if (comma == std::string_view::npos) break;
        from = comma + 1;
      }
    } else if (name == "--header-timeout") {
      if (!parse_seconds(value, opt.server.session.head_timeout_us))
        return usage_error("--header-timeout needs seconds above 0, not '" + v + "'");
    } else {  // --idle-timeout
      if (!parse_seconds(value, opt.server.session.idle_timeout_us))
        return usage_error("--idle-timeout needs seconds above 0, not '" + v + "'");
    }
  }
  if (opt.tls_certs.size() != opt.tls_keys.size())
    return usage_error("--tls-cert and --tls-key go in pairs (" +
                       std::to_string(opt.tls_certs.size()) + " --tls-cert, " +
                       std::to_string(opt.tls_keys.size()) + " --tls-key)");
  return 0;
}

// What the front end will run when --threads is not given. The interface does
// not report it, so this mirrors the front ends' documented defaults: one
// event loop per core, or a larger pool for the blocking threads front end.
unsigned thread_count(std::string_view frontend, unsigned requested) {
  if (requested != 0) return requested;
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  return frontend == "threads" ? std::max(16u, 8 * cores) : cores;
}

}  // namespace

int serve_command(std::span<const std::string_view> args) {
  options opt;
  if (int status = parse_options(args, opt); status != 0) return status;
  if (opt.help) {
    print_help();
    return 0;
  }
  if (opt.list) {
    for (std::string_view name : frontend_names())
      std::printf("%.*s\n", static_cast<int>(name.size()), name.data());
    return 0;
  }

  keep_large_blocks_returnable();

  std::unique_ptr<frontend> f =
      opt.frontend.empty() ? make_default_frontend() : make_frontend(opt.frontend);
  if (std::string why = frontend_unavailable(f->name()); !why.empty()) {
    std::fprintf(stderr, "httpcore serve: --frontend %.*s: %s\n",
                 static_cast<int>(f->name().size()), f->name().data(), why.c_str());
    return 2;
  }
  // The echo streams with backpressure, so its body needs no cap; buffered
  // bodies stay capped by session_config::max_buffered_body.
  opt.server.session.max_body_bytes = std::numeric_limits<std::uint64_t>::max();
#ifdef HTTPCORE_HAVE_H2
  // HTTP/2 on both ports: prior knowledge and Upgrade: h2c on the plain one,
  // ALPN "h2" on the TLS one (serve_tls.cpp), the same routes.
  opt.server.session.h2 = &h2::server_protocol();
#endif

  // A reader of the access log that goes away must not kill the server.
  std::signal(SIGPIPE, SIG_IGN);
  // SIGINT, SIGTERM and SIGHUP stay blocked from here until run_until_signal()
  // has its handlers: a signal sent right after the start line is printed then
  // stops the server gracefully instead of killing it (serve_pin saw status
  // -15 under load). Blocked before the handler is made, since every thread
  // inherits the mask: the loop threads, and the handler's own (the access
  // log's writer, the timer thread of /api/slow, the Redis client), one of
  // which would otherwise take the signal with its default action.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&stop_signals, sig);
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  std::unique_ptr<app::hub_backend> chat_backend;
  std::unique_ptr<app::session_store> sessions;  // nullptr: in memory
#ifdef HTTPCORE_HAVE_REDIS
  redis::redis_backend* redis = nullptr;                 // owned by the handler's hub
  redis::redis_session_store* redis_sessions = nullptr;  // owned by the handler
  if (!opt.redis_host.empty()) {
    redis::redis_config config;
    config.host = opt.redis_host;
    config.port = opt.redis_port;
    config.log = [](std::string_view line) {
      std::fprintf(stderr, "httpcore serve: redis: %.*s\n", static_cast<int>(line.size()),
                   line.data());
    };
    auto backend = std::make_unique<redis::redis_backend>(std::move(config));
    redis = backend.get();
    chat_backend = std::move(backend);
    redis::client_config sessions_config;
    sessions_config.host = opt.redis_host;
    sessions_config.port = opt.redis_port;
    sessions_config.log = [](std::string_view line) {
      std::fprintf(stderr, "httpcore serve: redis sessions: %.*s\n", static_cast<int>(line.size()),
                   line.data());
    };
    auto store = std::make_unique<redis::redis_session_store>(std::move(sessions_config));
    redis_sessions = store.get();
    sessions = std::move(store);
  }
#endif
  std::unique_ptr<app::serve_handler> handler;
  std::string root = opt.root.empty() ? app::default_site_dir() : opt.root;
  try {
    handler = std::make_unique<app::serve_handler>(
        app::serve_options{.root = root,
                           .access_log = !opt.quiet,
                           .log_fd = 1,
                           .frontend = std::string(f->name()),
                           .chat_backend = std::move(chat_backend),
                           .rate_limit = opt.rate_limit,
                           .cors_origins = opt.cors,
                           .upload_dir = opt.upload_dir,
                           .upload_max_bytes = opt.upload_max_bytes,
                           .session_keys = opt.session_keys,
                           .sessions = std::move(sessions)});
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "httpcore serve: cannot serve --root '%s': %s\n", root.c_str(),
                 e.code().message().c_str());
    return 2;
  }

  try {
    f->start(*handler, opt.server);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "httpcore serve: cannot listen on %s port %u: %s\n",
                 opt.server.host.c_str(), static_cast<unsigned>(opt.server.port), e.what());
    return 1;
  }
  bool v6 = opt.server.host.find(':') != std::string::npos;
  std::fprintf(stderr, "httpcore serve: http://%s%s%s:%u/ (frontend %.*s, %u threads, root %s)\n",
               v6 ? "[" : "", opt.server.host.c_str(), v6 ? "]" : "",
               static_cast<unsigned>(f->port()), static_cast<int>(f->name().size()),
               f->name().data(), thread_count(f->name(), opt.server.threads),
               handler->root().c_str());
  std::fflush(stderr);

  std::vector<frontend*> running{f.get()};
  std::function<void()> on_hangup;
#ifdef HTTPCORE_HAVE_TLS
  std::unique_ptr<tls_port> secure;
  if (!opt.tls_certs.empty()) {
    tls_options tls{{}, opt.tls_port, opt.tls_handshake_timeout_us, opt.tls_ticket_rotation_us};
    for (std::size_t i = 0; i < opt.tls_certs.size(); ++i)
      tls.certificates.push_back({opt.tls_certs[i], opt.tls_keys[i]});
    try {
      secure = std::make_unique<tls_port>(make_frontend(f->name()), *handler, opt.server, tls);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "httpcore serve: %s\n", e.what());
      f->stop();
      return 1;
    }
    std::fprintf(stderr, "httpcore serve: https://%s%s%s:%u/ (TLS, certificate %s%s)\n",
                 v6 ? "[" : "", opt.server.host.c_str(), v6 ? "]" : "",
                 static_cast<unsigned>(secure->front_end().port()), opt.tls_certs[0].c_str(),
                 opt.tls_certs.size() > 1
                     ? (", " + std::to_string(opt.tls_certs.size() - 1) + " more by SNI").c_str()
                     : "");
    std::fflush(stderr);
    running.push_back(&secure->front_end());
    on_hangup = [&secure] { secure->reload(); };
  }
#else
  if (!opt.tls_certs.empty()) {
    std::fprintf(stderr, "httpcore serve: this build has no TLS (OpenSSL 3 was not found)\n");
    f->stop();
    return 1;
  }
#endif

  run_until_signal(running, on_hangup);  // returns after the graceful stop
#ifdef HTTPCORE_HAVE_REDIS
  if (redis != nullptr) {
    redis::redis_stats st = redis->stats();
    std::fprintf(stderr,
                 "httpcore serve: redis: instance %016llx: %llu published, %llu received, "
                 "%llu own echoes dropped, %llu stale dropped, %llu bad, %llu dropped while "
                 "disconnected, %llu dropped (queue full), %llu too large, %llu lost, %llu "
                 "connects, %llu connection failures, %llu resyncs\n",
                 static_cast<unsigned long long>(st.instance_id),
                 static_cast<unsigned long long>(st.outbound.acknowledged),
                 static_cast<unsigned long long>(st.received),
                 static_cast<unsigned long long>(st.own_echoes),
                 static_cast<unsigned long long>(st.stale),
                 static_cast<unsigned long long>(st.bad_envelopes),
                 static_cast<unsigned long long>(st.dropped_disconnected),
                 static_cast<unsigned long long>(st.outbound.dropped_full),
                 static_cast<unsigned long long>(st.dropped_too_large),
                 static_cast<unsigned long long>(st.outbound.lost),
                 static_cast<unsigned long long>(st.connects),
                 static_cast<unsigned long long>(st.connection_failures),
                 static_cast<unsigned long long>(st.resyncs));
    redis::client_stats cs = redis_sessions->stats();
    std::fprintf(
        stderr,
        "httpcore serve: redis sessions: %llu commands, %llu replies, %llu Redis "
        "errors, %llu timeouts, %llu refused (not connected), %llu refused (queue "
        "full), %llu lost, %llu connects, %llu connection failures\n",
        static_cast<unsigned long long>(cs.commands), static_cast<unsigned long long>(cs.replies),
        static_cast<unsigned long long>(cs.redis_errors),
        static_cast<unsigned long long>(cs.timeouts),
        static_cast<unsigned long long>(cs.refused_not_connected),
        static_cast<unsigned long long>(cs.refused_queue_full),
        static_cast<unsigned long long>(cs.lost), static_cast<unsigned long long>(cs.connects),
        static_cast<unsigned long long>(cs.connection_failures));
  }
#endif
  if (std::uint64_t dropped = handler->stop_access_log(); dropped > 0)
    std::fprintf(
        stderr,
        "httpcore serve: access log: %llu lines dropped (standard output did not keep up)\n",
        static_cast<unsigned long long>(dropped));
  return 0;
}

}  // namespace httpcore::tools
