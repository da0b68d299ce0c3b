// Where lines end, pinned: every kind of line the parser reads (the empty lines
// before a request, the request and status lines, field lines, the empty line
// ending a head or trailers, chunk-size lines, the CRLF after chunk data),
// ended by CRLF, a bare CR, a bare LF or nothing, under all eight
// combinations of the three line-end flags (optional_lf_after_cr,
// optional_cr_before_lf, optional_crlf_after_chunk). The outcome of each of
// the 416 cases (its events, or its error and offset), whole and byte by byte,
// must equal tests/data/h1_line_ends.txt, which was written by the parser
// before its line-end decisions moved into one function (h1/line_end.hpp):
// the move changed no outcome. HTTPCORE_WRITE_GOLDEN=1 rewrites the file.

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "support/h1_driver.hpp"

namespace httpcore::test {
namespace {

// '~' marks the line end under test; the other line ends are CRLF.
struct line_case {
  const char* name;
  h1::role role;
  std::string_view wire;
};
constexpr line_case kCases[] = {
    {"empty-line-before-request", h1::role::server, "~GET / HTTP/1.1\r\n\r\n"},
    {"request-line", h1::role::server, "GET / HTTP/1.1~Host: a\r\n\r\n"},
    {"field-line", h1::role::server, "GET / HTTP/1.1\r\nHost: a~X: b\r\n\r\n"},
    {"head-end", h1::role::server, "GET / HTTP/1.1\r\nHost: a\r\n~GET /2 HTTP/1.1\r\n\r\n"},
    {"head-end-no-fields", h1::role::server, "GET / HTTP/1.1\r\n~"},
    {"chunk-size-line", h1::role::server,
     "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5~hello\r\n0\r\n\r\n"},
    {"chunk-ext-line", h1::role::server,
     "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b~hello\r\n0\r\n\r\n"},
    {"chunk-data-end", h1::role::server,
     "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello~0\r\n\r\n"},
    {"last-chunk-line", h1::role::server,
     "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0~X: y\r\n\r\n"},
    {"trailer-line", h1::role::server,
     "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX: y~Z: w\r\n\r\n"},
    {"trailers-end", h1::role::server,
     "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX: y\r\n~"},
    {"status-line", h1::role::client, "HTTP/1.1 200 OK~Content-Length: 0\r\n\r\n"},
    {"status-line-no-reason", h1::role::client, "HTTP/1.1 204~\r\n"},
};
constexpr std::string_view kEndings[] = {"\r\n", "\r", "\n", ""};
constexpr std::string_view kEndingNames[] = {"CRLF", "CR", "LF", "none"};

// The events on one line, control bytes escaped.
std::string outcome(const event_log& log) {
  std::string s;
  for (const std::string& line : log) {
    if (!s.empty()) s += " | ";
    for (char ch : line) {
      if (ch == '\n') {
        s += "\\n";
      } else if (ch == '\r') {
        s += "\\r";
      } else {
        s += ch;
      }
    }
  }
  return s;
}

// One line per case: "<case> <ending> <flags as three 0/1>: <events>".
std::string run_all_cases() {
  std::ostringstream out;
  for (const line_case& c : kCases) {
    for (std::size_t e = 0; e < std::size(kEndings); ++e) {
      std::string wire(c.wire);
      wire.replace(wire.find('~'), 1, kEndings[e]);
      for (int flags = 0; flags < 8; ++flags) {
        h1_config cfg;
        cfg.role = c.role;
        cfg.lenient.host = true;  // the requests omit Host, which is not what this is about
        cfg.lenient.optional_lf_after_cr = (flags & 4) != 0;
        cfg.lenient.optional_cr_before_lf = (flags & 2) != 0;
        cfg.lenient.optional_crlf_after_chunk = (flags & 1) != 0;
        const event_log whole = run_h1(cfg, wire);
        const event_log bytewise = run_h1(cfg, wire, std::vector<std::size_t>(wire.size(), 1));
        EXPECT_EQ(whole, bytewise) << c.name << " " << kEndingNames[e] << " flags " << flags;
        out << c.name << ' ' << kEndingNames[e] << ' ' << ((flags >> 2) & 1) << ((flags >> 1) & 1)
            << (flags & 1) << ": " << outcome(whole) << '\n';
      }
    }
  }
  return out.str();
}

TEST(H1LineEnd, EveryLineKindEndingAndFlagAsPinned) {
  const std::string path = std::string(HTTPCORE_TEST_DATA_DIR) + "/h1_line_ends.txt";
  const std::string got = run_all_cases();
  if (const char* w = std::getenv("HTTPCORE_WRITE_GOLDEN"); w != nullptr && std::string(w) == "1") {
    std::ofstream(path, std::ios::binary) << got;
    GTEST_SKIP() << "wrote " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "cannot read " << path;
  std::stringstream want;
  want << in.rdbuf();
  std::istringstream got_lines(got), want_lines(want.str());
  std::string g, w;
  int compared = 0;
  while (std::getline(want_lines, w)) {
    ASSERT_TRUE(std::getline(got_lines, g)) << "missing case: " << w;
    EXPECT_EQ(g, w);
    ++compared;
  }
  EXPECT_FALSE(std::getline(got_lines, g)) << "unexpected case: " << g;
  EXPECT_EQ(compared, static_cast<int>(std::size(kCases) * std::size(kEndings) * 8));
}

}  // namespace
}  // namespace httpcore::test
