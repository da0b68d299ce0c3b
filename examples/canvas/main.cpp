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

#include "canvas_socket.hpp"
#include "data_file.hpp"
#include "memory_store.hpp"
#include "options.hpp"
#include "page.hpp"
#include "png_image.hpp"

namespace app = httpcore::app;

namespace {

constexpr const char* topic = "canvas";

std::int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Answers with the canvas once the store has it, encoded by `encode`.
template <typename Encode>
app::route_fn canvas_route(canvas::canvas_store& store, const char* type, Encode encode) {
  return [&store, type, encode](app::context& c) {
    auto later = c.res.defer();
    store.snapshot([later, type, encode](const std::string* canvas, std::string_view error) {
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
  if (!opt.redis_url.empty()) {
    std::fprintf(stderr, "httpcore-canvas: --redis: not in this build\n");
    return 2;
  }
  std::string initial;
  if (!opt.data_file.empty()) initial = canvas::load_canvas_file(opt.data_file);
  canvas::memory_store store(std::move(initial));
  std::unique_ptr<canvas::saver> saver;
  if (!opt.data_file.empty()) saver = std::make_unique<canvas::saver>(store, opt.data_file);

  app::hub hub;
  canvas::canvas_socket socket(hub, store, topic, opt.cooldown_ms, steady_ms);
  app::router router;
  app::metrics metrics;
  add_routes(router, metrics, store, socket);

  httpcore::server_options so;
  so.host = opt.host;
  so.port = opt.port;
  so.threads = opt.threads;
  frontend->start(router, so);
  std::printf("httpcore-canvas: http://%s:%u/\n", opt.host.c_str(),
              static_cast<unsigned>(frontend->port()));
  std::fflush(stdout);
  httpcore::run_until_signal(*frontend);  // then a graceful stop: no callback runs after it
  if (saver) saver->stop();               // the last save
  canvas::socket_stats st = socket.stats();
  std::fprintf(stderr, "httpcore-canvas: stopped: %llu pixels set, %llu refused\n",
               static_cast<unsigned long long>(st.sets),
               static_cast<unsigned long long>(st.refused));
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
