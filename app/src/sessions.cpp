// Sessions: the signed id cookie, the values as a JSON object of strings in
// the store, fresh sessions for missing, tampered or expired cookies.

#include "httpcore/app/sessions.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "httpcore/ascii.hpp"

namespace httpcore::app {
namespace {

constexpr std::size_t kIdBytes = 32;

session fresh_session() {
  session s;
  s.id = base64url(random_bytes(kIdBytes));
  return s;
}

std::string encode_values(const std::map<std::string, std::string>& values) {
  nlohmann::json j = nlohmann::json::object();
  for (const auto& [k, v] : values) j[k] = v;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The values stored under an id; false when the data is not what we wrote
// (then the session starts over rather than failing every request).
bool decode_values(const std::string& data, std::map<std::string, std::string>& out) {
  nlohmann::json j = nlohmann::json::parse(data, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return false;
  for (auto& [k, v] : j.items()) {
    if (!v.is_string()) return false;
    out[k] = v.get<std::string>();
  }
  return true;
}

// The session cookie as the options describe it.
set_cookie session_cookie(const session_options& o, std::string value, std::int64_t max_age) {
  set_cookie c;
  c.name = o.cookie_name;
  c.value = std::move(value);
  c.max_age = max_age;
  c.domain = o.domain;
  c.path = o.path;
  c.secure = o.secure;
  c.http_only = o.http_only;
  c.site = o.site;
  return c;
}

}  // namespace

session_manager::session_manager(session_store& store, cookie_signer signer,
                                 session_options options)
    : store_(store), signer_(std::move(signer)), options_(std::move(options)) {
  if (options_.ttl_s <= 0) throw std::invalid_argument("session_options: ttl_s must be > 0");
  // A probe cookie with an id-sized value checks every option once, here.
  set_cookie_result probe =
      format_set_cookie(session_cookie(options_, std::string(80, 'a'), options_.ttl_s));
  if (!probe.ok()) throw std::invalid_argument("session_options: " + probe.error);
}

std::string session_manager::cookie_for(const std::string& id, std::int64_t max_age) const {
  std::string value = max_age > 0 ? signer_.sign(options_.cookie_name, id) : std::string();
  // The options were checked in the constructor; ids and MACs are base64url.
  return format_set_cookie(session_cookie(options_, std::move(value), max_age)).field;
}

void session_manager::load(const context& c, std::function<void(session_result)> then) const {
  std::vector<std::string_view> cookie_fields;
  for (const h1::header& h : c.req.head->headers)
    if (ascii_iequals(h.name, "cookie")) cookie_fields.push_back(h.value);
  load(cookie_fields, std::move(then));
}

void session_manager::load(const std::vector<std::string_view>& cookie_fields,
                           std::function<void(session_result)> then) const {
  std::optional<std::string> id;
  for (std::string_view field : cookie_fields) {
    cookie_parse_result parsed = parse_cookies(field);
    // Every cookie of our name is tried: a stale one set for another path
    // may come first.
    for (const cookie_pair& p : parsed.cookies) {
      if (p.name != options_.cookie_name) continue;
      if (auto v = signer_.verify(options_.cookie_name, p.value)) {
        id = std::string(*v);
        break;
      }
    }
    if (id) break;
  }
  if (!id) return then({fresh_session(), {}});
  std::string key = *id;
  store_.load(std::move(key), [then = std::move(then), id = std::move(*id)](store_result r) {
    if (r.status == store_status::unavailable)
      return then({{}, "session store unavailable: " + r.error});
    session s;
    if (r.ok() && decode_values(r.data, s.values)) {
      s.id = id;
      s.fresh = false;
      return then({std::move(s), {}});
    }
    then({fresh_session(), {}});  // expired, erased, or not ours: start over
  });
}

void session_manager::save(const session& s, std::function<void(save_result)> then) const {
  std::string data = encode_values(s.values);
  if (data.size() > options_.max_data_bytes)
    return then({{},
                 "session data: " + std::to_string(data.size()) + " bytes, more than " +
                     std::to_string(options_.max_data_bytes)});
  store_.save(s.id, std::move(data), options_.ttl_s,
              [then = std::move(then), cookie = cookie_for(s.id, options_.ttl_s)](store_result r) {
                if (!r.ok()) return then({{}, "session store unavailable: " + r.error});
                then({cookie, {}});
              });
}

void session_manager::destroy(const session& s, std::function<void(save_result)> then) const {
  store_.erase(s.id, [then = std::move(then), cookie = cookie_for(s.id, 0)](store_result r) {
    if (!r.ok()) return then({{}, "session store unavailable: " + r.error});
    then({cookie, {}});
  });
}

}  // namespace httpcore::app
