// Test driver for the WebSocket frame parser: feeds input the way a real
// caller does (keeping unconsumed bytes and appending new ones, in a fresh
// place each call), places every input span against a guard page, checks the
// parser's contract on every call, and records the events as a normalised log
// so that different splits of the same input can be compared line for line.
#pragma once

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "httpcore/ws/parser.hpp"
#include "httpcore/ws/utf8.hpp"
#include "support/guarded_buffer.hpp"

namespace httpcore::test {

struct ws_config {
  ws::role role = ws::role::server;
  ws::limits limits{};
  ws::parser_options options{};
  // Place every span against a PROT_NONE page (tests). Without it, each span
  // is copied to a heap block of its exact size, which ASan guards (fuzzers).
  bool guard_page = true;
};

// One line per event. Consecutive payload pieces are joined, since how a
// payload is cut into pieces depends on the split. The log ends with
// "error NAME at OFFSET close CODE" on an error, then "state NAME".
using ws_log = std::vector<std::string>;

inline std::string printable(std::span<const std::byte> bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(bytes.size() * 4, '\0');  // written through a pointer: fast even unoptimised
  char* o = out.data();
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (const auto* end = p + bytes.size(); p != end; ++p) {
    const unsigned c = *p;
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      *o++ = static_cast<char>(c);
    } else {
      *o++ = '\\';
      *o++ = 'x';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    }
  }
  out.resize(static_cast<std::size_t>(o - out.data()));
  return out;
}

inline std::string_view opcode_name(ws::opcode op) {
  switch (op) {
    case ws::opcode::continuation:
      return "continuation";
    case ws::opcode::text:
      return "text";
    case ws::opcode::binary:
      return "binary";
    case ws::opcode::close:
      return "close";
    case ws::opcode::ping:
      return "ping";
    case ws::opcode::pong:
      return "pong";
  }
  return "?";
}

inline std::string_view state_name(ws::parse_state s) {
  switch (s) {
    case ws::parse_state::frame_start:
      return "frame_start";
    case ws::parse_state::payload_length:
      return "payload_length";
    case ws::parse_state::extended_length:
      return "extended_length";
    case ws::parse_state::mask:
      return "mask";
    case ws::parse_state::data_payload:
      return "data_payload";
    case ws::parse_state::data_frame_end:
      return "data_frame_end";
    case ws::parse_state::control_payload:
      return "control_payload";
    case ws::parse_state::closed:
      return "closed";
    case ws::parse_state::failed:
      return "failed";
  }
  return "?";
}

inline std::string describe(const ws::event& ev) {
  return std::visit(
      [](const auto& e) -> std::string {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, ws::data_frame_begin>) {
          return "begin " + std::string(opcode_name(e.message_type)) +
                 (e.first_fragment ? " first" : " next") + (e.fin ? " fin" : "") +
                 (e.compressed ? " compressed" : "") + " length=" + std::to_string(e.length);
        } else if constexpr (std::is_same_v<T, ws::data_payload>) {
          return "data " + printable(e.bytes);
        } else if constexpr (std::is_same_v<T, ws::data_frame_end>) {
          return e.message_end ? "end message" : "end frame";
        } else if constexpr (std::is_same_v<T, ws::control_frame>) {
          std::string s = std::string(opcode_name(e.op)) + " '" + printable(e.payload) + "'";
          if (e.op == ws::opcode::close) {
            s += " code=" + std::to_string(e.close_code) + " reason='" +
                 printable(std::as_bytes(std::span(e.close_reason))) + "'";
          }
          return s;
        } else {
          return "need_more";
        }
      },
      ev);
}

// Feeds `input` in pieces of the given sizes (the rest as one last piece) and
// returns the event log. Contract violations appear as lines starting "BUG".
inline ws_log run_ws(const ws_config& cfg, std::string_view input,
                     const std::vector<std::size_t>& pieces = {}) {
  ws::parser p(cfg.role, cfg.limits, cfg.options);
  guarded_buffer arena(std::string(cfg.guard_page ? input.size() + 1 : 0, '\0'));
  std::unique_ptr<std::byte[]> heap_copy;
  ws_log log;
  std::string pending;  // unconsumed input, as the peer sent it (masked)
  std::size_t fed = 0, piece = 0;
  // An uncompressed text message as delivered: must be UTF-8 when it ends.
  bool checking_text = false;
  std::string text;
  auto check_text = [&](const ws::event& ev) {
    if (auto* b = std::get_if<ws::data_frame_begin>(&ev)) {
      if (b->first_fragment) {
        checking_text = b->message_type == ws::opcode::text && !b->compressed;
        text.clear();
      }
    } else if (auto* d = std::get_if<ws::data_payload>(&ev)) {
      if (checking_text) text += d->text();
    } else if (auto* e = std::get_if<ws::data_frame_end>(&ev)) {
      if (checking_text && e->message_end && !ws::is_valid_utf8(text))
        log.push_back("BUG text message delivered that is not UTF-8");
    }
  };
  auto record = [&](const ws::event& ev) {
    check_text(ev);
    std::string line = describe(ev);
    if (line.rfind("data ", 0) == 0 && !log.empty() && log.back().rfind("data ", 0) == 0) {
      log.back() += line.substr(5);
    } else {
      log.push_back(std::move(line));
    }
  };
  auto drain = [&]() -> bool {  // false once parsing is over (error)
    for (int guard = 0; guard < 1'000'000; ++guard) {
      std::byte* at;
      if (cfg.guard_page) {
        at = arena.mutable_bytes().data() + arena.size() - pending.size();
      } else {
        heap_copy = std::make_unique<std::byte[]>(pending.size());
        at = heap_copy.get();
      }
      if (!pending.empty()) std::memcpy(at, pending.data(), pending.size());
      const std::span<std::byte> given(at, pending.size());
      auto r = p.feed(given);
      if (r.consumed > pending.size()) {
        log.push_back("BUG consumed more than given");
        return false;
      }
      if (auto* d = std::get_if<ws::data_payload>(&r.ev)) {
        // Zero copy: the payload is the consumed input's tail, unmasked in place.
        if (d->bytes.empty() || d->bytes.data() + d->bytes.size() != at + r.consumed)
          log.push_back("BUG payload is not the end of the consumed input");
      }
      pending.erase(0, r.consumed);
      if (r.err) {
        if (!std::holds_alternative<ws::need_more>(r.ev)) log.push_back("BUG event with error");
        log.push_back("error " + std::string(r.err.name()) + " at " + std::to_string(r.err.offset) +
                      " close " + std::to_string(r.err.close_code));
        // Terminal: the same error again, whatever comes.
        std::byte more[2] = {std::byte{0x81}, std::byte{0x80}};
        auto again = p.feed(more);
        if (!again.err || again.err.code != r.err.code || again.err.offset != r.err.offset ||
            again.consumed != 0)
          log.push_back("BUG error not terminal");
        return false;
      }
      if (std::holds_alternative<ws::need_more>(r.ev)) {
        if (!pending.empty()) log.push_back("BUG need_more with input left");
        return true;
      }
      record(r.ev);
    }
    log.push_back("BUG no progress");
    return false;
  };
  bool going = true;
  while (going && fed < input.size()) {
    std::size_t n = piece < pieces.size() ? pieces[piece++] : input.size() - fed;
    n = std::min(n, input.size() - fed);
    pending.append(input.substr(fed, n));
    fed += n;
    going = drain();
  }
  if (going && input.empty()) going = drain();
  log.push_back("state " + std::string(state_name(p.state())));
  return log;
}

inline std::string join_log(const ws_log& l) {
  std::string s;
  for (const auto& line : l) s += line + "\n";
  return s;
}

// The log of feeding `input` whole; and a check that feeding it byte by byte
// and split at every index (every `stride`-th for long inputs) gives the same
// log. Returns the whole-input log and sets `mismatch` to a description of the
// first split that differs.
inline ws_log run_ws_all_splits(const ws_config& cfg, std::string_view input, std::string* mismatch,
                                std::size_t stride = 1) {
  ws_log whole = run_ws(cfg, input);
  std::vector<std::size_t> ones(input.size(), 1);
  ws_log bytewise = run_ws(cfg, input, ones);
  if (bytewise != whole && mismatch->empty())
    *mismatch = "byte by byte:\n" + join_log(bytewise) + "whole:\n" + join_log(whole);
  for (std::size_t i = 1; i < input.size() && mismatch->empty(); i += stride) {
    ws_log split = run_ws(cfg, input, {i});
    if (split != whole)
      *mismatch =
          "split at " + std::to_string(i) + ":\n" + join_log(split) + "whole:\n" + join_log(whole);
  }
  return whole;
}

}  // namespace httpcore::test
