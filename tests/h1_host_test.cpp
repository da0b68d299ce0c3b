// Host in requests (RFC 9112 §3.2): present in every HTTP/1.1 request, on one
// field line, with a value that is uri-host [ ":" port ]. Each input runs
// whole, byte by byte and split at every index; offsets are exact.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "support/h1_driver.hpp"

namespace httpcore::test {
namespace {

using h1::errc;

h1_config strict() {
  return {};
}
h1_config with_lenient_host() {
  return server_ignoring_host();
}

event_log parse(const h1_config& cfg, std::string_view input) {
  std::string mismatch;
  event_log log = run_h1_all_splits(cfg, input, &mismatch);
  EXPECT_EQ(mismatch, "") << "input: " << ::testing::PrintToString(std::string(input));
  return log;
}

std::string error_line(errc code, std::uint64_t offset) {
  return "error " + std::string(h1::error_name(code)) + " at " + std::to_string(offset);
}

// A GET with `fields` (each ending in CRLF) and no body.
std::string get(std::string_view fields, std::string_view version = "1.1") {
  return "GET / HTTP/" + std::string(version) + "\r\n" + std::string(fields) + "\r\n";
}

// Every message of `input` is accepted: no error, one "end" per message.
void expect_accepted(const h1_config& cfg, std::string_view input, std::size_t messages = 1) {
  event_log log = parse(cfg, input);
  std::size_t ends = 0;
  for (const auto& line : log) {
    EXPECT_EQ(line.rfind("error", 0), std::string::npos) << line;
    ends += line.rfind("end", 0) == 0 ? 1 : 0;  // "end", or "end" and its trailers
  }
  EXPECT_EQ(ends, messages) << ::testing::PrintToString(log);
}

void expect_refused(std::string_view input, errc code, std::uint64_t offset) {
  event_log log = parse(strict(), input);
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back(), error_line(code, offset)) << ::testing::PrintToString(std::string(input));
  EXPECT_EQ(h1::error_status(code), 400);
}

TEST(H1Host, ValidValuesAreAccepted) {
  for (std::string_view value :
       {"example.com", "example.com:8080", "EXAMPLE.com", "a", "xn--bcher-kva.example", "192.0.2.1",
        "192.0.2.1:80", "[::1]", "[::1]:8080", "[2001:db8::7]", "[v1.x]", "%65xample.com", "a,b",
        "example.com:", "", "localhost:65535"}) {
    SCOPED_TRACE(std::string(value));
    expect_accepted(strict(), get("Host: " + std::string(value) + "\r\n"));
  }
  // Name case and whitespace around the value do not matter.
  expect_accepted(strict(), get("hOST:\t a \t\r\n"));
  expect_accepted(strict(), get("A: 1\r\nHost: a\r\nB: 2\r\n"));
}

TEST(H1Host, EveryHttp11RequestNeedsOne) {
  // At the head's first byte: the condition is of the whole head.
  expect_refused(get(""), errc::missing_host, 0);
  expect_refused(get("Hostname: a\r\nX-Host: a\r\n"), errc::missing_host, 0);
  expect_refused("POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\nhi", errc::missing_host, 0);
  // Absolute-form: the server takes the host from the target (RFC 9112 §3.2.2),
  // but an HTTP/1.1 client must still send Host.
  expect_refused("GET http://a/ HTTP/1.1\r\n\r\n", errc::missing_host, 0);
  expect_accepted(strict(), "GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n");
  expect_accepted(strict(), "GET http://a/ HTTP/1.1\r\nHost: other.example\r\n\r\n");
  expect_refused("CONNECT a:443 HTTP/1.1\r\n\r\n", errc::missing_host, 0);
  expect_refused("OPTIONS * HTTP/1.1\r\n\r\n", errc::missing_host, 0);
  // In a pipeline, at the head of the request without it.
  std::string first = get("Host: a\r\n");
  ASSERT_EQ(first.size(), 27u);
  expect_refused(first + get(""), errc::missing_host, 27);
  expect_accepted(strict(), first + get("Host: b\r\n"), 2);
}

TEST(H1Host, Http10MayOmitItButNotRepeatOrDamageIt) {
  expect_accepted(strict(), get("", "1.0"));
  expect_accepted(strict(), get("Host: a\r\n", "1.0"));
  expect_refused(get("Host: a\r\nHost: a\r\n", "1.0"), errc::duplicate_host, 31);
  expect_refused(get("Host: a b\r\n", "1.0"), errc::invalid_host, 23);
}

TEST(H1Host, ASecondHostLineIsRefusedAtItsValue) {
  // "GET / HTTP/1.1\r\n" 16 + "Host: a\r\n" 9 + "Host: " 6 = 31.
  expect_refused(get("Host: a\r\nHost: a\r\n"), errc::duplicate_host, 31);
  expect_refused(get("Host: a\r\nhost: b\r\n"), errc::duplicate_host, 31);
  expect_refused(get("Host: a\r\nX: y\r\nHOST:\r\n"), errc::duplicate_host, 36);
  // A list in one line is not a host either: ',' is allowed, ' ' is not.
  expect_refused(get("Host: a, b\r\n"), errc::invalid_host, 24);
}

TEST(H1Host, AnInvalidValueIsRefusedAtTheOffendingByte) {
  // The value starts at 22 ("GET / HTTP/1.1\r\nHost: ").
  struct bad {
    std::string_view value;
    std::uint64_t offset;
  };
  for (bad b :
       {bad{"a b", 23}, bad{"u@h", 23}, bad{"a/b", 23}, bad{"a?b", 23}, bad{"a#", 23},
        bad{"a:b", 24}, bad{"a:99999", 24}, bad{"a:0", 24}, bad{"[::1", 22}, bad{"[::g]", 25},
        bad{"::1", 23}, bad{"a:80:80", 26}, bad{"%zz", 22}, bad{"a\"b", 23}, bad{"http://a", 27}}) {
    SCOPED_TRACE(std::string(b.value));
    expect_refused(get("Host: " + std::string(b.value) + "\r\n"), errc::invalid_host, b.offset);
  }
  // Bytes that lenient headers lets into values are still no host.
  h1_config c;
  c.lenient.headers = true;
  EXPECT_EQ(parse(c, get("Host: a\x01z\r\n")).back(), error_line(errc::invalid_host, 23));
}

TEST(H1Host, TrailersAndResponsesAreNotChecked) {
  // Host in trailers frames and routes nothing (RFC 9110 §6.5.1).
  expect_accepted(strict(),
                  "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "0\r\nHost: b\r\nHost: c d\r\n\r\n");
  h1_config client;
  client.role = h1::role::client;
  expect_accepted(client, "HTTP/1.1 200 OK\r\nHost: a\r\nHost: b c\r\nContent-Length: 0\r\n\r\n");
}

TEST(H1Host, LenientHostAcceptsWhatStrictRefuses) {
  for (std::string_view input :
       {"GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"}) {
    SCOPED_TRACE(std::string(input));
    expect_accepted(with_lenient_host(), input);
  }
  // Only Host: the rest stays strict.
  EXPECT_EQ(parse(with_lenient_host(), "GET / HTTP/1.1\r\nHost : a\r\n\r\n").back(),
            error_line(errc::whitespace_before_colon, 20));
}

}  // namespace
}  // namespace httpcore::test
