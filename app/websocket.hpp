#pragma once
/// \file
/// WebSocket endpoints for an application: a path with its callbacks, served
/// by accepting the handshake from a handler's on_request.
///
/// \code
///   app::hub chat;
///   app::ws_router ws(&chat);
///   app::ws_route route;
///   route.on_open = [&](const app::peer_ptr& p) { chat.subscribe("chat", p); };
///   route.on_message = [&](const app::peer_ptr&, std::string_view m, bool text) {
///     chat.publish("chat", m, text);
///   };
///   ws.add("/ws/chat", std::move(route));
///   // in on_request:  if (ws.handle(path, req, res)) return;
/// \endcode
///
/// Callbacks run on the thread that owns the connection, possibly several at
/// once for different connections; sends through the peer work from any thread.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "httpcore/server/handler.hpp"
#include "httpcore/server/websocket.hpp"

namespace httpcore::app {

class hub;

using peer_ptr = std::shared_ptr<server::ws_peer>;

struct ws_route {
  std::function<void(const peer_ptr&)> on_open;
  std::function<void(const peer_ptr&, std::string_view message, bool text)> on_message;
  std::function<void(const peer_ptr&, std::uint16_t code, std::string_view reason)> on_close;
  /// Accept permessage-deflate when the client offers it (and the router has
  /// a codec factory).
  bool compression = true;
};

class ws_router {
 public:
  /// With a hub, every peer leaves all its topics when its connection ends.
  /// `compression` makes permessage-deflate codecs (see deflate_codec.hpp);
  /// without one, no route compresses.
  explicit ws_router(hub* h = nullptr, server::codec_factory* compression = nullptr);
  ~ws_router();
  ws_router(const ws_router&) = delete;
  ws_router& operator=(const ws_router&) = delete;

  /// Registers `path` (exact match). Before the server starts.
  void add(std::string path, ws_route route);

  /// If `path` is a route: answers the handshake (101, or 400/426 for a bad
  /// one, 405 for a method other than GET) and returns true. Else false.
  bool handle(std::string_view path, const server::request& req, server::response& res);

  bool has(std::string_view path) const;

 private:
  class endpoint;
  hub* hub_;
  server::codec_factory* compression_;
  std::map<std::string, std::unique_ptr<endpoint>, std::less<>> routes_;
};

}  // namespace httpcore::app
