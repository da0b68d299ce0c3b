// Recognising method tokens. Methods are case-sensitive (RFC 9110 §9.1).

#include "httpcore/method.hpp"

#include <array>

namespace httpcore {
namespace {

// Indexed by method; the order must follow the enum.
constexpr std::array<std::string_view, static_cast<std::size_t>(method::pri) + 1> kNames = {
    "",         "GET",       "HEAD",        "POST",     "PUT",   "DELETE",     "CONNECT",
    "OPTIONS",  "TRACE",     "PATCH",       "COPY",     "LOCK",  "MKCOL",      "MOVE",
    "PROPFIND", "PROPPATCH", "SEARCH",      "UNLOCK",   "BIND",  "REBIND",     "UNBIND",
    "ACL",      "REPORT",    "MKACTIVITY",  "CHECKOUT", "MERGE", "MKCALENDAR", "M-SEARCH",
    "NOTIFY",   "SUBSCRIBE", "UNSUBSCRIBE", "PURGE",    "LINK",  "UNLINK",     "SOURCE",
    "QUERY",    "PRI"};

}  // namespace

method method_from_token(std::string_view token) noexcept {
  // The common methods first, without a loop.
  switch (token.size()) {
    case 3:
      if (token == "GET") return method::get;
      if (token == "PUT") return method::put;
      break;
    case 4:
      if (token == "POST") return method::post;
      if (token == "HEAD") return method::head;
      break;
    default:
      break;
  }
  for (std::size_t i = 1; i < kNames.size(); ++i)
    if (kNames[i] == token) return static_cast<method>(i);
  return method::unknown;
}

std::string_view method_name(method m) noexcept {
  auto i = static_cast<std::size_t>(m);
  return i < kNames.size() ? kNames[i] : std::string_view();
}

}  // namespace httpcore
