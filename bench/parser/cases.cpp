// The benchmark messages. post520 and get703 are the requests the llhttp and
// picohttpparser/httparse benchmarks parse, rebuilt here byte for byte; their
// sizes are asserted below so that a typo cannot pass silently.

#include "cases.hpp"

#include <cstdio>
#include <cstdlib>
#include <vector>

namespace bench {
namespace {

// llhttp's benchmark request: a chunked POST of "hello world", 520 bytes.
constexpr std::string_view post520 =
    "POST /joyent/http-parser HTTP/1.1\r\n"
    "Host: github.com\r\n"
    "DNT: 1\r\n"
    "Accept-Encoding: gzip, deflate, sdch\r\n"
    "Accept-Language: ru-RU,ru;q=0.8,en-US;q=0.6,en;q=0.4\r\n"
    "User-Agent: Mozilla/5.0 (Macintosh; Intel Mac OS X 10_10_1) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/39.0.2171.65 Safari/537.36\r\n"
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8\r\n"
    "Referer: https://github.com/joyent/http-parser\r\n"
    "Connection: keep-alive\r\n"
    "Transfer-Encoding: chunked\r\n"
    "Cache-Control: max-age=0\r\n"
    "\r\n"
    "b\r\nhello world\r\n"
    "0\r\n\r\n";

// The browser GET of the picohttpparser and httparse benchmarks, 703 bytes.
constexpr std::string_view get703 =
    "GET /wp-content/uploads/2010/03/hello-kitty-darth-vader-pink.jpg HTTP/1.1\r\n"
    "Host: www.kittyhell.com\r\n"
    "User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.6; ja-JP-mac; rv:1.9.2.3) "
    "Gecko/20100401 Firefox/3.6.3 Pathtraq/0.9\r\n"
    "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
    "Accept-Language: ja,en-us;q=0.7,en;q=0.3\r\n"
    "Accept-Encoding: gzip,deflate\r\n"
    "Accept-Charset: Shift_JIS,utf-8;q=0.7,*;q=0.7\r\n"
    "Keep-Alive: 115\r\n"
    "Connection: keep-alive\r\n"
    "Cookie: wp_ozh_wsa_visits=2; wp_ozh_wsa_visit_lasttime=xxxxxxxxxx; "
    "__utma=xxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.x; "
    "__utmz=xxxxxxxxx.xxxxxxxxxx.x.x.utmccn=(referral)|utmcsr=reader.livedoor.com|"
    "utmcct=/reader/|utmcmd=referral\r\n"
    "\r\n";

// A minimal keep-alive GET, 40 bytes.
constexpr std::string_view get40 = "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n";

std::string body_bytes(std::size_t n) {
  std::string b(n, '\0');
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<char>('a' + i % 26);
  return b;
}

// A response with 10 header fields and an 8 KiB Content-Length body.
std::string resp8k() {
  std::string s =
      "HTTP/1.1 200 OK\r\n"
      "Server: httpcore-bench/1.0\r\n"
      "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n"
      "Content-Type: application/octet-stream\r\n"
      "Content-Length: 8192\r\n"
      "Last-Modified: Sun, 31 Dec 2023 12:00:00 GMT\r\n"
      "ETag: \"5f3a-2000-0123456789ab\"\r\n"
      "Cache-Control: public, max-age=3600\r\n"
      "Accept-Ranges: bytes\r\n"
      "Vary: Accept-Encoding\r\n"
      "Connection: keep-alive\r\n"
      "\r\n";
  return s + body_bytes(8192);
}

// A response with a 64 KiB body in 64 chunks of 1 KiB.
std::string chunked64k() {
  std::string s =
      "HTTP/1.1 200 OK\r\n"
      "Content-Type: application/octet-stream\r\n"
      "Transfer-Encoding: chunked\r\n"
      "\r\n";
  const std::string chunk = body_bytes(1024);
  for (int i = 0; i < 64; ++i) s += "400\r\n" + chunk + "\r\n";
  return s + "0\r\n\r\n";
}

std::string repeat(std::string_view s, unsigned n) {
  std::string out;
  for (unsigned i = 0; i < n; ++i) out += s;
  return out;
}

void check_size(std::string_view name, std::size_t size, std::size_t want) {
  if (size == want) return;
  std::fprintf(stderr, "bench case %.*s is %zu bytes, not %zu\n", static_cast<int>(name.size()),
               name.data(), size, want);
  std::abort();
}

std::vector<bench_case> build() {
  check_size("post520", post520.size(), 520);
  check_size("get703", get703.size(), 703);
  check_size("get40", get40.size(), 40);
  return {
      {"post520", kind::request, std::string(post520), 1},
      {"get703", kind::request, std::string(get703), 1},
      {"get40", kind::request, std::string(get40), 1},
      {"pipelined16", kind::request, repeat(get40, 16), 16},
      {"resp8k", kind::response, resp8k(), 1},
      {"chunked64k", kind::response, chunked64k(), 1},
  };
}

}  // namespace

std::span<const bench_case> cases() {
  static const std::vector<bench_case> all = build();
  return all;
}

}  // namespace bench
