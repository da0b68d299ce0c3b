// cors(): preflights answered here, actual requests marked on their way out.

#include <algorithm>

#include "httpcore/app/middleware.hpp"

namespace httpcore::app {

middleware cors(cors_options options) {
  return [o = std::move(options)](context& c, const next_step& next) {
    std::string_view origin = c.header("Origin");
    if (origin.empty()) return next();  // not a cross-origin request
    bool any = std::find(o.allowed_origins.begin(), o.allowed_origins.end(), "*") !=
               o.allowed_origins.end();
    bool allowed = any || std::find(o.allowed_origins.begin(), o.allowed_origins.end(), origin) !=
                              o.allowed_origins.end();
    std::string allow_origin = any ? std::string("*") : std::string(origin);
    bool preflight = c.method() == "OPTIONS" && !c.header("Access-Control-Request-Method").empty();
    if (preflight) {
      c.res.add_header("Vary", "Origin");
      if (!allowed) return c.res.send(403, "");
      c.res.add_header("Access-Control-Allow-Origin", allow_origin);
      c.res.add_header("Access-Control-Allow-Methods", o.allowed_methods);
      c.res.add_header("Access-Control-Allow-Headers", o.allowed_headers);
      c.res.add_header("Access-Control-Max-Age", std::to_string(o.max_age_s));
      return c.res.send(204, "");
    }
    if (allowed) {
      c.res.add_header("Access-Control-Allow-Origin", allow_origin);
      c.res.add_header("Access-Control-Expose-Headers", "X-Request-Id");
      if (!any) c.res.add_header("Vary", "Origin");
    }
    next();
  };
}

}  // namespace httpcore::app
