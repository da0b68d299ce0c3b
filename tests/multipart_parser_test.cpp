// The multipart/form-data parser's events (RFC 7578, RFC 2046 §5.1) and its
// split invariance: every fixture gives the same log whole, cut at every
// position, and one byte at a time, each call's bytes in a fresh buffer
// against an unmapped page (support/multipart_driver.hpp).

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "httpcore/multipart/parser.hpp"
#include "support/multipart_driver.hpp"

namespace httpcore::test {
namespace {

using multipart::parse_state;

std::string disposition(std::string_view params) {
  return "Content-Disposition: form-data; " + std::string(params) + "\r\n";
}

struct fixture {
  const char* title;
  std::string boundary;
  std::string body;
  multipart_log expected;
};

// The binary part of `all_bytes`: every byte value, CR and LF among them.
std::string every_byte() {
  std::string s;
  for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
  return s;
}

std::vector<fixture> fixtures() {
  const std::string b70(70, 'q');
  const std::string odd = "'()+_,-./:=? x";  // every kind of bchar, a space inside
  return {
      {"two parts, a field and a file",
       "AaB03x",
       "--AaB03x\r\n" + disposition("name=\"field1\"") + "\r\nJoe Blow\r\n--AaB03x\r\n" +
           disposition("name=\"pics\"; filename=\"file1.txt\"") +
           "Content-Type: text/plain\r\n\r\n... contents of file1.txt ...\r\n--AaB03x--\r\n",
       {"begin 0 name=field1", "data Joe Blow", "end 0 bytes 8",
        "begin 1 name=pics filename=file1.txt type=text/plain",
        "data ... contents of file1.txt ...", "end 1 bytes 29", "body_end parts 2"}},
      {"preamble, transport padding, epilogue",
       "b",
       "preamble line\r\n--not it\r\n--b \t \r\n" + disposition("name=a") + "\r\nA\r\n--b\t\r\n" +
           disposition("name=b") + "\r\nB\r\n--b-- \t\r\nepilogue\r\n--b\r\nX",
       {"begin 0 name=a", "data A", "end 0 bytes 1", "begin 1 name=b", "data B", "end 1 bytes 1",
        "body_end parts 2"}},
      {"empty parts: an empty body-part, and no body-part at all (RFC 2046 grammar)",
       "b",
       "--b\r\n" + disposition("name=e1") + "\r\n\r\n--b\r\n" + disposition("name=e2") +
           "\r\n--b--",
       {"begin 0 name=e1", "end 0 bytes 0", "begin 1 name=e2", "end 1 bytes 0",
        "body_end parts 2"}},
      {"CRLF and boundary-like text inside data",
       "bound",
       "--bound\r\n" + disposition("name=t") +
           "\r\n\r\nline\r\n\r\n--boun\r\n-bound\r\nx--bound\r\n--\r\n--Bound\r\n\r\n--bound--\r\n",
       {"begin 0 name=t",
        "data "
        "\\x0d\\x0aline\\x0d\\x0a\\x0d\\x0a--boun\\x0d\\x0a-bound\\x0d\\x0ax--bound\\x0d\\x0a--"
        "\\x0d\\x0a--Bound\\x0d\\x0a",
        "end 0 bytes 49", "body_end parts 1"}},
      {"every byte value as data, a 70-byte boundary",
       b70,
       "--" + b70 + "\r\n" + disposition("name=bin; filename=all.bin") +
           "Content-Type: application/octet-stream\r\n\r\n" + every_byte() + "\r\n--" + b70 + "--",
       {"begin 0 name=bin filename=all.bin type=application/octet-stream",
        "data " + printable(every_byte()), "end 0 bytes 256", "body_end parts 1"}},
      {"bchars of every kind in the boundary, a space among them",
       odd,
       "--" + odd + "\r\n" + disposition("name=x") + "\r\n1\r\n--" + odd + "--\r\n",
       {"begin 0 name=x", "data 1", "end 0 bytes 1", "body_end parts 1"}},
      {"field names and form-data in any case, other fields and parameters kept out",
       "b",
       "--b\r\ncontent-TYPE:   image/png  \r\nCONTENT-disposition: Form-Data;name=\"up\" ;  "
       "FILENAME=\"\";filename*=UTF-8''%e2%82%ac.png; size=3\r\nContent-Transfer-Encoding: "
       "binary\r\nX-Extra: 1\r\n\r\nPNG\r\n--b--\r\n",
       {"begin 0 name=up filename= type=image/png", "data PNG", "end 0 bytes 3",
        "body_end parts 1"}},
      {"quoted-pairs and UTF-8 in names are reported as sent",
       "b",
       "--b\r\n" + disposition("name=\"a\\\"b\"; filename=\"C:\\\\d\\xc3\\xa9.txt\"") +
           "\r\nv\r\n--b--\r\n",
       {"begin 0 name=a\\\\\"b filename=C:\\\\\\\\d\\\\xc3\\\\xa9.txt escaped", "data v",
        "end 0 bytes 1", "body_end parts 1"}},
      {"raw UTF-8 in a filename",
       "b",
       "--b\r\n" + disposition("name=f; filename=\"\xc3\xa9t\xc3\xa9.txt\"") +
           "\r\n\xc3\xa9\r\n--b--\r\n",
       {"begin 0 name=f filename=\\xc3\\xa9t\\xc3\\xa9.txt", "data \\xc3\\xa9", "end 0 bytes 2",
        "body_end parts 1"}},
      {"an empty form: the close delimiter first (browsers send it)",
       "b",
       "--b--\r\n",
       {"body_end parts 0"}},
      {"the body ends right after the close delimiter and padding",
       "b",
       "--b\r\n" + disposition("name=a") + "\r\nz\r\n--b--  ",
       {"begin 0 name=a", "data z", "end 0 bytes 1", "body_end parts 1"}},
      {"an error after events: the events stand, then the error",
       "b",
       "--b\r\n" + disposition("name=a") + "\r\nzz\r\n--bX",
       {"begin 0 name=a", "data zz", "end 0 bytes 2", "error invalid_delimiter at 54 status 400"}},
  };
}

TEST(MultipartParser, EventsOfEachFixture) {
  for (const auto& f : fixtures()) {
    multipart_config cfg;
    cfg.boundary = f.boundary;
    EXPECT_EQ(run_multipart(cfg, f.body), f.expected) << f.title;
  }
}

// docs/design.md: the split does not matter. Every cut, and byte by byte.
TEST(MultipartParser, SplitInvariantAtEveryCutAndByteByByte) {
  for (const auto& f : fixtures()) {
    multipart_config cfg;
    cfg.boundary = f.boundary;
    const multipart_log whole = run_multipart(cfg, f.body);
    for (std::size_t cut = 0; cut <= f.body.size(); ++cut)
      ASSERT_EQ(run_multipart(cfg, f.body, {cut}), whole) << f.title << ", cut at " << cut;
    for (std::size_t a = 0; a < f.body.size() && f.body.size() < 200; a += 7)
      for (std::size_t b = a; b <= f.body.size(); b += 5)
        ASSERT_EQ(run_multipart(cfg, f.body, {a, b}), whole) << f.title << " " << a << "," << b;
    EXPECT_EQ(run_multipart(cfg, f.body, one_byte_cuts(f.body.size())), whole)
        << f.title << ", byte by byte";
  }
}

TEST(MultipartParser, DataIsZeroCopyIntoTheCallersBuffer) {
  const std::string body = "--b\r\n" + disposition("name=a") + "\r\n0123456789\r\n--b--\r\n";
  multipart::parser p("b");
  std::string_view in = body;
  auto r = p.feed(in);
  ASSERT_TRUE(std::holds_alternative<multipart::part_begin>(r.ev));
  const auto& begin = std::get<multipart::part_begin>(r.ev);
  EXPECT_EQ(begin.name.data(), body.data() + body.find("a\r\n"));
  EXPECT_EQ(begin.head, disposition("name=a"));
  EXPECT_EQ(begin.head.data(), body.data() + 5);
  in.remove_prefix(r.consumed);
  r = p.feed(in);
  ASSERT_TRUE(std::holds_alternative<multipart::part_data>(r.ev));
  EXPECT_EQ(std::get<multipart::part_data>(r.ev).text().data(), body.data() + body.find("0123"));
  EXPECT_EQ(std::get<multipart::part_data>(r.ev).text(), "0123456789");
}

// What stays unconsumed: a head until its blank line, and the bytes at the
// end of the input that may begin a delimiter (at most boundary + 3).
TEST(MultipartParser, KeepsOnlyWhatMayBeADelimiterOrAnIncompleteHead) {
  multipart::parser p("boundary");
  auto r = p.feed("--boundary\r\nContent-Disposition: form-data; name=a\r\n");
  EXPECT_EQ(r.consumed, 12u);  // the delimiter line; the head waits for its blank line
  EXPECT_EQ(p.state(), parse_state::head);
  r = p.feed("Content-Disposition: form-data; name=a\r\n\r\nabc\r\n--bound");
  ASSERT_TRUE(std::holds_alternative<multipart::part_begin>(r.ev));
  EXPECT_EQ(r.consumed, 42u);
  r = p.feed("abc\r\n--bound");
  ASSERT_TRUE(std::holds_alternative<multipart::part_data>(r.ev));
  EXPECT_EQ(r.consumed, 3u);
  r = p.feed("\r\n--bound");
  EXPECT_TRUE(std::holds_alternative<multipart::need_more>(r.ev));
  EXPECT_EQ(r.consumed, 0u);
  r = p.feed("\r\n--bounX");  // not the delimiter after all: all of it is data
  ASSERT_TRUE(std::holds_alternative<multipart::part_data>(r.ev));
  EXPECT_EQ(std::get<multipart::part_data>(r.ev).text(), "\r\n--bounX");
  EXPECT_EQ(p.state(), parse_state::data);
}

TEST(MultipartParser, StatesAndReset) {
  multipart::parser p("b");
  EXPECT_EQ(p.boundary(), "b");
  EXPECT_EQ(p.state(), parse_state::preamble);
  EXPECT_EQ(p.feed("--b").consumed, 3u);
  EXPECT_EQ(p.state(), parse_state::delimiter);
  EXPECT_EQ(p.feed("\r\n").consumed, 2u);
  EXPECT_EQ(p.state(), parse_state::head);
  auto r = p.feed("Content-Disposition: form-data; name=a\r\n\r\n");
  EXPECT_TRUE(std::holds_alternative<multipart::part_begin>(r.ev));
  EXPECT_EQ(p.state(), parse_state::data);
  EXPECT_TRUE(std::holds_alternative<multipart::part_end>(p.feed("\r\n--b--").ev));
  EXPECT_EQ(p.state(), parse_state::delimiter);
  EXPECT_TRUE(std::holds_alternative<multipart::need_more>(p.feed("--").ev));
  EXPECT_EQ(p.state(), parse_state::closing);
  r = p.finish();
  EXPECT_FALSE(r.err);
  ASSERT_TRUE(std::holds_alternative<multipart::body_end>(r.ev));
  EXPECT_EQ(std::get<multipart::body_end>(r.ev).parts, 1u);
  EXPECT_EQ(p.state(), parse_state::epilogue);
  r = p.feed("anything at all --b\r\n");
  EXPECT_EQ(r.consumed, 21u);
  EXPECT_FALSE(r.err);
  EXPECT_EQ(p.state(), parse_state::epilogue);
  p.reset();
  EXPECT_EQ(p.state(), parse_state::preamble);
  EXPECT_EQ(run_multipart({}, "--b--"), (multipart_log{"body_end parts 0"}));
}

}  // namespace
}  // namespace httpcore::test
