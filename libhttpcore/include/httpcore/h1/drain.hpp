#pragma once
/// \file
/// The feed-then-erase loop, for callers that keep the bytes they received
/// and the parser has not consumed in a std::string:
/// \code
///   buffer.append(bytes_just_read);
///   auto d = httpcore::h1::drain(parser, buffer, [&](const httpcore::h1::event& ev) {
///     ...  // every event except need_more; its views are valid during this call only
///   });
///   if (d.err) { reply(d.err.status()); close(); }
///   else if (d.upgraded) { hand_over(buffer); }  // the next protocol's bytes
/// \endcode

#include <string>
#include <string_view>
#include <variant>

#include "httpcore/h1/parser.hpp"

namespace httpcore::h1 {

/// Why drain() returned.
struct drain_result {
  error err;              ///< set when the input was malformed (the parser is failed until reset())
  bool upgraded = false;  ///< an `upgraded` event was delivered; HTTP/1 is over
};

/// Feeds `buffer` to `p` until the parser needs more bytes, calling
/// `on_event(const event&)` for each event other than need_more, then erases
/// the consumed bytes from the front of `buffer` (once, at the end, so the
/// loop is linear in the bytes). Returns early at an error, or after an
/// `upgraded` event; then the bytes left in `buffer` are the ones the parser
/// did not consume: after an upgrade, the next protocol's. If `on_event`
/// throws, the bytes consumed up to and including that event are erased, so
/// `buffer` still matches the parser's state.
template <class OnEvent>
drain_result drain(parser& p, std::string& buffer, OnEvent&& on_event) {
  struct eraser {  // erases what was consumed however this function exits
    std::string& buf;
    std::size_t done = 0;
    ~eraser() { buf.erase(0, done); }
  } consumed{buffer};
  for (;;) {
    result r = p.feed(std::string_view(buffer).substr(consumed.done));
    if (r.err) return {r.err, false};
    if (std::holds_alternative<need_more>(r.ev)) {
      consumed.done += r.consumed;
      return {};
    }
    consumed.done += r.consumed;  // the views stay valid: erasing waits until the end
    on_event(static_cast<const event&>(r.ev));
    if (std::holds_alternative<upgraded>(r.ev)) return {{}, true};
  }
}

}  // namespace httpcore::h1
