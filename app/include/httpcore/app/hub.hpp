#pragma once
/// \file
/// A publish/subscribe hub for WebSocket peers: subscribe a peer to a topic,
/// publish a message to everyone on a topic. Peers may live on any front-end
/// thread; a publish goes through each peer's own send (its thread's mailbox),
/// so it never blocks on a slow peer and never touches another thread's
/// connection. Thread-safe.
///
/// A peer stays subscribed until unsubscribed; ws_router does that for every
/// topic when the connection ends (close, TCP drop, ping timeout, error), so
/// the hub holds no peer of a closed connection. Subscribe in on_open (or any
/// callback of that peer): a subscription made from another thread can race
/// the connection's end and then stays until unsubscribed (its sends are no-ops).
///
/// Where a published message goes is the backend's (hub_backend.hpp): by
/// default this process's subscribers only; with a Redis backend, every
/// instance's subscribers of the topic, each exactly once.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "httpcore/app/hub_backend.hpp"
#include "httpcore/server/websocket.hpp"

namespace httpcore::app {

class hub final : private hub_sink {
 public:
  using peer_ptr = std::shared_ptr<server::ws_peer>;

  /// A hub that publishes through `backend` (nullptr: a local_backend).
  explicit hub(std::unique_ptr<hub_backend> backend = nullptr);
  /// Stops the backend first: nothing is delivered once this runs.
  ~hub();
  hub(const hub&) = delete;
  hub& operator=(const hub&) = delete;

  /// Adds `peer` to `topic` (again: no effect).
  void subscribe(std::string_view topic, const peer_ptr& peer);
  void unsubscribe(std::string_view topic, std::uint64_t peer_id);
  /// Removes the peer from every topic (a connection that ended).
  void unsubscribe_all(std::uint64_t peer_id);
  /// Sends `message` to every subscriber of `topic` through the backend;
  /// returns how many local subscribers got it. Locally the message is
  /// copied once and shared (ws_peer::send_shared()); each subscriber's send
  /// bound (websocket_config::max_queued_bytes) applies.
  std::size_t publish(std::string_view topic, std::string_view message, bool text = true);

  /// Runs `callback` each time the backend is back after an outage
  /// (hub_sink::resynced(): messages from elsewhere were missed), on the
  /// backend's thread; replaces the previous one. Never with a local backend.
  void on_resync(std::function<void()> callback);

  std::size_t subscribers(std::string_view topic) const;
  /// Subscriptions over all topics.
  std::size_t size() const;

 private:
  std::size_t deliver(std::string_view topic, std::string_view message, bool text) override;
  void resynced() override;

  mutable std::mutex mutex_;
  std::map<std::string, std::unordered_map<std::uint64_t, peer_ptr>, std::less<>> topics_;
  std::unordered_map<std::uint64_t, std::set<std::string>> by_peer_;
  std::size_t count_ = 0;
  std::shared_ptr<const std::function<void()>> on_resync_;  // swapped whole, under the lock
  std::unique_ptr<hub_backend> backend_;  // told when a topic gains or loses its last subscriber
};

}  // namespace httpcore::app
