#pragma once
/// \file
/// Request methods the library recognises. Any other token is a valid method
/// too (RFC 9110 §9.1): it is reported as method::unknown with its text intact.

#include <cstdint>
#include <string_view>

namespace httpcore {

enum class method : std::uint8_t {
  unknown,
  // RFC 9110 §9.3 and PATCH (RFC 5789).
  get,
  head,
  post,
  put,
  delete_,
  connect,
  options,
  trace,
  patch,
  // WebDAV and friends (RFC 4918, 3253, 3744, 5323, 5842, 4791).
  copy,
  lock,
  mkcol,
  move,
  propfind,
  proppatch,
  search,
  unlock,
  bind,
  rebind,
  unbind,
  acl,
  report,
  mkactivity,
  checkout,
  merge,
  mkcalendar,
  // Others in common use: SSDP, caches, RFC 2068 link, Icecast, the QUERY draft,
  // and the HTTP/2 connection preface's "PRI".
  msearch,
  notify,
  subscribe,
  unsubscribe,
  purge,
  link,
  unlink,
  source,
  query,
  pri,
};

/// The method a token names (case-sensitive, as methods are); unknown otherwise.
method method_from_token(std::string_view token) noexcept;

/// The canonical token of a known method ("GET", "M-SEARCH", ...); "" for unknown.
std::string_view method_name(method m) noexcept;

}  // namespace httpcore
