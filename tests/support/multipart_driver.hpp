// Drives a multipart::parser the way a caller does, over any split of the
// input, and writes what it saw as lines of text: a part's data pieces are
// joined, so that logs of different splits compare equal when the parser is
// split-invariant. It checks the caller-side contract on every call and
// writes a line starting with "BUG" when the parser breaks it.
#pragma once

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "httpcore/multipart/parser.hpp"
#include "support/guarded_buffer.hpp"

namespace httpcore::test {

using multipart_log = std::vector<std::string>;

struct multipart_config {
  std::string boundary = "b";
  multipart::limits limits{};
  // Each call's bytes are copied into a fresh buffer whose end touches an
  // unmapped page: proves that no byte past the input is read, and that the
  // parser keeps no pointer into an earlier call's buffer.
  bool guard_page = true;
};

inline std::string printable(std::string_view s) {
  std::string out;
  for (char ch : s) {
    const auto b = static_cast<unsigned char>(ch);
    if (b == '\\') {
      out += "\\\\";
    } else if (b >= 0x20 && b < 0x7F) {
      out += ch;
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", b);
      out += hex;
    }
  }
  return out;
}

inline std::string describe(const multipart::part_begin& e) {
  std::string s = "begin " + std::to_string(e.index) + " name=" + printable(e.name);
  if (e.filename) s += " filename=" + printable(*e.filename);
  if (!e.content_type.empty()) s += " type=" + printable(e.content_type);
  if (e.escaped) s += " escaped";
  return s;
}

inline std::string describe(const multipart::error& e) {
  return "error " + std::string(e.name()) + " at " + std::to_string(e.offset) + " status " +
         std::to_string(e.status());
}

// Runs the parser over `input`, handing it bytes up to each of `cuts` in turn
// (then the rest), and finishing when the input is used up.
inline multipart_log run_multipart(const multipart_config& cfg, std::string_view input,
                                   std::vector<std::size_t> cuts = {}) {
  multipart::parser p(cfg.boundary, cfg.limits);
  multipart_log log;
  std::string data;  // the current part's data so far
  auto flush_data = [&] {
    if (!data.empty()) log.push_back("data " + printable(data));
    data.clear();
  };
  auto record = [&](const multipart::event& ev) {
    if (auto* d = std::get_if<multipart::part_data>(&ev)) {
      if (d->bytes.empty()) log.push_back("BUG empty part_data");
      data.append(d->text());
      return;
    }
    if (std::holds_alternative<multipart::need_more>(ev)) return;
    flush_data();
    if (auto* b = std::get_if<multipart::part_begin>(&ev)) log.push_back(describe(*b));
    if (auto* e = std::get_if<multipart::part_end>(&ev))
      log.push_back("end " + std::to_string(e->index) + " bytes " + std::to_string(e->data_bytes));
    if (auto* e = std::get_if<multipart::body_end>(&ev))
      log.push_back("body_end parts " + std::to_string(e->parts));
  };
  cuts.push_back(input.size());
  std::size_t next_cut = 0, done = 0, given = 0;
  auto advance = [&] {
    while (next_cut < cuts.size() && cuts[next_cut] <= given) ++next_cut;
    given = next_cut < cuts.size() ? std::min(cuts[next_cut], input.size()) : input.size();
  };
  advance();
  for (int calls = 0;; ++calls) {
    if (calls > 10 * static_cast<int>(input.size()) + 100) {
      log.push_back("BUG no progress");
      break;
    }
    const std::string_view chunk = input.substr(done, given - done);
    std::unique_ptr<guarded_buffer> guarded;
    std::unique_ptr<char[]> copy;  // exactly the chunk's size: ASan guards its end
    std::span<const std::byte> bytes;
    if (cfg.guard_page) {
      guarded = std::make_unique<guarded_buffer>(chunk);
      bytes = guarded->bytes();
    } else {
      copy = std::make_unique<char[]>(chunk.size());
      std::copy(chunk.begin(), chunk.end(), copy.get());
      bytes = std::as_bytes(std::span<const char>(copy.get(), chunk.size()));
    }
    const multipart::result r = p.feed(bytes);
    if (r.err) {
      flush_data();
      log.push_back(describe(r.err));
      if (p.state() != multipart::parse_state::failed) log.push_back("BUG error not terminal");
      if (!p.feed(bytes).err || !p.finish().err) log.push_back("BUG error not repeated");
      return log;
    }
    if (r.consumed > chunk.size()) {
      log.push_back("BUG consumed more than given");
      return log;
    }
    if (auto* d = std::get_if<multipart::part_data>(&r.ev)) {
      // The view is the last bytes consumed, in the caller's buffer.
      if (d->bytes.data() + d->bytes.size() != bytes.data() + r.consumed)
        log.push_back("BUG part_data is not the consumed input");
    }
    const bool more = std::holds_alternative<multipart::need_more>(r.ev);
    if (!more && r.consumed == 0) log.push_back("BUG an event consumed nothing");
    record(r.ev);
    done += r.consumed;
    if (!more) continue;
    if (given < input.size()) {
      advance();
      continue;
    }
    const multipart::result f = p.finish();
    if (f.err) {
      flush_data();
      log.push_back(describe(f.err));
    } else {
      record(f.ev);
      flush_data();
      if (!std::holds_alternative<multipart::need_more>(f.ev)) {
        const multipart::result again = p.finish();
        if (again.err || !std::holds_alternative<multipart::need_more>(again.ev))
          log.push_back("BUG finish after body_end");
      }
    }
    if (p.state() != multipart::parse_state::epilogue &&
        p.state() != multipart::parse_state::failed)
      log.push_back("BUG finish left the parser open");
    return log;
  }
  flush_data();
  return log;
}

// Every cut point, then one byte at a time.
inline std::vector<std::size_t> one_byte_cuts(std::size_t size) {
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < size; ++i) cuts.push_back(i);
  return cuts;
}

}  // namespace httpcore::test
