#pragma once
/// \file
/// Sessions in Redis (app::session_store over the command client): every
/// instance on one Redis shares them. A session is one string key,
/// key_prefix + id, written with SET ... EX so Redis expires it; load is
/// GET, erase is DEL.
///
/// Callbacks run on the client's thread (redis_client.hpp), so a handler
/// answers through a deferred reply. Redis unreachable, slow past the
/// client's deadline, or its queue full: the call answers `unavailable`
/// with the client's precise error.

#include <memory>
#include <string>

#include "httpcore/app/session_store.hpp"
#include "httpcore/redis/redis_client.hpp"

namespace httpcore::redis {

class redis_session_store final : public app::session_store {
 public:
  /// Starts a client of its own (connecting at once) with `config`.
  explicit redis_session_store(client_config config, std::string key_prefix = "httpcore.session.");
  /// Stops the client: calls not yet answered get `unavailable` first.
  ~redis_session_store() override;

  void load(std::string id, app::store_callback done) override;
  void save(std::string id, std::string data, std::int64_t ttl_s,
            app::store_callback done) override;
  void erase(std::string id, app::store_callback done) override;

  client_stats stats() const { return client_->stats(); }

 private:
  std::string key_prefix_;
  std::unique_ptr<client> client_;
};

}  // namespace httpcore::redis
