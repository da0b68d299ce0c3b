#pragma once
/// \file
/// Cookies on the server side (RFC 6265bis): reading the `Cookie` field a
/// client sends, and writing `Set-Cookie` with its attributes. Writing
/// refuses, with the field and the byte offset, anything a user agent would
/// drop or misread: a bad name or value, an attribute value with `;` or a
/// control byte, SameSite=None or Partitioned without Secure, a `__Secure-`
/// or `__Host-` name without what its prefix promises. Pure: the clock is
/// the caller's (Expires is given as Unix seconds).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace httpcore::app {

/// One name=value pair of a Cookie field (views into the field's text).
struct cookie_pair {
  std::string_view name;
  std::string_view value;  ///< without the double quotes that may wrap it
};

struct cookie_parse_result {
  std::vector<cookie_pair> cookies;  ///< in the order sent; the good pairs only
  /// The first bad pair, skipped (the others are kept: one bad cookie set
  /// by another application on the same site must not hide ours).
  std::string error;
  std::size_t offset = 0;  ///< of the first bad byte in the field
  bool ok() const noexcept { return error.empty(); }
};

/// Parses a Cookie field: pairs `name=value` separated by ";" and optional
/// spaces or tabs. A name is an RFC 9110 token; a value is cookie-octets
/// (no space, DQUOTE, comma, semicolon, backslash or control byte),
/// optionally wrapped in DQUOTE. A pair without "=" or with a bad byte is
/// skipped and reported. At most `max_pairs` pairs are taken (the rest is
/// reported as too many).
cookie_parse_result parse_cookies(std::string_view field, std::size_t max_pairs = 64);

/// The value of the first cookie called `name` (case-sensitive, as cookie
/// names are), or nullopt.
std::optional<std::string_view> find_cookie(const cookie_parse_result& parsed,
                                            std::string_view name) noexcept;

enum class same_site : std::uint8_t { unset, strict, lax, none };

/// A Set-Cookie to write. Unset optional attributes are left out.
struct set_cookie {
  std::string name;
  std::string value;
  std::optional<std::int64_t> expires;  ///< Unix seconds, 1970..9999, as an IMF-fixdate
  std::optional<std::int64_t> max_age;  ///< seconds; 0 or less removes the cookie
  std::string domain;                   ///< empty: host-only
  std::string path;                     ///< empty: the default path
  bool secure = false;
  bool http_only = false;
  same_site site = same_site::unset;
  bool partitioned = false;  ///< CHIPS: needs Secure
};

struct set_cookie_result {
  std::string field;       ///< the Set-Cookie field value when ok()
  std::string error;       ///< what is wrong ("cookie value: byte 0x3b (';') not allowed")
  std::size_t offset = 0;  ///< of the offending byte within that attribute
  bool ok() const noexcept { return error.empty(); }
};

/// Writes `c` as a Set-Cookie field value, or says precisely why not:
///  - name: a non-empty token; name and value together at most 4,096 bytes;
///  - value: cookie-octets, optionally wrapped in DQUOTE;
///  - Domain: letters, digits, '-' and '.' (a leading '.' is dropped, as
///    user agents do), at most 1,024 bytes;
///  - Path: begins with '/', no control byte or ';', at most 1,024 bytes;
///  - Expires: within 1970..9999;
///  - SameSite=None and Partitioned need Secure; a `__Secure-` name needs
///    Secure; a `__Host-` name needs Secure, Path=/ and no Domain.
set_cookie_result format_set_cookie(const set_cookie& c);

}  // namespace httpcore::app
