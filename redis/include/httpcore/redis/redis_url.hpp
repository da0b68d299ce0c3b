#pragma once
// `--redis redis://HOST[:PORT][/]`: where the Redis server is. Pure.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace httpcore::redis {

struct redis_address {
  std::string host;  ///< a name, an IPv4 address, or an IPv6 address without brackets
  std::uint16_t port = 6379;
};

struct redis_url_result {
  redis_address address{};
  std::string error{};     ///< empty on success; else what is wrong
  std::size_t offset = 0;  ///< of the offending byte in the URL
  bool ok() const noexcept { return error.empty(); }
};

/// Accepts "redis://" HOST [":" PORT] ["/"], PORT 1..65535 (default 6379),
/// HOST a name of letters, digits, '-' and '.', or "[v6]". User names,
/// passwords, database numbers and query strings are refused (not supported).
redis_url_result parse_redis_url(std::string_view url);

}  // namespace httpcore::redis
