#include "httpcore/h1/serializer.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace {

using httpcore::h1::content_length_value;
using httpcore::h1::header;
using httpcore::h1::reason_phrase;
using httpcore::h1::serialize_error;
using httpcore::h1::serialize_error_name;
using httpcore::h1::write_chunk;
using httpcore::h1::write_chunk_end;
using httpcore::h1::write_chunk_header;
using httpcore::h1::write_last_chunk;
using httpcore::h1::write_request_head;
using httpcore::h1::write_response_head;

// Output already present before each call: every function must append after
// it and, on refusal, leave it byte-for-byte alone.
constexpr std::string_view k_prefix = "previous bytes|";

TEST(SerializerRequest, ExactBytes) {
  std::string out(k_prefix);
  const header hs[] = {{"Host", "example.com"}, {"Accept", "*/*"}, {"X-Empty", ""}};
  ASSERT_EQ(write_request_head(out, "GET", "/index.html?q=1", hs), serialize_error::ok);
  EXPECT_EQ(out, std::string(k_prefix) +
                     "GET /index.html?q=1 HTTP/1.1\r\n"
                     "Host: example.com\r\n"
                     "Accept: */*\r\n"
                     "X-Empty: \r\n"
                     "\r\n");
}

TEST(SerializerRequest, NoHeadersAndHttp10) {
  std::string out;
  ASSERT_EQ(write_request_head(out, "OPTIONS", "*", {}, 0), serialize_error::ok);
  EXPECT_EQ(out, "OPTIONS * HTTP/1.0\r\n\r\n");
}

TEST(SerializerRequest, TokenMethodsAndTargetForms) {
  std::string out;
  ASSERT_EQ(write_request_head(out, "CONNECT", "example.com:443", {}), serialize_error::ok);
  ASSERT_EQ(write_request_head(out, "M-SEARCH!#$%&'*+.^_`|~", "http://a/b", {}),
            serialize_error::ok);
  EXPECT_EQ(out,
            "CONNECT example.com:443 HTTP/1.1\r\n\r\n"
            "M-SEARCH!#$%&'*+.^_`|~ http://a/b HTTP/1.1\r\n\r\n");
}

TEST(SerializerRequest, ObsTextAndTabInsideValueAccepted) {
  std::string out;
  const header hs[] = {{"X-A", "a\tb c\x80\xff"}};
  ASSERT_EQ(write_request_head(out, "GET", "/", hs), serialize_error::ok);
  EXPECT_EQ(out, "GET / HTTP/1.1\r\nX-A: a\tb c\x80\xff\r\n\r\n");
}

struct bad_request {
  std::string_view method, target, name, value;
  int version;
  serialize_error expected;
};

TEST(SerializerRequest, RefusalsLeaveOutputUnchanged) {
  const bad_request cases[] = {
      {"", "/", "A", "b", 1, serialize_error::invalid_method},
      {"GE T", "/", "A", "b", 1, serialize_error::invalid_method},
      {"GET\r\n", "/", "A", "b", 1, serialize_error::invalid_method},
      {"G(ET", "/", "A", "b", 1, serialize_error::invalid_method},
      {"GET", "", "A", "b", 1, serialize_error::invalid_target},
      {"GET", "/a b", "A", "b", 1, serialize_error::invalid_target},
      {"GET", "/\r\nX: y", "A", "b", 1, serialize_error::invalid_target},
      {"GET", "/\n", "A", "b", 1, serialize_error::invalid_target},
      {"GET", "/\t", "A", "b", 1, serialize_error::invalid_target},
      {"GET", "/\x7f", "A", "b", 1, serialize_error::invalid_target},
      {"GET", "/\x80", "A", "b", 1, serialize_error::invalid_target},
      {"GET", "/", "A", "b", 2, serialize_error::invalid_version},
      {"GET", "/", "A", "b", -1, serialize_error::invalid_version},
      {"GET", "/", "", "b", 1, serialize_error::invalid_header_name},
      {"GET", "/", "X A", "b", 1, serialize_error::invalid_header_name},
      {"GET", "/", "X:A", "b", 1, serialize_error::invalid_header_name},
      {"GET", "/", "X\r\nEvil", "b", 1, serialize_error::invalid_header_name},
      {"GET", "/", "X\n", "b", 1, serialize_error::invalid_header_name},
      {"GET", "/", "X\x80", "b", 1, serialize_error::invalid_header_name},
      {"GET", "/", "A", "b\r\nEvil: 1", 1, serialize_error::invalid_header_value},
      {"GET", "/", "A", "b\r", 1, serialize_error::invalid_header_value},
      {"GET", "/", "A", "b\nc", 1, serialize_error::invalid_header_value},
      {"GET", "/", "A", std::string_view("b\0c", 3), 1, serialize_error::invalid_header_value},
      {"GET", "/", "A", std::string_view("\0", 1), 1, serialize_error::invalid_header_value},
      {"GET", "/", "A", "b\x01", 1, serialize_error::invalid_header_value},
      {"GET", "/", "A", "b\x7f", 1, serialize_error::invalid_header_value},
      {"GET", "/", "A", " b", 1, serialize_error::invalid_header_value},
      {"GET", "/", "A", "b\t", 1, serialize_error::invalid_header_value},
      {"GET", "/", "A", " ", 1, serialize_error::invalid_header_value},
  };
  for (const bad_request& c : cases) {
    std::string out(k_prefix);
    // The bad field comes after a good one, so a serializer that wrote as it
    // validated would already have emitted bytes.
    const header hs[] = {{"Good", "yes"}, {c.name, c.value}};
    EXPECT_EQ(write_request_head(out, c.method, c.target, hs, c.version), c.expected)
        << c.method << ' ' << c.target << ' ' << c.name << ": " << c.value;
    EXPECT_EQ(out, k_prefix);
  }
}

TEST(SerializerResponse, ExactBytes) {
  std::string out(k_prefix);
  const header hs[] = {{"Content-Type", "text/plain"}, {"Content-Length", "5"}};
  ASSERT_EQ(write_response_head(out, 200, "", hs), serialize_error::ok);
  EXPECT_EQ(out, std::string(k_prefix) +
                     "HTTP/1.1 200 OK\r\n"
                     "Content-Type: text/plain\r\n"
                     "Content-Length: 5\r\n"
                     "\r\n");
}

TEST(SerializerResponse, CustomReasonVersionAndStatusDigits) {
  std::string out;
  ASSERT_EQ(write_response_head(out, 404, "Nope \t\x80 here", {}, 0), serialize_error::ok);
  ASSERT_EQ(write_response_head(out, 101, "", {}), serialize_error::ok);
  ASSERT_EQ(write_response_head(out, 999, "", {}), serialize_error::ok);
  ASSERT_EQ(write_response_head(out, 100, "", {}), serialize_error::ok);
  EXPECT_EQ(out,
            "HTTP/1.0 404 Nope \t\x80 here\r\n\r\n"
            "HTTP/1.1 101 Switching Protocols\r\n\r\n"
            "HTTP/1.1 999 \r\n\r\n"  // unregistered: empty reason, SP kept
            "HTTP/1.1 100 Continue\r\n\r\n");
}

TEST(SerializerResponse, RefusalsLeaveOutputUnchanged) {
  struct bad_response {
    int status;
    std::string_view reason, name, value;
    int version;
    serialize_error expected;
  };
  const bad_response cases[] = {
      {99, "", "A", "b", 1, serialize_error::invalid_status},
      {0, "", "A", "b", 1, serialize_error::invalid_status},
      {-200, "", "A", "b", 1, serialize_error::invalid_status},
      {1000, "", "A", "b", 1, serialize_error::invalid_status},
      {200, "OK\r\nSet-Cookie: x", "A", "b", 1, serialize_error::invalid_reason},
      {200, "OK\n", "A", "b", 1, serialize_error::invalid_reason},
      {200, "O\rK", "A", "b", 1, serialize_error::invalid_reason},
      {200, std::string_view("O\0K", 3), "A", "b", 1, serialize_error::invalid_reason},
      {200, "O\x7f", "A", "b", 1, serialize_error::invalid_reason},
      {200, "", "A", "b", 3, serialize_error::invalid_version},
      {200, "", "", "b", 1, serialize_error::invalid_header_name},
      {200, "", "Set-Cookie\r\n", "b", 1, serialize_error::invalid_header_name},
      {200, "", "A", "b\r\n\r\n<html>", 1, serialize_error::invalid_header_value},
      {200, "", "A", "b\n", 1, serialize_error::invalid_header_value},
      {200, "", "A", "b ", 1, serialize_error::invalid_header_value},
  };
  for (const bad_response& c : cases) {
    std::string out(k_prefix);
    const header hs[] = {{"Good", "yes"}, {c.name, c.value}};
    EXPECT_EQ(write_response_head(out, c.status, c.reason, hs, c.version), c.expected)
        << c.status << ' ' << c.reason << ' ' << c.name << ": " << c.value;
    EXPECT_EQ(out, k_prefix);
  }
}

TEST(SerializerResponse, ReasonPhrases) {
  EXPECT_EQ(reason_phrase(200), "OK");
  EXPECT_EQ(reason_phrase(204), "No Content");
  EXPECT_EQ(reason_phrase(304), "Not Modified");
  EXPECT_EQ(reason_phrase(400), "Bad Request");
  EXPECT_EQ(reason_phrase(413), "Content Too Large");
  EXPECT_EQ(reason_phrase(414), "URI Too Long");
  EXPECT_EQ(reason_phrase(422), "Unprocessable Content");
  EXPECT_EQ(reason_phrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(reason_phrase(501), "Not Implemented");
  EXPECT_EQ(reason_phrase(505), "HTTP Version Not Supported");
  EXPECT_EQ(reason_phrase(299), "");
  EXPECT_EQ(reason_phrase(0), "");
  EXPECT_EQ(reason_phrase(-1), "");
  // Every registered phrase must itself be a valid reason.
  for (int s = 100; s <= 999; ++s) {
    std::string out;
    EXPECT_EQ(write_response_head(out, s, "", {}), serialize_error::ok);
    EXPECT_EQ(out,
              "HTTP/1.1 " + std::to_string(s) + " " + std::string(reason_phrase(s)) + "\r\n\r\n");
  }
}

TEST(SerializerErrors, Names) {
  EXPECT_EQ(serialize_error_name(serialize_error::ok), "ok");
  EXPECT_EQ(serialize_error_name(serialize_error::invalid_method), "invalid_method");
  EXPECT_EQ(serialize_error_name(serialize_error::invalid_target), "invalid_target");
  EXPECT_EQ(serialize_error_name(serialize_error::invalid_version), "invalid_version");
  EXPECT_EQ(serialize_error_name(serialize_error::invalid_status), "invalid_status");
  EXPECT_EQ(serialize_error_name(serialize_error::invalid_reason), "invalid_reason");
  EXPECT_EQ(serialize_error_name(serialize_error::invalid_header_name), "invalid_header_name");
  EXPECT_EQ(serialize_error_name(serialize_error::invalid_header_value), "invalid_header_value");
}

TEST(SerializerReuse, SteadyStateDoesNotGrow) {
  std::string out;
  const header hs[] = {{"Server", "httpcore"}, {"Content-Length", "12"}};
  ASSERT_EQ(write_response_head(out, 200, "", hs), serialize_error::ok);
  const std::string first = out;
  const auto capacity = out.capacity();
  const char* data = out.data();
  for (int i = 0; i < 100; ++i) {
    out.clear();
    ASSERT_EQ(write_response_head(out, 200, "", hs), serialize_error::ok);
    ASSERT_EQ(out, first);
  }
  EXPECT_EQ(out.capacity(), capacity);
  EXPECT_EQ(out.data(), data);  // no reallocation
}

TEST(SerializerChunked, HexSizes) {
  std::string out(k_prefix);
  write_chunk(out, "hello");
  EXPECT_EQ(out, std::string(k_prefix) + "5\r\nhello\r\n");

  const std::string big(0x1a2b, 'x');
  out.clear();
  write_chunk(out, big);
  EXPECT_EQ(out, "1a2b\r\n" + big + "\r\n");

  const std::string sixteen(16, 'y');
  out.clear();
  write_chunk(out, sixteen);
  EXPECT_EQ(out, "10\r\n" + sixteen + "\r\n");
}

TEST(SerializerChunked, BinaryPayload) {
  const std::array<std::byte, 4> bytes{std::byte{0}, std::byte{'\r'}, std::byte{'\n'},
                                       std::byte{0xff}};
  std::string out;
  write_chunk(out, std::span<const std::byte>(bytes));
  EXPECT_EQ(out, std::string("4\r\n\0\r\n\xff\r\n", 9));
}

TEST(SerializerChunked, EmptyChunkIsSkipped) {
  std::string out(k_prefix);
  write_chunk(out, std::string_view{});
  write_chunk(out, "");
  write_chunk(out, std::span<const std::byte>{});
  EXPECT_EQ(out, k_prefix);
}

TEST(SerializerChunked, ZeroCopyHeaderAndEnd) {
  std::string out;
  EXPECT_TRUE(write_chunk_header(out, 0x1a2b));
  EXPECT_EQ(out, "1a2b\r\n");
  out.clear();
  EXPECT_TRUE(write_chunk_header(out, 1));
  write_chunk_end(out);
  EXPECT_EQ(out, "1\r\n\r\n");
  out.clear();
  EXPECT_TRUE(write_chunk_header(out, std::numeric_limits<std::size_t>::max()));
  EXPECT_EQ(out, std::string(sizeof(std::size_t) * 2, 'f') + "\r\n");
  out = k_prefix;
  EXPECT_FALSE(write_chunk_header(out, 0));
  EXPECT_EQ(out, k_prefix);
  // Header + payload + end is byte-identical to write_chunk.
  std::string a, b;
  write_chunk(a, "payload");
  write_chunk_header(b, 7);
  b += "payload";
  write_chunk_end(b);
  EXPECT_EQ(a, b);
}

TEST(SerializerChunked, LastChunkAndTrailers) {
  std::string out;
  ASSERT_EQ(write_last_chunk(out), serialize_error::ok);
  EXPECT_EQ(out, "0\r\n\r\n");

  out.clear();
  const header trailers[] = {{"Expires", "never"}, {"Digest", "sha-256=abc"}};
  ASSERT_EQ(write_last_chunk(out, trailers), serialize_error::ok);
  EXPECT_EQ(out, "0\r\nExpires: never\r\nDigest: sha-256=abc\r\n\r\n");
}

TEST(SerializerChunked, BadTrailersLeaveOutputUnchanged) {
  const header bad[][2] = {
      {{"Ok", "1"}, {"", "x"}},
      {{"Ok", "1"}, {"X\r\nY", "x"}},
      {{"Ok", "1"}, {"X", "a\r\n0\r\n\r\n"}},
      {{"Ok", "1"}, {"X", " lead"}},
  };
  const serialize_error expected[] = {
      serialize_error::invalid_header_name, serialize_error::invalid_header_name,
      serialize_error::invalid_header_value, serialize_error::invalid_header_value};
  for (std::size_t i = 0; i < std::size(bad); ++i) {
    std::string out(k_prefix);
    EXPECT_EQ(write_last_chunk(out, bad[i]), expected[i]) << i;
    EXPECT_EQ(out, k_prefix);
  }
}

TEST(SerializerChunked, WholeChunkedMessage) {
  std::string out;
  const header hs[] = {{"Transfer-Encoding", "chunked"}, {"Trailer", "Expires"}};
  ASSERT_EQ(write_request_head(out, "POST", "/upload", hs), serialize_error::ok);
  write_chunk(out, "Wiki");
  write_chunk(out, "");
  write_chunk(out, "pedia in \r\n\r\nchunks.");
  const header tr[] = {{"Expires", "Wed, 21 Oct 2015 07:28:00 GMT"}};
  ASSERT_EQ(write_last_chunk(out, tr), serialize_error::ok);
  EXPECT_EQ(out,
            "POST /upload HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTrailer: Expires\r\n\r\n"
            "4\r\nWiki\r\n"
            "14\r\npedia in \r\n\r\nchunks.\r\n"
            "0\r\nExpires: Wed, 21 Oct 2015 07:28:00 GMT\r\n\r\n");
}

TEST(SerializerContentLength, Digits) {
  EXPECT_EQ(content_length_value(0).view(), "0");
  EXPECT_EQ(content_length_value(7).view(), "7");
  EXPECT_EQ(content_length_value(10).view(), "10");
  EXPECT_EQ(content_length_value(1234567890).view(), "1234567890");
  EXPECT_EQ(content_length_value(std::numeric_limits<std::uint64_t>::max()).view(),
            "18446744073709551615");
  for (std::uint64_t v = 1; v != 0 && v < (std::uint64_t{1} << 63); v = v * 3 + 1) {
    EXPECT_EQ(content_length_value(v).view(), std::to_string(v));
  }
}

TEST(SerializerContentLength, AsHeaderValue) {
  const std::string body = "hello world";
  const content_length_value len(body.size());
  const header hs[] = {{"Content-Length", len.view()}};
  std::string out;
  ASSERT_EQ(write_response_head(out, 200, "", hs), serialize_error::ok);
  out += body;
  EXPECT_EQ(out, "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world");
}

}  // namespace
