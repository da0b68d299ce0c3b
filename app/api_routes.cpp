// The /api routes of `httpcore serve`.

#include "api_routes.hpp"

#include <charconv>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace httpcore::app {
namespace {

constexpr int kMaxSlowMs = 10'000;

// Invalid UTF-8 from a client (a percent-decoded name) is replaced, not thrown on.
std::string to_json(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void send_json(reply& r, int status, const nlohmann::json& j) {
  r.add_header("Content-Type", "application/json");
  r.send(status, to_json(j));
}

// /api/session: load, count, save, answer, each step possibly on the
// store's thread (Redis), hence the deferred reply.
void count_visit(context& c, const session_manager& sessions) {
  auto later = c.res.defer();
  auto unavailable = [later](const std::string& why) {
    later->send(503, to_json({{"error", why}}),
                {{"Content-Type", "application/json"}, {"Retry-After", "1"}});
  };
  sessions.load(c, [&sessions, later, unavailable](session_result loaded) {
    if (!loaded.ok()) return unavailable(loaded.error);
    session s = std::move(loaded.value);
    std::uint64_t visits = 0;
    const std::string& before = s.values["visits"];
    std::from_chars(before.data(), before.data() + before.size(), visits);  // "" or junk: 0
    s.values["visits"] = std::to_string(++visits);
    sessions.save(s, [later, unavailable, visits](save_result saved) {
      if (!saved.ok()) return unavailable(saved.error);
      later->send(200, to_json({{"visits", visits}}),
                  {{"Content-Type", "application/json"},
                   {"Cache-Control", "no-store"},
                   {"Set-Cookie", saved.set_cookie}});
    });
  });
}

}  // namespace

void add_api_routes(router& r, timer_thread& timers, upload_route_options uploads,
                    const session_manager& sessions) {
  auto api = r.prefix("/api");
  api.get("/greet/{name}", [](context& c) {
    send_json(c.res, 200, {{"hello", std::string(c.param("name"))}});
  });
  api.get("/slow", [&timers](context& c) {
    auto ms_text = c.query_param("ms").value_or("");
    int ms = -1;
    auto [end, ec] = std::from_chars(ms_text.data(), ms_text.data() + ms_text.size(), ms);
    if (ec != std::errc() || end != ms_text.data() + ms_text.size() || ms < 0 || ms > kMaxSlowMs)
      return send_json(c.res, 400, {{"error", "ms must be a whole number from 0 to 10000"}});
    auto later = c.res.defer();
    bool scheduled = timers.schedule(std::chrono::milliseconds(ms), [later, ms] {
      later->send(200, to_json({{"slept_ms", ms}}), {{"Content-Type", "application/json"}});
    });
    if (!scheduled) {
      later->send(503, to_json({{"error", "too many slow requests waiting"}}),
                  {{"Content-Type", "application/json"}, {"Retry-After", "1"}});
    }
  });
  // What the request carried after its body: its length and its trailer
  // fields in order (a chunked HTTP/1 body's, an HTTP/2 trailing HEADERS).
  api.post("/trailers", [](context& c) {
    nlohmann::json seen = nlohmann::json::array();
    for (const auto& f : c.req.trailers)
      seen.push_back({std::string(f.name), std::string(f.value)});
    send_json(c.res, 200, {{"body_bytes", c.req.body.size()}, {"trailers", seen}});
  });
  add_upload_route(r, "/api/upload", std::move(uploads));
  api.get("/session", [&sessions](context& c) { count_visit(c, sessions); });
  api.get("/boom",
          [](context&) -> void { throw std::runtime_error("boom: this route always throws"); });
}

}  // namespace httpcore::app
