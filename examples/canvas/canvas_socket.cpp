#include "canvas_socket.hpp"

#include <httpcore/ws/close_code.hpp>

#include "pixel_message.hpp"

namespace canvas {

canvas_socket::canvas_socket(httpcore::app::hub& hub, canvas_store& store, std::string topic,
                             std::int64_t cooldown_ms, std::function<std::int64_t()> now_ms)
    : hub_(hub),
      store_(store),
      topic_(std::move(topic)),
      cooldown_ms_(cooldown_ms),
      now_ms_(std::move(now_ms)) {}

void canvas_socket::on_open(const std::shared_ptr<httpcore::server::ws_peer>& peer) {
  auto gate = std::make_shared<gated_peer>(peer);
  {
    std::lock_guard lock(mutex_);
    clients_[peer->id()] = client{gate, 0};
  }
  // Subscribed before the snapshot is read: an update stored after the read
  // is held by the gate and follows the snapshot; one stored before is in it.
  hub_.subscribe(topic_, gate);
  send_snapshot({gate});
}

void canvas_socket::send_snapshot(std::vector<std::shared_ptr<gated_peer>> gates) {
  store_.snapshot([gates = std::move(gates)](const std::string* canvas, std::string_view error) {
    if (canvas == nullptr) {
      // No canvas to start from: updates alone would draw a wrong picture.
      std::string reason = "canvas unavailable: " + std::string(error.substr(0, 90));
      for (const auto& gate : gates) gate->close(httpcore::ws::close_code::internal_error, reason);
      return;
    }
    auto shared = std::make_shared<const std::string>(*canvas);
    for (const auto& gate : gates) gate->open(shared);
  });
}

void canvas_socket::on_message(const std::shared_ptr<httpcore::server::ws_peer>& peer,
                               std::string_view message, bool text) {
  if (!text) {
    peer->close(httpcore::ws::close_code::unsupported_data, "binary messages are not accepted");
    return;
  }
  std::shared_ptr<gated_peer> gate;
  auto parsed = parse_pixel(message);
  std::string refusal;
  {
    std::lock_guard lock(mutex_);
    auto it = clients_.find(peer->id());
    if (it == clients_.end()) return;
    gate = it->second.gate;
    if (auto* error = std::get_if<std::string>(&parsed)) {
      refusal = format_error(*error);
    } else if (cooldown_ms_ > 0) {
      std::int64_t now = now_ms_();
      if (now < it->second.next_set_ms) {
        refusal = format_cooldown(it->second.next_set_ms - now);
      } else {
        it->second.next_set_ms = now + cooldown_ms_;
      }
    }
  }
  // Through the gate, like everything else: the snapshot still comes first.
  if (!refusal.empty()) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    gate->send_text(refusal);
    return;
  }
  const pixel p = std::get<pixel>(parsed);
  store_.set(p, [this, gate, p](std::string_view error) {
    if (!error.empty()) {
      refused_.fetch_add(1, std::memory_order_relaxed);
      gate->send_text(format_error("not stored: " + std::string(error.substr(0, 100))));
      return;
    }
    std::lock_guard running(running_mutex_);
    if (!running_) return;
    sets_.fetch_add(1, std::memory_order_relaxed);
    hub_.publish(topic_, format_pixel(p));
  });
}

void canvas_socket::on_close(const std::shared_ptr<httpcore::server::ws_peer>& peer, std::uint16_t,
                             std::string_view) {
  hub_.unsubscribe_all(peer->id());
  std::lock_guard lock(mutex_);
  clients_.erase(peer->id());
}

void canvas_socket::shutdown() {
  std::lock_guard running(running_mutex_);
  running_ = false;
}

void canvas_socket::resync() {
  {
    // Not held further: resync() runs on the hub backend's thread, which the
    // hub joins before it goes away, so the store is still there below.
    std::lock_guard running(running_mutex_);
    if (!running_) return;
  }
  std::vector<std::shared_ptr<gated_peer>> gates;
  {
    std::lock_guard lock(mutex_);
    gates.reserve(clients_.size());
    for (auto& [id, c] : clients_) gates.push_back(c.gate);
  }
  // Held before the read, as at connect: nothing published meanwhile is lost.
  for (const auto& gate : gates) gate->hold();
  // The store's connection may still be on its way back (its own backoff):
  // this blocks the hub's Redis thread, at most 3 s, while every gate is
  // held anyway. If it is not back by then the snapshot fails and the
  // clients are closed (1011); they reconnect and get one.
  store_.wait_ready(std::chrono::milliseconds(3000));
  resyncs_.fetch_add(1, std::memory_order_relaxed);
  if (!gates.empty()) send_snapshot(std::move(gates));
}

socket_stats canvas_socket::stats() const {
  socket_stats s;
  s.sets = sets_.load(std::memory_order_relaxed);
  s.refused = refused_.load(std::memory_order_relaxed);
  s.resyncs = resyncs_.load(std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  s.clients = clients_.size();
  return s;
}

}  // namespace canvas
