#pragma once
/// \file
/// HTTP-date (RFC 9110 §5.6.7): formatting as IMF-fixdate and parsing of all
/// three forms recipients must accept.
///
/// Pure arithmetic on Unix seconds (proleptic Gregorian calendar, UTC, no leap
/// seconds): no libc time function, clock, time zone or locale is consulted,
/// so the results are identical on every platform and in every thread. The
/// caller supplies "now" (the core never reads a clock).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace httpcore {

/// Length of an IMF-fixdate such as "Sun, 06 Nov 1994 08:49:37 GMT".
inline constexpr std::size_t http_date_length = 29;

/// Earliest and latest instants `format_http_date` can represent:
/// 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
inline constexpr std::int64_t http_date_min = 0;
inline constexpr std::int64_t http_date_max = 253402300799;

/// Writes `unix_seconds` as an IMF-fixdate into `out` (exactly 29 bytes, no
/// terminating NUL). Values outside [http_date_min, http_date_max] are clamped
/// to that range, since the format has a four-digit year and dates before the
/// epoch have no use in HTTP.
void format_http_date(std::int64_t unix_seconds, char (&out)[http_date_length]) noexcept;

/// Parses an HTTP-date in any of its three forms and returns Unix seconds:
///   IMF-fixdate  "Sun, 06 Nov 1994 08:49:37 GMT"
///   RFC 850      "Sunday, 06-Nov-94 08:49:37 GMT"   (obsolete)
///   asctime      "Sun Nov  6 08:49:37 1994"         (obsolete)
/// Matching is exact and case-sensitive, as the grammar is; surrounding
/// whitespace is not accepted (field parsers strip it). The day name must be
/// a valid one but is not checked against the date, as most recipients do.
/// The calendar date must exist (no 31 April, 29 February only in leap
/// years); a leap second ":60" is accepted and counts as the next second.
/// Dates before 1970 yield negative values.
///
/// An RFC 850 two-digit year is read as 1970..2069 (a fixed window, since
/// the core has no clock). Use the overload taking the current time for
/// RFC 9110's rule instead.
std::optional<std::int64_t> parse_http_date(std::string_view text) noexcept;

/// As above, but an RFC 850 two-digit year is placed in the century window
/// (Y-50, Y+50] around the year Y of `now_unix_seconds`: a year that would lie
/// more than 50 years in the future is taken as the most recent past year with
/// the same last two digits (RFC 9110 §5.6.7).
std::optional<std::int64_t> parse_http_date(std::string_view text,
                                            std::int64_t now_unix_seconds) noexcept;

/// Caches the formatted Date header value for the current second: servers
/// stamp every response with the same text for a whole second, so only the
/// first call per second pays for formatting.
///
/// Not thread-safe; use one cache per thread or per event loop.
class http_date_cache {
 public:
  /// IMF-fixdate for `unix_seconds` (clamped as by format_http_date). The view
  /// refers into this object and stays valid until the next call with a
  /// different second, or until the cache is destroyed or moved.
  std::string_view format(std::int64_t unix_seconds) noexcept;

 private:
  std::int64_t cached_ = 0;
  bool valid_ = false;
  char text_[http_date_length] = {};
};

}  // namespace httpcore
