#include "options.hpp"

#include <charconv>
#include <cstdio>
#include <string_view>

namespace canvas {

const char* const usage =
    "usage: httpcore-canvas [--host ADDR] [--port N] [--frontend NAME] [--threads N]\n"
    "                       [--redis redis://HOST:PORT] [--data FILE] [--cooldown-ms N]\n"
    "  --host ADDR        address to listen on (default 127.0.0.1)\n"
    "  --port N           port (default 8080; 0: any free one)\n"
    "  --frontend NAME    I/O front end (default: the build's)\n"
    "  --threads N        front-end threads (default: the front end's)\n"
    "  --redis URL        keep the canvas in Redis and share it with every instance\n"
    "                     started with the same URL\n"
    "  --data FILE        without --redis: load the canvas from FILE at start and save\n"
    "                     it there (at most once a second, and at shutdown)\n"
    "  --cooldown-ms N    a client may set one pixel per N ms (default 0: no limit)\n";

namespace {

template <typename T>
bool number(std::string_view text, T max, T& out) {
  T v{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v < 0 || v > max) return false;
  out = v;
  return true;
}

std::optional<options> fail(const std::string& why) {
  std::fprintf(stderr, "httpcore-canvas: %s\n%s", why.c_str(), usage);
  return std::nullopt;
}

}  // namespace

std::optional<options> parse_options(int argc, char** argv, bool& help) {
  options o;
  help = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view name = argv[i];
    if (name == "--help" || name == "-h") {
      help = true;
      return o;
    }
    if (i + 1 >= argc) return fail("'" + std::string(name) + "' needs a value");
    std::string_view value = argv[++i];
    if (name == "--host") {
      o.host = value;
    } else if (name == "--port") {
      if (!number<std::uint16_t>(value, 65535, o.port)) {
        return fail("--port '" + std::string(value) + "': not a port (0-65535)");
      }
    } else if (name == "--frontend") {
      o.frontend = value;
    } else if (name == "--threads") {
      if (!number<unsigned>(value, 1024u, o.threads)) {
        return fail("--threads '" + std::string(value) + "': not a number (0-1024)");
      }
    } else if (name == "--redis") {
      o.redis_url = value;
    } else if (name == "--data") {
      o.data_file = value;
    } else if (name == "--cooldown-ms") {
      if (!number<std::int64_t>(value, 86'400'000, o.cooldown_ms)) {
        return fail("--cooldown-ms '" + std::string(value) + "': not a number (0-86400000)");
      }
    } else {
      return fail("unknown option '" + std::string(name) + "'");
    }
  }
  if (!o.redis_url.empty() && !o.data_file.empty()) {
    return fail("--data and --redis exclude each other (with Redis, Redis keeps the canvas)");
  }
  return o;
}

}  // namespace canvas
