#pragma once
// `httpcore serve`: an HTTP server on one of the built-in front ends, with a
// few demo endpoints, static files and a JSON access log.

#include <span>
#include <string_view>

namespace httpcore::tools {

// Runs the verb with the arguments after "serve". Serves until SIGINT or
// SIGTERM, then stops gracefully. Returns the exit status: 0 after a clean
// stop (or --help, --list-frontends), 1 when the server cannot start (address
// in use, ...), 2 on a usage error or an unusable --root.
int serve_command(std::span<const std::string_view> args);

}  // namespace httpcore::tools
