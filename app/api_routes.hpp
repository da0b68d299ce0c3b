#pragma once
// The application routes of `httpcore serve`, under /api:
//
//   GET /api/greet/{name}  200 {"hello":"<name>"} (application/json)
//   GET /api/slow?ms=N     200 {"slept_ms":N} after N ms (0..10000), answered
//                          from a timer thread: the loop thread goes on
//                          serving meanwhile (server::response::defer())
//   GET /api/session       200 {"visits":N}: N counts this session's visits,
//                          the session carried by a signed cookie
//                          (Set-Cookie on every answer) and kept in the
//                          session store; 503 {"error":...} when the store
//                          is unavailable (Redis gone)
//   GET /api/boom          throws: the recovery middleware answers 500
//   POST /api/upload       a form's parts measured and hashed, files stored
//                          (upload_route.hpp)
//
// JSON is written with nlohmann-json, in the app layer only.

#include "httpcore/app/router.hpp"
#include "httpcore/app/sessions.hpp"
#include "timer_thread.hpp"
#include "upload_route.hpp"

namespace httpcore::app {

/// Adds the routes to `r`; /api/slow schedules its answers on `timers`
/// (503 when that many are waiting already), /api/session keeps its count in
/// `sessions`; /api/upload stores and limits as `uploads` says. All must
/// outlive the server.
void add_api_routes(router& r, timer_thread& timers, upload_route_options uploads,
                    const session_manager& sessions);

}  // namespace httpcore::app
