// The strict parser of redis:// URLs.

#include "httpcore/redis/redis_url.hpp"

#include <charconv>

namespace httpcore::redis {

redis_url_result parse_redis_url(std::string_view url) {
  redis_url_result r;
  auto fail = [&r](std::string what, std::size_t at) {
    r.error = std::move(what);
    r.offset = at;
    return r;
  };
  constexpr std::string_view scheme = "redis://";
  if (!url.starts_with(scheme)) return fail("the URL must start with redis://", 0);
  std::size_t pos = scheme.size();
  std::size_t host_start = pos;
  if (pos < url.size() && url[pos] == '[') {
    std::size_t close = url.find(']', pos);
    if (close == std::string_view::npos) return fail("an IPv6 address needs its ']'", pos);
    for (std::size_t i = pos + 1; i < close; ++i) {
      char c = url[i];
      bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
                c == ':' || c == '.';
      if (!ok) return fail("not a character of an IPv6 address", i);
    }
    if (close == pos + 1) return fail("empty host", pos + 1);
    r.address.host = std::string(url.substr(pos + 1, close - pos - 1));
    pos = close + 1;
  } else {
    while (pos < url.size()) {
      char c = url[pos];
      bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                c == '-' || c == '.';
      if (!ok) break;
      ++pos;
    }
    if (pos == host_start) return fail("empty host", pos);
    r.address.host = std::string(url.substr(host_start, pos - host_start));
  }
  if (pos < url.size() && url[pos] == ':') {
    std::size_t start = ++pos;
    while (pos < url.size() && url[pos] >= '0' && url[pos] <= '9') ++pos;
    unsigned port = 0;
    auto [end, ec] = std::from_chars(url.data() + start, url.data() + pos, port);
    if (pos == start || ec != std::errc{} || port == 0 || port > 65535)
      return fail("the port must be a number from 1 to 65535", start);
    r.address.port = static_cast<std::uint16_t>(port);
  }
  if (pos < url.size() && url[pos] == '/' && pos + 1 == url.size()) ++pos;
  if (pos != url.size()) {
    if (url[pos] == '@') return fail("user names and passwords are not supported", pos);
    if (url[pos] == '/') return fail("database numbers are not supported (pub/sub has none)", pos);
    return fail("unexpected character", pos);
  }
  return r;
}

}  // namespace httpcore::redis
