// WebSocket routes: each path's callbacks behind the core's ws_handler.

#include "websocket.hpp"

#include "httpcore/app/hub.hpp"

namespace httpcore::app {

class ws_router::endpoint final : public server::ws_handler {
 public:
  endpoint(ws_route route, hub* h) : route_(std::move(route)), hub_(h) {}

  void on_open(const peer_ptr& peer) override {
    if (route_.on_open) route_.on_open(peer);
  }
  void on_message(const peer_ptr& peer, std::string_view message, bool text) override {
    if (route_.on_message) route_.on_message(peer, message, text);
  }
  void on_close(const peer_ptr& peer, std::uint16_t code, std::string_view reason) override {
    // First out of the hub: nothing published from now on is for this peer.
    if (hub_ != nullptr) hub_->unsubscribe_all(peer->id());
    if (route_.on_close) route_.on_close(peer, code, reason);
  }

  const ws_route& route() const noexcept { return route_; }

 private:
  ws_route route_;
  hub* hub_;
};

ws_router::ws_router(hub* h, server::codec_factory* compression)
    : hub_(h), compression_(compression) {}

ws_router::~ws_router() = default;

bool ws_router::has(std::string_view path) const {
  return routes_.find(path) != routes_.end();
}

void ws_router::add(std::string path, ws_route route) {
  routes_[std::move(path)] = std::make_unique<endpoint>(std::move(route), hub_);
}

bool ws_router::handle(std::string_view path, const server::request& req, server::response& res) {
  auto it = routes_.find(path);
  if (it == routes_.end()) return false;
  if (req.method() != "GET") {
    res.add_header("Allow", "GET");
    res.send(405, "WebSocket endpoint: GET with Upgrade: websocket\n");
    return true;
  }
  server::ws_accept_options options;
  if (it->second->route().compression) options.compression = compression_;
  res.accept_websocket(*it->second, options);
  return true;
}

}  // namespace httpcore::app
