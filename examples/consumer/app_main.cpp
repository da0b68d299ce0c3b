// A small server on the installed httpcore::app: routes with parameters, middleware, and
// an answer given later from another thread. Prints its port, serves until SIGINT/SIGTERM.
#include <iostream>
#include <string>
#include <thread>

#include <httpcore/app/middleware.hpp>
#include <httpcore/frontend.hpp>

using namespace httpcore::app;

int main() {
  router r;
  r.use(recovery([](std::string_view line) { std::cerr << line << '\n'; }));
  r.use(request_id());
  r.use(compression());
  r.get("/users/{id}",
        [](context& c) { c.res.send(200, "user " + std::string(c.param("id")) + "\n"); });
  r.get("/later", [](context& c) {
    std::thread([later = c.res.defer()] { later->send(200, "later\n"); }).detach();
  });
  httpcore::server_options options;
  options.port = 0;
  auto frontend = httpcore::make_default_frontend();
  frontend->start(r, options);
  std::cout << "listening on port " << frontend->port() << std::endl;
  httpcore::run_until_signal(*frontend);
}
