#pragma once
// Drives a handler the way a front end would, without sockets: request bytes
// go into a real server::session (in pieces of any size), the bytes it queues
// are drained as a writev() would, and those bytes are parsed back with the
// client-role h1 parser, so the tests check what a client would really read,
// framing included.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "httpcore/ascii.hpp"
#include "httpcore/h1/parser.hpp"
#include "httpcore/server/session.hpp"

namespace httpcore::app::test {

struct parsed_response {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first field called `name` (case-insensitive), or "" when absent.
  std::string header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (httpcore::ascii_iequals(n, name)) return v;
    }
    return {};
  }
  bool has_header(std::string_view name) const {
    for (const auto& h : headers)
      if (parsed_response{0, {h}, {}}.header(name) == h.second) return true;
    return false;
  }
};

inline server::clock_now test_clock(std::int64_t us = 1'000'000) {
  return {us, "Sun, 06 Nov 1994 08:49:37 GMT"};
}

// Feeds `input` to a fresh session in pieces of `split` bytes and returns every
// byte the session wrote, draining its output after each piece. Ends with the
// peer closing when `close_at_end`; `done` (if given) receives session::done()
// as it was before that close: whether the session ended the connection itself.
inline std::string run_session(server::handler& h, std::string_view input,
                               std::size_t split = std::numeric_limits<std::size_t>::max(),
                               server::session_config config = {}, bool close_at_end = true,
                               bool* done = nullptr) {
  server::session s(h, config, "127.0.0.1:40000", test_clock());
  std::string out;
  auto drain = [&] {
    for (int guard = 0; guard < 1'000'000 && s.queued_output() > 0; ++guard) {
      server::io_slice slices[16];
      std::size_t n = s.output(slices);
      std::size_t total = 0;
      for (std::size_t i = 0; i < n; ++i) {
        out.append(static_cast<const char*>(slices[i].data), slices[i].size);
        total += slices[i].size;
      }
      s.consume_output(total, test_clock());
    }
  };
  std::size_t at = 0;
  while (at < input.size() && !s.done()) {
    if (!s.wants_input()) {
      drain();
      if (!s.wants_input()) break;
    }
    auto buf = s.read_buffer();
    std::size_t n = std::min({split, buf.size(), input.size() - at});
    std::memcpy(buf.data(), input.data() + at, n);
    at += n;
    s.commit_input(n, test_clock());
    drain();
  }
  if (done != nullptr) *done = s.done();
  if (close_at_end && !s.done()) s.on_peer_closed(test_clock());
  drain();
  return out;
}

// Parses responses from `bytes`; `methods` names the request each answers (so
// that a response to HEAD is read without a body). Fails the test on a parse
// error.
inline std::vector<parsed_response> parse_responses(std::string_view bytes,
                                                    std::vector<httpcore::method> methods = {}) {
  std::vector<parsed_response> out;
  h1::parser p(h1::role::client);
  std::size_t at = 0;
  parsed_response current;
  auto set_method = [&] {
    p.set_request_method(out.size() < methods.size() ? methods[out.size()] : httpcore::method::get);
  };
  set_method();
  bool finishing = false;  // the input is used up: let the parser see the close
  for (;;) {
    auto r = finishing ? p.finish() : p.feed(bytes.substr(at));
    if (r.err) {
      ADD_FAILURE() << "response parse error at byte " << at;
      return out;
    }
    at += r.consumed;
    if (auto* head = std::get_if<h1::response_head>(&r.ev)) {
      if (head->status == 100) {  // an interim response: no message_end follows
        p.reset();
        set_method();
        continue;
      }
      current = {};
      current.status = head->status;
      for (const auto& f : head->headers) current.headers.emplace_back(f.name, f.value);
    } else if (auto* body = std::get_if<h1::body_data>(&r.ev)) {
      current.body.append(body->text());
    } else if (std::holds_alternative<h1::message_end>(r.ev)) {
      out.push_back(std::move(current));
      current = {};
      if (at >= bytes.size()) return out;
      set_method();
    } else if (std::holds_alternative<h1::need_more>(r.ev)) {
      if (finishing) return out;
      if (r.consumed == 0) finishing = true;
    } else {
      return out;
    }
  }
}

// One request through a fresh session, answered by exactly one response.
inline parsed_response round_trip(server::handler& h, std::string_view request,
                                  httpcore::method m = httpcore::method::get,
                                  std::size_t split = std::numeric_limits<std::size_t>::max()) {
  auto responses = parse_responses(run_session(h, request, split), {m});
  EXPECT_EQ(responses.size(), 1u);
  return responses.empty() ? parsed_response{} : responses.front();
}

}  // namespace httpcore::app::test
