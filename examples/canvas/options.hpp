#pragma once
// httpcore-canvas's command line.

#include <cstdint>
#include <optional>
#include <string>

namespace canvas {

struct options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  ///< 0: any free port (the URL printed says which)
  std::string frontend;       ///< empty: the build's default
  unsigned threads = 0;       ///< front-end threads; 0: the front end's default
  std::string redis_url;      ///< empty: the canvas lives in memory
  std::string data_file;      ///< empty: not saved (memory only)
  std::int64_t cooldown_ms = 0;
};

extern const char* const usage;

/// The options, or nullopt after printing the reason (and the usage) on
/// standard error. `help` is set when --help was asked for.
std::optional<options> parse_options(int argc, char** argv, bool& help);

}  // namespace canvas
