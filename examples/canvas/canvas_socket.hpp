#pragma once
// WebSocket /ws: the canvas's live protocol.
//
//   on connect   the client is subscribed to the canvas's hub topic and
//                receives the whole canvas (65,536 bytes, binary) before
//                anything else (gated_peer);
//   text         {"x":X,"y":Y,"c":C} is stored, then published on the topic:
//                every client (of every instance, with Redis) receives the
//                same JSON once; a bad one gets {"error":"<reason>"}, a client
//                in its cooldown {"error":"cooldown","retry_ms":N}, and the
//                connection stays open;
//   binary       closes the connection with 1003;
//   resync()     (Redis back after an outage) sends every client a fresh
//                snapshot, with the same ordering guarantee.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <httpcore/app/hub.hpp>
#include <httpcore/server/websocket.hpp>

#include "canvas_store.hpp"
#include "gated_peer.hpp"

namespace canvas {

struct socket_stats {
  std::uint64_t sets = 0;     ///< pixels stored and published
  std::uint64_t refused = 0;  ///< bad messages and cooldowns answered with an error
  std::uint64_t resyncs = 0;  ///< fresh snapshots sent to every client
  std::size_t clients = 0;    ///< connected now
};

class canvas_socket final : public httpcore::server::ws_handler {
 public:
  /// `now_ms` is a monotonic clock (milliseconds) for the cooldown.
  canvas_socket(httpcore::app::hub& hub, canvas_store& store, std::string topic,
                std::int64_t cooldown_ms, std::function<std::int64_t()> now_ms);

  void on_open(const std::shared_ptr<httpcore::server::ws_peer>& peer) override;
  void on_message(const std::shared_ptr<httpcore::server::ws_peer>& peer, std::string_view message,
                  bool text) override;
  void on_close(const std::shared_ptr<httpcore::server::ws_peer>& peer, std::uint16_t code,
                std::string_view reason) override;

  /// Every connected client gets a fresh snapshot (then the updates after it).
  void resync();
  /// From now on nothing is published or read for resync() (waits for a
  /// publish in progress): before the hub and the store go away, whose
  /// threads may still call back.
  void shutdown();

  socket_stats stats() const;

 private:
  struct client {
    std::shared_ptr<gated_peer> gate;
    std::int64_t next_set_ms = 0;  // cooldown: no set before this
  };
  /// Sends one snapshot to `gates` (already held) once the store has it.
  void send_snapshot(std::vector<std::shared_ptr<gated_peer>> gates);

  httpcore::app::hub& hub_;
  canvas_store& store_;
  const std::string topic_;
  const std::int64_t cooldown_ms_;
  const std::function<std::int64_t()> now_ms_;
  mutable std::mutex mutex_;
  std::mutex running_mutex_;  // held while publishing
  bool running_ = true;
  std::unordered_map<std::uint64_t, client> clients_;
  std::atomic<std::uint64_t> sets_{0}, refused_{0}, resyncs_{0};
};

}  // namespace canvas
