#pragma once
// Pieces shared by the parser's implementation files.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detail/ascii.hpp"
#include "detail/byte_class.hpp"
#include "detail/scan.hpp"
#include "h1/lex_state.hpp"
#include "httpcore/h1/parser.hpp"

namespace httpcore::h1 {

// The input of one feed() call, and where the parser is in it.
struct parser::cursor {
  cursor(const char* bytes, std::size_t count, event& out) noexcept
      : data(bytes), size(count), ev(out) {}

  const char* data;
  std::size_t size;
  std::size_t pos = 0;
  // Start of the head or trailer section being scanned. Views into a section
  // are built from offsets relative to it.
  std::size_t origin = 0;
  // Scanning a section stops here: the input's end, or where the section
  // would exceed its size limit.
  std::size_t limit = 0;
  // The event being produced, built in place in the caller's result.
  event& ev;

  bool at_end() const noexcept { return pos >= limit; }
  char byte() const noexcept { return data[pos]; }
};

namespace syntax {

using httpcore::detail::is_ows;

// The library's one case-insensitive compare, and the word loads it is built on.
using httpcore::detail::ascii_iequals;
using httpcore::detail::load_u64;

inline std::string_view trim_ows(std::string_view s) noexcept {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// Calls fn(element, offset_in_list) for each non-empty element of a
// comma-separated list (RFC 9110 §5.6.1), OWS trimmed. Stops when fn returns false.
template <class Fn>
bool for_each_list_element(std::string_view list, Fn&& fn) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view raw = list.substr(start, comma - start);
    std::size_t lead = 0;
    while (lead < raw.size() && is_ows(raw[lead])) ++lead;
    std::string_view element = trim_ows(raw);
    if (!element.empty() && !fn(element, start + lead)) return false;
    start = comma + 1;
  }
  return true;
}

}  // namespace syntax
}  // namespace httpcore::h1
