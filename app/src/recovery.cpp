// recovery() and request_id(): the steps that make failures traceable.

#include <exception>
#include <random>

#include "httpcore/app/middleware.hpp"

namespace httpcore::app {
namespace {

// 1 to 128 bytes of visible ASCII: anything else would be unsafe to log or echo.
bool sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (char ch : id)
    if (ch <= 0x20 || ch >= 0x7f) return false;
  return true;
}

std::string random_request_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (std::size_t i = 0; i < id.size(); i += 16) {
    std::uint64_t bits = rng();
    for (std::size_t j = 0; j < 16; ++j, bits >>= 4) id[i + j] = kHex[bits & 0xf];
  }
  return id;
}

}  // namespace

middleware recovery(std::function<void(std::string_view line)> log) {
  return [log = std::move(log)](context& c, const next_step& next) {
    std::string what;
    try {
      next();
      return;
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
      what = "an exception not derived from std::exception";
    }
    if (log) {
      std::string line = "recovered: request_id=";
      line += c.request_id.empty() ? "-" : c.request_id;
      line += " ";
      line += c.method();
      line += " ";
      line += c.req.target();
      line += ": ";
      line += what;
      log(line);
    }
    if (!c.res.started()) {
      c.res.add_header("Content-Type", "text/plain; charset=utf-8");
      c.res.send(500, "internal server error\n");
    } else {
      c.res.end();
    }
  };
}

middleware request_id() {
  return [](context& c, const next_step& next) {
    std::string_view given = c.header("X-Request-Id");
    c.request_id = sane_request_id(given) ? std::string(given) : random_request_id();
    c.res.add_header("X-Request-Id", c.request_id);
    next();
  };
}

}  // namespace httpcore::app
