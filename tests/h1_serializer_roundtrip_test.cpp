// Round trip: what the HTTP/1 serializer writes, the parser reads back as the
// same method, target, version, status, reason, fields, body and trailers.
// Messages run whole, byte by byte and split at every index (the largest body
// at a sample of split points), against a guard page.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "httpcore/h1/serializer.hpp"
#include "support/h1_driver.hpp"

namespace httpcore::test {
namespace {

using namespace std::string_literals;
using field_list = std::vector<std::pair<std::string, std::string>>;

// ---------------------------------------------------------------------------
// A message as the serializer is asked to write it.

enum class body_kind { none, length, chunked, until_close };
enum class chunk_api { string, bytes, zero_copy };

struct message {
  bool request = true;
  std::string method, target;  // request
  int status = 0;              // response
  std::string reason;          // response; empty means the standard phrase
  int version_minor = 1;
  field_list fields;  // besides the framing field, which write() adds
  body_kind kind = body_kind::none;
  std::vector<std::string> chunks;  // the body, in pieces (one piece unless chunked)
  field_list trailers;              // chunked only
  chunk_api api = chunk_api::string;

  std::string body() const {
    std::string b;
    for (const auto& c : chunks) b += c;
    return b;
  }
};

std::string write(const message& m) {
  std::string body = m.body();
  h1::content_length_value length(body.size());
  std::vector<h1::header> hs;
  for (const auto& [n, v] : m.fields) hs.push_back({n, v});
  if (m.kind == body_kind::length) hs.push_back({"Content-Length", length.view()});
  if (m.kind == body_kind::chunked) hs.push_back({"Transfer-Encoding", "chunked"});
  std::string out;
  h1::serialize_error e =
      m.request ? h1::write_request_head(out, m.method, m.target, hs, m.version_minor)
                : h1::write_response_head(out, m.status, m.reason, hs, m.version_minor);
  EXPECT_EQ(e, h1::serialize_error::ok) << h1::serialize_error_name(e);
  if (m.kind == body_kind::length || m.kind == body_kind::until_close) out += body;
  if (m.kind == body_kind::chunked) {
    for (const auto& c : m.chunks) {
      switch (m.api) {
        case chunk_api::string:
          h1::write_chunk(out, c);
          break;
        case chunk_api::bytes:
          h1::write_chunk(out, std::as_bytes(std::span<const char>(c.data(), c.size())));
          break;
        case chunk_api::zero_copy:
          if (h1::write_chunk_header(out, c.size())) {
            out += c;  // the payload, as its own iovec would send it
            h1::write_chunk_end(out);
          }
          break;
      }
    }
    std::vector<h1::header> ts;
    for (const auto& [n, v] : m.trailers) ts.push_back({n, v});
    e = h1::write_last_chunk(out, ts);
    EXPECT_EQ(e, h1::serialize_error::ok) << h1::serialize_error_name(e);
  }
  return out;
}

// ---------------------------------------------------------------------------
// A message as the parser reported it, rebuilt from the driver's event log.

struct parsed {
  bool request = true;
  std::string method, target;
  int status = 0;
  std::string reason;
  std::string version;  // "1.1"
  int framing = -1;
  field_list fields;
  std::string body;
  field_list trailers;
  bool ended = false;
};

// "\n  H name: value" lines after the first line of an entry.
field_list fields_of(std::string_view entry, std::string_view tag) {
  field_list out;
  std::string marker = "\n  " + std::string(tag) + " ";
  std::size_t at = entry.find(marker);
  while (at != std::string_view::npos) {
    std::size_t begin = at + marker.size();
    std::size_t next = entry.find(marker, begin);
    std::string_view line =
        entry.substr(begin, next == std::string_view::npos ? next : next - begin);
    std::size_t colon = line.find(": ");
    EXPECT_NE(colon, std::string_view::npos) << line;
    out.emplace_back(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
    at = next;
  }
  return out;
}

std::string word_after(std::string_view line, std::string_view key) {
  std::size_t at = line.find(key);
  if (at == std::string_view::npos) return {};
  at += key.size();
  return std::string(line.substr(at, line.find(' ', at) - at));
}

// Returns the messages; any line the log ends with that is not an event (an
// error, "rest N") is left in `tail`.
std::vector<parsed> messages_of(const event_log& log, std::string* tail) {
  std::vector<parsed> out;
  for (const std::string& entry : log) {
    std::string_view first = std::string_view(entry).substr(0, entry.find('\n'));
    if (entry.rfind("request ", 0) == 0) {
      parsed p;
      p.request = true;
      std::size_t m_end = first.find(' ', 8);
      p.method = first.substr(8, m_end - 8);
      std::size_t t_end = first.find(" HTTP/", m_end + 1);
      p.target = first.substr(m_end + 1, t_end - m_end - 1);
      p.version = word_after(first.substr(t_end), " HTTP/");
      p.framing = std::stoi(word_after(first, " framing="));
      p.fields = fields_of(entry, "H");
      out.push_back(std::move(p));
    } else if (entry.rfind("response ", 0) == 0) {
      parsed p;
      p.request = false;
      p.status = std::stoi(std::string(first.substr(9, 3)));
      std::size_t r_end = first.rfind("' HTTP/");
      p.reason = first.substr(14, r_end - 14);
      p.version = word_after(first.substr(r_end), " HTTP/");
      p.framing = std::stoi(word_after(first, " framing="));
      p.fields = fields_of(entry, "H");
      out.push_back(std::move(p));
    } else if (entry.rfind("body ", 0) == 0 && !out.empty()) {
      out.back().body += entry.substr(5);
    } else if (entry.rfind("end", 0) == 0 && !out.empty()) {
      out.back().trailers = fields_of(entry, "T");
      out.back().ended = true;
    } else {
      *tail += entry + "\n";
    }
  }
  return out;
}

// Checks that `got` is what `want` was serialized from.
void expect_same(const message& want, const parsed& got) {
  EXPECT_EQ(got.request, want.request);
  if (want.request) {
    EXPECT_EQ(got.method, want.method);
    EXPECT_EQ(got.target, want.target);
  } else {
    EXPECT_EQ(got.status, want.status);
    EXPECT_EQ(got.reason,
              want.reason.empty() ? std::string(h1::reason_phrase(want.status)) : want.reason);
  }
  EXPECT_EQ(got.version, "1." + std::to_string(want.version_minor));
  field_list fields = want.fields;
  std::string body = want.body();
  if (want.kind == body_kind::length)
    fields.emplace_back("Content-Length", std::to_string(body.size()));
  if (want.kind == body_kind::chunked) fields.emplace_back("Transfer-Encoding", "chunked");
  EXPECT_EQ(got.fields, fields);
  if (want.kind == body_kind::length && body.empty()) {
    // "Content-Length: 0" may be reported as either: no body, or a body of 0 bytes.
    EXPECT_TRUE(got.framing == 0 || got.framing == 1) << got.framing;
  } else {
    int framing = want.kind == body_kind::length        ? 1
                  : want.kind == body_kind::chunked     ? 2
                  : want.kind == body_kind::until_close ? 3
                                                        : 0;
    EXPECT_EQ(got.framing, framing);
  }
  EXPECT_EQ(got.body.size(), body.size());
  EXPECT_TRUE(got.body == body) << "bodies differ";
  EXPECT_EQ(got.trailers, want.trailers);
  EXPECT_TRUE(got.ended);
}

// Serializes the messages into one stream, parses it (every split) and
// compares message by message. Most requests here omit Host, which is no
// concern of the serializer's.
void round_trip(const std::vector<message>& msgs, h1_config cfg = server_ignoring_host()) {
  std::string wire;
  for (const auto& m : msgs) wire += write(m);
  std::string mismatch;
  event_log log = run_h1_all_splits(cfg, wire, &mismatch);
  EXPECT_EQ(mismatch, "");
  std::string tail;
  std::vector<parsed> got = messages_of(log, &tail);
  EXPECT_EQ(tail, "");
  ASSERT_EQ(got.size(), msgs.size()) << ::testing::PrintToString(log);
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    SCOPED_TRACE("message " + std::to_string(i));
    expect_same(msgs[i], got[i]);
  }
}

h1_config client(std::vector<httpcore::method> methods = {}) {
  h1_config c;
  c.role = h1::role::client;
  c.request_methods = std::move(methods);
  return c;
}

// Every byte value, several times, with CRLFs and a fake last chunk inside.
std::string binary_bytes() {
  std::string b = "\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n";
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 256; ++i) b.push_back(static_cast<char>(round == 0 ? i : 255 - i));
  b += "\r\n\r\n"s + "\0\0\0"s + "\n\r";
  return b;
}

// Deterministic pseudo-random bytes.
std::string noise(std::size_t n, std::uint32_t seed) {
  std::string s(n, '\0');
  for (auto& ch : s) {
    seed = seed * 1664525u + 1013904223u;
    ch = static_cast<char>(seed >> 24);
  }
  return s;
}

// ---------------------------------------------------------------------------

TEST(H1RoundTrip, RequestHeads) {
  message get;
  get.method = "GET";
  get.target = "/index.html?q=1&r=%20x";
  get.fields = {{"Host", "example.com"},
                {"accept", "*/*"},
                {"X-Empty", ""},
                {"X-Inner", "a\tb  c:d, \"e\""},
                {"X-Obs", "caf\xc3\xa9 \x80\xff"},
                {"X-Dup", "1"},
                {"X-Dup", "2"}};
  message absolute;
  absolute.method = "DELETE";
  absolute.target = "http://example.com:8080/a/b?c";
  message options;
  options.method = "OPTIONS";
  options.target = "*";
  options.fields = {{"Connection", "keep-alive"}};
  options.version_minor = 0;  // HTTP/1.0 with keep-alive, so the stream goes on
  message custom;
  custom.method = "M-SEARCH!#$%&'*+.^_`|~";
  custom.target = "/";
  round_trip({get, absolute, options, custom});
}

TEST(H1RoundTrip, RequestBodies) {
  message post;
  post.method = "POST";
  post.target = "/upload";
  post.fields = {{"Content-Type", "application/octet-stream"}};
  post.kind = body_kind::length;
  post.chunks = {binary_bytes()};
  message empty;
  empty.method = "PUT";
  empty.target = "/empty";
  empty.kind = body_kind::length;
  empty.chunks = {""};
  message put;
  put.method = "PUT";
  put.target = "/chunks";
  put.kind = body_kind::chunked;
  put.chunks = {"a", binary_bytes(), "", std::string(17, 'x'),
                std::string(256, 'y')};  // "" writes nothing
  put.trailers = {{"Expires", "Wed, 21 Oct 2015 07:28:00 GMT"}, {"X-Checksum", "sha-256=:abc=:"}};
  message no_trailers;
  no_trailers.method = "PATCH";
  no_trailers.target = "/p";
  no_trailers.kind = body_kind::chunked;
  no_trailers.chunks = {"only"};
  message bytes = put;
  bytes.api = chunk_api::bytes;
  bytes.target = "/bytes";
  message zero_copy = put;
  zero_copy.api = chunk_api::zero_copy;
  zero_copy.target = "/zero-copy";
  message last;
  last.method = "POST";
  last.target = "/last";
  last.version_minor = 0;  // closes the connection: last in the stream
  last.kind = body_kind::length;
  last.chunks = {"bye"};
  round_trip({post, empty, put, no_trailers, bytes, zero_copy, last});
}

TEST(H1RoundTrip, ResponseHeads) {
  auto response = [](int status, std::string reason = {}) {
    message m;
    m.request = false;
    m.status = status;
    m.reason = std::move(reason);
    m.kind = body_kind::length;
    m.chunks = {""};
    return m;
  };
  message interim = response(100);
  interim.kind = body_kind::none;
  message ok = response(200);
  ok.fields = {{"Server", "httpcore"}, {"Date", "Sun, 06 Nov 1994 08:49:37 GMT"}};
  ok.chunks = {"hello"};
  message not_found = response(404);
  not_found.chunks = {"nope"};
  message custom = response(299, "Custom \t Reason \x80\xff (x)");
  message unregistered = response(599);  // no standard phrase: the reason is empty
  message no_content = response(204);
  no_content.kind = body_kind::none;
  message not_modified = response(304);
  not_modified.kind = body_kind::none;
  not_modified.fields = {{"ETag", "\"abc\""}};
  message http10 = response(200);
  http10.version_minor = 0;
  http10.fields = {{"Connection", "keep-alive"}};
  http10.chunks = {"ten"};
  round_trip({interim, ok, not_found, custom, unregistered, no_content, not_modified, http10},
             client());
}

TEST(H1RoundTrip, ResponseBodies) {
  message chunked;
  chunked.request = false;
  chunked.status = 200;
  chunked.kind = body_kind::chunked;
  chunked.chunks = {binary_bytes(), "\r\n", "0\r\n\r\n"};
  chunked.trailers = {{"Server-Timing", "db;dur=53"}, {"X-Empty", ""}};
  message head = chunked;  // a response to HEAD: the head only
  head.kind = body_kind::none;
  head.chunks.clear();
  head.trailers.clear();
  head.fields = {{"Content-Length", "1234"}};
  message binary;
  binary.request = false;
  binary.status = 206;
  binary.kind = body_kind::length;
  binary.chunks = {binary_bytes()};
  message until_close;
  until_close.request = false;
  until_close.status = 200;
  until_close.version_minor = 0;
  until_close.kind = body_kind::until_close;  // no framing field: ends at finish()
  until_close.chunks = {"everything until the connection closes\r\n0\r\n\r\n"};
  round_trip({chunked, head, binary, until_close},
             client({method::get, method::head, method::get, method::get}));
}

TEST(H1RoundTrip, ConnectAndUpgradeHandOverTheRest) {
  message connect;
  connect.method = "CONNECT";
  connect.target = "example.com:443";
  connect.fields = {{"Host", "example.com:443"}};
  std::string wire = write(connect) + "\x16\x03\x01 tls bytes";
  std::string mismatch;
  event_log log = run_h1_all_splits({}, wire, &mismatch);
  EXPECT_EQ(mismatch, "");
  std::string tail;
  auto got = messages_of(log, &tail);
  ASSERT_EQ(got.size(), 1u);
  expect_same(connect, got[0]);
  EXPECT_EQ(tail, "upgraded 1\nrest 13\n");

  message switching;
  switching.request = false;
  switching.status = 101;
  switching.fields = {{"Upgrade", "websocket"}, {"Connection", "Upgrade"}};
  wire = write(switching) + "\x81\x05hello";
  mismatch.clear();
  log = run_h1_all_splits(client(), wire, &mismatch);
  EXPECT_EQ(mismatch, "");
  tail.clear();
  got = messages_of(log, &tail);
  ASSERT_EQ(got.size(), 1u);
  expect_same(switching, got[0]);
  EXPECT_EQ(got[0].reason, "Switching Protocols");
  EXPECT_EQ(tail, "upgraded 0\nrest 7\n");
}

TEST(H1RoundTrip, ChunkSizesAcrossHexDigitBoundaries) {
  // Sizes whose hex forms have 1 to 4 digits; every split of the whole stream.
  message m;
  m.method = "POST";
  m.target = "/sizes";
  m.kind = body_kind::chunked;
  std::uint32_t seed = 1;
  for (std::size_t n : {1u, 15u, 16u, 17u, 255u, 256u, 4095u, 4096u, 4097u})
    m.chunks.push_back(noise(n, seed++));
  m.trailers = {{"X-Count", std::to_string(m.chunks.size())}};
  round_trip({m});
}

TEST(H1RoundTrip, LargeChunkedBody) {
  // About 1 MiB in chunks of many sizes (up to five hex digits), binary. Every
  // split of this would take too long: whole, byte by byte, and a sample.
  message m;
  m.method = "PUT";
  m.target = "/large";
  m.kind = body_kind::chunked;
  std::uint32_t seed = 7;
  std::size_t total = 0;
  const std::size_t sizes[] = {1, 2, 15, 16, 17, 255, 4096, 4097, 65535, 65536, 100000, 300001};
  for (std::size_t i = 0; total < (1u << 20); ++i) {
    std::size_t n = sizes[i % std::size(sizes)];
    m.chunks.push_back(noise(n, seed++));
    total += n;
  }
  m.trailers = {{"X-Total", std::to_string(total)}};
  m.api = chunk_api::zero_copy;
  message after;
  after.method = "GET";
  after.target = "/after";
  std::string wire = write(m) + write(after);

  h1_config cfg = server_ignoring_host();
  cfg.limits.max_body_bytes = total;  // exactly enough
  std::vector<std::vector<std::size_t>> splits = {{}, std::vector<std::size_t>(wire.size(), 1)};
  for (std::size_t at = 1; at < wire.size(); at += wire.size() / 25) splits.push_back({at});
  for (std::size_t at : {std::size_t{1}, wire.size() / 2, wire.size() - 1}) splits.push_back({at});
  splits.push_back({4096, 4096, 4096, 65536, 3, 1, 100000});  // uneven pieces, then the rest
  event_log first;
  for (const auto& pieces : splits) {
    event_log log = run_h1(cfg, wire, pieces);
    if (first.empty()) {
      first = log;
      std::string tail;
      auto got = messages_of(log, &tail);
      EXPECT_EQ(tail, "");
      ASSERT_EQ(got.size(), 2u);
      expect_same(m, got[0]);
      expect_same(after, got[1]);
    } else {
      ASSERT_TRUE(log == first) << "pieces: " << ::testing::PrintToString(pieces);
    }
  }
  // One byte less of budget and the body is refused.
  cfg.limits.max_body_bytes = total - 1;
  event_log refused = run_h1(cfg, wire);
  ASSERT_FALSE(refused.empty());
  EXPECT_EQ(refused.back().rfind("error body_too_large at ", 0), 0u) << refused.back();
}

// The serializer's promise, byte by byte: for every byte value placed inside a
// field name, a field value, a request-target and a reason phrase, the
// serializer writes the head exactly when the (strict) parser reads it back.
// Both judge with one table (detail/byte_class.hpp); a second, drifting copy
// on either side would fail here.
bool parses(h1::role role, std::string_view wire) {
  h1::lenient_flags lenient;
  lenient.host = true;  // the requests omit Host, which is not what this is about
  h1::parser p(role, {}, lenient);
  for (;;) {
    h1::result r = p.feed(wire);
    if (r.err) return false;
    if (std::holds_alternative<h1::need_more>(r.ev)) return false;
    if (std::holds_alternative<h1::request_head>(r.ev) ||
        std::holds_alternative<h1::response_head>(r.ev))
      return true;
    wire.remove_prefix(r.consumed);
  }
}

TEST(H1RoundTrip, SerializerWritesExactlyTheBytesTheParserReads) {
  int accepted = 0;
  for (int b = 0; b < 256; ++b) {
    const char ch = static_cast<char>(b);
    SCOPED_TRACE("byte " + std::to_string(b));
    const std::string mid = "a"s + ch + "a";
    // In a name the byte comes first: "a:a: v" is the field "a" with value "a: v".
    const std::string name_first = ch + "a"s;
    struct probe {
      h1::role role;
      h1::serialize_error err;
      std::string out;
    };
    std::vector<probe> probes;
    {
      const h1::header name[] = {{name_first, "v"}};
      const h1::header value[] = {{"X", mid}};
      probe p1{h1::role::server, {}, {}}, p2{h1::role::server, {}, {}};
      p1.err = h1::write_request_head(p1.out, "GET", "/", name);
      p2.err = h1::write_request_head(p2.out, "GET", "/" + mid, {});
      probe p3{h1::role::server, {}, {}}, p4{h1::role::client, {}, {}};
      p3.err = h1::write_request_head(p3.out, "GET", "/", value);
      p4.err = h1::write_response_head(p4.out, 200, mid, {});
      probes = {p1, p2, p3, p4};
    }
    for (const probe& p : probes) {
      const bool written = p.err == h1::serialize_error::ok;
      accepted += written;
      if (written) {
        EXPECT_TRUE(parses(p.role, p.out)) << ::testing::PrintToString(p.out);
      }
    }
    // What the serializer refuses, the parser refuses too, written by hand.
    const std::string by_hand[] = {
        "GET / HTTP/1.1\r\n" + name_first + ": v\r\n\r\n", "GET /" + mid + " HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\nX: " + mid + "\r\n\r\n", "HTTP/1.1 200 " + mid + "\r\n\r\n"};
    for (std::size_t i = 0; i < probes.size(); ++i) {
      const bool written = probes[i].err == h1::serialize_error::ok;
      EXPECT_EQ(parses(probes[i].role, by_hand[i]), written)
          << "probe " << i << ": " << ::testing::PrintToString(by_hand[i]);
    }
  }
  // tchar (77) in names; HTAB, SP, VCHAR and obs-text (224) in values and
  // reasons; VCHAR (94) in targets.
  EXPECT_EQ(accepted, 77 + 224 + 94 + 224);
}

}  // namespace
}  // namespace httpcore::test
