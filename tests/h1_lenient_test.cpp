// The eleven lenient flags: for each, an input the strict parser refuses (with its
// error and offset) that the flag lets through (with the events it yields), and
// proof that the flag reopens nothing else. Also set_lenient_flag by name.
// Every case runs whole, byte by byte and split at every index.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/h1_driver.hpp"

namespace httpcore::test {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;
using h1::errc;

event_log parse(const h1_config& cfg, std::string_view input) {
  std::string mismatch;
  event_log log = run_h1_all_splits(cfg, input, &mismatch);
  EXPECT_EQ(mismatch, "") << "input: " << ::testing::PrintToString(std::string(input));
  return log;
}

std::string error_line(errc code, std::uint64_t offset) {
  return "error " + std::string(h1::error_name(code)) + " at " + std::to_string(offset);
}

// A config whose flags are set by name, as a command line or a fuzzer would.
// The inputs here omit Host, but the host flag's own: unless `check_host`,
// host is set too, so that each input meets only the rule it is about.
h1_config with(std::vector<std::string_view> flags, h1::role r = h1::role::server,
               bool check_host = false) {
  h1_config c;
  c.role = r;
  c.lenient.host = !check_host;
  for (std::string_view f : flags) EXPECT_TRUE(h1::set_lenient_flag(c.lenient, f)) << f;
  return c;
}
h1_config strict(h1::role r = h1::role::server, bool check_host = false) {
  return with({}, r, check_host);
}

constexpr std::string_view kChunkedPost =  // 47 bytes
    "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
std::string chunked(std::string_view body) {
  return std::string(kChunkedPost) + std::string(body);
}

// The request-head lines the driver prints, for the fields that matter here.
std::string request_line(std::string_view start, bool keep_alive, int framing,
                         std::uint64_t length = 0) {
  return "request " + std::string(start) + " form=0 keep_alive=" + std::to_string(keep_alive) +
         " expect_continue=0 upgrade=0 framing=" + std::to_string(framing) +
         " length=" + std::to_string(length);
}
constexpr int kNone = 0, kChunked = 2, kUntilClose = 3;  // framing values (content_length: 1)

// One input per flag that only that flag (or a declared sibling) lets through.
struct flag_case {
  std::string_view flag;
  h1::role role;
  std::string input;
  std::string strict_error;  // the log's last line without the flag
  event_log lenient_log;     // the whole log with the flag
  bool checks_host() const { return flag == "host"; }
};

std::vector<flag_case> flag_cases() {
  using h1::role;
  std::vector<flag_case> cases;
  cases.push_back(
      {"headers",
       role::server,
       "GET / HTTP/1.1\r\nX: a\x01z\x7f\r\nY: \0\r\n\r\n"s,
       error_line(errc::invalid_header_value, 20),
       {request_line("GET / HTTP/1.1", true, kNone) + "\n  H X: a\x01z\x7f\n  H Y: \0"s, "end"}});
  // A response here; the request case is ChunkedLengthRequestMustClose.
  cases.push_back({"chunked_length",
                   role::client,
                   "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: "
                   "chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                   error_line(errc::content_length_with_transfer_encoding, 0),
                   // Transfer-Encoding wins.
                   {"response 200 'OK' HTTP/1.1 keep_alive=1 framing=2 length=0"
                    "\n  H Content-Length: 3\n  H Transfer-Encoding: chunked",
                    "body hello", "end"}});
  cases.push_back({"keep_alive",
                   role::server,
                   "GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET /2 HTTP/1.1\r\n\r\n",
                   error_line(errc::data_after_close, 37),
                   {request_line("GET / HTTP/1.1", false, kNone) + "\n  H Connection: close", "end",
                    request_line("GET /2 HTTP/1.1", true, kNone), "end"}});
  cases.push_back({"transfer_encoding",
                   role::server,
                   "POST / HTTP/1.1\r\nTransfer-Encoding: foo\r\n\r\nabc\r\n0\r\n\r\n",
                   error_line(errc::unknown_transfer_coding, 36),
                   // Read until the peer closes, and the connection closes after.
                   {request_line("POST / HTTP/1.1", false, kUntilClose) +
                        " codings=1 first=foo at=36\n  H Transfer-Encoding: foo",
                    "body abc\r\n0\r\n\r\n", "end"}});
  cases.push_back({"version",
                   role::server,
                   "GET / HTTP/1.2\r\n\r\n",
                   error_line(errc::unsupported_version, 6),
                   {request_line("GET / HTTP/1.2", true, kNone), "end"}});
  cases.push_back(
      {"data_after_close",
       role::server,
       "GET / HTTP/1.1\r\nConnection: close\r\n\r\n\x01garbage\r\n\r\n",
       error_line(errc::data_after_close, 37),
       // The bytes after the close are dropped.
       {request_line("GET / HTTP/1.1", false, kNone) + "\n  H Connection: close", "end"}});
  cases.push_back(
      {"optional_lf_after_cr",
       role::server,
       "GET / HTTP/1.1\rHost: a\r\nB: c\r\n\r\n",
       error_line(errc::cr_without_lf, 15),
       {request_line("GET / HTTP/1.1", true, kNone) + "\n  H Host: a\n  H B: c", "end"}});
  cases.push_back(
      {"optional_cr_before_lf",
       role::server,
       "GET / HTTP/1.1\nHost: a\nB: c\n\n",
       error_line(errc::lf_without_cr, 14),
       {request_line("GET / HTTP/1.1", true, kNone) + "\n  H Host: a\n  H B: c", "end"}});
  cases.push_back(
      {"optional_crlf_after_chunk",
       role::server,
       chunked("5\r\nhello3\r\nabc0\r\n\r\n"),
       error_line(errc::missing_chunk_data_crlf, 55),
       {request_line("POST / HTTP/1.1", true, kChunked) + "\n  H Transfer-Encoding: chunked",
        "body helloabc", "end"}});
  cases.push_back(
      {"spaces_after_chunk_size",
       role::server,
       chunked("5 \t \r\nhello\r\n3\t;a=b\r\nabc\r\n0  \r\n\r\n"),
       error_line(errc::invalid_chunk_size, 48),
       {request_line("POST / HTTP/1.1", true, kChunked) + "\n  H Transfer-Encoding: chunked",
        "body helloabc", "end"}});
  // Strict: at the second Host's value (16 + 9 + 6). Cases for each Host error
  // are in h1_host_test.
  cases.push_back(
      {"host",
       role::server,
       "GET / HTTP/1.1\r\nHost: a\r\nHost: b c\r\n\r\n",
       error_line(errc::duplicate_host, 31),
       {request_line("GET / HTTP/1.1", true, kNone) + "\n  H Host: a\n  H Host: b c", "end"}});
  return cases;
}

// Flags that also let another flag's input through (by design).
bool overlaps(std::string_view flag, std::string_view other_case) {
  // keep_alive parses what follows the close; data_after_close drops it.
  return (flag == "keep_alive" && other_case == "data_after_close") ||
         (flag == "data_after_close" && other_case == "keep_alive");
}

TEST(H1Lenient, EveryFlagHasACase) {
  auto cases = flag_cases();
  ASSERT_EQ(cases.size(), std::size(h1::lenient_flag_names));
  for (std::size_t i = 0; i < cases.size(); ++i)
    EXPECT_EQ(cases[i].flag, h1::lenient_flag_names[i]);
}

TEST(H1Lenient, EachFlagLetsItsInputThrough) {
  for (const auto& c : flag_cases()) {
    SCOPED_TRACE(std::string(c.flag) + " " + ::testing::PrintToString(c.input));
    event_log refused = parse(strict(c.role, c.checks_host()), c.input);
    ASSERT_FALSE(refused.empty());
    EXPECT_EQ(refused.back(), c.strict_error);
    event_log accepted = parse(with({c.flag}, c.role, c.checks_host()), c.input);
    EXPECT_EQ(accepted, c.lenient_log);
  }
}

// A flag reopens only its own door: every other flag's input is refused
// exactly as in strict mode.
TEST(H1Lenient, EachFlagLeavesOtherStrictnessAlone) {
  auto cases = flag_cases();
  for (std::string_view flag : h1::lenient_flag_names) {
    for (const auto& c : cases) {
      if (c.flag == flag || overlaps(flag, c.flag)) continue;
      SCOPED_TRACE("flag " + std::string(flag) + " on the input of " + std::string(c.flag));
      event_log log = parse(with({flag}, c.role, c.checks_host()), c.input);
      ASSERT_FALSE(log.empty());
      EXPECT_EQ(log.back(), c.strict_error);
    }
  }
}

TEST(H1Lenient, AllFlagsTogetherAcceptEveryCase) {
  std::vector<std::string_view> all(std::begin(h1::lenient_flag_names),
                                    std::end(h1::lenient_flag_names));
  for (const auto& c : flag_cases()) {
    if (c.flag == "keep_alive" || c.flag == "data_after_close") continue;  // they disagree
    SCOPED_TRACE(c.flag);
    event_log log = parse(with(all, c.role, c.checks_host()), c.input);
    ASSERT_FALSE(log.empty());
    EXPECT_EQ(log.back().rfind("error", 0), std::string::npos) << log.back();
  }
}

// ---------------------------------------------------------------------------
// Per flag: what it still refuses.

TEST(H1Lenient, HeadersStillRefusesOtherDamage) {
  auto c = with({"headers"});
  // CR and LF still end the line; obs-fold, bad names and bad targets stay errors.
  EXPECT_EQ(parse(c, "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n").back(),
            error_line(errc::cr_without_lf, 21));
  EXPECT_EQ(parse(c, "GET / HTTP/1.1\r\nX: a\nb\r\n\r\n").back(),
            error_line(errc::lf_without_cr, 20));
  EXPECT_EQ(parse(c, "GET / HTTP/1.1\r\nX: a\r\n b\r\n\r\n").back(),
            error_line(errc::obs_fold, 22));
  EXPECT_EQ(parse(c, "GET / HTTP/1.1\r\nX\x01: a\r\n\r\n").back(),
            error_line(errc::invalid_header_name, 17));
  EXPECT_EQ(parse(c, "GET /\x01 HTTP/1.1\r\n\r\n").back(), error_line(errc::invalid_target, 5));
  EXPECT_EQ(parse(c, "GET / HTTP/1.1\r\nContent-Length: 5\x01\r\n\r\n").back(),
            error_line(errc::invalid_content_length, 33));
  // Only field values (trailers included): the reason phrase stays strict.
  EXPECT_EQ(
      parse(with({"headers"}, h1::role::client), "HTTP/1.1 200 O\x01K\r\nContent-Length: 0\r\n\r\n")
          .back(),
      error_line(errc::invalid_reason, 14));
  EXPECT_EQ(parse(c, chunked("0\r\nT: a\x01\r\n\r\n")).back(), "end\n  T T: a\x01");
}

TEST(H1Lenient, ChunkedLengthRequestMustClose) {
  // With chunked_length, a request with both Content-Length and Transfer-Encoding
  // is framed by Transfer-Encoding and reported with keep_alive=0. RFC 9112 §6.1:
  // "Regardless, the server MUST close the connection after responding to such a
  // request to avoid the potential attacks."
  auto log = parse(with({"chunked_length"}),
                   "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(log, (event_log{request_line("POST / HTTP/1.1", false, kChunked) +
                                "\n  H Content-Length: 3\n  H Transfer-Encoding: chunked",
                            "body hello", "end"}));
}

TEST(H1Lenient, ChunkedLengthStillRefusesBadLengths) {
  auto c = with({"chunked_length"});
  EXPECT_EQ(
      parse(c, "POST / HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello").back(),
      error_line(errc::duplicate_content_length, 52));
  EXPECT_EQ(
      parse(c,
            "POST / HTTP/1.1\r\nContent-Length: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
          .back(),
      error_line(errc::invalid_content_length, 33));
  EXPECT_EQ(
      parse(c, "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")
          .back(),
      error_line(errc::chunked_not_final, 64));
  // In a response, Transfer-Encoding wins too.
  auto r = parse(with({"chunked_length"}, h1::role::client),
                 "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: "
                 "3\r\n\r\n2\r\nab\r\n0\r\n\r\n");
  ASSERT_EQ(r.size(), 3u) << ::testing::PrintToString(r);
  EXPECT_NE(r[0].find("framing=2"), std::string::npos) << r[0];
  EXPECT_EQ(r[1], "body ab");
}

TEST(H1Lenient, KeepAliveKeepsParsingButReportsTheClose) {
  auto c = with({"keep_alive"});
  // An HTTP/1.0 request without keep-alive is followed by another.
  auto log = parse(c, "GET / HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\n\r\n");
  ASSERT_EQ(log.size(), 4u) << ::testing::PrintToString(log);
  EXPECT_NE(log[0].find("keep_alive=0"), std::string::npos);
  EXPECT_EQ(log[2].rfind("request GET /b ", 0), 0u) << log[2];
  // The next message is still parsed strictly.
  EXPECT_EQ(parse(c, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n GET / HTTP/1.1\r\n\r\n").back(),
            error_line(errc::leading_whitespace, 37));
}

TEST(H1Lenient, TransferEncodingOnlyCoversCodingsItCannotFrame) {
  auto c = with({"transfer_encoding"});
  // chunked not final: read until close.
  auto log = parse(c, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\n\r\nxyz");
  ASSERT_EQ(log.size(), 3u) << ::testing::PrintToString(log);
  // Both codings stay on the body (request_head::transfer_codings).
  EXPECT_EQ(log[0], request_line("POST / HTTP/1.1", false, kUntilClose) +
                        " codings=2 first=chunked at=36\n  H Transfer-Encoding: chunked, gzip");
  EXPECT_EQ(log[1], "body xyz");
  // A malformed list, and Content-Length beside it, stay errors.
  EXPECT_EQ(parse(c, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked;q=1\r\n\r\n").back(),
            error_line(errc::invalid_transfer_encoding, 36));
  EXPECT_EQ(parse(c, "POST / HTTP/1.1\r\nTransfer-Encoding: \r\n\r\n").back(),
            error_line(errc::invalid_transfer_encoding, 36));
  EXPECT_EQ(
      parse(c, "POST / HTTP/1.1\r\nTransfer-Encoding: foo\r\nContent-Length: 3\r\n\r\nabc").back(),
      error_line(errc::content_length_with_transfer_encoding, 0));
  // A request ending in chunked is still chunked.
  log = parse(c, "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[1], "body x");
}

TEST(H1Lenient, VersionAcceptsAnyDigitsButNotOtherShapes) {
  auto c = with({"version"});
  EXPECT_EQ(parse(c, "GET / HTTP/2.0\r\n\r\n"),
            (event_log{request_line("GET / HTTP/2.0", true, kNone), "end"}));
  EXPECT_EQ(parse(c, "GET / HTTP/1.x\r\n\r\n").back(), error_line(errc::invalid_version, 13));
  EXPECT_EQ(parse(c, "GET / HTTP/10.0\r\n\r\n").back(), error_line(errc::invalid_version, 12));
  // The HTTP/2 preface is still recognised.
  EXPECT_EQ(parse(c, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), (event_log{"upgraded 2", "rest 24"}));
  auto r =
      parse(with({"version"}, h1::role::client), "HTTP/1.2 200 OK\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[0].rfind("response 200 'OK' HTTP/1.2 keep_alive=1", 0), 0u) << r[0];
}

TEST(H1Lenient, VersionBelowOneDotZeroDoesNotPersist) {
  // With lenient version, HTTP/0.9 must not be read as "1.1 or later" because of
  // its minor digit. RFC 9112 §9.3: only HTTP/1.1 or later persists by default,
  // and HTTP/1.0 with keep-alive; anything else closes.
  auto log = parse(with({"version"}), "GET / HTTP/0.9\r\n\r\n");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0], request_line("GET / HTTP/0.9", false, kNone));
}

TEST(H1Lenient, LaterVersionsUpgradeAsOneDotOneDoes) {
  // A version accepted by lenient version is compared as a whole: 2.0 is
  // "1.1 or later" for Upgrade as it is for persistence (its minor digit
  // alone would read as 1.0, which ignores Upgrade). Found by diff_llhttp_request.
  auto log = parse(with({"version"}),
                   "GET / HTTP/2.0\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\nxy");
  ASSERT_GE(log.size(), 3u);
  EXPECT_NE(log[0].find(" upgrade=1 "), std::string::npos) << log[0];
  EXPECT_EQ(log.back(), "rest 2");
}

TEST(H1Lenient, DataAfterCloseOnlyDropsWhatFollowsAClose) {
  auto c = with({"data_after_close"});
  // Without a close, the next message is parsed as usual (and strictly).
  EXPECT_EQ(parse(c, "GET / HTTP/1.1\r\n\r\n\x01").back(), error_line(errc::invalid_method, 18));
  // After a close, anything is dropped, even something that looks like a request.
  auto log = parse(c, "GET / HTTP/1.0\r\n\r\nGET /b HTTP/1.1\r\n\r\n");
  EXPECT_EQ(log, (event_log{request_line("GET / HTTP/1.0", false, kNone), "end"}));
  auto r = parse(with({"data_after_close"}, h1::role::client),
                 "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nxyz");
  ASSERT_EQ(r.size(), 3u) << ::testing::PrintToString(r);
  EXPECT_EQ(r[1], "body x");
}

TEST(H1Lenient, OptionalLfAfterCrEverywhere) {
  auto c = with({"optional_lf_after_cr"});
  // Chunk-size line, after chunk data, after the last chunk, ending trailers
  // (a next request shows where the bare CR ended them).
  auto log = parse(c, chunked("5\rhello\r3\r\nabc\r0\rT: v\r\n\r") + "GET / HTTP/1.1\r\n\r\n");
  ASSERT_EQ(log.size(), 5u) << ::testing::PrintToString(log);
  EXPECT_EQ(log[1], "body helloabc");
  EXPECT_EQ(log[2], "end\n  T T: v");
  EXPECT_EQ(log[3].rfind("request GET /", 0), 0u);
  // A field line still ends in CRLF: a bare CR there is refused, in the head
  // and in trailers.
  EXPECT_EQ(parse(c, "GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n").back(),
            error_line(errc::cr_without_lf, 24));
  EXPECT_EQ(parse(c, chunked("0\r\nT: v\rU: w\r\n\r\n")).back(),
            error_line(errc::cr_without_lf, 55));
  // A bare LF is still refused.
  EXPECT_EQ(parse(c, "GET / HTTP/1.1\r\nHost: a\n\r\n").back(),
            error_line(errc::lf_without_cr, 23));
  EXPECT_EQ(parse(c, chunked("5\nhello\r\n0\r\n\r\n")).back(), error_line(errc::lf_without_cr, 48));
  // A status line too, and the empty line ending a head.
  auto r = parse(with({"optional_lf_after_cr"}, h1::role::client),
                 "HTTP/1.1 204 No Content\rA: b\r\n\rHTTP/1.1 204 No Content\r\n\r\n");
  ASSERT_EQ(r.size(), 4u) << ::testing::PrintToString(r);
  EXPECT_EQ(r[0].rfind("response 204 'No Content'", 0), 0u);
  // The next line starts right after the CR: no byte is taken for the LF
  // (register D32; llhttp skips the "A").
  EXPECT_NE(r[0].find("\n  H A: b"), std::string::npos) << r[0];
}

TEST(H1Lenient, OptionalCrBeforeLfEverywhere) {
  auto c = with({"optional_cr_before_lf"});
  auto log = parse(c, chunked("5\nhello\n3;a=b\nabc\r\n0\nT: v\n\n"));
  ASSERT_EQ(log.size(), 3u) << ::testing::PrintToString(log);
  EXPECT_EQ(log[1], "body helloabc");
  EXPECT_EQ(log[2], "end\n  T T: v");
  // Empty lines before a request, and a status line.
  EXPECT_EQ(parse(c, "\n\nGET / HTTP/1.1\n\n"),
            (event_log{request_line("GET / HTTP/1.1", true, kNone), "end"}));
  auto r = parse(with({"optional_cr_before_lf"}, h1::role::client), "HTTP/1.1 204 No Content\n\n");
  ASSERT_EQ(r.size(), 2u) << ::testing::PrintToString(r);
  // A bare CR is still refused, and so is junk after chunk data.
  EXPECT_EQ(parse(c, "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n").back(),
            error_line(errc::cr_without_lf, 24));
  EXPECT_EQ(parse(c, chunked("5\r\nhelloX")).back(), error_line(errc::missing_chunk_data_crlf, 55));
}

TEST(H1Lenient, OptionalCrlfAfterChunkStillParsesTheNextSize) {
  auto c = with({"optional_crlf_after_chunk"});
  // What follows the data is read as the next chunk-size line, strictly.
  EXPECT_EQ(parse(c, chunked("5\r\nhelloX")).back(), error_line(errc::invalid_chunk_size, 55));
  EXPECT_EQ(parse(c, chunked("5\r\nhello\n0\r\n\r\n")).back(),
            error_line(errc::invalid_chunk_size, 55));
  EXPECT_EQ(parse(c, chunked("5\r\nhello\rX")).back(), error_line(errc::cr_without_lf, 56));
  // A proper CRLF is still consumed.
  auto log = parse(c, chunked("5\r\nhello\r\n0\r\n\r\n"));
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[1], "body hello");
}

TEST(H1Lenient, SpacesAfterChunkSizeOnlyAfterTheDigits) {
  auto c = with({"spaces_after_chunk_size"});
  EXPECT_EQ(parse(c, chunked(" 5\r\nhello\r\n0\r\n\r\n")).back(),
            error_line(errc::invalid_chunk_size, 47));
  EXPECT_EQ(parse(c, chunked("5 5\r\nhello\r\n0\r\n\r\n")).back(),
            error_line(errc::invalid_chunk_size, 49));
  EXPECT_EQ(parse(c, chunked("5 x\r\nhello\r\n0\r\n\r\n")).back(),
            error_line(errc::invalid_chunk_size, 49));
  // Whitespace in a Content-Length is unaffected.
  EXPECT_EQ(parse(c, "POST / HTTP/1.1\r\nContent-Length: 5 5\r\n\r\nhello").back(),
            error_line(errc::invalid_content_length, 34));
}

// ---------------------------------------------------------------------------
// set_lenient_flag

TEST(H1Lenient, SetLenientFlagByEveryName) {
  using flags = h1::lenient_flags;
  struct named {
    std::string_view name;
    bool flags::*member;
  };
  const named table[] = {
      {"headers", &flags::headers},
      {"chunked_length", &flags::chunked_length},
      {"keep_alive", &flags::keep_alive},
      {"transfer_encoding", &flags::transfer_encoding},
      {"version", &flags::version},
      {"data_after_close", &flags::data_after_close},
      {"optional_lf_after_cr", &flags::optional_lf_after_cr},
      {"optional_cr_before_lf", &flags::optional_cr_before_lf},
      {"optional_crlf_after_chunk", &flags::optional_crlf_after_chunk},
      {"spaces_after_chunk_size", &flags::spaces_after_chunk_size},
      {"host", &flags::host},
  };
  ASSERT_EQ(std::size(table), std::size(h1::lenient_flag_names));
  const flags none{};
  flags all{};
  for (std::size_t i = 0; i < std::size(table); ++i) {
    SCOPED_TRACE(table[i].name);
    EXPECT_EQ(h1::lenient_flag_names[i], table[i].name);
    flags f{};
    EXPECT_FALSE(f.*table[i].member);
    ASSERT_TRUE(h1::set_lenient_flag(f, table[i].name));
    EXPECT_TRUE(f.*table[i].member);
    // Exactly that flag: clearing it gives the default back.
    f.*table[i].member = false;
    EXPECT_EQ(f, none);
    // Setting twice is harmless, and flags accumulate.
    EXPECT_TRUE(h1::set_lenient_flag(all, table[i].name));
    EXPECT_TRUE(h1::set_lenient_flag(all, table[i].name));
  }
  for (const auto& n : table) EXPECT_TRUE(all.*n.member) << n.name;
}

TEST(H1Lenient, SetLenientFlagRefusesUnknownNames) {
  const h1::lenient_flags none{};
  for (std::string_view bad :
       {""sv, "Headers"sv, "header"sv, "headers "sv, " headers"sv, "all"sv, "lenient_headers"sv,
        "optional-cr-before-lf"sv, "OPTIONAL_CR_BEFORE_LF"sv, "chunked_length\0"sv, "keep"sv}) {
    h1::lenient_flags f{};
    EXPECT_FALSE(h1::set_lenient_flag(f, bad)) << ::testing::PrintToString(std::string(bad));
    EXPECT_EQ(f, none);
  }
}

TEST(H1Lenient, FlagsAreOffByDefault) {
  EXPECT_EQ(h1::lenient_flags{}, h1::lenient_flags{});
  h1::parser p(h1::role::server);
  EXPECT_EQ(p.lenient(), h1::lenient_flags{});
  h1::lenient_flags f{};
  ASSERT_TRUE(h1::set_lenient_flag(f, "version"));
  h1::parser q(h1::role::server, {}, f);
  EXPECT_TRUE(q.lenient().version);
  // reset() keeps the flags.
  q.reset();
  EXPECT_EQ(q.lenient(), f);
}

}  // namespace
}  // namespace httpcore::test
