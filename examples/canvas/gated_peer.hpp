#pragma once
// A client's connection as the hub sees it: every message sent through it
// before the canvas snapshot is held back and follows the snapshot, so a
// client always gets the snapshot first and then every update published
// after it subscribed, in order, whatever the snapshot's delay (Redis
// answers later and on its own thread). hold() closes the gate again for a
// fresh snapshot (after a Redis outage).

#include <memory>
#include <mutex>
#include <utility>
#include <vector>

#include <httpcore/server/websocket.hpp>

namespace canvas {

class gated_peer final : public httpcore::server::ws_peer {
 public:
  using peer_ptr = std::shared_ptr<httpcore::server::ws_peer>;
  /// Messages held while the gate is closed, at most (bytes); one more
  /// closes the connection with 1008: the client is far behind.
  static constexpr std::size_t max_held_bytes = 1u << 20;

  explicit gated_peer(peer_ptr inner) : inner_(std::move(inner)) {}

  /// The connection's id (the hub keys peers by it).
  std::uint64_t id() const noexcept override { return inner_->id(); }
  void send_text(std::string_view text) override;
  void send_binary(std::span<const std::byte> bytes) override;
  void send_shared(std::shared_ptr<const std::string> message, bool text) override;
  void close(std::uint16_t code, std::string_view reason) override;

  /// Closes the gate: messages are held until open().
  void hold();
  /// Sends `snapshot` (binary), then what was held, and opens the gate.
  void open(const std::shared_ptr<const std::string>& snapshot);

 private:
  peer_ptr inner_;
  std::mutex mutex_;
  bool open_ = false;
  std::vector<std::pair<std::shared_ptr<const std::string>, bool>> held_;
  std::size_t held_bytes_ = 0;
};

}  // namespace canvas
