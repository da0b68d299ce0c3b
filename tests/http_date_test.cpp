#include "httpcore/http_date.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <ctime>
#include <random>
#include <string>

namespace {

using httpcore::format_http_date;
using httpcore::http_date_cache;
using httpcore::http_date_length;
using httpcore::http_date_max;
using httpcore::parse_http_date;

std::string fmt(std::int64_t t) {
  char buf[http_date_length];
  format_http_date(t, buf);
  return std::string(buf, sizeof buf);
}

// The oracle: libc, which only the tests may use (the core never touches it).
std::string libc_fmt(std::int64_t t) {
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  if (gmtime_r(&tt, &tm) == nullptr) return "gmtime_r failed";
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

TEST(HttpDateFormat, KnownTimestamps) {
  EXPECT_EQ(fmt(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(fmt(0), "Thu, 01 Jan 1970 00:00:00 GMT");
  EXPECT_EQ(fmt(951782400), "Tue, 29 Feb 2000 00:00:00 GMT");  // 400-year leap day
  EXPECT_EQ(fmt(951868799), "Tue, 29 Feb 2000 23:59:59 GMT");
  EXPECT_EQ(fmt(951868800), "Wed, 01 Mar 2000 00:00:00 GMT");
  EXPECT_EQ(fmt(4107456000), "Sun, 28 Feb 2100 00:00:00 GMT");  // 2100 is not leap
  EXPECT_EQ(fmt(4107542400), "Mon, 01 Mar 2100 00:00:00 GMT");
  EXPECT_EQ(fmt(1078012800), "Sun, 29 Feb 2004 00:00:00 GMT");
  EXPECT_EQ(fmt(1445412480), "Wed, 21 Oct 2015 07:28:00 GMT");
  EXPECT_EQ(fmt(2147483647), "Tue, 19 Jan 2038 03:14:07 GMT");
  EXPECT_EQ(fmt(2147483648), "Tue, 19 Jan 2038 03:14:08 GMT");
  EXPECT_EQ(fmt(946684799), "Fri, 31 Dec 1999 23:59:59 GMT");
  EXPECT_EQ(fmt(946684800), "Sat, 01 Jan 2000 00:00:00 GMT");
  EXPECT_EQ(fmt(253402300799), "Fri, 31 Dec 9999 23:59:59 GMT");
}

TEST(HttpDateFormat, ClampsOutOfRange) {
  EXPECT_EQ(fmt(-1), fmt(0));
  EXPECT_EQ(fmt(INT64_MIN), fmt(0));
  EXPECT_EQ(fmt(http_date_max + 1), fmt(http_date_max));
  EXPECT_EQ(fmt(INT64_MAX), "Fri, 31 Dec 9999 23:59:59 GMT");
}

TEST(HttpDateFormat, MatchesLibcOnRandomTimestamps) {
  std::mt19937_64 rng(0x5eed);
  std::uniform_int_distribution<std::int64_t> any(0, http_date_max);
  for (int i = 0; i < 200000; ++i) {
    const std::int64_t t = any(rng);
    ASSERT_EQ(fmt(t), libc_fmt(t)) << t;
  }
}

TEST(HttpDateFormat, MatchesLibcAroundEveryMidnightOfTheFirst400Years) {
  // Day boundaries are where calendar arithmetic goes wrong: check the last
  // and first second of every day from 1970 through 2370 (a whole era).
  for (std::int64_t day = 0; day < 146097 + 365; ++day) {
    const std::int64_t t = day * 86400;
    ASSERT_EQ(fmt(t), libc_fmt(t)) << t;
    if (t > 0) {
      ASSERT_EQ(fmt(t - 1), libc_fmt(t - 1)) << t - 1;
    }
  }
}

TEST(HttpDateParse, ThreeForms) {
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777);
  EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), 784111777);
  EXPECT_EQ(parse_http_date("Sun Nov 06 08:49:37 1994"), 784111777);
  EXPECT_EQ(parse_http_date("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
  EXPECT_EQ(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"), 253402300799);
  EXPECT_EQ(parse_http_date("Tue, 29 Feb 2000 00:00:00 GMT"), 951782400);
  EXPECT_EQ(parse_http_date("Mon, 01 Mar 2100 00:00:00 GMT"), 4107542400);
  EXPECT_EQ(parse_http_date("Wed Dec 31 23:59:59 1969"), -1);
}

TEST(HttpDateParse, DayNameIsNotCrossChecked) {
  // "Mon" is wrong for 1994-11-06; accepted like most recipients do.
  EXPECT_EQ(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT"), 784111777);
}

TEST(HttpDateParse, LeapSecondCountsAsNextSecond) {
  EXPECT_EQ(parse_http_date("Sat, 31 Dec 2016 23:59:60 GMT"), 1483228800);
}

TEST(HttpDateParse, Rfc850TwoDigitYearFixedWindow) {
  EXPECT_EQ(parse_http_date("Thursday, 01-Jan-70 00:00:00 GMT"), 0);
  EXPECT_EQ(parse_http_date("Saturday, 01-Jan-00 00:00:00 GMT"), 946684800);
  EXPECT_EQ(parse_http_date("Tuesday, 01-Jan-69 00:00:00 GMT"),
            parse_http_date("Tue, 01 Jan 2069 00:00:00 GMT"));
  EXPECT_EQ(parse_http_date("Friday, 31-Dec-99 23:59:59 GMT"), 946684799);
}

TEST(HttpDateParse, Rfc850FiftyYearRuleRelativeToNow) {
  const std::int64_t now_2024 = *parse_http_date("Mon, 01 Jan 2024 00:00:00 GMT");
  // 2074 is exactly 50 years ahead: kept. 2075 would be more: 1975.
  EXPECT_EQ(parse_http_date("Monday, 01-Jan-74 00:00:00 GMT", now_2024),
            parse_http_date("Mon, 01 Jan 2074 00:00:00 GMT"));
  EXPECT_EQ(parse_http_date("Wednesday, 01-Jan-75 00:00:00 GMT", now_2024),
            parse_http_date("Wed, 01 Jan 1975 00:00:00 GMT"));
  EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", now_2024), 784111777);
  const std::int64_t now_2090 = *parse_http_date("Sun, 01 Jan 2090 00:00:00 GMT");
  EXPECT_EQ(parse_http_date("Thursday, 01-Jan-05 00:00:00 GMT", now_2090),
            parse_http_date("Thu, 01 Jan 2105 00:00:00 GMT"));
  EXPECT_EQ(parse_http_date("Sunday, 01-Jan-45 00:00:00 GMT", now_2090),
            parse_http_date("Sun, 01 Jan 2045 00:00:00 GMT"));
  // Extreme "now" values must not overflow.
  EXPECT_TRUE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", INT64_MAX).has_value());
  EXPECT_TRUE(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT", INT64_MIN).has_value());
  // Non-RFC 850 forms ignore "now".
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT", 0), 784111777);
}

TEST(HttpDateParse, Rejects) {
  const char* bad[] = {
      "",
      "Sun, 06 Nov 1994 08:49:37",         // no GMT
      "Sun, 06 Nov 1994 08:49:37 UTC",     // wrong zone
      "Sun, 06 Nov 1994 08:49:37 GMT ",    // trailing space
      " Sun, 06 Nov 1994 08:49:37 GMT",    // leading space
      "sun, 06 Nov 1994 08:49:37 GMT",     // case-sensitive
      "Sun, 06 nov 1994 08:49:37 GMT",     // case-sensitive
      "Sun, 6 Nov 1994 08:49:37 GMT",      // day must be 2 digits
      "Sun, 06 Nov 94 08:49:37 GMT",       // year must be 4 digits
      "Sun, 06 Nov 1994 8:49:37 GMT",      // hour must be 2 digits
      "Sun, 31 Apr 1994 08:49:37 GMT",     // no 31 April
      "Sun, 29 Feb 2100 08:49:37 GMT",     // 2100 is not leap
      "Sun, 00 Nov 1994 08:49:37 GMT",     // day 0
      "Sun, 06 Nov 1994 24:00:00 GMT",     // hour 24
      "Sun, 06 Nov 1994 08:60:00 GMT",     // minute 60
      "Sun, 06 Nov 1994 08:49:61 GMT",     // second 61
      "Sun, 06 Xyz 1994 08:49:37 GMT",     // month
      "Xyz, 06 Nov 1994 08:49:37 GMT",     // day name
      "Sun,06 Nov 1994 08:49:37 GMT",      // missing SP
      "Sun, 06 Nov 1994 08:49:37 GMTx",    // trailing byte
      "Sun, 06 Nov 1994 08:49:37 GM",      // truncated
      "Sun, 06 Nov 19+4 08:49:37 GMT",     // non-digit
      "Sun, 06 Nov 1994 08-49-37 GMT",     // separators
      "Sunday, 06-Nov-1994 08:49:37 GMT",  // RFC 850 has 2-digit year
      "Sundy, 06-Nov-94 08:49:37 GMT",     // long day name
      "Sunday, 06 Nov 94 08:49:37 GMT",    // RFC 850 uses '-'
      "Sun Nov 6 08:49:37 1994",           // asctime day needs SP padding
      "Sun Nov  6 08:49:37 1994 GMT",      // asctime has no zone
      "Sun Nov   6 08:49:37 1994",         // too much padding
      "Sun Nov  6 08:49:37 94",            // asctime year 4 digits
  };
  for (const char* s : bad) EXPECT_FALSE(parse_http_date(s).has_value()) << '"' << s << '"';
  // Every prefix of a valid date is incomplete, hence refused (and read safely).
  const std::string good = "Sun, 06 Nov 1994 08:49:37 GMT";
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(parse_http_date(std::string_view(good).substr(0, n)).has_value()) << n;
  }
}

TEST(HttpDateParse, RoundTripsFormat) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> any(0, http_date_max);
  for (int i = 0; i < 100000; ++i) {
    const std::int64_t t = any(rng);
    ASSERT_EQ(parse_http_date(fmt(t)), t) << fmt(t);
  }
  EXPECT_EQ(parse_http_date(fmt(0)), 0);
  EXPECT_EQ(parse_http_date(fmt(http_date_max)), http_date_max);
}

TEST(HttpDateParse, AgreesWithLibcOnObsoleteForms) {
  // asctime through strftime, for dates in 1970..2069 where RFC 850's
  // two-digit year is unambiguous under the fixed window.
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> any(0, 3155759999);  // ..2069-12-31
  for (int i = 0; i < 20000; ++i) {
    const std::int64_t t = any(rng);
    const std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    ASSERT_NE(gmtime_r(&tt, &tm), nullptr);
    char asc[64], rfc850[64];
    const std::size_t na = std::strftime(asc, sizeof asc, "%a %b %e %H:%M:%S %Y", &tm);
    const std::size_t nr = std::strftime(rfc850, sizeof rfc850, "%A, %d-%b-%y %H:%M:%S GMT", &tm);
    ASSERT_EQ(parse_http_date(std::string_view(asc, na)), t) << asc;
    ASSERT_EQ(parse_http_date(std::string_view(rfc850, nr)), t) << rfc850;
  }
}

TEST(HttpDateCache, SameSecondSameTextNextSecondChanges) {
  http_date_cache cache;
  const std::string_view a = cache.format(784111777);
  EXPECT_EQ(a, "Sun, 06 Nov 1994 08:49:37 GMT");
  const std::string_view b = cache.format(784111777);
  EXPECT_EQ(b, "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(a.data(), b.data());  // served from the same storage
  const std::string_view c = cache.format(784111778);
  EXPECT_EQ(c, "Sun, 06 Nov 1994 08:49:38 GMT");
  EXPECT_EQ(cache.format(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");  // going back works
  EXPECT_EQ(cache.format(0), "Thu, 01 Jan 1970 00:00:00 GMT");          // first value
  EXPECT_EQ(cache.format(-5), "Thu, 01 Jan 1970 00:00:00 GMT");         // clamped
  EXPECT_EQ(cache.format(1445412480), "Wed, 21 Oct 2015 07:28:00 GMT");
}

TEST(HttpDateCache, FreshCacheFormatsZeroCorrectly) {
  // The cache starts empty; a first request for second 0 must not return
  // uninitialised text.
  http_date_cache cache;
  EXPECT_EQ(cache.format(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

}  // namespace
