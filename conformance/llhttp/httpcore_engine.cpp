// The httpcore engine: our parser through its public API, the way a server
// (requests) or a client (responses) drives it, with its events written in the
// normalised form.

#include <algorithm>
#include <string>
#include <type_traits>
#include <variant>

#include "engines.hpp"
#include "httpcore/h1/parser.hpp"
#include "httpcore/target.hpp"

namespace httpcore::conformance {
namespace {

field_list fields(std::span<const h1::header> hs) {
  field_list out;
  for (const auto& h : hs) out.emplace_back(std::string(h.name), trim_ows(h.value));
  return out;
}

std::string describe(const h1::error& e) {
  return "httpcore: " + std::string(e.name()) + " at " + std::to_string(e.offset);
}

}  // namespace

bool mode_sets_lenient(const case_mode& mode, std::string_view name) {
  return mode.lenient_all || mode.lenient == name ||
         std::find(mode.more_lenient.begin(), mode.more_lenient.end(), name) !=
             mode.more_lenient.end();
}

outcome run_httpcore(const test_case& c, const case_mode& mode, std::size_t piece) {
  h1::lenient_flags lenient;
  if (mode.lenient_all) {
    for (std::string_view name : h1::lenient_flag_names) h1::set_lenient_flag(lenient, name);
  } else if (!mode.lenient.empty() && !h1::set_lenient_flag(lenient, mode.lenient)) {
    return {{error_event()}, "httpcore has no lenient flag '" + mode.lenient + "'", {}, 0, {}};
  }
  for (const std::string& name : mode.more_lenient)
    if (!h1::set_lenient_flag(lenient, name))
      return {{error_event()}, "httpcore has no lenient flag '" + name + "'", {}, 0, {}};
  h1::limits limits;
  if (mode.unlimited) {
    // As large as any input can reach (the header table is sized from
    // max_headers at construction, so that one follows the input's size).
    constexpr std::uint32_t huge = 1u << 30;
    limits.max_head_bytes = limits.max_target_bytes = huge;
    limits.max_chunk_extension_bytes = limits.max_trailer_bytes = huge;
    limits.max_headers =
        static_cast<std::uint32_t>(std::min<std::size_t>(c.input.size(), huge)) + 1;
  }
  h1::parser p(mode.request ? h1::role::server : h1::role::client, limits, lenient);
  // A client that sent HEAD knows the response has no body: llhttp's skipBody.
  auto expect_response = [&] {
    if (!mode.request && c.meta.skip_body) p.set_request_method(httpcore::method::head);
  };
  expect_response();

  outcome out;
  std::string body;
  auto flush_body = [&] {
    if (!body.empty()) out.events.push_back(body_event(body));
    body.clear();
  };
  // The caller's buffer: what the parser left unconsumed, then the next piece
  // of input appended, as a real caller does (the buffer may move: the parser
  // keeps offsets only).
  std::string pending;
  std::size_t next = 0;
  auto refill = [&] {
    if (next >= c.input.size()) return false;
    std::size_t n = piece == 0 ? c.input.size() - next : std::min(piece, c.input.size() - next);
    pending.append(c.input, next, n);
    next += n;
    return true;
  };
  refill();
  std::uint64_t consumed = 0;
  bool stopped = false, terminal = false;  // terminal: an error or an upgrade ended HTTP/1
  // Every event consumes input or changes state; the bound only guards the
  // runner against a parser that would loop.
  for (std::size_t steps = 0; steps < 100000 && !stopped && !terminal; ++steps) {
    h1::result r = p.feed(pending);
    if (r.consumed > pending.size()) {
      out.note = "httpcore: consumed more than it was given";
      out.events.push_back(error_event());
      return out;
    }
    consumed += r.consumed;
    if (r.err) {
      flush_body();
      out.events.push_back(error_event());
      out.note = describe(r.err);
      out.error = r.err.name();
      out.error_offset = r.err.offset;
      terminal = true;
      break;
    }
    std::visit(
        [&](const auto& ev) {
          using T = std::decay_t<decltype(ev)>;
          if constexpr (std::is_same_v<T, h1::need_more>) {
            stopped = true;
          } else if constexpr (std::is_same_v<T, h1::request_head>) {
            out.events.push_back(request_event(ev.method, ev.target, ev.version_major,
                                               ev.version_minor, ev.keep_alive, ev.upgrade,
                                               fields(ev.headers)));
            if (c.meta.skip_body) {
              // llhttp's skipBody for a request: the caller declares the message
              // over after its head. With httpcore that is reset(), which
              // forgets the message and reads what follows as the next one.
              out.events.push_back(end_event({}));
              p.reset();
            }
          } else if constexpr (std::is_same_v<T, h1::response_head>) {
            out.events.push_back(response_event(ev.status, ev.reason, ev.version_major,
                                                ev.version_minor, ev.keep_alive,
                                                fields(ev.headers)));
          } else if constexpr (std::is_same_v<T, h1::body_data>) {
            body += ev.text();
          } else if constexpr (std::is_same_v<T, h1::message_end>) {
            flush_body();
            out.events.push_back(end_event(fields(ev.trailers)));
            out.message_ends.push_back(consumed);
            expect_response();
          } else if constexpr (std::is_same_v<T, h1::upgraded>) {
            flush_body();
            out.events.push_back(upgrade_event(consumed));
            out.note = "httpcore: upgraded (kind " + std::to_string(static_cast<int>(ev.kind)) +
                       ") after " + std::to_string(consumed) + " bytes";
            stopped = terminal = true;
          }
        },
        r.ev);
    // Only now, with the event's views used up, may the buffer change.
    pending.erase(0, r.consumed);
    if (stopped && !terminal) stopped = !refill();
  }
  flush_body();
  if (mode.finish && !terminal) {
    h1::result r = p.finish();
    if (r.err) {
      out.events.push_back(eof_event(eof_kind::unsafe));
      out.note = describe(r.err);
      out.error = r.err.name();
      out.error_offset = r.err.offset;
    } else if (std::holds_alternative<h1::message_end>(r.ev)) {
      out.events.push_back(eof_event(eof_kind::complete));
    } else {
      out.events.push_back(eof_event(eof_kind::safe));
    }
  }
  return out;
}

url_outcome run_httpcore_url(const test_case& c) {
  url_outcome out;
  target_result r = parse_target(c.input);
  if (!r.ok()) {
    out.result.events = {error_event()};
    out.result.note = "httpcore: " + std::string(target_error_name(r.error)) + " at " +
                      std::to_string(r.error_offset);
    return out;
  }
  // In llhttp's order and names; llhttp's "host" is the whole authority.
  const target_parts& t = r.parts;
  auto add = [&](std::string_view name, std::string_view value) {
    if (!value.empty()) out.result.events.push_back(url_component_event(name, value));
  };
  add("schema", t.scheme);
  add("host", t.authority);
  add("path", t.path);
  add("query", t.query);
  add("fragment", t.fragment);
  return out;
}

}  // namespace httpcore::conformance
