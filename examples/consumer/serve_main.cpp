// A server on the installed httpcore::frontends: answers every request with a
// greeting that names its target. Prints the bound port, serves until SIGINT
// or SIGTERM. Usage: consumer_serve [PORT]   (default 0: any free port)
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <httpcore/frontend.hpp>

namespace server = httpcore::server;

struct hello final : server::handler {  // called from every front-end thread
  void on_request(const server::request& req, server::response& res) override {
    res.add_header("Content-Type", "text/plain");
    res.send(200, "hello from " + std::string(req.target()) + "\n");
  }
};

int main(int argc, char** argv) {
  hello handler;
  httpcore::server_options options;
  options.port = static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 0);
  auto frontend = httpcore::make_default_frontend();
  frontend->start(handler, options);  // throws std::system_error if it cannot bind
  std::printf("listening on port %u\n", static_cast<unsigned>(frontend->port()));
  std::fflush(stdout);
  httpcore::run_until_signal(*frontend);  // then a graceful stop
}
