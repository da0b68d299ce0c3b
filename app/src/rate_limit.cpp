// rate_limit(): one token bucket per client address, shared by every thread.

#include <chrono>
#include <cmath>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "httpcore/app/middleware.hpp"

namespace httpcore::app {
namespace {

// "127.0.0.1:5000" -> "127.0.0.1", "[::1]:80" -> "::1".
std::string_view client_address(std::string_view peer) {
  if (!peer.empty() && peer.front() == '[') {
    std::size_t close = peer.find(']');
    return close == std::string_view::npos ? peer : peer.substr(1, close - 1);
  }
  std::size_t colon = peer.rfind(':');
  return colon == std::string_view::npos ? peer : peer.substr(0, colon);
}

class buckets {
 public:
  buckets(rate_limit_options o, std::function<std::int64_t()> now) : o_(o), now_(std::move(now)) {}

  // 0: take a token; else the seconds to wait for one.
  std::int64_t take(std::string_view client) {
    std::int64_t now = now_();
    std::lock_guard lock(m_);
    auto it = map_.find(std::string(client));
    if (it == map_.end()) {
      if (map_.size() >= o_.max_clients) evict(now);
      it = map_.emplace(std::string(client), bucket{o_.burst, now}).first;
    }
    bucket& b = it->second;
    b.tokens =
        std::min(o_.burst, b.tokens + static_cast<double>(now - b.at_us) / 1e6 * o_.per_second);
    b.at_us = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::ceil((1 - b.tokens) / o_.per_second)));
  }

 private:
  struct bucket {
    double tokens;
    std::int64_t at_us;
  };
  // Full buckets carry no state worth keeping; if none is full, the stalest goes.
  void evict(std::int64_t now) {
    std::int64_t refill_us = static_cast<std::int64_t>(o_.burst / o_.per_second * 1e6);
    std::erase_if(map_, [&](const auto& kv) { return now - kv.second.at_us >= refill_us; });
    if (map_.size() < o_.max_clients) return;
    auto oldest = map_.begin();
    for (auto it = map_.begin(); it != map_.end(); ++it)
      if (it->second.at_us < oldest->second.at_us) oldest = it;
    map_.erase(oldest);
  }

  rate_limit_options o_;
  std::function<std::int64_t()> now_;
  std::mutex m_;
  std::unordered_map<std::string, bucket> map_;
};

}  // namespace

middleware rate_limit(rate_limit_options options, std::function<std::int64_t()> now_us) {
  if (!(options.per_second > 0) || !(options.burst >= 1) || options.max_clients == 0 || !now_us)
    throw std::invalid_argument("rate_limit: per_second > 0, burst >= 1, max_clients > 0");
  auto state = std::make_shared<buckets>(options, std::move(now_us));
  return [state](context& c, const next_step& next) {
    std::int64_t wait_s = state->take(client_address(c.req.peer));
    if (wait_s == 0) return next();
    c.res.add_header("Retry-After", std::to_string(wait_s));
    c.res.add_header("Content-Type", "text/plain; charset=utf-8");
    c.res.send(429, "too many requests\n");
  };
}

middleware rate_limit(rate_limit_options options) {
  return rate_limit(options, [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
  });
}

}  // namespace httpcore::app
