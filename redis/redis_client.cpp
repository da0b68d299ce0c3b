// The Redis client's caller side: queueing commands (bounded) and waking the
// client's thread, never waiting on the network (client_thread.cpp does that).

#include "httpcore/redis/redis_client.hpp"

#include <chrono>

#include "client_state.hpp"

namespace httpcore::redis {

std::int64_t client_now_us() noexcept {
  using namespace std::chrono;
  return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

std::string_view to_string(client_error e) noexcept {
  switch (e) {
    case client_error::none:
      return "ok";
    case client_error::not_connected:
      return "not connected";
    case client_error::timeout:
      return "timeout";
    case client_error::queue_full:
      return "queue full";
    case client_error::redis_error:
      return "Redis error";
    case client_error::connection_lost:
      return "connection lost";
    case client_error::stopped:
      return "stopped";
    case client_error::bad_command:
      return "bad command";
  }
  return "unknown";
}

client::client(client_config config) : shared_(std::make_unique<shared>(std::move(config))) {
  backoff check(shared_->config.reconnect);  // throws for a bad configuration, here
  (void)check;
  shared_->thread = std::thread([s = shared_.get()] { run_client_thread(*s); });
}

client::~client() {
  {
    std::lock_guard lock(shared_->mutex);
    shared_->stopping = true;
  }
  shared_->wake.notify();
  if (shared_->thread.joinable()) shared_->thread.join();
}

void client::command(std::vector<std::string> args, callback done) {
  shared& s = *shared_;
  std::size_t bytes = 0;
  for (const std::string& a : args) bytes += a.size();
  {
    std::lock_guard lock(s.mutex);
    ++s.counters.commands;
    auto refuse = [&](client_error e, std::string why) {
      s.refused.emplace_back(std::move(done), result{e, std::move(why), {}});
    };
    if (args.empty()) {
      refuse(client_error::bad_command, "a command needs at least its name");
    } else if (s.stopping) {
      refuse(client_error::stopped, "the client is stopping");
    } else if (s.link == link_state::down) {
      ++s.counters.refused_not_connected;
      refuse(client_error::not_connected, "not connected to Redis: " + s.down_reason);
    } else if (s.queued + 1 > s.config.max_queued_commands ||
               s.queued_bytes + bytes > s.config.max_queued_bytes) {
      ++s.counters.refused_queue_full;
      refuse(client_error::queue_full, "queue full: " + std::to_string(s.queued) +
                                           " commands and " + std::to_string(s.queued_bytes) +
                                           " bytes queued, limits " +
                                           std::to_string(s.config.max_queued_commands) + " and " +
                                           std::to_string(s.config.max_queued_bytes));
    } else {
      ++s.queued;
      s.queued_bytes += bytes;
      s.waiting.push_back(pending_command{
          std::move(args), bytes, client_now_us() + s.config.reply_timeout_us, std::move(done)});
    }
  }
  s.wake.notify();
}

void client::command(std::initializer_list<std::string_view> args, callback done) {
  std::vector<std::string> copy;
  copy.reserve(args.size());
  for (std::string_view a : args) copy.emplace_back(a);
  command(std::move(copy), std::move(done));
}

client_stats client::stats() const {
  std::lock_guard lock(shared_->mutex);
  client_stats out = shared_->counters;
  out.queued = shared_->queued;
  out.queued_bytes = shared_->queued_bytes;
  return out;
}

}  // namespace httpcore::redis
