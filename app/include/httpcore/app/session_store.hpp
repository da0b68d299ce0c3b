#pragma once
/// \file
/// Where sessions live between requests: an interface with asynchronous
/// calls (a store across the network answers later, on its own thread), and
/// an in-memory store (per process, with expiry and a bound on its size).
/// The Redis store, shared by every instance on one Redis, is
/// httpcore::redis::session_store (redis/redis_session_store.hpp).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace httpcore::app {

enum class store_status : std::uint8_t {
  ok,
  not_found,    ///< nothing under that id (never saved, expired, erased)
  unavailable,  ///< the store cannot answer now (error: why)
};

struct store_result {
  store_status status = store_status::ok;
  std::string data;   ///< what load() found
  std::string error;  ///< why, when unavailable
  bool ok() const noexcept { return status == store_status::ok; }
};

using store_callback = std::function<void(store_result)>;

/// Session data by id. Every call answers `done` exactly once, either before
/// it returns or later from another thread (say which in the store's docs):
/// callers must not hold a lock `done` takes. Implementations are
/// thread-safe (one store serves every front-end thread).
class session_store {
 public:
  virtual ~session_store() = default;
  /// The data saved under `id` (ok), or not_found when there is none (never
  /// saved, expired, erased), or unavailable.
  virtual void load(std::string id, store_callback done) = 0;
  /// Saves `data` under `id`, replacing what was there, for `ttl_s` seconds
  /// (> 0) from now; ok or unavailable.
  virtual void save(std::string id, std::string data, std::int64_t ttl_s, store_callback done) = 0;
  /// Removes `id` (ok whether or not it was there), or unavailable.
  virtual void erase(std::string id, store_callback done) = 0;
};

struct memory_store_options {
  /// Sessions kept at once; saving one more first drops the expired ones,
  /// then, if still full, the one closest to expiring (counted evicted).
  std::size_t max_sessions = 100'000;
  /// Monotonic microseconds; empty: std::chrono::steady_clock (tests pass
  /// their own clock).
  std::function<std::int64_t()> now_us{};
};

/// Sessions in this process's memory: lost at exit, not shared between
/// instances. Answers every call before returning, on the caller's thread.
class memory_session_store final : public session_store {
 public:
  explicit memory_session_store(memory_store_options options = {});
  ~memory_session_store() override;
  memory_session_store(const memory_session_store&) = delete;
  memory_session_store& operator=(const memory_session_store&) = delete;

  void load(std::string id, store_callback done) override;
  void save(std::string id, std::string data, std::int64_t ttl_s, store_callback done) override;
  void erase(std::string id, store_callback done) override;

  /// Sessions held now, expired ones not yet dropped included.
  std::size_t size() const;
  /// Sessions dropped to make room before they expired.
  std::uint64_t evicted() const;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace httpcore::app
