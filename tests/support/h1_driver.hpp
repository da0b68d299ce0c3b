// Test driver for the HTTP/1 parser: feeds input the way a real caller does
// (keeping unconsumed bytes and appending new ones), places every input span
// against a guard page, and records the events as a normalised log so that
// different splits of the same input can be compared line for line.
#pragma once

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "httpcore/h1/parser.hpp"
#include "support/guarded_buffer.hpp"

namespace httpcore::test {

struct h1_config {
  h1::role role = h1::role::server;
  h1::limits limits{};
  h1::lenient_flags lenient{};
  // Client role: the method of each request, in order, for successive responses.
  std::vector<httpcore::method> request_methods{};
  bool finish = true;  // call finish() when the input is exhausted
  // Place every span against a PROT_NONE page (tests). Without it, each span
  // is copied to a heap block of its exact size, which ASan guards (fuzzers).
  bool guard_page = true;
};

// A server config for inputs about other rules that omit Host (most of the
// parser suites'): lenient host, since an HTTP/1.1 request without Host is
// refused (RFC 9112 §3.2). Host itself is tested strictly in h1_host_test.
inline h1_config server_ignoring_host() {
  h1_config c;
  c.lenient.host = true;
  return c;
}

// One line per event. Consecutive body pieces are joined, since how a body is
// cut into pieces depends on the split.
using event_log = std::vector<std::string>;

inline std::string describe_headers(std::span<const h1::header> hs, std::string_view tag) {
  std::string out;
  for (const auto& h : hs) {
    out += "\n  ";
    out += tag;
    out += ' ';
    out += h.name;
    out += ": ";
    out += h.value;
  }
  return out;
}

// The transfer codings left on a body, when any (the rest of the logs stay as
// they were): " codings=COUNT first=TOKEN at=OFFSET".
inline std::string describe_codings(const h1::transfer_coding_list& c) {
  if (c.empty()) return {};
  return " codings=" + std::to_string(c.count) + " first=" + std::string(c.first) +
         " at=" + std::to_string(c.offset);
}

inline std::string describe(const h1::event& ev) {
  return std::visit(
      [](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, h1::request_head>) {
          return "request " + std::string(e.method) + " " + std::string(e.target) + " HTTP/" +
                 std::to_string(e.version_major) + "." + std::to_string(e.version_minor) +
                 " form=" + std::to_string(static_cast<int>(e.target_form)) +
                 " keep_alive=" + std::to_string(e.keep_alive) +
                 " expect_continue=" + std::to_string(e.expect_continue) +
                 " upgrade=" + std::to_string(e.upgrade) +
                 " framing=" + std::to_string(static_cast<int>(e.framing)) +
                 " length=" + std::to_string(e.content_length) +
                 describe_codings(e.transfer_codings) + describe_headers(e.headers, "H");
        } else if constexpr (std::is_same_v<T, h1::response_head>) {
          return "response " + std::to_string(e.status) + " '" + std::string(e.reason) + "' HTTP/" +
                 std::to_string(e.version_major) + "." + std::to_string(e.version_minor) +
                 " keep_alive=" + std::to_string(e.keep_alive) +
                 " framing=" + std::to_string(static_cast<int>(e.framing)) +
                 " length=" + std::to_string(e.content_length) +
                 describe_codings(e.transfer_codings) + describe_headers(e.headers, "H");
        } else if constexpr (std::is_same_v<T, h1::body_data>) {
          return "body " + std::string(e.text());
        } else if constexpr (std::is_same_v<T, h1::message_end>) {
          return "end" + describe_headers(e.trailers, "T");
        } else if constexpr (std::is_same_v<T, h1::upgraded>) {
          return "upgraded " + std::to_string(static_cast<int>(e.kind));
        } else {
          return "need_more";
        }
      },
      ev);
}

// Feeds `input` in pieces of the given sizes (the rest as one last piece) and
// returns the event log. The log ends with "error NAME at OFFSET" on an error,
// or "rest N" with the count of bytes left unconsumed after an upgrade.
inline event_log run_h1(const h1_config& cfg, std::string_view input,
                        const std::vector<std::size_t>& pieces = {}) {
  h1::parser p(cfg.role, cfg.limits, cfg.lenient);
  std::size_t next_method = 0;
  auto set_method = [&] {
    if (cfg.role == h1::role::client && next_method < cfg.request_methods.size())
      p.set_request_method(cfg.request_methods[next_method++]);
  };
  set_method();
  // Every span given to the parser ends right before a PROT_NONE page.
  guarded_buffer arena(std::string(cfg.guard_page ? input.size() + 1 : 0, '\0'));
  std::unique_ptr<std::byte[]> heap_copy;
  event_log log;
  std::string pending;
  std::size_t fed = 0, piece = 0;
  bool upgraded = false;
  auto record = [&](const h1::event& ev) {
    std::string line = describe(ev);
    if (line.rfind("body ", 0) == 0 && !log.empty() && log.back().rfind("body ", 0) == 0) {
      log.back() += line.substr(5);
    } else {
      log.push_back(std::move(line));
    }
  };
  auto drain = [&]() -> bool {  // false once parsing is over (error or upgrade)
    for (;;) {
      std::byte* at;
      if (cfg.guard_page) {
        at = arena.mutable_bytes().data() + arena.size() - pending.size();
      } else {
        heap_copy = std::make_unique<std::byte[]>(pending.size());
        at = heap_copy.get();
      }
      if (!pending.empty()) std::memcpy(at, pending.data(), pending.size());
      auto r = p.feed(std::span<const std::byte>(at, pending.size()));
      if (r.consumed > pending.size()) {
        log.push_back("BUG consumed more than given");
        return false;
      }
      pending.erase(0, r.consumed);
      if (r.err) {
        log.push_back("error " + std::string(r.err.name()) + " at " + std::to_string(r.err.offset));
        return false;
      }
      if (std::holds_alternative<h1::need_more>(r.ev)) return true;
      record(r.ev);
      if (std::holds_alternative<h1::upgraded>(r.ev)) {
        upgraded = true;
        return false;
      }
      if (std::holds_alternative<h1::message_end>(r.ev)) set_method();
    }
  };
  bool going = true;
  while (going && fed < input.size()) {
    std::size_t n = piece < pieces.size() ? pieces[piece++] : input.size() - fed;
    n = std::min(n, input.size() - fed);
    pending.append(input.substr(fed, n));
    fed += n;
    going = drain();
  }
  if (going && fed == input.size() && input.empty()) going = drain();
  if (upgraded) {
    log.push_back("rest " + std::to_string(pending.size() + (input.size() - fed)));
  } else if (going && cfg.finish) {
    for (;;) {
      auto r = p.finish();
      if (r.err) {
        log.push_back("error " + std::string(r.err.name()) + " at " + std::to_string(r.err.offset));
        break;
      }
      if (std::holds_alternative<h1::need_more>(r.ev)) break;
      record(r.ev);
      if (std::holds_alternative<h1::upgraded>(r.ev)) break;
    }
  }
  return log;
}

// The log of feeding `input` whole; and a check that feeding it byte by byte
// and split at every index gives the same log. Returns the whole-input log and
// appends to `mismatch` a description of the first split that differs.
inline event_log run_h1_all_splits(const h1_config& cfg, std::string_view input,
                                   std::string* mismatch) {
  event_log whole = run_h1(cfg, input);
  auto join = [](const event_log& l) {
    std::string s;
    for (const auto& line : l) s += line + "\n";
    return s;
  };
  std::vector<std::size_t> ones(input.size(), 1);
  event_log bytewise = run_h1(cfg, input, ones);
  if (bytewise != whole && mismatch->empty())
    *mismatch = "byte by byte:\n" + join(bytewise) + "whole:\n" + join(whole);
  for (std::size_t i = 1; i < input.size() && mismatch->empty(); ++i) {
    event_log split = run_h1(cfg, input, {i});
    if (split != whole)
      *mismatch = "split at " + std::to_string(i) + ":\n" + join(split) + "whole:\n" + join(whole);
  }
  return whole;
}

}  // namespace httpcore::test
