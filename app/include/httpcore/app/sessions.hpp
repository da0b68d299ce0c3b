#pragma once
/// \file
/// Sessions for handlers: a signed cookie (cookie_signer.hpp) carries a
/// random session id, a store (session_store.hpp) keeps the session's values
/// under it. A handler loads the session, changes it, saves it and sends
/// the Set-Cookie it is given; with an asynchronous store it answers from
/// the store's callback through a deferred reply:
///
/// \code
///   r.get("/seen", [&sessions](context& c) {
///     auto later = c.res.defer();  // the store may answer on its own thread
///     sessions.load(c, [&sessions, later](session_result loaded) {
///       if (!loaded.ok()) return later->send(503, loaded.error);
///       session s = std::move(loaded.value);  // fresh, or the stored one
///       s.values["seen"] = "yes";
///       sessions.save(s, [later](save_result saved) {
///         if (!saved.ok()) return later->send(503, saved.error);
///         later->send(200, "ok", {{"Set-Cookie", saved.set_cookie}});
///       });
///     });
///   });
/// \endcode
///
/// Two requests of one session at once each load, change and save: the last
/// save wins (no locking across instances).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "httpcore/app/cookie.hpp"
#include "httpcore/app/cookie_signer.hpp"
#include "httpcore/app/router.hpp"
#include "httpcore/app/session_store.hpp"

namespace httpcore::app {

struct session_options {
  std::string cookie_name = "httpcore_session";
  std::int64_t ttl_s = 24 * 3600;  ///< kept this long after the last save (store and Max-Age)
  std::string path = "/";
  std::string domain;   ///< empty: host-only
  bool secure = false;  ///< set it when served over https only
  bool http_only = true;
  same_site site = same_site::lax;
  /// The values, serialised, at most this many bytes: save() refuses more.
  std::size_t max_data_bytes = 4096;
};

struct session {
  std::string id;     ///< 43 base64url characters (32 random bytes)
  bool fresh = true;  ///< started by this request: no cookie, a bad one, or nothing stored
  std::map<std::string, std::string> values;
};

struct session_result {
  session value;
  std::string error;  ///< the store was unavailable (the request's session is unknown)
  bool ok() const noexcept { return error.empty(); }
};

struct save_result {
  std::string set_cookie;  ///< the Set-Cookie field value to send, when ok()
  std::string error;
  bool ok() const noexcept { return error.empty(); }
};

class session_manager {
 public:
  /// `store` must outlive the manager. Throws std::invalid_argument when the
  /// options make no valid cookie (a bad name, SameSite=None without Secure,
  /// ttl_s <= 0).
  session_manager(session_store& store, cookie_signer signer, session_options options = {});

  /// The session of `c`'s request, by its cookie: when the cookie's
  /// signature is right (any listed key) and the store has data under its
  /// id, that session (fresh false); when there is no cookie, a tampered or
  /// unknown-key one, or nothing stored (expired), a fresh session with a
  /// new random id. `then` runs exactly once, maybe before load() returns,
  /// maybe later on the store's thread, where `c` is gone (capture copies).
  /// Store unavailable: `then` gets the error.
  void load(const context& c, std::function<void(session_result)> then) const;
  /// The same from the Cookie fields' values (all of them: HTTP/2 splits
  /// one Cookie field into several).
  void load(const std::vector<std::string_view>& cookie_fields,
            std::function<void(session_result)> then) const;

  /// Stores `s` for ttl_s, then calls `then` (as load() does) with the
  /// Set-Cookie that carries its signed id (sent on every save, so the
  /// expiry slides) or with why not: values over max_data_bytes, or the
  /// store unavailable.
  void save(const session& s, std::function<void(save_result)> then) const;

  /// Erases `s` from the store and calls `then` with a Set-Cookie that
  /// removes the cookie (Max-Age=0).
  void destroy(const session& s, std::function<void(save_result)> then) const;

  const session_options& options() const noexcept { return options_; }

 private:
  std::string cookie_for(const std::string& id, std::int64_t max_age) const;

  session_store& store_;
  cookie_signer signer_;
  session_options options_;
};

}  // namespace httpcore::app
