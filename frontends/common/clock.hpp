#pragma once
// Time for sessions: the core never reads a clock (docs/design.md, rule 1), so each
// front-end thread reads one here and hands it in as clock_now.

#include <chrono>
#include <cstdint>

#include "httpcore/http_date.hpp"
#include "httpcore/server/session.hpp"

namespace httpcore::frontends {

/// One per thread: the Date text is formatted once a second and shared by
/// every response that thread writes in that second. The http_date view in a
/// returned clock_now points into this object, so sessions must not outlive it.
class frontend_clock {
 public:
  server::clock_now now() noexcept {
    using namespace std::chrono;
    auto mono = duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
    auto wall = duration_cast<seconds>(system_clock::now().time_since_epoch()).count();
    return {static_cast<std::int64_t>(mono), date_.format(static_cast<std::int64_t>(wall))};
  }

 private:
  http_date_cache date_;
};

}  // namespace httpcore::frontends
