// Sessions in memory: a map by id and an index by expiry, so that the
// expired and, when full, the soonest-expiring sessions go first.

#include <chrono>
#include <mutex>
#include <set>
#include <unordered_map>
#include <utility>

#include "httpcore/app/session_store.hpp"

namespace httpcore::app {

struct memory_session_store::state {
  explicit state(memory_store_options o) : options(std::move(o)) {
    if (!options.now_us)
      options.now_us = [] {
        using namespace std::chrono;
        return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
      };
  }

  struct entry {
    std::string data;
    std::int64_t expires_us;
  };

  // Drops `it` from both indexes (under the lock).
  void drop(std::unordered_map<std::string, entry>::iterator it) {
    by_expiry.erase({it->second.expires_us, it->first});
    sessions.erase(it);
  }
  void drop_expired(std::int64_t now) {
    while (!by_expiry.empty() && by_expiry.begin()->first <= now)
      drop(sessions.find(by_expiry.begin()->second));
  }

  memory_store_options options;
  mutable std::mutex mutex;
  std::unordered_map<std::string, entry> sessions;
  std::set<std::pair<std::int64_t, std::string>> by_expiry;
  std::uint64_t evicted = 0;
};

memory_session_store::memory_session_store(memory_store_options options)
    : state_(std::make_unique<state>(std::move(options))) {}

memory_session_store::~memory_session_store() = default;

void memory_session_store::load(std::string id, store_callback done) {
  store_result r;
  {
    std::lock_guard lock(state_->mutex);
    auto it = state_->sessions.find(id);
    if (it == state_->sessions.end()) {
      r.status = store_status::not_found;
    } else if (it->second.expires_us <= state_->options.now_us()) {
      state_->drop(it);
      r.status = store_status::not_found;
    } else {
      r.data = it->second.data;
    }
  }
  done(std::move(r));  // outside the lock: `done` may call the store again
}

void memory_session_store::save(std::string id, std::string data, std::int64_t ttl_s,
                                store_callback done) {
  store_result r;
  {
    std::lock_guard lock(state_->mutex);
    state& s = *state_;
    std::int64_t now = s.options.now_us();
    std::int64_t expires = now + (ttl_s > 0 ? ttl_s : 1) * 1'000'000;
    auto it = s.sessions.find(id);
    if (it != s.sessions.end()) s.drop(it);
    if (s.sessions.size() >= s.options.max_sessions) s.drop_expired(now);
    if (s.sessions.size() >= s.options.max_sessions && !s.by_expiry.empty()) {
      s.drop(s.sessions.find(s.by_expiry.begin()->second));
      ++s.evicted;
    }
    if (s.options.max_sessions > 0) {
      s.by_expiry.emplace(expires, id);
      s.sessions.emplace(std::move(id), state::entry{std::move(data), expires});
    }
  }
  done(std::move(r));
}

void memory_session_store::erase(std::string id, store_callback done) {
  {
    std::lock_guard lock(state_->mutex);
    auto it = state_->sessions.find(id);
    if (it != state_->sessions.end()) state_->drop(it);
  }
  done({});
}

std::size_t memory_session_store::size() const {
  std::lock_guard lock(state_->mutex);
  return state_->sessions.size();
}

std::uint64_t memory_session_store::evicted() const {
  std::lock_guard lock(state_->mutex);
  return state_->evicted;
}

}  // namespace httpcore::app
