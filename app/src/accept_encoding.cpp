// Accept-Encoding's q-values for the codings we send.

#include "accept_encoding.hpp"

#include "httpcore/ascii.hpp"

namespace httpcore::app::detail {
namespace {

// A qvalue (RFC 9110 §12.4.2): "0", "1", "0.xyz"; anything else counts as 0.
double parse_q(std::string_view v) {
  if (v.empty() || v.size() > 5 || (v[0] != '0' && v[0] != '1')) return 0;
  double q = v[0] - '0';
  if (v.size() == 1) return q;
  if (v[1] != '.') return 0;
  double scale = 0.1;
  for (char ch : v.substr(2)) {
    if (ch < '0' || ch > '9') return 0;
    q += (ch - '0') * scale;
    scale /= 10;
  }
  return q > 1 ? 0 : q;
}

}  // namespace

encoding_weights accept_encoding_weights(std::string_view accept) noexcept {
  double q_br = -1, q_gzip = -1, q_any = -1;
  while (!accept.empty()) {
    std::size_t comma = accept.find(',');
    std::string_view item = accept.substr(0, comma);
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    std::size_t semi = item.find(';');
    std::string_view name = trim_ows(item.substr(0, semi));
    double q = 1;
    while (semi != std::string_view::npos) {
      std::string_view params = item.substr(semi + 1);
      semi = params.find(';');
      std::string_view p = trim_ows(params.substr(0, semi));
      if (p.size() >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') q = parse_q(p.substr(2));
      item = params;
    }
    if (ascii_iequals(name, "br")) q_br = q;
    if (ascii_iequals(name, "gzip") || ascii_iequals(name, "x-gzip")) q_gzip = q;
    if (name == "*") q_any = q;
  }
  if (q_br < 0) q_br = q_any;
  if (q_gzip < 0) q_gzip = q_any;
  return {q_br < 0 ? 0 : q_br, q_gzip < 0 ? 0 : q_gzip};
}

}  // namespace httpcore::app::detail
