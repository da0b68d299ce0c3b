// The pub/sub hub: a map of topics to peers, and of peers to their topics so a
// closing connection leaves every topic in one call.

#include "httpcore/app/hub.hpp"

#include <vector>

namespace httpcore::app {

hub::hub(std::unique_ptr<hub_backend> backend)
    : backend_(backend ? std::move(backend) : std::make_unique<local_backend>()) {
  backend_->attach(*this);
}

hub::~hub() {
  backend_.reset();  // its threads may still deliver until it is gone
}

void hub::subscribe(std::string_view topic, const peer_ptr& peer) {
  if (!peer) return;
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic);
  if (it == topics_.end()) {
    it = topics_.emplace(std::string(topic), decltype(it->second){}).first;
    backend_->subscribe(topic);  // under the lock: the backend sees changes in order
  }
  if (it->second.emplace(peer->id(), peer).second) {
    by_peer_[peer->id()].emplace(topic);
    ++count_;
  }
}

void hub::unsubscribe(std::string_view topic, std::uint64_t peer_id) {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic);
  if (it == topics_.end() || it->second.erase(peer_id) == 0) return;
  --count_;
  if (it->second.empty()) {
    topics_.erase(it);
    backend_->unsubscribe(topic);
  }
  auto p = by_peer_.find(peer_id);
  if (p != by_peer_.end()) {
    p->second.erase(std::string(topic));
    if (p->second.empty()) by_peer_.erase(p);
  }
}

void hub::unsubscribe_all(std::uint64_t peer_id) {
  std::lock_guard lock(mutex_);
  auto p = by_peer_.find(peer_id);
  if (p == by_peer_.end()) return;
  for (const std::string& topic : p->second) {
    auto it = topics_.find(topic);
    if (it == topics_.end()) continue;
    count_ -= it->second.erase(peer_id);
    if (it->second.empty()) {
      topics_.erase(it);
      backend_->unsubscribe(topic);
    }
  }
  by_peer_.erase(p);
}

std::size_t hub::publish(std::string_view topic, std::string_view message, bool text) {
  return backend_->publish(topic, message, text);
}

std::size_t hub::deliver(std::string_view topic, std::string_view message, bool text) {
  // Sends happen outside the lock: a send may run at once on this thread
  // (a peer of the caller's own loop) and must not find the hub locked.
  std::vector<peer_ptr> targets;
  {
    std::lock_guard lock(mutex_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return 0;
    targets.reserve(it->second.size());
    for (const auto& [id, peer] : it->second) targets.push_back(peer);
  }
  // One immutable copy for every subscriber: each connection's queue refers
  // to it until written (and counts it against its own bound), so a large
  // message to many slow subscribers is held once, not once per subscriber.
  auto shared = std::make_shared<const std::string>(message);
  for (const peer_ptr& peer : targets) peer->send_shared(shared, text);
  return targets.size();
}

void hub::on_resync(std::function<void()> callback) {
  auto shared = std::make_shared<const std::function<void()>>(std::move(callback));
  std::lock_guard lock(mutex_);
  on_resync_ = std::move(shared);
}

void hub::resynced() {
  std::shared_ptr<const std::function<void()>> callback;
  {
    std::lock_guard lock(mutex_);
    callback = on_resync_;
  }
  if (callback && *callback) (*callback)();  // outside the lock: it may publish or subscribe
}

std::size_t hub::subscribers(std::string_view topic) const {
  std::lock_guard lock(mutex_);
  auto it = topics_.find(topic);
  return it == topics_.end() ? 0 : it->second.size();
}

std::size_t hub::size() const {
  std::lock_guard lock(mutex_);
  return count_;
}

}  // namespace httpcore::app
