// Sessions in Redis: GET, SET ... EX, DEL through the command client.

#include "httpcore/redis/redis_session_store.hpp"

namespace httpcore::redis {
namespace {

app::store_result unavailable(const result& r) {
  app::store_result out;
  out.status = app::store_status::unavailable;
  out.error = "Redis: " + std::string(to_string(r.error)) + ": " + r.message;
  return out;
}

}  // namespace

redis_session_store::redis_session_store(client_config config, std::string key_prefix)
    : key_prefix_(std::move(key_prefix)), client_(std::make_unique<client>(std::move(config))) {}

redis_session_store::~redis_session_store() = default;

void redis_session_store::load(std::string id, app::store_callback done) {
  client_->command({"GET", key_prefix_ + id}, [done = std::move(done)](result r) {
    if (!r.ok()) return done(unavailable(r));
    app::store_result out;
    if (r.value.type == reply::kind::nil) {
      out.status = app::store_status::not_found;
    } else if (r.value.type == reply::kind::string) {
      out.data = std::move(r.value.str);
    } else {
      out.status = app::store_status::unavailable;
      out.error = "Redis: GET answered something other than a string";
    }
    done(std::move(out));
  });
}

void redis_session_store::save(std::string id, std::string data, std::int64_t ttl_s,
                               app::store_callback done) {
  std::vector<std::string> args{"SET", key_prefix_ + id, std::move(data), "EX",
                                std::to_string(ttl_s > 0 ? ttl_s : 1)};
  client_->command(std::move(args), [done = std::move(done)](result r) {
    if (!r.ok()) return done(unavailable(r));
    done({});
  });
}

void redis_session_store::erase(std::string id, app::store_callback done) {
  client_->command({"DEL", key_prefix_ + id}, [done = std::move(done)](result r) {
    if (!r.ok()) return done(unavailable(r));
    done({});
  });
}

}  // namespace httpcore::redis
