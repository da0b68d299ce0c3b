// The HTTP/1 parser on well-formed input, both roles. Every case runs whole,
// byte by byte and split at every index, against a guard page.

#include <gtest/gtest.h>

#include "httpcore/to_string.hpp"
#include "support/h1_driver.hpp"

namespace httpcore::test {
namespace {

// Runs every split of `input` and returns the (common) log.
event_log parse(const h1_config& cfg, std::string_view input) {
  std::string mismatch;
  event_log log = run_h1_all_splits(cfg, input, &mismatch);
  EXPECT_EQ(mismatch, "") << "input: " << input;
  return log;
}

h1_config server() {
  return server_ignoring_host();
}
h1_config client(std::vector<httpcore::method> methods = {}) {
  h1_config c;
  c.role = h1::role::client;
  c.request_methods = std::move(methods);
  return c;
}

TEST(H1Request, SimpleGet) {
  auto log =
      parse(server(), "GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n");
  EXPECT_EQ(log,
            (event_log{"request GET /index.html?q=1 HTTP/1.1 form=0 keep_alive=1 expect_continue=0 "
                       "upgrade=0 framing=0 length=0\n  H Host: example.com\n  H Accept: */*",
                       "end"}));
}

TEST(H1Request, ValueWhitespaceTrimmedAndEmptyValuesKept) {
  auto log = parse(server(), "GET / HTTP/1.1\r\nA:  x y \t\r\nB:\r\nC: \t \r\n\r\n");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_NE(log[0].find("H A: x y\n  H B: \n  H C: "), std::string::npos) << log[0];
}

TEST(H1Request, ContentLengthBody) {
  auto log = parse(server(), "POST /p HTTP/1.1\r\nContent-Length: 11\r\n\r\nhello world");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_NE(log[0].find("framing=1 length=11"), std::string::npos) << log[0];
  EXPECT_EQ(log[1], "body hello world");
  EXPECT_EQ(log[2], "end");
}

TEST(H1Request, ChunkedBodyWithExtensionsAndTrailers) {
  auto log = parse(server(),
                   "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "5;name=value;q=\"a \\\"b\\\"\"\r\nhello\r\n"
                   "1A\r\nabcdefghijklmnopqrstuvwxyz\r\n"
                   "0\r\nExpires: never\r\nX-Sum: 1\r\n\r\n");
  ASSERT_EQ(log.size(), 3u) << ::testing::PrintToString(log);
  EXPECT_NE(log[0].find("framing=2"), std::string::npos);
  EXPECT_EQ(log[1], "body helloabcdefghijklmnopqrstuvwxyz");
  EXPECT_EQ(log[2], "end\n  T Expires: never\n  T X-Sum: 1");
}

TEST(H1Request, PipelinedRequestsAreEachParsed) {
  auto log = parse(server(),
                   "GET /a HTTP/1.1\r\nHost: h\r\n\r\n"
                   "POST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
                   "GET /c HTTP/1.1\r\nHost: h\r\n\r\n");
  ASSERT_EQ(log.size(), 7u) << ::testing::PrintToString(log);
  EXPECT_EQ(log[0].substr(0, 14), "request GET /a");
  EXPECT_EQ(log[2].substr(0, 15), "request POST /b");
  EXPECT_EQ(log[3], "body abc");
  EXPECT_EQ(log[5].substr(0, 14), "request GET /c");
}

TEST(H1Request, LeadingEmptyLinesAreSkipped) {
  auto log = parse(server(), "\r\n\r\nGET / HTTP/1.1\r\n\r\n");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].substr(0, 13), "request GET /");
}

TEST(H1Request, KeepAlivePerVersionAndConnection) {
  auto ka = [](std::string_view req) {
    auto log = parse(server(), req);
    return !log.empty() && log[0].find("keep_alive=1") != std::string::npos;
  };
  EXPECT_TRUE(ka("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_FALSE(ka("GET / HTTP/1.1\r\nConnection: close\r\n\r\n"));
  EXPECT_FALSE(ka("GET / HTTP/1.1\r\nConnection: foo, CLOSE\r\n\r\n"));
  EXPECT_FALSE(ka("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(ka("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"));
  EXPECT_FALSE(ka("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n"));
  EXPECT_FALSE(ka("GET / HTTP/1.0\r\nConnection: close\r\nConnection: keep-alive\r\n\r\n"));
}

// Register D31: RFC 9112 §6.1, Transfer-Encoding in HTTP/1.0 is faulty framing,
// so the connection closes after the message; the body is still read.
TEST(H1Request, TransferEncodingInHttp10Closes) {
  auto log = parse(server(),
                   "POST / HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
                   "1\r\nx\r\n0\r\n\r\n");
  ASSERT_EQ(log.size(), 3u) << ::testing::PrintToString(log);
  EXPECT_NE(log[0].find("keep_alive=0"), std::string::npos) << log[0];
  EXPECT_EQ(log[1], "body x");
  EXPECT_EQ(log[2], "end");
}

// Register D20: framing and connection fields in trailers are delivered as
// trailers and change neither the message nor the connection (RFC 9110 §6.5.1).
TEST(H1Request, FramingFieldsInTrailersAreNotActedOn) {
  auto log = parse(server(),
                   "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
                   "Content-Length: 3\r\nTransfer-Encoding: x\r\nConnection: close\r\n\r\n"
                   "GET / HTTP/1.1\r\n\r\n");
  ASSERT_EQ(log.size(), 4u) << ::testing::PrintToString(log);
  EXPECT_EQ(log[1], "end\n  T Content-Length: 3\n  T Transfer-Encoding: x\n  T Connection: close");
  EXPECT_EQ(log[2].rfind("request GET / HTTP/1.1", 0), 0u) << log[2];
  EXPECT_NE(log[2].find("keep_alive=1"), std::string::npos) << log[2];
  EXPECT_EQ(log[3], "end");
}

TEST(H1Request, DataAfterCloseIsAnError) {
  auto log = parse(server(), "GET / HTTP/1.1\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\n\r\n");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[2], "error data_after_close at 37");
}

TEST(H1Request, ExpectContinue) {
  auto log =
      parse(server(), "PUT /f HTTP/1.1\r\nExpect: 100-Continue\r\nContent-Length: 1\r\n\r\nx");
  EXPECT_NE(log[0].find("expect_continue=1"), std::string::npos);
}

TEST(H1Request, UpgradeAfterBodyHandsOverTheRest) {
  auto log = parse(server(),
                   "GET /chat HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                   "\x81\x05hello");
  ASSERT_EQ(log.size(), 4u) << ::testing::PrintToString(log);
  EXPECT_NE(log[0].find("upgrade=1"), std::string::npos);
  EXPECT_EQ(log[1], "end");
  EXPECT_EQ(log[2], "upgraded 0");
  EXPECT_EQ(log[3], "rest 7");
}

TEST(H1Request, UpgradeInHttp10IsIgnored) {
  // RFC 9110 §7.8: a server MUST ignore Upgrade received in an HTTP/1.0 request.
  auto log = parse(server(), "GET / HTTP/1.0\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n");
  ASSERT_EQ(log.size(), 2u) << ::testing::PrintToString(log);
  EXPECT_NE(log[0].find("keep_alive=0 expect_continue=0 upgrade=0"), std::string::npos);
  EXPECT_EQ(log[1], "end");
}

TEST(H1Request, UpgradeWithoutConnectionTokenIsIgnored) {
  auto log = parse(server(), "GET / HTTP/1.1\r\nUpgrade: websocket\r\n\r\n");
  EXPECT_EQ(log.size(), 2u);
  EXPECT_NE(log[0].find("upgrade=0"), std::string::npos);
}

TEST(H1Request, ConnectOpensATunnel) {
  auto log =
      parse(server(), "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nTLS");
  ASSERT_EQ(log.size(), 4u) << ::testing::PrintToString(log);
  EXPECT_NE(log[0].find("form=2"), std::string::npos);
  EXPECT_EQ(log[2], "upgraded 1");
  EXPECT_EQ(log[3], "rest 3");
}

TEST(H1Request, Http2PrefaceIsReportedWithAllItsBytes) {
  auto log = parse(server(), std::string_view("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 24));
  EXPECT_EQ(log, (event_log{"upgraded 2", "rest 24"}));
}

// RFC 9113 §3.4: the preface is the whole 24-byte sequence. Its first bytes
// wait for the rest; anything else after "PRI * HTTP/2.0" is an HTTP/1
// request line of an unsupported version.
TEST(H1Request, Http2PrefaceNeedsAllItsBytes) {
  h1_config open = server();
  open.finish = false;  // the connection stays open: the parser waits
  EXPECT_EQ(parse(open, "PRI * HTTP/2.0\r\n\r\nSM\r\n\r"), (event_log{}));
  EXPECT_EQ(parse(server(), "PRI * HTTP/2.0\r\n\r\n").back(), "error incomplete_message at 18");
  EXPECT_EQ(parse(server(), "PRI * HTTP/2.0\r\n\r\nSX\r\n\r\n").back(),
            "error unsupported_version at 6");
  EXPECT_EQ(parse(server(), "PRI * HTTP/2.0\r|||").back(), "error unsupported_version at 6");
}

TEST(H1Request, Http2PrefaceOnlyAtTheStartOfTheConnection) {
  auto log = parse(server(), "GET / HTTP/1.1\r\n\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");
  ASSERT_EQ(log.size(), 3u) << ::testing::PrintToString(log);
  EXPECT_EQ(log[2], "error unsupported_version at 24");
  EXPECT_EQ(parse(server(), "\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n").back(),
            "error unsupported_version at 8");
}

TEST(H1Request, TargetForms) {
  EXPECT_NE(parse(server(), "OPTIONS * HTTP/1.1\r\n\r\n")[0].find("form=3"), std::string::npos);
  EXPECT_NE(parse(server(), "GET http://a.example/x HTTP/1.1\r\n\r\n")[0].find("form=1"),
            std::string::npos);
  EXPECT_EQ(parse(server(), "GET * HTTP/1.1\r\n\r\n").back(), "error target_form_mismatch at 4");
  EXPECT_EQ(parse(server(), "CONNECT / HTTP/1.1\r\n\r\n").back(),
            "error target_form_mismatch at 8");
  EXPECT_EQ(parse(server(), "GET example.com:80 HTTP/1.1\r\n\r\n").size(), 2u);  // a scheme
  EXPECT_EQ(parse(server(), "GET 1.2.3.4:80 HTTP/1.1\r\n\r\n").back(),
            "error target_form_mismatch at 4");
}

TEST(H1Request, UnknownMethodTokensAreAllowed) {
  auto log = parse(server(), "FROBNICATE / HTTP/1.1\r\n\r\n");
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0].substr(0, 20), "request FROBNICATE /");
}

TEST(H1Response, WithBodyAndReason) {
  auto log = parse(client(), "HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[0].substr(0, 37), "response 404 'Not Found' HTTP/1.1 kee");
  EXPECT_EQ(log[1], "body nope");
}

TEST(H1Response, EmptyReasonWithAndWithoutSpace) {
  EXPECT_EQ(parse(client(), "HTTP/1.1 204 \r\n\r\n")[0].substr(0, 17), "response 204 '' H");
  EXPECT_EQ(parse(client(), "HTTP/1.1 204\r\n\r\n")[0].substr(0, 17), "response 204 '' H");
}

TEST(H1Response, CloseDelimitedBodyEndsAtFinish) {
  auto log = parse(client(), "HTTP/1.0 200 OK\r\n\r\nall of this");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_NE(log[0].find("keep_alive=0 framing=3"), std::string::npos) << log[0];
  EXPECT_EQ(log[1], "body all of this");
  EXPECT_EQ(log[2], "end");
}

// Register D30: `close` is checked first (RFC 9112 §9.3), so a later
// `keep-alive` does not keep an HTTP/1.0 connection open; data after the
// message is then refused.
TEST(H1Response, CloseWinsOverKeepAliveInHttp10) {
  auto log = parse(client(),
                   "HTTP/1.0 200 OK\r\nConnection: close\r\nConnection: keep-alive\r\n"
                   "Content-Length: 1\r\n\r\nxHTTP/1.0 200 OK\r\n\r\n");
  ASSERT_EQ(log.size(), 4u) << ::testing::PrintToString(log);
  EXPECT_NE(log[0].find("keep_alive=0"), std::string::npos) << log[0];
  EXPECT_EQ(log[3], "error data_after_close at 82");
}

TEST(H1Response, NoBodyFor1xx204304AndHead) {
  auto log = parse(client({method::get, method::get, method::head}),
                   "HTTP/1.1 100 Continue\r\n\r\n"
                   "HTTP/1.1 304 Not Modified\r\nContent-Length: 50\r\n\r\n"
                   "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n");
  ASSERT_EQ(log.size(), 6u) << ::testing::PrintToString(log);
  EXPECT_EQ(log[1], "end");
  EXPECT_EQ(log[3], "end");
  EXPECT_EQ(log[5], "end");
}

TEST(H1Response, SwitchingProtocolsAndConnect) {
  auto log = parse(client(), "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\nxy");
  EXPECT_EQ(log.back(), "rest 2");
  EXPECT_EQ(log[log.size() - 2], "upgraded 0");
  log = parse(client({method::connect}), "HTTP/1.1 200 OK\r\n\r\nxyz");
  EXPECT_EQ(log, (event_log{log[0], "end", "upgraded 1", "rest 3"}));
}

TEST(H1Response, ChunkedNotLastMeansUntilClose) {
  auto log = parse(client(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nzz");
  ASSERT_EQ(log.size(), 3u);
  EXPECT_NE(log[0].find("framing=3"), std::string::npos);
}

TEST(H1Parser, IncompleteMessageAtFinish) {
  EXPECT_EQ(parse(server(), "GET / HTTP/1.1\r\nHost").back(), "error incomplete_message at 20");
  EXPECT_EQ(parse(server(), "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab").back(),
            "error incomplete_message at 40");  // where the stream ended
}

// parse_state follows messages coarsely, whatever the lexer does byte by byte:
// fed one byte at a time, an empty line, a chunked request with an extension
// and a trailer, and a GET asking to close pass through exactly these states.
TEST(H1Parser, CoarseStateFollowsTheMessages) {
  const std::string wire =
      "\r\nPOST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;a=\"b\"\r\nhello\r\n0\r\nX: y\r\n\r\n"
      "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  h1::parser p(h1::role::server);
  std::vector<std::string> seen = {std::string(to_string(p.state()))};
  std::string buf;
  for (char ch : wire) {
    buf += ch;
    for (;;) {
      const h1::result r = p.feed(buf);
      ASSERT_FALSE(r.err) << r.err.name();
      buf.erase(0, r.consumed);
      const std::string now(to_string(p.state()));
      if (now != seen.back()) seen.push_back(now);
      if (std::holds_alternative<h1::need_more>(r.ev)) break;
    }
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"idle", "head", "body", "trailers", "idle", "head",
                                            "message_done", "closed"}));
}

TEST(H1Parser, ResetAllowsReuseAfterError) {
  h1::parser p(h1::role::server);
  auto r = p.feed(std::string_view("GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"));
  EXPECT_EQ(r.err.code, h1::errc::whitespace_before_colon);
  EXPECT_EQ(p.state(), h1::parse_state::failed);
  r = p.feed(std::string_view("GET / HTTP/1.1\r\n\r\n"));
  EXPECT_EQ(r.err.code, h1::errc::whitespace_before_colon);  // terminal
  p.reset();
  r = p.feed(std::string_view("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_FALSE(r.err);
  EXPECT_TRUE(std::holds_alternative<h1::request_head>(r.ev));
}

TEST(H1Parser, IncompleteHeadConsumesNothingAndResumes) {
  h1::parser p(h1::role::server);
  std::string buf = "GET / HTTP/1.1\r\nHost: exa";
  auto r = p.feed(buf);
  EXPECT_EQ(r.consumed, 0u);
  EXPECT_TRUE(std::holds_alternative<h1::need_more>(r.ev));
  EXPECT_EQ(p.state(), h1::parse_state::head);
  // The caller's buffer may move: only offsets are kept.
  std::string moved = buf + "mple\r\n\r\n";
  r = p.feed(moved);
  ASSERT_TRUE(std::holds_alternative<h1::request_head>(r.ev));
  EXPECT_EQ(r.consumed, moved.size());
  EXPECT_EQ(std::get<h1::request_head>(r.ev).headers[0].value, "example");
  EXPECT_EQ(std::get<h1::request_head>(r.ev).headers[0].value.data(), moved.data() + 22);
}

}  // namespace
}  // namespace httpcore::test
