// What an embedder of the parser should not have to write: header lookup by
// name, the feed-then-erase loop (h1::drain), the body's length at
// message_end, the length a HEAD response announces, pipelined responses in
// the client role, and names for every public enum (to_string).

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <variant>
#include <vector>

#include "httpcore/h1/drain.hpp"
#include "httpcore/h1/parser.hpp"
#include "httpcore/to_string.hpp"

namespace h1 = httpcore::h1;

namespace {

// One line per event, as drain() delivers them.
std::string describe(const h1::event& ev) {
  if (const auto* h = std::get_if<h1::request_head>(&ev))
    return "request " + std::string(h->method) + " " + std::string(h->target);
  if (const auto* h = std::get_if<h1::response_head>(&ev)) {
    std::string s =
        "response " + std::to_string(h->status) + " " + std::string(h1::to_string(h->framing));
    if (h->announced_content_length)
      s += " announced " + std::to_string(*h->announced_content_length);
    return s;
  }
  if (const auto* b = std::get_if<h1::body_data>(&ev)) return "body " + std::string(b->text());
  if (const auto* e = std::get_if<h1::message_end>(&ev))
    return "end " + std::to_string(e->body_bytes);
  if (const auto* u = std::get_if<h1::upgraded>(&ev))
    return "upgraded " + std::string(h1::to_string(u->kind));
  return "need_more";
}

// Feeds `input` to drain() in reads of `piece` bytes; bodies are joined.
std::vector<std::string> drain_all(h1::parser& p, std::string_view input, std::size_t piece,
                                   h1::drain_result* last = nullptr, std::string* left = nullptr) {
  std::vector<std::string> out;
  std::string buffer, body;
  h1::drain_result d;
  for (std::size_t at = 0; at < input.size(); at += piece) {
    buffer.append(input.substr(at, piece));
    d = h1::drain(p, buffer, [&](const h1::event& ev) {
      if (const auto* b = std::get_if<h1::body_data>(&ev)) {
        body += b->text();
        return;
      }
      if (!body.empty()) out.push_back("body " + std::exchange(body, {}));
      out.push_back(describe(ev));
    });
    if (d.err || d.upgraded) break;
  }
  if (last != nullptr) *last = d;
  if (left != nullptr) *left = buffer;
  return out;
}

TEST(Embedding, FindHeaderIgnoresCase) {
  h1::parser p(h1::role::server);
  std::string in =
      "POST / HTTP/1.1\r\nHost: a\r\nX-Token: one\r\nx-token: two\r\n"
      "Transfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\nDigest: d\r\n\r\n";
  auto r = p.feed(in);
  const auto& head = std::get<h1::request_head>(r.ev);
  ASSERT_NE(head.find("X-TOKEN"), nullptr);
  EXPECT_EQ(head.find("x-Token")->value, "one");  // the first of several
  EXPECT_EQ(head.find("host")->value, "a");
  EXPECT_EQ(head.find("X-Token-2"), nullptr);
  EXPECT_EQ(head.find("X-Toke"), nullptr);
  EXPECT_EQ(h1::find_header(head.headers, "TRANSFER-encoding")->value, "chunked");
  std::string rest = in.substr(r.consumed);
  h1::message_end end;
  h1::drain(p, rest, [&](const h1::event& ev) {
    if (const auto* e = std::get_if<h1::message_end>(&ev)) end = *e;
  });
  ASSERT_NE(end.find("DIGEST"), nullptr);  // trailers too
  EXPECT_EQ(end.find("DIGEST")->value, "d");
}

TEST(Embedding, DrainRunsTheLoopAtEverySplit) {
  const std::string in =
      "GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
      "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
      "PUT /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
      "chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
  const std::vector<std::string> expected = {"request GET /a", "end 0", "request POST /b",
                                             "body hello",     "end 5", "request PUT /c",
                                             "body abcde",     "end 5"};
  for (std::size_t piece = 1; piece <= in.size(); ++piece) {
    h1::parser p(h1::role::server);
    std::string left = "?";
    h1::drain_result d;
    EXPECT_EQ(drain_all(p, in, piece, &d, &left), expected) << "reads of " << piece;
    EXPECT_FALSE(d.err);
    EXPECT_EQ(left, "") << "everything consumed, reads of " << piece;
  }
}

TEST(Embedding, DrainStopsAtAnErrorAndAtAnUpgrade) {
  h1::parser p(h1::role::server);
  h1::drain_result d;
  auto events = drain_all(p, "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/9.9\r\n\r\n", 4, &d);
  EXPECT_EQ(events, (std::vector<std::string>{"request GET /", "end 0"}));
  EXPECT_EQ(d.err.code, h1::errc::unsupported_version);
  EXPECT_EQ(d.err.status(), 505);

  h1::parser q(h1::role::server);
  std::string left;
  events = drain_all(q,
                     "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: websocket\r\n"
                     "\r\n\x81\x05hello",
                     1000, &d, &left);
  EXPECT_EQ(events, (std::vector<std::string>{"request GET /ws", "end 0", "upgraded upgrade"}));
  EXPECT_TRUE(d.upgraded);
  EXPECT_EQ(left, "\x81\x05hello");  // the next protocol's bytes, untouched
}

TEST(Embedding, DrainKeepsTheBufferInStepWhenTheCallbackThrows) {
  h1::parser p(h1::role::server);
  std::string buffer = "GET /1 HTTP/1.1\r\nHost: x\r\n\r\nGET /2 HTTP/1.1\r\nHost: x\r\n\r\n";
  auto throw_at_second_head = [n = 0](const h1::event& ev) mutable {
    if (std::holds_alternative<h1::request_head>(ev) && ++n == 2) throw std::runtime_error("x");
  };
  EXPECT_THROW(h1::drain(p, buffer, throw_at_second_head), std::runtime_error);
  // The second head was consumed before the callback threw: what is left is
  // exactly what the parser still expects (its message_end).
  std::vector<std::string> rest;
  h1::drain(p, buffer, [&](const h1::event& ev) { rest.push_back(describe(ev)); });
  EXPECT_EQ(rest, (std::vector<std::string>{"end 0"}));
  EXPECT_EQ(buffer, "");
}

TEST(Embedding, MessageEndCountsABodyThatRanUntilClose) {
  h1::parser p(h1::role::client);
  auto events = drain_all(p, "HTTP/1.0 200 OK\r\n\r\nsome bytes", 3);
  EXPECT_EQ(events, (std::vector<std::string>{"response 200 until_close"}));
  auto r = p.finish();
  ASSERT_TRUE(std::holds_alternative<h1::message_end>(r.ev));
  EXPECT_EQ(std::get<h1::message_end>(r.ev).body_bytes, 10u);
}

TEST(Embedding, AnnouncedContentLengthIsOnTheHeadWithoutABody) {
  h1::parser p(h1::role::client);
  p.set_request_method(httpcore::method::head);
  auto events = drain_all(p, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n", 7);
  EXPECT_EQ(events, (std::vector<std::string>{"response 200 none announced 1234", "end 0"}));
  // A 304 announces too; a chunked response announces nothing.
  events = drain_all(p,
                     "HTTP/1.1 304 Not Modified\r\nContent-Length: 99\r\n\r\n"
                     "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                     5);
  EXPECT_EQ(events, (std::vector<std::string>{"response 304 none announced 99", "end 0",
                                              "response 200 chunked", "end 0"}));
  h1::parser s(h1::role::server);
  auto r = s.feed(std::string_view("PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n"));
  EXPECT_EQ(std::get<h1::request_head>(r.ev).announced_content_length, 7u);
}

// The documented client loop: one set_request_method() per final response,
// from a queue the caller keeps; 1xx responses do not use it up.
TEST(Embedding, PipelinedResponsesTakeOneMethodEach) {
  const std::string in =
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"       // to HEAD: no body
      "HTTP/1.1 100 Continue\r\n\r\n"                      // interim, for the POST
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"  // to POST
      "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"     // interim, for the HEAD
      "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";      // to HEAD again
  for (std::size_t piece = 1; piece <= in.size(); ++piece) {
    std::vector<httpcore::method> sent = {httpcore::method::head, httpcore::method::post,
                                          httpcore::method::head};
    std::size_t next = 0;
    h1::parser p(h1::role::client);
    p.set_request_method(sent[next++]);
    std::vector<std::string> events;
    std::string buffer, body;
    int final_status = 0;
    for (std::size_t at = 0; at < in.size(); at += piece) {
      buffer.append(in.substr(at, piece));
      auto d = h1::drain(p, buffer, [&](const h1::event& ev) {
        if (const auto* b = std::get_if<h1::body_data>(&ev)) {
          body += b->text();  // pieces depend on the reads: join them
          return;
        }
        if (!body.empty()) events.push_back("body " + std::exchange(body, {}));
        events.push_back(describe(ev));
        if (const auto* h = std::get_if<h1::response_head>(&ev)) final_status = h->status;
        if (std::holds_alternative<h1::message_end>(ev) && final_status >= 200 &&
            next < sent.size())
          p.set_request_method(sent[next++]);
      });
      ASSERT_FALSE(d.err) << d.err.name() << " at " << d.err.offset << ", reads of " << piece;
    }
    EXPECT_EQ(events, (std::vector<std::string>{
                          "response 200 none announced 5", "end 0", "response 100 none", "end 0",
                          "response 200 content_length announced 5", "body hello", "end 5",
                          "response 103 none", "end 0", "response 200 none announced 5", "end 0"}))
        << "reads of " << piece;
  }
}

// Every value from 0 to `last` has its own name; one past it is "unknown".
template <class E>
void expect_named(E last, std::set<int> gaps = {}) {
  std::set<std::string_view> seen;
  for (int v = 0; v <= static_cast<int>(last); ++v) {
    if (gaps.count(v) != 0) continue;
    std::string_view name = to_string(static_cast<E>(v));
    EXPECT_FALSE(name.empty()) << typeid(E).name() << " " << v;
    EXPECT_NE(name, "unknown") << typeid(E).name() << " " << v;
    EXPECT_EQ(name.data()[name.size()], '\0');
    EXPECT_TRUE(seen.insert(name).second) << typeid(E).name() << " repeats " << name;
  }
  EXPECT_EQ(to_string(static_cast<E>(static_cast<int>(last) + 1)), "unknown") << typeid(E).name();
}

TEST(Embedding, EveryPublicEnumHasNames) {
  namespace ws = httpcore::ws;
  namespace server = httpcore::server;
  expect_named(h1::role::client);
  expect_named(h1::parse_state::failed);
  expect_named(h1::body_framing::until_close);
  expect_named(h1::target_kind::asterisk);
  expect_named(h1::upgrade_kind::h2_preface);
  expect_named(h1::errc::unsupported_transfer_coding);
  expect_named(h1::serialize_error::invalid_header_value);
  expect_named(httpcore::target_form::asterisk);
  expect_named(httpcore::host_kind::ipv_future);
  expect_named(httpcore::target_error::wrong_form);
  expect_named(httpcore::method::pri, {0});  // 0 is method::unknown
  EXPECT_EQ(to_string(httpcore::method::delete_), "DELETE");
  expect_named(ws::role::client);
  expect_named(ws::opcode::pong, {3, 4, 5, 6, 7});
  expect_named(ws::parse_state::failed);
  expect_named(ws::error_code::message_too_big);
  expect_named(ws::close_state::closed);
  expect_named(ws::handshake_error::invalid_extension_response);
  expect_named(server::ws_overflow::drop);
  expect_named(server::message_codec::inflate_status::busy);
  EXPECT_EQ(to_string(h1::parse_state::message_done), "message_done");
}

}  // namespace
