#pragma once
/// \file
/// Middleware steps for router::use(), each a factory returning a step.
/// Order matters: steps run in the order added, so add recovery first (it
/// then catches what every later step and the route throw), request_id next
/// (so later steps and logs have the id), then the others.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/app/router.hpp"

namespace httpcore::app {

/// An exception from a later step or the route becomes a 500 (when nothing
/// was sent yet) and one line passed to `log`, with the request id, method,
/// target and what(); the connection and the server go on. A reply already
/// streaming is ended. `log` is called from the connection's thread.
middleware recovery(std::function<void(std::string_view line)> log);

/// Takes the request's `X-Request-Id` when it is sane (1 to 128 bytes of
/// visible ASCII), else makes one (32 hex digits, random); puts it in
/// context::request_id and in the response's `X-Request-Id`.
middleware request_id();

struct cors_options {
  /// Origins allowed, exactly as browsers send them ("https://a.example");
  /// "*" allows any (answered as "*", never with credentials).
  std::vector<std::string> allowed_origins;
  std::string allowed_methods = "GET, HEAD, POST, PUT, DELETE, OPTIONS";
  std::string allowed_headers = "Content-Type, Authorization, X-Request-Id";
  std::uint32_t max_age_s = 600;
};
/// CORS (Fetch standard): a preflight (OPTIONS with Origin and
/// Access-Control-Request-Method) from an allowed origin gets 204 with the
/// Access-Control-Allow-* fields, from another origin 403; an actual request
/// from an allowed origin gets Access-Control-Allow-Origin (and Vary: Origin)
/// on its response; requests without Origin pass untouched.
middleware cors(cors_options options);

struct compression_options {
  std::size_t min_bytes = 1024;  ///< smaller whole bodies are sent as they are
  int gzip_level = 6;            ///< zlib 1..9
  int brotli_quality = 5;        ///< 0..11
};
/// Compresses responses with br or gzip, whichever the client prefers by
/// Accept-Encoding q-values (br on a tie), for text-like types (text/*, JSON,
/// JavaScript, XML, SVG): whole bodies of at least min_bytes, and streamed
/// bodies piece by piece (bounded memory). Adds Content-Encoding and
/// Vary: Accept-Encoding; leaves alone a response that has a
/// Content-Encoding already, a 206, and statuses without content.
middleware compression(compression_options options = {});

struct rate_limit_options {
  double per_second = 10;             ///< tokens added per second per client address
  double burst = 20;                  ///< bucket size
  std::size_t max_clients = 100'000;  ///< addresses tracked at once (oldest dropped)
};
/// A token bucket per client address (the peer's address without its port):
/// a request without a token gets 429 with Retry-After (whole seconds until
/// the next token). Thread-safe; time from std::chrono::steady_clock.
middleware rate_limit(rate_limit_options options);

/// The same with the clock passed in (microseconds), for tests.
middleware rate_limit(rate_limit_options options, std::function<std::int64_t()> now_us);

}  // namespace httpcore::app
