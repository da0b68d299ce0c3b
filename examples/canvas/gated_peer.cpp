#include "gated_peer.hpp"

#include <httpcore/ws/close_code.hpp>

namespace canvas {

void gated_peer::send_text(std::string_view text) {
  send_shared(std::make_shared<const std::string>(text), true);
}

void gated_peer::send_binary(std::span<const std::byte> bytes) {
  send_shared(std::make_shared<const std::string>(reinterpret_cast<const char*>(bytes.data()),
                                                  bytes.size()),
              false);
}

void gated_peer::send_shared(std::shared_ptr<const std::string> message, bool text) {
  if (!message) return;
  std::lock_guard lock(mutex_);
  // Under the lock: sends reach the connection's queue in the order taken here.
  if (open_) {
    inner_->send_shared(std::move(message), text);
    return;
  }
  if (held_bytes_ + message->size() > max_held_bytes) {
    held_.clear();
    held_bytes_ = 0;
    inner_->close(httpcore::ws::close_code::policy_violation, "too far behind the canvas");
    return;
  }
  held_bytes_ += message->size();
  held_.emplace_back(std::move(message), text);
}

void gated_peer::close(std::uint16_t code, std::string_view reason) {
  inner_->close(code, reason);
}

void gated_peer::hold() {
  std::lock_guard lock(mutex_);
  open_ = false;
}

void gated_peer::open(const std::shared_ptr<const std::string>& snapshot) {
  std::lock_guard lock(mutex_);
  inner_->send_shared(snapshot, false);
  for (auto& [message, text] : held_) inner_->send_shared(std::move(message), text);
  held_.clear();
  held_bytes_ = 0;
  open_ = true;
}

}  // namespace canvas
