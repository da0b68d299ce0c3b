// The WebSocket opening handshake (RFC 6455 §4): SHA-1 and base64 against
// their standards' vectors, the extension field grammar, every server-side
// validation rule, subprotocol and extension negotiation, and the client's
// request and checks, end to end through the HTTP/1 parser and serializer.
#include "httpcore/ws/handshake.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "detail/base64.hpp"
#include "detail/sha1.hpp"
#include "httpcore/h1/parser.hpp"
#include "httpcore/ws/extensions.hpp"

namespace {

namespace ws = httpcore::ws;
namespace h1 = httpcore::h1;
using ws::handshake_error;

std::string hex(std::span<const std::uint8_t> bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t b : bytes) {
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

std::string sha1_hex(std::string_view s) {
  return hex(httpcore::detail::sha1_of(s));
}

std::string b64(std::string_view s) {
  return httpcore::detail::base64_encode(
      std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

// ------------------------------------------------------------------ SHA-1 ---

TEST(Sha1, Fips180Vectors) {
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(sha1_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                     "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"),
            "a49b2446a02c645bf419f995b67091253a04a259");
  EXPECT_EQ(sha1_hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(Sha1, PaddingBoundaries) {
  // Lengths around the 55/56 and 64-byte block edges (expected values from
  // Python's hashlib).
  const std::pair<std::size_t, std::string_view> cases[] = {
      {55, "aecd1643c9903b9bae8cb94f53c50f8a4e18605b"},
      {56, "f5d65c621c02cc8e785159feff8088e3072da1bc"},
      {63, "4952f0fe097e4d6410ae9eab4855aa836caf3bff"},
      {64, "1e17ae1fc093e5daca033553c97a5192ca164486"},
      {65, "ac44f5dbe3e9b5d2733fc9537fcad715c3c20bc3"},
      {119, "b4a4e69060d0b1e7e8ebbf7041a4211c63438b57"},
      {120, "b651390c2996406336a3f6647e4b590c18cdd6f8"}};
  for (const auto& [n, want] : cases) {
    std::string input;
    for (std::size_t i = 0; i < n; ++i) input += static_cast<char>((i * 7) & 255);
    EXPECT_EQ(sha1_hex(input), want) << n;
    // Fed in two pieces at every split point, the digest is the same.
    for (std::size_t split = 0; split <= n; ++split) {
      httpcore::detail::sha1 h;
      h.update(std::string_view(input).substr(0, split));
      h.update(std::string_view(input).substr(split));
      ASSERT_EQ(hex(h.finish()), want) << n << " split at " << split;
    }
  }
}

// ----------------------------------------------------------------- base64 ---

TEST(Base64, Rfc4648Vectors) {
  const std::pair<std::string_view, std::string_view> vectors[] = {{"", ""},
                                                                   {"f", "Zg=="},
                                                                   {"fo", "Zm8="},
                                                                   {"foo", "Zm9v"},
                                                                   {"foob", "Zm9vYg=="},
                                                                   {"fooba", "Zm9vYmE="},
                                                                   {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(b64(plain), encoded);
    const auto decoded = httpcore::detail::base64_decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64, AllByteValuesRoundTrip) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t n = 0; n <= all.size(); n += 17) {
    const auto back = httpcore::detail::base64_decode(b64(all.substr(0, n)));
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, all.substr(0, n));
  }
}

TEST(Base64, RejectsNonCanonicalOrMalformed) {
  for (std::string_view bad : {"Zg", "Zg=", "Zm9", "Zh==", "Zm9=", "Z===", "====", "Zg==Zg==",
                               "Zm 9v", "Zm9v\n", "Zm-v", "Zm_v", "Zg=a", "=Zg="}) {
    EXPECT_FALSE(httpcore::detail::base64_decode(bad)) << bad;
  }
}

// --------------------------------------------------- extension field parse ---

TEST(ExtensionsField, ParsesOffersAndParameters) {
  std::vector<ws::extension> out;
  ASSERT_TRUE(ws::parse_extensions(
      "permessage-deflate; client_max_window_bits; server_max_window_bits=10 ,"
      " permessage-deflate;server_no_context_takeover, x-foo ; a = \"b\\c\" ;d=1",
      out));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].name, "permessage-deflate");
  ASSERT_EQ(out[0].params.size(), 2u);
  EXPECT_EQ(out[0].params[0].name, "client_max_window_bits");
  EXPECT_FALSE(out[0].params[0].has_value);
  EXPECT_EQ(out[0].params[1].name, "server_max_window_bits");
  EXPECT_TRUE(out[0].params[1].has_value);
  EXPECT_EQ(out[0].params[1].value, "10");
  EXPECT_EQ(out[1].params.at(0).name, "server_no_context_takeover");
  EXPECT_EQ(out[2].name, "x-foo");
  EXPECT_EQ(out[2].params.at(0).value, "bc");  // quoted-pair unescaped
  EXPECT_EQ(out[2].params.at(1).value, "1");
  // A second field line appends to the same list; empty elements are skipped.
  ASSERT_TRUE(ws::parse_extensions(" , x-bar,,", out));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[3].name, "x-bar");
}

TEST(ExtensionsField, RejectsWhatTheGrammarDoesNot) {
  for (std::string_view bad :
       {"", " ", ",", "a;", "a; =1", "a; b=", "a; b=\"\"", "a; b=\"x y\"", "a; b=\"x", "a b",
        "a; b c", "a;b=1=2", "a=1", "a; b=@", "(a)", "a; b=\"\x01\""}) {
    std::vector<ws::extension> out;
    EXPECT_FALSE(ws::parse_extensions(bad, out)) << "'" << bad << "'";
    EXPECT_TRUE(out.empty()) << bad;
  }
}

// ------------------------------------------------------------ server side ---

constexpr std::string_view sample_key = "dGhlIHNhbXBsZSBub25jZQ==";

TEST(Accept, Rfc6455Example) {
  // RFC 6455 §1.3 / §4.2.2.
  EXPECT_EQ(ws::compute_accept(sample_key), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

// A request head over an owned header list.
struct request {
  std::vector<h1::header> headers = {{"Host", "server.example.com"},
                                     {"Upgrade", "websocket"},
                                     {"Connection", "Upgrade"},
                                     {"Sec-WebSocket-Key", sample_key},
                                     {"Sec-WebSocket-Version", "13"}};
  h1::request_head head;
  request() {
    head.method = "GET";
    head.method_id = httpcore::method::get;
    head.target = "/chat";
  }
  request& without(std::string_view name) {
    std::erase_if(headers, [&](const h1::header& h) { return ws::ascii_iequals(h.name, name); });
    return *this;
  }
  request& set(std::string_view name, std::string_view value) {
    without(name);
    headers.push_back({name, value});
    return *this;
  }
  request& add(std::string_view name, std::string_view value) {
    headers.push_back({name, value});
    return *this;
  }
  ws::server_handshake_result accept(const ws::server_options& o = {}) {
    head.headers = headers;
    return ws::accept_handshake(head, o);
  }
};

TEST(ServerHandshake, AcceptsTheRfcExample) {
  auto r = request{}.accept();
  ASSERT_TRUE(r) << r.error_name();
  EXPECT_EQ(r.status, 101);
  EXPECT_EQ(r.accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_TRUE(r.subprotocol.empty());
  EXPECT_FALSE(r.deflate);
  const auto f = r.fields();
  ASSERT_EQ(f.count, 3u);
  EXPECT_EQ(f.items[0].name, "Upgrade");
  EXPECT_EQ(f.items[0].value, "websocket");
  EXPECT_EQ(f.items[1].name, "Connection");
  EXPECT_EQ(f.items[1].value, "Upgrade");
  EXPECT_EQ(f.items[2].name, "Sec-WebSocket-Accept");
  EXPECT_EQ(f.items[2].value, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(ServerHandshake, TokensAreCaseInsensitiveListsAcrossLines) {
  request q;
  q.set("upgrade", "foo/2, WebSocket").set("connection", "keep-alive").add("CONNECTION", "UPGRADE");
  EXPECT_TRUE(q.accept()) << q.accept().error_name();
  request q2;
  q2.set("Upgrade", "h2c").add("Upgrade", "websocket").set("Connection", "keep-alive, Upgrade");
  EXPECT_TRUE(q2.accept());
  request q3;  // the key may carry surrounding whitespace (OWS is not part of a field value)
  q3.set("Sec-WebSocket-Key", " dGhlIHNhbXBsZSBub25jZQ== ");
  EXPECT_EQ(q3.accept().accept, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

struct failure_case {
  const char* what;
  void (*mutate)(request&);
  int status;
  handshake_error error;
};

TEST(ServerHandshake, EveryValidationRule) {
  const failure_case cases[] = {
      {"POST", [](request& q) { q.head.method = "POST"; }, 400, handshake_error::method_not_get},
      {"lower-case get", [](request& q) { q.head.method = "get"; }, 400,
       handshake_error::method_not_get},
      {"HTTP/1.0", [](request& q) { q.head.version_minor = 0; }, 400,
       handshake_error::http_version_too_old},
      {"no Host", [](request& q) { q.without("host"); }, 400, handshake_error::missing_host},
      {"no Upgrade", [](request& q) { q.without("upgrade"); }, 400,
       handshake_error::missing_upgrade_websocket},
      {"Upgrade: h2c", [](request& q) { q.set("Upgrade", "h2c"); }, 400,
       handshake_error::missing_upgrade_websocket},
      {"Upgrade: websockets", [](request& q) { q.set("Upgrade", "websockets"); }, 400,
       handshake_error::missing_upgrade_websocket},
      {"no Connection", [](request& q) { q.without("connection"); }, 400,
       handshake_error::missing_connection_upgrade},
      {"Connection: keep-alive", [](request& q) { q.set("Connection", "keep-alive"); }, 400,
       handshake_error::missing_connection_upgrade},
      {"Connection: upgraded", [](request& q) { q.set("Connection", "upgraded"); }, 400,
       handshake_error::missing_connection_upgrade},
      {"no version", [](request& q) { q.without("sec-websocket-version"); }, 426,
       handshake_error::unsupported_version},
      {"version 8", [](request& q) { q.set("Sec-WebSocket-Version", "8"); }, 426,
       handshake_error::unsupported_version},
      {"version 13, 8", [](request& q) { q.set("Sec-WebSocket-Version", "13, 8"); }, 426,
       handshake_error::unsupported_version},
      {"version twice", [](request& q) { q.add("Sec-WebSocket-Version", "13"); }, 426,
       handshake_error::unsupported_version},
      {"version 013", [](request& q) { q.set("Sec-WebSocket-Version", "013"); }, 426,
       handshake_error::unsupported_version},
      {"version checked before key",
       [](request& q) {
         q.set("Sec-WebSocket-Version", "7");
         q.without("sec-websocket-key");
       },
       426, handshake_error::unsupported_version},
      {"no key", [](request& q) { q.without("sec-websocket-key"); }, 400,
       handshake_error::missing_key},
      {"empty key", [](request& q) { q.set("Sec-WebSocket-Key", ""); }, 400,
       handshake_error::invalid_key},
      {"key of 15 bytes", [](request& q) { q.set("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA"); },
       400, handshake_error::invalid_key},
      {"key of 17 bytes",
       [](request& q) { q.set("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAAA="); }, 400,
       handshake_error::invalid_key},
      {"key not base64", [](request& q) { q.set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ!="); },
       400, handshake_error::invalid_key},
      {"key unpadded", [](request& q) { q.set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ"); },
       400, handshake_error::invalid_key},
      {"two keys", [](request& q) { q.add("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA=="); }, 400,
       handshake_error::invalid_key},
      {"bad subprotocol list",
       [](request& q) { q.set("Sec-WebSocket-Protocol", "chat, \"soap\""); }, 400,
       handshake_error::invalid_subprotocols},
      {"bad extensions", [](request& q) { q.set("Sec-WebSocket-Extensions", "a; =1"); }, 400,
       handshake_error::invalid_extensions},
  };
  for (const failure_case& c : cases) {
    request q;
    c.mutate(q);
    const auto r = q.accept({});
    EXPECT_FALSE(r) << c.what;
    EXPECT_EQ(r.status, c.status) << c.what;
    EXPECT_EQ(r.error, c.error) << c.what << ": got " << r.error_name();
    EXPECT_TRUE(r.accept.empty()) << c.what;
    const auto f = r.fields();
    if (c.status == 426) {
      ASSERT_EQ(f.count, 1u) << c.what;
      EXPECT_EQ(f.items[0].name, "Sec-WebSocket-Version");
      EXPECT_EQ(f.items[0].value, "13");
    } else {
      EXPECT_EQ(f.count, 0u) << c.what;
    }
  }
}

TEST(ServerHandshake, ErrorNamesAreDistinct) {
  std::vector<std::string_view> names;
  for (int i = 0; i <= static_cast<int>(handshake_error::invalid_extension_response); ++i) {
    const auto name = ws::handshake_error_name(static_cast<handshake_error>(i));
    EXPECT_NE(name, "unknown");
    for (auto n : names) EXPECT_NE(n, name);
    names.push_back(name);
  }
}

TEST(ServerHandshake, SubprotocolIsTheClientsFirstThatWeSpeak) {
  const std::string_view ours[] = {"superchat", "chat"};
  ws::server_options o;
  o.subprotocols = ours;
  {
    request q;
    q.set("Sec-WebSocket-Protocol", "v2.other, chat, superchat");
    auto r = q.accept(o);
    ASSERT_TRUE(r);
    EXPECT_EQ(r.subprotocol, "chat");  // the client's preference order wins
    const auto f = r.fields();
    ASSERT_EQ(f.count, 4u);
    EXPECT_EQ(f.items[3].name, "Sec-WebSocket-Protocol");
    EXPECT_EQ(f.items[3].value, "chat");
  }
  {
    request q;  // the field repeats: one list, in order
    q.set("Sec-WebSocket-Protocol", "x").add("Sec-WebSocket-Protocol", "superchat, chat");
    EXPECT_EQ(q.accept(o).subprotocol, "superchat");
  }
  {
    request q;  // names are case-sensitive; nothing in common: no subprotocol
    q.set("Sec-WebSocket-Protocol", "Chat, SUPERCHAT");
    auto r = q.accept(o);
    ASSERT_TRUE(r);
    EXPECT_TRUE(r.subprotocol.empty());
    EXPECT_EQ(r.fields().count, 3u);
  }
  {
    request q;  // the server speaks none: none chosen
    q.set("Sec-WebSocket-Protocol", "chat");
    EXPECT_TRUE(q.accept({}).subprotocol.empty());
  }
}

TEST(ServerHandshake, DeflateNegotiatedFromRepeatedFields) {
  ws::server_options o;
  o.deflate = ws::deflate_options{};
  {
    request q;  // the first offer is invalid (unknown parameter), the second is taken
    q.set("Sec-WebSocket-Extensions", "x-webkit-deflate-frame, permessage-deflate; foo=1")
        .add("Sec-WebSocket-Extensions",
             "permessage-deflate; client_max_window_bits; server_max_window_bits=12");
    auto r = q.accept(o);
    ASSERT_TRUE(r) << r.error_name();
    ASSERT_TRUE(r.deflate);
    EXPECT_EQ(r.deflate->server_max_window_bits, 12);
    EXPECT_EQ(r.deflate->client_max_window_bits, 15);
    EXPECT_EQ(r.extensions, "permessage-deflate; server_max_window_bits=12");
    const auto f = r.fields();
    ASSERT_EQ(f.count, 4u);
    EXPECT_EQ(f.items[3].name, "Sec-WebSocket-Extensions");
    EXPECT_EQ(f.items[3].value, r.extensions);
  }
  {
    request q;  // deflate offered but the server does not want it
    q.set("Sec-WebSocket-Extensions", "permessage-deflate");
    auto r = q.accept({});
    ASSERT_TRUE(r);
    EXPECT_FALSE(r.deflate);
    EXPECT_TRUE(r.extensions.empty());
  }
  {
    request q;  // only invalid offers: accepted without compression
    q.set("Sec-WebSocket-Extensions",
          "permessage-deflate; server_max_window_bits, permessage-deflate; "
          "client_no_context_takeover; client_no_context_takeover");
    auto r = q.accept(o);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r.deflate);
    EXPECT_EQ(r.fields().count, 3u);
  }
}

// ------------------------------------------------------------ client side ---

constexpr std::array<std::uint8_t, 16> sample_nonce = {'t', 'h', 'e', ' ', 's', 'a', 'm', 'p',
                                                       'l', 'e', ' ', 'n', 'o', 'n', 'c', 'e'};

// Parses a whole response head with the real HTTP/1 parser (client role) and
// keeps the bytes alive alongside it.
struct parsed_response {
  std::string bytes;
  h1::parser parser{h1::role::client};
  h1::response_head head;
  explicit parsed_response(std::string text) : bytes(std::move(text)) {
    auto r = parser.feed(std::as_bytes(std::span(bytes.data(), bytes.size())));
    EXPECT_FALSE(r.err) << r.err.name();
    const auto* h = std::get_if<h1::response_head>(&r.ev);
    EXPECT_NE(h, nullptr);
    if (h) head = *h;
  }
};

TEST(ClientHandshake, RequestCarriesKeyVersionAndOffers) {
  const std::string_view protocols[] = {"chat", "superchat"};
  ws::client_options o;
  o.host = "server.example.com";
  o.target = "/chat";
  o.origin = "http://example.com";
  o.subprotocols = protocols;
  o.deflate = ws::deflate_options{};
  ws::client_handshake c(o, sample_nonce);
  EXPECT_EQ(c.key(), "dGhlIHNhbXBsZSBub25jZQ==");
  EXPECT_EQ(c.expected_accept(), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  std::string out;
  ASSERT_EQ(c.write_request(out), h1::serialize_error::ok);
  EXPECT_EQ(out,
            "GET /chat HTTP/1.1\r\n"
            "Host: server.example.com\r\n"
            "Upgrade: websocket\r\n"
            "Connection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\n"
            "Origin: http://example.com\r\n"
            "Sec-WebSocket-Protocol: chat, superchat\r\n"
            "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            "\r\n");
}

TEST(ClientHandshake, EndToEndWithTheServerThroughHttp1) {
  // The client's request, parsed by the real HTTP/1 parser, accepted by the
  // server side, its 101 written and parsed back, checked by the client.
  const std::string_view client_protocols[] = {"v2.chat", "chat"};
  const std::string_view server_protocols[] = {"chat"};
  ws::client_options co;
  co.host = "localhost:8080";
  co.target = "/ws?room=1";
  co.subprotocols = client_protocols;
  co.deflate = ws::deflate_options{.client_max_window_bits = 11};
  ws::client_handshake client(co, sample_nonce);
  std::string request_bytes;
  ASSERT_EQ(client.write_request(request_bytes), h1::serialize_error::ok);

  h1::parser server_parser(h1::role::server);
  auto pr =
      server_parser.feed(std::as_bytes(std::span(request_bytes.data(), request_bytes.size())));
  ASSERT_FALSE(pr.err);
  const auto* head = std::get_if<h1::request_head>(&pr.ev);
  ASSERT_NE(head, nullptr);
  EXPECT_TRUE(head->upgrade);

  ws::server_options so;
  so.subprotocols = server_protocols;
  so.deflate = ws::deflate_options{.server_no_context_takeover = true};
  const auto accepted = ws::accept_handshake(*head, so);
  ASSERT_TRUE(accepted) << accepted.error_name();
  EXPECT_EQ(accepted.subprotocol, "chat");
  EXPECT_EQ(accepted.extensions,
            "permessage-deflate; server_no_context_takeover; client_max_window_bits=11");

  std::string response_bytes;
  ASSERT_EQ(h1::write_response_head(response_bytes, 101, "", accepted.fields().span()),
            h1::serialize_error::ok);
  parsed_response resp(response_bytes);
  const auto checked = client.check_response(resp.head);
  ASSERT_TRUE(checked) << checked.error_name();
  EXPECT_EQ(checked.subprotocol, "chat");
  ASSERT_TRUE(checked.deflate);
  EXPECT_EQ(*checked.deflate, *accepted.deflate);
  EXPECT_TRUE(checked.deflate->server_no_context_takeover);
  EXPECT_EQ(checked.deflate->client_max_window_bits, 11);
}

struct response_case {
  const char* what;
  std::string_view head;  // after the status line
  int status;
  handshake_error error;
};

TEST(ClientHandshake, EveryResponseCheck) {
  const std::string_view protocols[] = {"chat"};
  ws::client_options o;
  o.host = "h";
  o.subprotocols = protocols;
  o.deflate = ws::deflate_options{};
  ws::client_handshake c(o, sample_nonce);

  constexpr std::string_view good =
      "Upgrade: websocket\r\nConnection: Upgrade\r\n"
      "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n";
  const response_case cases[] = {
      {"plain 101", "", 101, handshake_error::none},
      {"case-insensitive tokens",
       "Upgrade: WebSocket\r\nConnection: keep-alive, UPGRADE\r\n"
       "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n",
       101, handshake_error::none},
      {"200", "", 200, handshake_error::unexpected_status},
      {"no Upgrade",
       "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", 101,
       handshake_error::response_missing_upgrade},
      {"Upgrade: h2c",
       "Upgrade: h2c\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n",
       101, handshake_error::response_missing_upgrade},
      {"no Connection",
       "Upgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", 101,
       handshake_error::response_missing_connection},
      {"no accept", "Upgrade: websocket\r\nConnection: Upgrade\r\n", 101,
       handshake_error::invalid_accept},
      {"wrong accept",
       "Upgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOA=\r\n",
       101, handshake_error::invalid_accept},
      {"accept of the wrong case",
       "Upgrade: websocket\r\nConnection: Upgrade\r\n"
       "Sec-WebSocket-Accept: S3PPLMBITXAQ9KYGZZHZRBK+XOO=\r\n",
       101, handshake_error::invalid_accept},
  };
  for (const response_case& rc : cases) {
    std::string text = "HTTP/1.1 " + std::to_string(rc.status) + " X\r\n";
    text += rc.head.empty() ? std::string(good) : std::string(rc.head);
    text += "\r\n";
    parsed_response resp(text);
    const auto r = c.check_response(resp.head);
    EXPECT_EQ(r.error, rc.error) << rc.what << ": got " << r.error_name();
  }

  // Subprotocol and extension answers, each after the good fields.
  const std::pair<std::string_view, handshake_error> extra[] = {
      {"Sec-WebSocket-Protocol: chat\r\n", handshake_error::none},
      {"Sec-WebSocket-Protocol: superchat\r\n", handshake_error::unrequested_subprotocol},
      {"Sec-WebSocket-Protocol: chat, chat\r\n", handshake_error::unrequested_subprotocol},
      {"Sec-WebSocket-Protocol: chat\r\nSec-WebSocket-Protocol: chat\r\n",
       handshake_error::unrequested_subprotocol},
      {"Sec-WebSocket-Extensions: permessage-deflate\r\n", handshake_error::none},
      {"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits=9\r\n",
       handshake_error::none},
      {"Sec-WebSocket-Extensions: x-foo\r\n", handshake_error::unrequested_extension},
      {"Sec-WebSocket-Extensions: permessage-deflate, permessage-deflate\r\n",
       handshake_error::unrequested_extension},
      {"Sec-WebSocket-Extensions: permessage-deflate\r\n"
       "Sec-WebSocket-Extensions: permessage-deflate\r\n",
       handshake_error::unrequested_extension},
      {"Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10\r\n",
       handshake_error::invalid_extension_response},
      {"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n",
       handshake_error::invalid_extension_response},
      {"Sec-WebSocket-Extensions: permessage-deflate; foo\r\n",
       handshake_error::invalid_extension_response},
      {"Sec-WebSocket-Extensions: permessage-deflate;\r\n",
       handshake_error::invalid_extension_response},
  };
  for (const auto& [fields, want] : extra) {
    parsed_response resp("HTTP/1.1 101 Switching Protocols\r\n" + std::string(good) +
                         std::string(fields) + "\r\n");
    const auto r = c.check_response(resp.head);
    EXPECT_EQ(r.error, want) << fields << " got " << r.error_name();
    if (want == handshake_error::none && fields.find("Protocol") != std::string_view::npos) {
      EXPECT_EQ(r.subprotocol, "chat");
    }
    if (fields.find("window_bits=9") != std::string_view::npos) {
      ASSERT_TRUE(r.deflate);
      EXPECT_EQ(r.deflate->client_max_window_bits, 9);
    }
  }

  // A client that offered neither subprotocols nor extensions accepts none.
  ws::client_options bare;
  bare.host = "h";
  ws::client_handshake plain(bare, sample_nonce);
  for (std::string_view fields :
       {"Sec-WebSocket-Protocol: chat\r\n", "Sec-WebSocket-Extensions: permessage-deflate\r\n"}) {
    parsed_response resp("HTTP/1.1 101 Switching Protocols\r\n" + std::string(good) +
                         std::string(fields) + "\r\n");
    EXPECT_FALSE(plain.check_response(resp.head)) << fields;
  }
}

}  // namespace
