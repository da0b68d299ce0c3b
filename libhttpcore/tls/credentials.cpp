// A server's credentials: the context new connections get, replaced on reload.

#include <algorithm>

#include "context_impl.hpp"

namespace httpcore::tls {

server_credentials::server_credentials(server_config config, std::int64_t now_us)
    : config_(std::move(config)),
      keys_(std::make_shared<ticket_keys>(config_.ticket_keys_kept)),
      current_(server_context::make(config_, keys_)),
      next_rotation_us_(now_us + std::max<std::int64_t>(config_.ticket_key_period_us, 1)) {}

std::shared_ptr<const server_context> server_credentials::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

void server_credentials::reload() {
  // Built outside the lock: loading files takes a while, and a failure must
  // leave the current context in place.
  auto fresh = server_context::make(config_, keys_);
  std::lock_guard lock(mutex_);
  current_ = std::move(fresh);
}

std::int64_t server_credentials::next_rotation_us() const {
  std::lock_guard lock(mutex_);
  return next_rotation_us_;
}

void server_credentials::on_timer(std::int64_t now_us) {
  {
    std::lock_guard lock(mutex_);
    if (now_us < next_rotation_us_) return;
    const auto period = std::max<std::int64_t>(config_.ticket_key_period_us, 1);
    next_rotation_us_ += ((now_us - next_rotation_us_) / period + 1) * period;
  }
  keys_->rotate();
}

void server_credentials::rotate_ticket_keys() {
  keys_->rotate();
}

}  // namespace httpcore::tls
