// httpcore-canvas: a shared 256 x 256 pixel canvas of 16 colours, on the
// installed httpcore API (router, metrics, WebSocket, hub). See README.md.
#include <chrono>
#include <csignal>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include <httpcore/app/hub.hpp>
#include <httpcore/app/metrics.hpp>
#include <httpcore/app/router.hpp>
#include <httpcore/frontend.hpp>
#include <httpcore/redis/redis_backend.hpp>
#include <httpcore/redis/redis_client.hpp>
#include <httpcore/redis/redis_url.hpp>

#include "canvas_socket.hpp"
#include "data_file.hpp"
#include "memory_store.hpp"
#include "options.hpp"
#include "page.hpp"
#include "png_image.hpp"
#include "redis_store.hpp"

namespace app = httpcore::app;
namespace redis = httpcore::redis;

namespace {

constexpr const char* topic = "canvas";  // the hub's (Redis channel httpcore.hub.canvas)
constexpr const char* redis_key = "httpcore.canvas";  // the pixels, with --redis

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Answers with the canvas once the store has it, encoded by `encode`.
template <typename Encode>
app::route_fn canvas_route(canvas::canvas_store& store, const char* type, Encode encode) {
  return [&store, type, encode](app::context& c) {
    // The only copy of the handle goes to the callback, so the reply ends
    // where it is sent (a copy kept here once raced the send; the front ends
    // order both since, but one owner is simpler).
    store.snapshot([later = c.res.defer(), type, encode](const std::string* canvas,
                                                         std::string_view error) {
      if (canvas == nullptr) {
        later->send(503, "canvas unavailable: " + std::string(error) + "\n",
                    {{"Content-Type", "text/plain"}, {"Retry-After", "1"}});
        return;
      }
      later->send(200, encode(*canvas), {{"Content-Type", type}, {"Cache-Control", "no-store"}});
    });
  };
}

void add_routes(app::router& r, app::metrics& m, canvas::canvas_store& store,
                canvas::canvas_socket& socket) {
  r.on_complete(m.observer());
  m.add_gauge("canvas_clients", "WebSocket clients connected now",
              [&socket] { return double(socket.stats().clients); });
  m.add_gauge("canvas_sets_total", "pixels stored and published by this instance",
              [&socket] { return double(socket.stats().sets); });
  m.add_gauge("canvas_refused_total", "client messages answered with an error",
              [&socket] { return double(socket.stats().refused); });
  m.add_gauge("canvas_resyncs_total", "fresh snapshots sent to every client",
              [&socket] { return double(socket.stats().resyncs); });
  r.get("/metrics", m.endpoint());
  const std::string page = canvas::page_html();
  r.get("/", [page](app::context& c) {
    c.res.add_header("Content-Type", "text/html; charset=utf-8");
    c.res.send(200, page);
  });
  r.get("/api/canvas", canvas_route(store, "application/octet-stream",
                                    [](const std::string& canvas) { return canvas; }));
  r.get("/api/canvas.png", canvas_route(store, "image/png", [](const std::string& canvas) {
          return canvas::encode_png(canvas);
        }));
  r.websocket("/ws", socket);
}

// Everything one instance holds, made in dependency order and taken down
// in the order their threads allow (see ~instance()).
struct instance {
  std::unique_ptr<app::hub> hub;
  std::unique_ptr<redis::client> client;  // --redis only
  std::unique_ptr<canvas::canvas_store> store;
  std::unique_ptr<canvas::saver> saver;  // --data only
  std::unique_ptr<canvas::canvas_socket> socket;

  ~instance() {
    if (socket) socket->shutdown();  // stored pixels are no longer published
    saver.reset();                   // the last save (memory store)
    hub.reset();                     // joins the hub's Redis thread: no resync() runs after this
    client.reset();                  // runs every pending callback (they publish nothing now)
    socket.reset();
    store.reset();
  }
};

void redis_log(std::string_view line) {
  std::fprintf(stderr, "httpcore-canvas: redis: %.*s\n", static_cast<int>(line.size()),
               line.data());
}

// --redis: the hub's messages travel over Redis pub/sub (channel
// httpcore.hub.canvas) and the pixels live at key httpcore.canvas.
void make_redis_state(instance& in, const redis::redis_address& address) {
  redis::redis_config hub_config;
  hub_config.host = address.host;
  hub_config.port = address.port;
  hub_config.log = redis_log;
  in.hub = std::make_unique<app::hub>(std::make_unique<redis::redis_backend>(hub_config));
  redis::client_config client_config;
  client_config.host = address.host;
  client_config.port = address.port;
  client_config.log = redis_log;
  in.client = std::make_unique<redis::client>(client_config);
  in.store = std::make_unique<canvas::redis_store>(*in.client, redis_key);
}

void make_memory_state(instance& in, const std::string& data_file) {
  in.hub = std::make_unique<app::hub>();
  std::string initial;
  if (!data_file.empty()) initial = canvas::load_canvas_file(data_file);
  auto store = std::make_unique<canvas::memory_store>(std::move(initial));
  if (!data_file.empty()) in.saver = std::make_unique<canvas::saver>(*store, data_file);
  in.store = std::move(store);
}

int run(const canvas::options& opt) {
  std::unique_ptr<httpcore::frontend> frontend = opt.frontend.empty()
                                                     ? httpcore::make_default_frontend()
                                                     : httpcore::make_frontend(opt.frontend);
  if (!frontend) {
    std::string names;
    for (std::string_view n : httpcore::frontend_names()) names += " " + std::string(n);
    std::fprintf(stderr, "httpcore-canvas: no front end '%s' in this build (built:%s)\n",
                 opt.frontend.c_str(), names.c_str());
    return 2;
  }
  instance in;
  if (!opt.redis_url.empty()) {
    redis::redis_url_result url = redis::parse_redis_url(opt.redis_url);
    if (!url.ok()) {
      std::fprintf(stderr, "httpcore-canvas: --redis '%s': %s (at byte %zu)\n",
                   opt.redis_url.c_str(), url.error.c_str(), url.offset);
      return 2;
    }
    make_redis_state(in, url.address);
  } else {
    make_memory_state(in, opt.data_file);
  }
  in.socket = std::make_unique<canvas::canvas_socket>(*in.hub, *in.store, topic, opt.cooldown_ms,
                                                      steady_ms);
  // Redis back after an outage: every client gets a fresh snapshot.
  in.hub->on_resync([socket = in.socket.get()] { socket->resync(); });

  app::router router;
  app::metrics metrics;
  add_routes(router, metrics, *in.store, *in.socket);
  httpcore::server_options so;
  so.host = opt.host;
  so.port = opt.port;
  so.threads = opt.threads;
  frontend->start(router, so);
  std::printf("httpcore-canvas: http://%s:%u/\n", opt.host.c_str(),
              static_cast<unsigned>(frontend->port()));
  std::fflush(stdout);
  httpcore::run_until_signal(*frontend);  // then a graceful stop: no callback runs after it
  canvas::socket_stats st = in.socket->stats();
  std::fprintf(stderr, "httpcore-canvas: stopped: %llu pixels set, %llu refused, %llu resyncs\n",
               static_cast<unsigned long long>(st.sets),
               static_cast<unsigned long long>(st.refused),
               static_cast<unsigned long long>(st.resyncs));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // Blocked before any thread starts (the saver's, the front end's), so that
  // each inherits the mask and a stop signal reaches run_until_signal alone.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  bool help = false;
  std::optional<canvas::options> opt = canvas::parse_options(argc, argv, help);
  if (help) {
    std::fputs(canvas::usage, stdout);
    return 0;
  }
  if (!opt) return 2;
  try {
    return run(*opt);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "httpcore-canvas: %s\n", e.what());
    return 1;
  }
}
