// Range parsing and multipart/byteranges framing (RFC 9110 §14).

#include "byte_ranges.hpp"

#include <algorithm>
#include <charconv>

#include "httpcore/ascii.hpp"

namespace httpcore::app {
namespace {

// 1*DIGIT, within 64 bits.
bool parse_digits(std::string_view s, std::uint64_t& out) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

}  // namespace

// ranges-specifier = range-unit "=" range-set; range-set = 1#range-spec;
// range-spec = int-range / suffix-range (RFC 9110 §14.1.1). Empty list
// elements are allowed (§5.6.1) but at least one range must be there.
range_plan plan_ranges(std::string_view field, std::uint64_t size) {
  range_plan plan;
  std::size_t eq = field.find('=');
  if (eq == std::string_view::npos || !ascii_iequals(trim_ows(field.substr(0, eq)), "bytes"))
    return plan;
  std::string_view set = field.substr(eq + 1);
  std::vector<byte_range> wanted;
  std::size_t specs = 0;
  while (true) {
    std::size_t comma = set.find(',');
    std::string_view spec = trim_ows(set.substr(0, comma));
    if (!spec.empty()) {
      if (++specs > max_ranges) return plan;
      std::size_t dash = spec.find('-');
      if (dash == std::string_view::npos) return plan;
      std::string_view a = spec.substr(0, dash), b = spec.substr(dash + 1);
      std::uint64_t first = 0, last = 0;
      if (a.empty()) {  // suffix-range: the last N bytes
        if (!parse_digits(b, last)) return plan;
        if (last > 0 && size > 0) wanted.push_back({size - std::min(last, size), size - 1});
      } else {
        if (!parse_digits(a, first)) return plan;
        if (b.empty()) {
          last = UINT64_MAX;
        } else if (!parse_digits(b, last) || last < first) {
          return plan;  // an invalid int-range makes the whole field invalid
        }
        if (first < size) wanted.push_back({first, std::min(last, size - 1)});
      }
    }
    if (comma == std::string_view::npos) break;
    set.remove_prefix(comma + 1);
  }
  if (specs == 0) return plan;
  if (wanted.empty()) {
    plan.what = range_plan::kind::unsatisfiable;
    return plan;
  }
  std::sort(wanted.begin(), wanted.end(),
            [](const byte_range& x, const byte_range& y) { return x.first < y.first; });
  for (const byte_range& r : wanted) {
    if (!plan.ranges.empty() && r.first <= plan.ranges.back().last + 1) {
      plan.ranges.back().last = std::max(plan.ranges.back().last, r.last);
    } else {
      plan.ranges.push_back(r);
    }
  }
  plan.what = range_plan::kind::partial;
  return plan;
}

std::string content_range(const byte_range& r, std::uint64_t size) {
  return "bytes " + std::to_string(r.first) + "-" + std::to_string(r.last) + "/" +
         std::to_string(size);
}

std::string unsatisfied_range(std::uint64_t size) {
  return "bytes */" + std::to_string(size);
}

multipart_layout lay_out_multipart(const std::vector<byte_range>& ranges, std::uint64_t size,
                                   std::string_view type, std::string boundary) {
  multipart_layout m;
  m.boundary = std::move(boundary);
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    // Each delimiter but the first starts with the CRLF that ends the part before.
    std::string head = i == 0 ? "--" : "\r\n--";
    head += m.boundary;
    head += "\r\nContent-Type: ";
    head += type;
    head += "\r\nContent-Range: ";
    head += content_range(ranges[i], size);
    head += "\r\n\r\n";
    m.total += head.size() + ranges[i].length();
    m.heads.push_back(std::move(head));
  }
  m.tail = "\r\n--" + m.boundary + "--\r\n";
  m.total += m.tail.size();
  return m;
}

}  // namespace httpcore::app
