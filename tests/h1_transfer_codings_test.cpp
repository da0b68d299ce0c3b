// The transfer codings a head reports (request_head/response_head::
// transfer_codings): every coding Transfer-Encoding lists except a final
// chunked, which is all the parser undoes, so that nobody takes a gzip body
// for the content. Each input runs whole, byte by byte and split at every
// index (the driver logs " codings=COUNT first=TOKEN at=OFFSET").

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "support/h1_driver.hpp"

namespace httpcore::test {
namespace {

event_log parse(const h1_config& cfg, std::string_view input) {
  std::string mismatch;
  event_log log = run_h1_all_splits(cfg, input, &mismatch);
  EXPECT_EQ(mismatch, "") << "input: " << ::testing::PrintToString(std::string(input));
  return log;
}

h1_config server() {
  return {};
}
h1_config client() {
  h1_config c;
  c.role = h1::role::client;
  return c;
}

// "POST / HTTP/1.1\r\nHost: a\r\n" is 26 bytes: a Transfer-Encoding line right
// after it has its value at 26 + 19 = 45.
std::string post(std::string_view fields, std::string_view body) {
  return "POST / HTTP/1.1\r\nHost: a\r\n" + std::string(fields) + "\r\n" + std::string(body);
}
constexpr std::string_view kChunks = "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";

// The head's line and the body as the log has them.
struct parsed {
  std::string head, body;
  bool ended = false;
};
parsed first_message(const event_log& log) {
  parsed p;
  for (const auto& line : log) {
    if (p.head.empty() && (line.rfind("request ", 0) == 0 || line.rfind("response ", 0) == 0))
      p.head = line.substr(0, line.find('\n'));
    else if (line.rfind("body ", 0) == 0 && p.body.empty())
      p.body = line.substr(5);
    else if (line.rfind("end", 0) == 0 && !p.ended)
      p.ended = true;
  }
  return p;
}

TEST(H1TransferCodings, GzipBeforeChunkedIsReportedAndTheBodyStaysCoded) {
  parsed p = first_message(parse(server(), post("Transfer-Encoding: gzip, chunked\r\n", kChunks)));
  EXPECT_NE(p.head.find(" framing=2 "), std::string::npos) << p.head;  // chunked
  EXPECT_NE(p.head.find(" codings=1 first=gzip at=45"), std::string::npos) << p.head;
  EXPECT_EQ(p.body, "abcde");  // de-chunked, nothing else
  EXPECT_TRUE(p.ended);
}

TEST(H1TransferCodings, ChunkedAloneLeavesNone) {
  parsed p = first_message(parse(server(), post("Transfer-Encoding: chunked\r\n", kChunks)));
  EXPECT_NE(p.head.find(" framing=2 "), std::string::npos) << p.head;
  EXPECT_EQ(p.head.find("codings="), std::string::npos) << p.head;
  EXPECT_EQ(p.body, "abcde");
  p = first_message(parse(server(), post("Transfer-Encoding: CHUNKED\r\n", kChunks)));
  EXPECT_EQ(p.head.find("codings="), std::string::npos) << p.head;
  p = first_message(parse(server(), post("Content-Length: 3\r\n", "abc")));
  EXPECT_EQ(p.head.find("codings="), std::string::npos) << p.head;
}

TEST(H1TransferCodings, EveryCodingBeforeChunkedCounts) {
  parsed p = first_message(
      parse(server(), post("Transfer-Encoding: x-gzip, deflate, compress, chunked\r\n", kChunks)));
  EXPECT_NE(p.head.find(" codings=3 first=x-gzip at=45"), std::string::npos) << p.head;
}

// Several lines form one list (RFC 9110 §5.3); the first coding is on the first.
TEST(H1TransferCodings, ListsOverSeveralLinesAreOneList) {
  parsed p = first_message(
      parse(server(),
            post("Transfer-Encoding: gzip\r\nX: y\r\nTransfer-Encoding: chunked\r\n", kChunks)));
  EXPECT_NE(p.head.find(" codings=1 first=gzip at=45"), std::string::npos) << p.head;
  EXPECT_EQ(p.body, "abcde");
  p = first_message(parse(server(), post("Transfer-Encoding: deflate\r\nTransfer-Encoding: gzip, "
                                         "chunked\r\n",
                                         kChunks)));
  EXPECT_NE(p.head.find(" codings=2 first=deflate at=45"), std::string::npos) << p.head;
}

// The token without its whitespace or parameters, and where it starts.
TEST(H1TransferCodings, TheFirstIsItsTokenAtItsOffset) {
  parsed p = first_message(
      parse(server(), post("Transfer-Encoding:   Deflate ;x=1 ,chunked\r\n", kChunks)));
  EXPECT_NE(p.head.find(" codings=1 first=Deflate at=47"), std::string::npos) << p.head;
  p = first_message(parse(server(), post("Transfer-Encoding: ,, gzip , chunked\r\n", kChunks)));
  EXPECT_NE(p.head.find(" codings=1 first=gzip at=48"), std::string::npos) << p.head;
}

// Offsets count from the first byte the parser was given, across messages.
TEST(H1TransferCodings, OffsetsCountFromTheStreamStart) {
  std::string first = post("Content-Length: 2\r\n", "hi");
  event_log log = parse(server(), first + post("Transfer-Encoding: gzip, chunked\r\n", kChunks));
  std::size_t heads = 0;
  for (const auto& line : log) {
    if (line.rfind("request ", 0) != 0) continue;
    std::string head = line.substr(0, line.find('\n'));
    if (heads++ == 0) {
      EXPECT_EQ(head.find("codings="), std::string::npos) << head;
    } else {
      EXPECT_NE(head.find(" codings=1 first=gzip at=" + std::to_string(first.size() + 45)),
                std::string::npos)
          << head;
    }
  }
  EXPECT_EQ(heads, 2u);
}

// Lenient transfer_encoding: a list the parser cannot frame is read until
// close, and then every coding is still on the body, chunked included.
TEST(H1TransferCodings, LenientUnframedListsKeepEveryCoding) {
  h1_config c;
  c.lenient.transfer_encoding = true;
  parsed p = first_message(parse(c, post("Transfer-Encoding: gzip\r\n", "xyz")));
  EXPECT_NE(p.head.find(" framing=3 "), std::string::npos) << p.head;  // until close
  EXPECT_NE(p.head.find(" codings=1 first=gzip at=45"), std::string::npos) << p.head;
  EXPECT_EQ(p.body, "xyz");
  p = first_message(parse(c, post("Transfer-Encoding: chunked, gzip, br\r\n", "xyz")));
  EXPECT_NE(p.head.find(" codings=3 first=chunked at=45"), std::string::npos) << p.head;
  EXPECT_EQ(p.body, "xyz");
}

// The client role: a gzip-coded chunked response is not passed off as decoded.
TEST(H1TransferCodings, ResponsesReportThemToo) {
  // "HTTP/1.1 200 OK\r\n" is 17 bytes: the value starts at 17 + 19 = 36.
  parsed p =
      first_message(parse(client(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" +
                                        std::string(kChunks)));
  EXPECT_NE(p.head.find(" framing=2 "), std::string::npos) << p.head;
  EXPECT_NE(p.head.find(" codings=1 first=gzip at=36"), std::string::npos) << p.head;
  EXPECT_EQ(p.body, "abcde");
  // A coding the server role would refuse (501) is only reported here.
  p = first_message(parse(client(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: br, chunked\r\n\r\n" +
                                        std::string(kChunks)));
  EXPECT_NE(p.head.find(" codings=1 first=br at=36"), std::string::npos) << p.head;
  // chunked not last: the body runs until close, with both codings on it.
  p = first_message(
      parse(client(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\nzz"));
  EXPECT_NE(p.head.find(" framing=3 "), std::string::npos) << p.head;
  EXPECT_NE(p.head.find(" codings=2 first=chunked at=36"), std::string::npos) << p.head;
  p = first_message(parse(
      client(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + std::string(kChunks)));
  EXPECT_EQ(p.head.find("codings="), std::string::npos) << p.head;
}

// The view points into the bytes given to feed(), where the offset says.
TEST(H1TransferCodings, FirstIsAViewIntoTheInput) {
  std::string in = "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n";
  h1::parser p(h1::role::server);
  auto r = p.feed(in);
  ASSERT_FALSE(r.err);
  const auto* head = std::get_if<h1::request_head>(&r.ev);
  ASSERT_NE(head, nullptr);
  EXPECT_FALSE(head->transfer_codings.empty());
  EXPECT_EQ(head->transfer_codings.count, 1u);
  EXPECT_EQ(head->transfer_codings.first, "gzip");
  EXPECT_EQ(head->transfer_codings.first.data(), in.data() + in.find("gzip"));
  EXPECT_EQ(head->transfer_codings.offset, in.find("gzip"));
}

}  // namespace
}  // namespace httpcore::test
