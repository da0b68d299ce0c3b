#include "httpcore/http_date.hpp"

#include <algorithm>

namespace httpcore {
namespace {

constexpr std::int64_t k_seconds_per_day = 86400;
// Days in a 400-year Gregorian cycle; the calendar repeats exactly after it.
constexpr std::int64_t k_days_per_era = 146097;
// Days from 0000-03-01 to 1970-01-01 in the proleptic Gregorian calendar.
constexpr std::int64_t k_epoch_shift = 719468;

constexpr std::string_view k_day_names = "SunMonTueWedThuFriSat";
constexpr std::string_view k_month_names = "JanFebMarAprMayJunJulAugSepOctNovDec";
constexpr std::string_view k_long_day_names[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                 "Thursday", "Friday", "Saturday"};

struct civil_date {
  std::int64_t year;
  int month;  // 1..12
  int day;    // 1..31
};

std::int64_t floor_div(std::int64_t a, std::int64_t b) noexcept {
  return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

// Counting years from 1 March makes the leap day the last day of its year, so
// month lengths within a year follow a fixed 153-days-per-5-months pattern
// (31 30 31 30 31) and only the year length varies. That lets both directions
// be closed-form arithmetic on a 400-year era instead of loops or tables.
civil_date civil_from_days(std::int64_t days_since_epoch) noexcept {
  const std::int64_t z = days_since_epoch + k_epoch_shift;
  const std::int64_t era = floor_div(z, k_days_per_era);
  const std::int64_t day_of_era = z - era * k_days_per_era;  // 0..146096
  // Remove the leap days accumulated before this day (one per 4 years, minus
  // one per century, plus the era's final day) so dividing by 365 is exact.
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);  // 0..365
  const std::int64_t march_month = (5 * day_of_year + 2) / 153;                // 0 = March
  const int day = static_cast<int>(day_of_year - (153 * march_month + 2) / 5 + 1);
  const int month = static_cast<int>(march_month < 10 ? march_month + 3 : march_month - 9);
  return {year_of_era + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

std::int64_t days_from_civil(std::int64_t year, int month, int day) noexcept {
  const std::int64_t y = year - (month <= 2 ? 1 : 0);  // year starting 1 March
  const std::int64_t era = floor_div(y, 400);
  const std::int64_t year_of_era = y - era * 400;
  const std::int64_t march_month = month > 2 ? month - 3 : month + 9;
  const std::int64_t day_of_year = (153 * march_month + 2) / 5 + day - 1;
  const std::int64_t day_of_era =
      year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * k_days_per_era + day_of_era - k_epoch_shift;
}

bool is_leap(std::int64_t year) noexcept {
  return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int days_in_month(std::int64_t year, int month) noexcept {
  constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : lengths[month - 1];
}

char* put2(char* p, int v) noexcept {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
  return p + 2;
}

char* put3(char* p, std::string_view names, int index) noexcept {
  const std::size_t at = static_cast<std::size_t>(index) * 3;
  p[0] = names[at];
  p[1] = names[at + 1];
  p[2] = names[at + 2];
  return p + 3;
}

// A forward-only reader over the text being parsed; every accessor fails
// instead of reading past the end.
struct reader {
  std::string_view s;
  std::size_t pos = 0;

  bool literal(std::string_view lit) noexcept {
    if (s.substr(pos, lit.size()) != lit) return false;
    pos += lit.size();
    return true;
  }
  bool digits(std::size_t n, int& value) noexcept {
    if (s.size() - pos < n) return false;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = s[pos + i];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    value = v;
    pos += n;
    return true;
  }
  // Index of the three-letter name at the cursor within `names`, or -1.
  int short_name(std::string_view names) noexcept {
    if (s.size() - pos < 3) return -1;
    const std::string_view word = s.substr(pos, 3);
    for (std::size_t i = 0; i < names.size(); i += 3) {
      if (names.substr(i, 3) == word) {
        pos += 3;
        return static_cast<int>(i / 3);
      }
    }
    return -1;
  }
  bool at_end() const noexcept { return pos == s.size(); }
};

struct fields {
  std::int64_t year = 0;
  bool two_digit_year = false;
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// time-of-day = hour ":" minute ":" second
bool read_time(reader& r, fields& f) noexcept {
  return r.digits(2, f.hour) && r.literal(":") && r.digits(2, f.minute) && r.literal(":") &&
         r.digits(2, f.second);
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
bool read_imf_fixdate(reader r, fields& f) noexcept {
  int year = 0;
  if (r.short_name(k_day_names) < 0 || !r.literal(", ") || !r.digits(2, f.day) || !r.literal(" ")) {
    return false;
  }
  f.month = r.short_name(k_month_names) + 1;
  if (f.month == 0 || !r.literal(" ") || !r.digits(4, year) || !r.literal(" ") ||
      !read_time(r, f) || !r.literal(" GMT")) {
    return false;
  }
  f.year = year;
  return r.at_end();
}

// rfc850-date: "Sunday, 06-Nov-94 08:49:37 GMT"
bool read_rfc850(reader r, fields& f) noexcept {
  int year = 0;
  if (std::none_of(std::begin(k_long_day_names), std::end(k_long_day_names),
                   [&](std::string_view name) { return r.literal(name); })) {
    return false;
  }
  if (!r.literal(", ") || !r.digits(2, f.day) || !r.literal("-")) return false;
  f.month = r.short_name(k_month_names) + 1;
  if (f.month == 0 || !r.literal("-") || !r.digits(2, year) || !r.literal(" ") ||
      !read_time(r, f) || !r.literal(" GMT")) {
    return false;
  }
  f.year = year;
  f.two_digit_year = true;
  return r.at_end();
}

// asctime-date: "Sun Nov  6 08:49:37 1994" (day is 2DIGIT or SP DIGIT)
bool read_asctime(reader r, fields& f) noexcept {
  int year = 0;
  if (r.short_name(k_day_names) < 0 || !r.literal(" ")) return false;
  f.month = r.short_name(k_month_names) + 1;
  if (f.month == 0 || !r.literal(" ")) return false;
  if (r.literal(" ")) {
    if (!r.digits(1, f.day)) return false;
  } else if (!r.digits(2, f.day)) {
    return false;
  }
  if (!r.literal(" ") || !read_time(r, f) || !r.literal(" ") || !r.digits(4, year)) return false;
  f.year = year;
  return r.at_end();
}

std::optional<std::int64_t> parse(std::string_view text, std::int64_t pivot_year) noexcept {
  // Each form starts from fresh fields so a failed attempt leaves nothing behind.
  fields f;
  bool ok = read_imf_fixdate(reader{text}, f);
  if (!ok) ok = read_rfc850(reader{text}, f = {});
  if (!ok) ok = read_asctime(reader{text}, f = {});
  if (!ok) return std::nullopt;
  if (f.two_digit_year) {
    // Place the year in the 100-year window (pivot_year - 50, pivot_year + 50].
    f.year += floor_div(pivot_year, 100) * 100;
    if (f.year > pivot_year + 50) f.year -= 100;
    if (f.year <= pivot_year - 50) f.year += 100;
  }
  if (f.day < 1 || f.day > days_in_month(f.year, f.month) || f.hour > 23 || f.minute > 59 ||
      f.second > 60) {
    return std::nullopt;
  }
  return days_from_civil(f.year, f.month, f.day) * k_seconds_per_day + f.hour * 3600 +
         f.minute * 60 + f.second;
}

}  // namespace

void format_http_date(std::int64_t unix_seconds, char (&out)[http_date_length]) noexcept {
  const std::int64_t t = std::clamp(unix_seconds, http_date_min, http_date_max);
  const std::int64_t days = t / k_seconds_per_day;  // t >= 0, so truncation is floor
  const int secs = static_cast<int>(t % k_seconds_per_day);
  const civil_date d = civil_from_days(days);
  const int year = static_cast<int>(d.year);  // 1970..9999 after clamping

  char* p = out;
  p = put3(p, k_day_names, static_cast<int>((days + 4) % 7));  // 1970-01-01 was a Thursday
  p[0] = ',';
  p[1] = ' ';
  p = put2(p + 2, d.day);
  *p++ = ' ';
  p = put3(p, k_month_names, d.month - 1);
  *p++ = ' ';
  p = put2(p, year / 100);
  p = put2(p, year % 100);
  *p++ = ' ';
  p = put2(p, secs / 3600);
  *p++ = ':';
  p = put2(p, secs / 60 % 60);
  *p++ = ':';
  p = put2(p, secs % 60);
  p[0] = ' ';
  p[1] = 'G';
  p[2] = 'M';
  p[3] = 'T';
}

std::optional<std::int64_t> parse_http_date(std::string_view text) noexcept {
  return parse(text, 2019);  // window 1970..2069
}

std::optional<std::int64_t> parse_http_date(std::string_view text,
                                            std::int64_t now_unix_seconds) noexcept {
  // Clamp so the day count cannot overflow; only the year matters here.
  const std::int64_t now =
      std::clamp<std::int64_t>(now_unix_seconds, -(std::int64_t{1} << 50), std::int64_t{1} << 50);
  return parse(text, civil_from_days(floor_div(now, k_seconds_per_day)).year);
}

std::string_view http_date_cache::format(std::int64_t unix_seconds) noexcept {
  const std::int64_t t = std::clamp(unix_seconds, http_date_min, http_date_max);
  if (!valid_ || t != cached_) {
    format_http_date(t, text_);
    cached_ = t;
    valid_ = true;
  }
  return {text_, http_date_length};
}

}  // namespace httpcore
