// The request-smuggling and response-splitting classes that the HTTP Garden and
// earlier smuggling research found in real servers, each refused by the strict
// HTTP/1 parser with the right error, byte offset and status. Every case runs
// whole, byte by byte and split at every index, against a guard page.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/h1_driver.hpp"

namespace httpcore::test {
namespace {

using h1::errc;

h1_config server() {
  return server_ignoring_host();
}
h1_config client(std::vector<httpcore::method> methods = {}) {
  h1_config c;
  c.role = h1::role::client;
  c.request_methods = std::move(methods);
  return c;
}

// Runs every split of `input` and returns the (common) log.
event_log parse(const h1_config& cfg, std::string_view input) {
  std::string mismatch;
  event_log log = run_h1_all_splits(cfg, input, &mismatch);
  EXPECT_EQ(mismatch, "") << "input: " << ::testing::PrintToString(std::string(input));
  return log;
}

std::string error_line(errc code, std::uint64_t offset) {
  return "error " + std::string(h1::error_name(code)) + " at " + std::to_string(offset);
}

// The input must fail (whatever the split) with `code` at `offset`, and a server
// must answer it with `status`. Events before the error are not checked here.
void expect_error(const h1_config& cfg, std::string_view input, errc code, std::uint64_t offset,
                  int status) {
  SCOPED_TRACE(::testing::PrintToString(std::string(input)));
  event_log log = parse(cfg, input);
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log.back(), error_line(code, offset)) << ::testing::PrintToString(log);
  EXPECT_EQ(h1::error_status(code), status) << h1::error_name(code);
}

bool has_prefix(const std::string& s, std::string_view prefix) {
  return s.rfind(prefix, 0) == 0;
}

constexpr std::string_view kPost = "POST / HTTP/1.1\r\n";  // 17 bytes
// 47 bytes: a chunked body starts at offset 47.
constexpr std::string_view kChunkedPost = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";

// kPost, then `fields` (each ending in CRLF), then `rest`, which starts with the
// blank line that ends the head.
std::string post(std::string_view fields, std::string_view rest = "\r\nhello") {
  return std::string(kPost) + std::string(fields) + std::string(rest);
}
std::string chunked(std::string_view body) {
  return std::string(kChunkedPost) + std::string(body);
}

// ---------------------------------------------------------------------------
// Content-Length together with Transfer-Encoding (CL.TE / TE.CL).

TEST(H1Smuggling, ContentLengthAndTransferEncodingInARequest) {
  // The error is a property of the whole head: it points at the head's start.
  expect_error(
      server(),
      post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "\r\n5\r\nhello\r\n0\r\n\r\n"),
      errc::content_length_with_transfer_encoding, 0, 400);
  expect_error(
      server(),
      post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "\r\n5\r\nhello\r\n0\r\n\r\n"),
      errc::content_length_with_transfer_encoding, 0, 400);
  // Content-Length: 0 is no excuse, nor is a coding list.
  expect_error(server(),
               post("Content-Length: 0\r\nTransfer-Encoding: gzip, chunked\r\n", "\r\n0\r\n\r\n"),
               errc::content_length_with_transfer_encoding, 0, 400);
}

TEST(H1Smuggling, ContentLengthAndTransferEncodingInAResponse) {
  expect_error(
      client(),
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      errc::content_length_with_transfer_encoding, 0, 400);
  expect_error(
      client(),
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n",
      errc::content_length_with_transfer_encoding, 0, 400);
}

TEST(H1Smuggling, FramingErrorsPointAtTheHeadInAPipelinedStream) {
  // A second request whose head starts at 18: the offset counts from the stream's start.
  expect_error(server(),
               "GET / HTTP/1.1\r\n\r\n"
               "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
               errc::content_length_with_transfer_encoding, 18, 400);
}

// ---------------------------------------------------------------------------
// Content-Length values (CL.CL and friends).

TEST(H1Smuggling, DuplicateContentLength) {
  // The second field's value starts at 17 + 19 + 16 = 52.
  expect_error(server(), post("Content-Length: 5\r\nContent-Length: 5\r\n"),
               errc::duplicate_content_length, 52, 400);
  expect_error(server(), post("Content-Length: 5\r\nContent-Length: 6\r\n"),
               errc::duplicate_content_length, 52, 400);
  expect_error(server(), post("Content-Length: 5\r\ncontent-length: 5\r\n"),
               errc::duplicate_content_length, 52, 400);
  // A list of equal values (RFC 9110 §8.6 lets a recipient accept it; we do not).
  expect_error(server(), post("Content-Length: 5, 5\r\n"), errc::invalid_content_length, 34, 400);
  expect_error(server(), post("Content-Length: 5,5\r\n"), errc::invalid_content_length, 34, 400);
  expect_error(client(), "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
               errc::duplicate_content_length, 52, 400);
}

TEST(H1Smuggling, ContentLengthMustBeDigits) {
  // The value starts at 17 + 16 = 33; the offset is the first offending byte.
  expect_error(server(), post("Content-Length: +5\r\n"), errc::invalid_content_length, 33, 400);
  expect_error(server(), post("Content-Length: -5\r\n"), errc::invalid_content_length, 33, 400);
  expect_error(server(), post("Content-Length: 5 5\r\n"), errc::invalid_content_length, 34, 400);
  expect_error(server(), post("Content-Length: 5\t5\r\n"), errc::invalid_content_length, 34, 400);
  expect_error(server(), post("Content-Length: 0x5\r\n"), errc::invalid_content_length, 34, 400);
  expect_error(server(), post("Content-Length: 5a\r\n"), errc::invalid_content_length, 34, 400);
  expect_error(server(), post("Content-Length: 5.0\r\n"), errc::invalid_content_length, 34, 400);
  expect_error(server(), post("Content-Length: \"5\"\r\n"), errc::invalid_content_length, 33, 400);
  // Empty, with and without whitespace: the offset is where the value would start.
  expect_error(server(), post("Content-Length: \r\n"), errc::invalid_content_length, 33, 400);
  expect_error(server(), post("Content-Length:\r\n"), errc::invalid_content_length, 32, 400);
  expect_error(server(), post("Content-Length: \t \r\n"), errc::invalid_content_length, 35, 400);
}

TEST(H1Smuggling, ContentLengthSurroundingWhitespaceIsNotPartOfTheValue) {
  // OWS around a field value is trimmed (RFC 9110 §5.5): " 5 " is 5.
  for (std::string_view cl : {"Content-Length:  5 \r\n", "Content-Length:\t5\t\r\n",
                              "Content-Length:5\r\n", "Content-Length: 005\r\n"}) {
    auto log = parse(server(), post(cl));
    ASSERT_EQ(log.size(), 3u) << ::testing::PrintToString(log);
    EXPECT_NE(log[0].find("framing=1 length=5"), std::string::npos) << log[0];
    EXPECT_EQ(log[1], "body hello");
    EXPECT_EQ(log[2], "end");
  }
}

TEST(H1Smuggling, ContentLengthOverflow) {
  // 2^64 - 1 fits; one more does not. The offset is the digit that overflows.
  auto log = parse(server(), post("Content-Length: 18446744073709551615\r\n", "\r\n"));
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log[0].find("length=18446744073709551615"), std::string::npos) << log[0];
  expect_error(server(), post("Content-Length: 18446744073709551616\r\n"),
               errc::content_length_overflow, 52, 400);
  expect_error(server(), post("Content-Length: 99999999999999999999\r\n"),
               errc::content_length_overflow, 52, 400);
  // 10^19 fits, 10^20 does not: the 21st digit overflows.
  expect_error(server(), post("Content-Length: 100000000000000000000000000005\r\n"),
               errc::content_length_overflow, 53, 400);
  // Leading zeros do not overflow.
  log = parse(server(), post("Content-Length: 00000000000000000000000000000000005\r\n"));
  ASSERT_EQ(log.size(), 3u);
  EXPECT_EQ(log[1], "body hello");
}

// ---------------------------------------------------------------------------
// Chunk sizes.

TEST(H1Smuggling, ChunkSizeMustBeHexDigits) {
  // The chunk-size line starts at 47.
  expect_error(server(), chunked("5x\r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 48, 400);
  expect_error(server(), chunked("-5\r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 47, 400);
  expect_error(server(), chunked("+5\r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 47, 400);
  expect_error(server(), chunked("0x5\r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 48, 400);
  expect_error(server(), chunked("\r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 47, 400);
  expect_error(server(), chunked(";a=b\r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 47, 400);
  expect_error(server(), chunked("g\r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 47, 400);
  // Whitespace around the size: refused in strict mode (lenient: spaces_after_chunk_size).
  expect_error(server(), chunked("5 \r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 48, 400);
  expect_error(server(), chunked("5\t\r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 48, 400);
  expect_error(server(), chunked("5 ;a=b\r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 48,
               400);
  expect_error(server(), chunked(" 5\r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 47, 400);
  expect_error(server(), chunked("5 5\r\nhello\r\n0\r\n\r\n"), errc::invalid_chunk_size, 48, 400);
  // The same after a first good chunk (the second size line starts at 57).
  expect_error(server(), chunked("5\r\nhello\r\n5x\r\nworld\r\n0\r\n\r\n"),
               errc::invalid_chunk_size, 58, 400);
  expect_error(server(), chunked("5\r\nhello\r\n\r\n"), errc::invalid_chunk_size, 57, 400);
}

TEST(H1Smuggling, ChunkSizeOverflow) {
  // 16 hex digits fit in 64 bits; the 17th significant one does not.
  expect_error(server(), chunked("10000000000000000\r\n"), errc::chunk_size_overflow, 63, 400);
  expect_error(server(), chunked("fffffffffffffffff\r\n"), errc::chunk_size_overflow, 63, 400);
  // The largest size is accepted (the body is then incomplete).
  expect_error(server(), chunked("ffffffffffffffff\r\nabc"), errc::incomplete_message, 68, 400);
  // Many leading zeros with a small value are fine.
  auto log =
      parse(server(),
            chunked("000000000000000000000000000000005\r\nhello\r\n00000000000000000000\r\n\r\n"));
  ASSERT_EQ(log.size(), 3u) << ::testing::PrintToString(log);
  EXPECT_EQ(log[1], "body hello");
  EXPECT_EQ(log[2], "end");
}

TEST(H1Smuggling, MissingCrlfAfterChunkData) {
  // The data "hello" ends at 55; whatever follows must be CRLF.
  expect_error(server(), chunked("5\r\nhelloX"), errc::missing_chunk_data_crlf, 55, 400);
  expect_error(server(), chunked("5\r\nhello0\r\n\r\n"), errc::missing_chunk_data_crlf, 55, 400);
  // A chunk shorter than announced swallows the CRLF and then finds junk.
  expect_error(server(), chunked("3\r\nhello\r\n0\r\n\r\n"), errc::missing_chunk_data_crlf, 53,
               400);
}

// ---------------------------------------------------------------------------
// Line endings: a bare LF or a bare CR ends no line in strict mode.

TEST(H1Smuggling, BareLfIsRefusedEverywhere) {
  expect_error(server(), "GET / HTTP/1.1\nHost: a\r\n\r\n", errc::lf_without_cr, 14, 400);
  expect_error(server(), "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", errc::lf_without_cr, 23, 400);
  expect_error(server(), "GET / HTTP/1.1\r\nHost: a\r\n\n", errc::lf_without_cr, 25, 400);
  expect_error(server(), "\nGET / HTTP/1.1\r\n\r\n", errc::lf_without_cr, 0, 400);
  expect_error(client(), "HTTP/1.1 200 OK\nContent-Length: 0\r\n\r\n", errc::lf_without_cr, 15,
               400);
  // Chunk-size line, after chunk data, after the last chunk and ending the trailers.
  expect_error(server(), chunked("5\nhello\r\n0\r\n\r\n"), errc::lf_without_cr, 48, 400);
  expect_error(server(), chunked("5;a=b\nhello\r\n0\r\n\r\n"), errc::lf_without_cr, 52, 400);
  expect_error(server(), chunked("5\r\nhello\n0\r\n\r\n"), errc::lf_without_cr, 55, 400);
  expect_error(server(), chunked("5\r\nhello\r\n0\n\r\n"), errc::lf_without_cr, 58, 400);
  expect_error(server(), chunked("5\r\nhello\r\n0\r\nX: y\n\r\n"), errc::lf_without_cr, 64, 400);
  expect_error(server(), chunked("5\r\nhello\r\n0\r\n\n"), errc::lf_without_cr, 60, 400);
}

TEST(H1Smuggling, BareCrIsRefusedEverywhere) {
  // The offset is the byte after the CR, which should have been LF.
  expect_error(server(), "GET / HTTP/1.1\rHost: a\r\n\r\n", errc::cr_without_lf, 15, 400);
  expect_error(server(), "GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n", errc::cr_without_lf, 24, 400);
  expect_error(server(), "GET / HTTP/1.1\r\nHost: a\r\n\rX", errc::cr_without_lf, 26, 400);
  expect_error(server(), "\rGET / HTTP/1.1\r\n\r\n", errc::cr_without_lf, 1, 400);
  expect_error(client(), "HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n", errc::cr_without_lf, 16,
               400);
  // A CR inside a value ends the line, and what follows is not LF.
  expect_error(server(), "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n", errc::cr_without_lf, 21, 400);
  expect_error(server(), chunked("5\rhello\r\n0\r\n\r\n"), errc::cr_without_lf, 49, 400);
  expect_error(server(), chunked("5\r\nhello\rX0\r\n\r\n"), errc::cr_without_lf, 56, 400);
  expect_error(server(), chunked("5\r\nhello\r\n0\r0\r\n"), errc::cr_without_lf, 59, 400);
  expect_error(server(), chunked("5\r\nhello\r\n0\r\n\rX"), errc::cr_without_lf, 61, 400);
}

// ---------------------------------------------------------------------------
// Field-line and start-line whitespace.

TEST(H1Smuggling, WhitespaceBeforeColon) {
  expect_error(server(), "GET / HTTP/1.1\r\nHost : a\r\n\r\n", errc::whitespace_before_colon, 20,
               400);
  expect_error(server(), "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", errc::whitespace_before_colon, 20,
               400);
  expect_error(server(), post("Transfer-Encoding : chunked\r\n", "\r\n0\r\n\r\n"),
               errc::whitespace_before_colon, 34, 400);
  expect_error(server(), post("Content-Length : 5\r\n"), errc::whitespace_before_colon, 31, 400);
  expect_error(client(), "HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello",
               errc::whitespace_before_colon, 31, 400);
}

TEST(H1Smuggling, WhitespaceAtTheStartOfTheHead) {
  expect_error(server(), " GET / HTTP/1.1\r\n\r\n", errc::leading_whitespace, 0, 400);
  expect_error(server(), "\tGET / HTTP/1.1\r\n\r\n", errc::leading_whitespace, 0, 400);
  expect_error(server(), "\r\n GET / HTTP/1.1\r\n\r\n", errc::leading_whitespace, 2, 400);
  expect_error(client(), " HTTP/1.1 200 OK\r\n\r\n", errc::leading_whitespace, 0, 400);
  // The second of two pipelined requests (it would start at 18).
  expect_error(server(), "GET / HTTP/1.1\r\n\r\n GET / HTTP/1.1\r\n\r\n", errc::leading_whitespace,
               18, 400);
}

TEST(H1Smuggling, WhitespaceBeforeTheFirstFieldLine) {
  // RFC 9112 §2.2: reject (it would otherwise hide a field from us but not from others).
  expect_error(server(), "GET / HTTP/1.1\r\n Host: a\r\n\r\n", errc::obs_fold, 16, 400);
  expect_error(server(), post(" Transfer-Encoding: chunked\r\n", "\r\n0\r\n\r\n"), errc::obs_fold,
               17, 400);
  expect_error(client(), "HTTP/1.1 200 OK\r\n\tContent-Length: 5\r\n\r\nhello", errc::obs_fold, 17,
               400);
}

TEST(H1Smuggling, ObsFold) {
  expect_error(server(), "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", errc::obs_fold, 25, 400);
  expect_error(server(), post("Transfer-Encoding: gzip\r\n ,chunked\r\n", "\r\n0\r\n\r\n"),
               errc::obs_fold, 42, 400);
  expect_error(server(), post("X: a\r\n\tContent-Length: 5\r\n"), errc::obs_fold, 23, 400);
  expect_error(server(), chunked("0\r\nX: a\r\n folded\r\n\r\n"), errc::obs_fold, 56, 400);
}

// ---------------------------------------------------------------------------
// Control bytes.

TEST(H1Smuggling, ControlBytesInFieldValues) {
  using namespace std::string_view_literals;
  // "GET / HTTP/1.1\r\nX: a" is 20 bytes: the control byte is at 20.
  for (std::string_view ctl : {"\0"sv, "\x01"sv, "\x7f"sv, "\x0b"sv, "\x0c"sv, "\x1f"sv}) {
    std::string req = "GET / HTTP/1.1\r\nX: a" + std::string(ctl) + "b\r\n\r\n";
    expect_error(server(), req, errc::invalid_header_value, 20, 400);
  }
  expect_error(server(),
               post("Transfer-Encoding: \x0b"
                    "chunked\r\n",
                    "\r\n0\r\n\r\n"),
               errc::invalid_header_value, 36, 400);
  expect_error(server(), post("Content-Length: 5\x00\r\n"sv), errc::invalid_header_value, 34, 400);
  expect_error(client(), "HTTP/1.1 200 OK\r\nX: \x7f\r\n\r\n", errc::invalid_header_value, 20, 400);
  expect_error(server(), chunked("0\r\nX: a\x01\r\n\r\n"sv), errc::invalid_header_value, 54, 400);
}

TEST(H1Smuggling, ControlBytesInTheTarget) {
  using namespace std::string_view_literals;
  for (std::string_view ctl : {"\0"sv, "\x01"sv, "\x7f"sv, "\t"sv, "\x80"sv, "\xff"sv}) {
    std::string req = "GET /a" + std::string(ctl) + "b HTTP/1.1\r\n\r\n";
    expect_error(server(), req, errc::invalid_target, 6, 400);
  }
  // A target that would hide a second request line.
  expect_error(server(), "GET /a\rGET /b HTTP/1.1\r\n\r\n", errc::invalid_request_line, 6, 400);
  expect_error(server(), "GET /a\nGET /b HTTP/1.1\r\n\r\n", errc::invalid_request_line, 6, 400);
}

TEST(H1Smuggling, ControlBytesInNamesAndMethods) {
  using namespace std::string_view_literals;
  expect_error(server(), "GET / HTTP/1.1\r\nA\0b: x\r\n\r\n"sv, errc::invalid_header_name, 17, 400);
  expect_error(server(), "GET / HTTP/1.1\r\nContent-Length\x01: 5\r\n\r\n",
               errc::invalid_header_name, 30, 400);
  expect_error(server(), "G\0T / HTTP/1.1\r\n\r\n"sv, errc::invalid_method, 1, 400);
}

// ---------------------------------------------------------------------------
// Transfer-Encoding lists.

TEST(H1Smuggling, ChunkedMustBeTheFinalCodingOfARequest) {
  // The value starts at 17 + 19 = 36; "gzip" after "chunked, " at 45.
  expect_error(server(), post("Transfer-Encoding: chunked, gzip\r\n", "\r\n0\r\n\r\n"),
               errc::chunked_not_final, 45, 400);
  expect_error(server(), post("Transfer-Encoding: chunked , identity\r\n", "\r\n0\r\n\r\n"),
               errc::chunked_not_final, 46, 400);
  // Across two fields: the second makes chunked not final (it starts at 45 + 19 = 64).
  expect_error(server(),
               post("Transfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n", "\r\n0\r\n\r\n"),
               errc::chunked_not_final, 64, 400);
  // No chunked at all: the length cannot be determined (RFC 9112 §6.3 (4)).
  expect_error(server(), post("Transfer-Encoding: gzip\r\n", "\r\nhello"), errc::chunked_not_final,
               0, 400);
}

TEST(H1Smuggling, ChunkedMustNotBeRepeated) {
  expect_error(server(), post("Transfer-Encoding: chunked, chunked\r\n", "\r\n0\r\n\r\n"),
               errc::chunked_repeated, 45, 400);
  expect_error(
      server(),
      post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "\r\n0\r\n\r\n"),
      errc::chunked_repeated, 64, 400);
  expect_error(
      server(),
      post("Transfer-Encoding: chunked\r\nTransfer-Encoding: CHUNKED\r\n", "\r\n0\r\n\r\n"),
      errc::chunked_repeated, 64, 400);
  expect_error(client(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
               errc::chunked_repeated, 45, 400);
}

TEST(H1Smuggling, UnknownCodingInARequest) {
  expect_error(server(), post("Transfer-Encoding: foo\r\n", "\r\nhello"),
               errc::unknown_transfer_coding, 36, 501);
  expect_error(server(), post("Transfer-Encoding: xchunked\r\n", "\r\nhello"),
               errc::unknown_transfer_coding, 36, 501);
  expect_error(server(), post("Transfer-Encoding: foo, chunked\r\n", "\r\n0\r\n\r\n"),
               errc::unknown_transfer_coding, 36, 501);
  expect_error(server(), post("Transfer-Encoding: gzip, bar, chunked\r\n", "\r\n0\r\n\r\n"),
               errc::unknown_transfer_coding, 42, 501);
}

TEST(H1Smuggling, MalformedCodingLists) {
  expect_error(server(), post("Transfer-Encoding: \r\n", "\r\nhello"),
               errc::invalid_transfer_encoding, 36, 400);
  expect_error(server(), post("Transfer-Encoding: chu nked\r\n", "\r\nhello"),
               errc::invalid_transfer_encoding, 36, 400);
  expect_error(server(), post("Transfer-Encoding: \"chunked\"\r\n", "\r\nhello"),
               errc::invalid_transfer_encoding, 36, 400);
  expect_error(server(), post("Transfer-Encoding: chunked;q=1\r\n", "\r\n0\r\n\r\n"),
               errc::invalid_transfer_encoding, 36, 400);
}

TEST(H1Smuggling, ListOfOnlyEmptyElementsIsAnEmptyCodingList) {
  // "Transfer-Encoding: ," is an empty coding list (RFC 9110 §5.6.1: empty
  // elements do not count), the same as an empty value: invalid_transfer_encoding
  // at the value, for a request and for a response alike (a response must not
  // fall back to reading until close).
  expect_error(server(), post("Transfer-Encoding: ,\r\n", "\r\nhello"),
               errc::invalid_transfer_encoding, 36, 400);
  expect_error(server(), post("Transfer-Encoding: , ,\t\r\n", "\r\nhello"),
               errc::invalid_transfer_encoding, 36, 400);
  expect_error(client(), "HTTP/1.1 200 OK\r\nTransfer-Encoding: ,\r\n\r\nhello",
               errc::invalid_transfer_encoding, 36, 400);
}

TEST(H1Smuggling, GzipThenChunkedIsAccepted) {
  for (std::string_view te :
       {"Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n",
        "Transfer-Encoding: ,chunked,\r\n", "Transfer-Encoding: Chunked\r\n"}) {
    auto log = parse(server(), post(te, "\r\n5\r\nhello\r\n0\r\n\r\n"));
    ASSERT_EQ(log.size(), 3u) << ::testing::PrintToString(log);
    EXPECT_NE(log[0].find("framing=2"), std::string::npos) << log[0];
    EXPECT_EQ(log[1], "body hello");
    EXPECT_EQ(log[2], "end");
  }
}

TEST(H1Smuggling, ResponseWhoseChunkedIsNotFinalIsReadUntilClose) {
  // RFC 9112 §6.3 (4), for responses: not an error, the body ends with the connection.
  auto log = parse(
      client(),
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: foo\r\n\r\n0\r\n\r\n");
  ASSERT_EQ(log.size(), 3u) << ::testing::PrintToString(log);
  EXPECT_NE(log[0].find("keep_alive=0 framing=3"), std::string::npos) << log[0];
  EXPECT_EQ(log[1], "body 0\r\n\r\n");
}

// ---------------------------------------------------------------------------
// Bodies that look like requests.

TEST(H1Smuggling, RequestAfterAChunkedBodyIsItsOwnRequest) {
  auto log = parse(server(), chunked("0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: h\r\n\r\n"));
  ASSERT_EQ(log.size(), 4u) << ::testing::PrintToString(log);
  EXPECT_TRUE(has_prefix(log[0], "request POST / ")) << log[0];
  EXPECT_EQ(log[1], "end");
  EXPECT_TRUE(has_prefix(log[2], "request GET /smuggled HTTP/1.1 ")) << log[2];
  EXPECT_EQ(log[3], "end");
}

TEST(H1Smuggling, RequestInsideAChunkedBodyStaysBody) {
  // 0x1b = 27 bytes of chunk data that contain a request and a fake last chunk.
  constexpr std::string_view inner = "GET /x HTTP/1.1\r\n\r\n0\r\n\r\nGET";
  static_assert(inner.size() == 0x1b);
  auto log = parse(
      server(), chunked("1b\r\n" + std::string(inner) + "\r\n0\r\n\r\nGET /next HTTP/1.1\r\n\r\n"));
  ASSERT_EQ(log.size(), 5u) << ::testing::PrintToString(log);
  EXPECT_EQ(log[1], "body " + std::string(inner));
  EXPECT_EQ(log[2], "end");
  EXPECT_TRUE(has_prefix(log[3], "request GET /next ")) << log[3];
}

TEST(H1Smuggling, RequestInsideAContentLengthBodyStaysBody) {
  constexpr std::string_view inner = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n";
  static_assert(inner.size() == 28);
  auto log = parse(server(), post("Content-Length: 28\r\n",
                                  "\r\n" + std::string(inner) + "GET /y HTTP/1.1\r\n\r\n"));
  ASSERT_EQ(log.size(), 5u) << ::testing::PrintToString(log);
  EXPECT_EQ(log[1], "body " + std::string(inner));
  EXPECT_TRUE(has_prefix(log[3], "request GET /y ")) << log[3];
}

TEST(H1Smuggling, CloseDelimitedResponseSwallowsWhatFollows) {
  // RFC 9112 §6.3 (8): no framing fields, so the body runs until the connection closes.
  auto log =
      parse(client(), "HTTP/1.1 200 OK\r\n\r\nabc\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  ASSERT_EQ(log.size(), 3u) << ::testing::PrintToString(log);
  EXPECT_NE(log[0].find("keep_alive=0 framing=3"), std::string::npos) << log[0];
  EXPECT_EQ(log[1], "body abc\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(log[2], "end");
}

// ---------------------------------------------------------------------------
// Versions.

TEST(H1Smuggling, UnsupportedVersions) {
  // The version starts at 6 in "GET / ".
  expect_error(server(), "GET / HTTP/1.2\r\n\r\n", errc::unsupported_version, 6, 505);
  expect_error(server(), "GET / HTTP/2.0\r\n\r\n", errc::unsupported_version, 6, 505);
  expect_error(server(), "PRI / HTTP/2.0\r\n\r\n", errc::unsupported_version, 6,
               505);  // not the preface
  expect_error(server(), "GET / HTTP/0.9\r\n\r\n", errc::unsupported_version, 6, 505);
  expect_error(server(), "GET / HTTP/3.0\r\n\r\n", errc::unsupported_version, 6, 505);
  expect_error(client(), "HTTP/1.2 200 OK\r\n\r\n", errc::unsupported_version, 0, 505);
  expect_error(client(), "HTTP/2.0 200 OK\r\n\r\n", errc::unsupported_version, 0, 505);
}

TEST(H1Smuggling, InvalidVersions) {
  // The offset is the first byte that cannot be part of "HTTP/" DIGIT "." DIGIT.
  expect_error(server(), "GET / HTTP/1.x\r\n\r\n", errc::invalid_version, 13, 400);
  expect_error(server(), "GET / http/1.1\r\n\r\n", errc::invalid_version, 6, 400);
  expect_error(server(), "GET / HTTP/11\r\n\r\n", errc::invalid_version, 12, 400);
  expect_error(server(), "GET / HTTP/1\r\n\r\n", errc::invalid_version, 12, 400);
  expect_error(server(), "GET / HTTP/1.1.1\r\n\r\n", errc::invalid_request_line, 14, 400);
  expect_error(server(), "GET / HTTP/1.10\r\n\r\n", errc::invalid_request_line, 14, 400);
  expect_error(client(), "http/1.1 200 OK\r\n\r\n", errc::invalid_version, 0, 400);
  expect_error(client(), "HTTP/1.x 200 OK\r\n\r\n", errc::invalid_version, 7, 400);
  expect_error(client(), "HTTP/11 200 OK\r\n\r\n", errc::invalid_version, 6, 400);
  expect_error(client(), "HTTX/1.1 200 OK\r\n\r\n", errc::invalid_version, 3, 400);
}

}  // namespace
}  // namespace httpcore::test
