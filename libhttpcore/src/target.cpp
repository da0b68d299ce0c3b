// Request-target parsing (RFC 9112 §3.2) over the RFC 3986 grammar.
//
// One left-to-right pass over the input, no allocation, no backtracking except
// the single look-ahead for "@" that tells userinfo from host. Every error
// names the offending byte so the HTTP parser can report it as-is.
#include "httpcore/target.hpp"

#include <algorithm>
#include <array>

#include "detail/ascii.hpp"
#include "detail/byte_class.hpp"
#include "detail/target_form.hpp"

namespace httpcore {
namespace {

// Character classes, one bit each, so a component's allowed set is an OR.
enum : std::uint8_t {
  c_unreserved = 1U << 0,  // ALPHA DIGIT - . _ ~
  c_sub_delim = 1U << 1,   // ! $ & ' ( ) * + , ; =
  c_colon = 1U << 2,
  c_at = 1U << 3,
  c_slash = 1U << 4,
  c_question = 1U << 5,
  c_never = 1U << 6,  // may appear nowhere in a URI, not even as a delimiter
};

constexpr std::uint8_t s_userinfo = c_unreserved | c_sub_delim | c_colon;
constexpr std::uint8_t s_reg_name = c_unreserved | c_sub_delim;
constexpr std::uint8_t s_path = c_unreserved | c_sub_delim | c_colon | c_at | c_slash;
constexpr std::uint8_t s_query = s_path | c_question;  // fragment uses the same set

constexpr std::array<std::uint8_t, 256> make_classes() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    auto& v = t[static_cast<std::size_t>(c)];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      v = c_unreserved;
    } else if (!detail::is_target_byte(static_cast<unsigned char>(c))) {
      v = c_never;
    }
  }
  for (char c : std::string_view("-._~")) t[static_cast<unsigned char>(c)] = c_unreserved;
  for (char c : std::string_view("!$&'()*+,;=")) t[static_cast<unsigned char>(c)] = c_sub_delim;
  for (char c : std::string_view("\"<>\\^`{|}")) t[static_cast<unsigned char>(c)] = c_never;
  t[':'] = c_colon;
  t['@'] = c_at;
  t['/'] = c_slash;
  t['?'] = c_question;
  return t;
}
constexpr std::array<std::uint8_t, 256> k_classes = make_classes();

constexpr std::uint8_t cls(char c) noexcept {
  return k_classes[static_cast<unsigned char>(c)];
}
using detail::hex_value;
using detail::is_alpha;
using detail::is_digit;
using detail::is_scheme_char;

constexpr bool is_hex(char c) noexcept {
  return hex_value(c) >= 0;
}

// RFC 3986 IPv4address: four dec-octets, no leading zeros ("01" is a reg-name).
bool is_ipv4(std::string_view s) noexcept {
  std::size_t i = 0;
  for (int octet = 0; octet < 4; ++octet) {
    if (octet > 0) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
    const std::size_t start = i;
    int value = 0;
    while (i < s.size() && is_digit(s[i]) && i - start < 3) value = value * 10 + (s[i++] - '0');
    const std::size_t len = i - start;
    if (len == 0 || value > 255 || (len > 1 && s[start] == '0')) return false;
  }
  return i == s.size();
}

// RFC 3986 IPv6address. Returns npos when valid, else the index of the first
// byte that cannot be part of one.
std::size_t ipv6_error(std::string_view s) noexcept {
  const std::size_t n = s.size();
  std::size_t i = 0;
  int pieces = 0;  // 16-bit groups written out; a trailing IPv4 counts as two
  bool elided = false;
  std::size_t last = 0;
  if (n >= 2 && s[0] == ':' && s[1] == ':') {
    elided = true;
    i = 2;
    if (i == n) return std::string_view::npos;
  } else if (n == 0 || s[0] == ':') {
    return 0;
  }
  for (;;) {
    last = i;
    while (i < n && i - last < 4 && is_hex(s[i])) ++i;
    if (i < n && s[i] == '.') {  // ls32 as an embedded IPv4 address: must end the literal
      if (pieces > 6 || !is_ipv4(s.substr(last))) return last;
      pieces += 2;
      break;
    }
    if (i == last || ++pieces > 8) return last;
    if (i == n) break;
    if (s[i] != ':') return i;
    if (++i == n) return i - 1;  // a single trailing ":"
    if (s[i] == ':') {
      if (elided) return i;
      elided = true;
      if (++i == n) break;
    }
  }
  if (elided && pieces > 7) return last;  // "::" must stand for at least one group
  if (!elided && pieces != 8) return n;
  return std::string_view::npos;
}

class parser {
 public:
  parser(std::string_view in, target_options opt) noexcept : in_(in), n_(in.size()), opt_(opt) {}

  target_result run(target_form form) noexcept {
    r_.parts.form = form;
    switch (form) {
      case target_form::origin:
        (void)origin();
        break;
      case target_form::absolute:
        (void)absolute();
        break;
      case target_form::authority:
        (void)authority_form();
        break;
      case target_form::asterisk:
        break;  // validated by the caller
    }
    return r_;
  }

  // Host = uri-host [ ":" port ], possibly empty (see parse_host()).
  target_result run_host() noexcept {
    r_.parts.form = target_form::authority;
    (void)authority(0, n_, false);
    return r_;
  }

 private:
  bool fail(target_error e, std::size_t at) noexcept {
    r_.error = e;
    r_.error_offset = at;
    return false;
  }
  // A byte that stopped a component scan: bytes that are never valid anywhere
  // are invalid_char; a misplaced but legal byte gets the component's error.
  bool fail_at(std::size_t i, target_error component_error) noexcept {
    if (i < n_ && (cls(in_[i]) & c_never) != 0) return fail(target_error::invalid_char, i);
    return fail(component_error, i);
  }
  std::string_view span(std::size_t from, std::size_t to) const noexcept {
    return in_.substr(from, to - from);
  }

  // Advances `i` over bytes in `set` and over "%XX"; stops at any other byte.
  bool scan(std::size_t& i, std::uint8_t set) noexcept {
    while (i < n_) {
      const char c = in_[i];
      if ((cls(c) & set) != 0) {
        ++i;
      } else if (c == '%') {
        if (i + 2 < n_ && is_hex(in_[i + 1]) && is_hex(in_[i + 2])) {
          i += 3;
        } else if (opt_.lenient_percent) {
          ++i;
        } else {
          return fail(target_error::invalid_percent, i);
        }
      } else {
        break;
      }
    }
    return true;
  }

  // path-abempty / path-absolute / path-rootless, then [ "?" query ] [ "#" fragment ].
  bool path_query_fragment(std::size_t i) noexcept {
    const std::size_t path_start = i;
    if (!scan(i, s_path)) return false;
    r_.parts.path = span(path_start, i);
    if (i < n_ && in_[i] == '?') {
      const std::size_t q = ++i;
      if (!scan(i, s_query)) return false;
      r_.parts.query = span(q, i);
      r_.parts.has_query = true;
    }
    if (i < n_ && in_[i] == '#') {
      if (opt_.reject_fragment) return fail(target_error::fragment_not_allowed, i);
      const std::size_t f = ++i;
      if (!scan(i, s_query)) return false;
      r_.parts.fragment = span(f, i);
      r_.parts.has_fragment = true;
    }
    // Whatever stopped the scans is misplaced: "#" in a fragment, "[", a CTL...
    return i == n_ || fail(target_error::invalid_char, i);
  }

  bool origin() noexcept {
    if (n_ == 0) return fail(target_error::empty, 0);
    if (in_[0] != '/') return fail(target_error::wrong_form, 0);
    return path_query_fragment(0);
  }

  bool absolute() noexcept {
    if (n_ == 0) return fail(target_error::empty, 0);
    if (!is_alpha(in_[0])) return fail_at(0, target_error::invalid_scheme);
    std::size_t i = 1;
    while (i < n_ && is_scheme_char(in_[i])) ++i;
    if (i == n_ || in_[i] != ':') return fail_at(i, target_error::invalid_scheme);
    r_.parts.scheme = span(0, i);
    ++i;
    // RFC 9110 §4.2.1-2: an http(s) URI without a host MUST be rejected.
    const bool needs_host = detail::ascii_iequals(r_.parts.scheme, "http") ||
                            detail::ascii_iequals(r_.parts.scheme, "https");
    if (in_.substr(i, 2) == "//") {
      i += 2;
      const std::size_t end = std::min(in_.find_first_of("/?#", i), n_);
      if (!authority(i, end, true)) return false;
      if (needs_host && r_.parts.host.empty()) {
        return fail(target_error::missing_host,
                    static_cast<std::size_t>(r_.parts.host.data() - in_.data()));
      }
      i = end;
    } else if (needs_host) {
      return fail(target_error::missing_host, i);
    }
    return path_query_fragment(i);
  }

  // authority-form = uri-host ":" port, the whole target (RFC 9112 §3.2.3).
  bool authority_form() noexcept {
    if (n_ == 0) return fail(target_error::empty, 0);
    if (!authority(0, n_, false)) return false;
    if (r_.parts.host.empty()) return fail(target_error::missing_host, 0);
    // RFC 9110 §9.3.6: CONNECT has no default port.
    if (r_.parts.port.empty()) return fail(target_error::missing_port, n_);
    return true;
  }

  // [ userinfo "@" ] host [ ":" port ] occupying exactly [i, end).
  bool authority(std::size_t i, std::size_t end, bool allow_userinfo) noexcept {
    const std::size_t start = i;
    r_.parts.has_authority = true;
    r_.parts.authority = span(start, end);
    // userinfo, host and port cannot hold "@", so the first one ends userinfo.
    if (allow_userinfo) {
      const std::size_t at = in_.find('@', i);
      if (at < end) {
        if (opt_.reject_userinfo) return fail(target_error::userinfo_not_allowed, i);
        if (!scan(i, s_userinfo)) return false;
        if (i != at) return fail_at(i, target_error::invalid_userinfo);
        r_.parts.userinfo = span(start, at);
        r_.parts.has_userinfo = true;
        i = at + 1;
      }
    }
    if (!host(i, end)) return false;
    if (i == end) return true;
    if (in_[i] != ':') return fail_at(i, target_error::invalid_host);
    r_.parts.has_port = true;
    const std::size_t p = ++i;
    std::uint32_t value = 0;
    for (; i < end; ++i) {
      if (!is_digit(in_[i])) return fail_at(i, target_error::invalid_port);
      value = value * 10 + static_cast<std::uint32_t>(in_[i] - '0');
      if (value > 65535) return fail(target_error::invalid_port, p);
    }
    r_.parts.port = span(p, end);
    // Port 0 is never a reachable service, and rejecting it keeps
    // port_number == 0 meaning "absent". An empty port is legal (RFC 3986 §3.2.3).
    if (!r_.parts.port.empty() && value == 0) return fail(target_error::invalid_port, p);
    r_.parts.port_number = static_cast<std::uint16_t>(value);
    return true;
  }

  // host = IP-literal / IPv4address / reg-name; leaves `i` just past it.
  bool host(std::size_t& i, std::size_t end) noexcept {
    const std::size_t h = i;
    if (i < end && in_[i] == '[') {
      const std::size_t close = in_.find(']', i + 1);
      if (close >= end) return fail(target_error::invalid_host, h);
      if (!ip_literal(i + 1, close)) return false;
      i = close + 1;
    } else {
      if (!scan(i, s_reg_name)) return false;
      r_.parts.kind = is_ipv4(span(h, i)) ? host_kind::ipv4 : host_kind::reg_name;
    }
    r_.parts.host = span(h, i);
    return true;
  }

  // Content of "[...]": IPvFuture, or IPv6address [ "%25" ZoneID ] (RFC 6874).
  bool ip_literal(std::size_t b, std::size_t e) noexcept {
    if (b < e && (in_[b] == 'v' || in_[b] == 'V')) {
      r_.parts.kind = host_kind::ipv_future;
      std::size_t i = b + 1;
      while (i < e && is_hex(in_[i])) ++i;
      if (i == b + 1 || i == e || in_[i] != '.') return fail_at(i, target_error::invalid_host);
      const std::size_t rest = ++i;
      while (i < e && (cls(in_[i]) & s_userinfo) != 0) ++i;
      if (i == rest || i != e) return fail_at(i, target_error::invalid_host);
      return true;
    }
    r_.parts.kind = host_kind::ipv6;
    const std::size_t pct = std::min(in_.find('%', b), e);
    const std::size_t bad = ipv6_error(span(b, pct));
    if (bad != std::string_view::npos) return fail_at(b + bad, target_error::invalid_host);
    if (pct == e) return true;
    // The zone delimiter is "%" itself, so it must be sent encoded as "%25";
    // lenient_percent also takes the bare "%" that some clients send.
    std::size_t zone = pct + 3;
    if (span(pct, std::min(pct + 3, e)) != "%25") {
      if (!opt_.lenient_percent) return fail(target_error::invalid_host, pct);
      zone = pct + 1;
    }
    std::size_t i = zone;
    if (!scan(i, c_unreserved)) return false;
    if (i == zone || i != e) return fail_at(i, target_error::invalid_host);
    return true;
  }

  std::string_view in_;
  std::size_t n_;
  target_options opt_;
  target_result r_{};
};

bool all_digits(std::string_view s) noexcept {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return !s.empty();
}

}  // namespace

std::string_view target_error_name(target_error e) noexcept {
  // Indexed by the enum's value: keep in declaration order.
  static constexpr std::array<std::string_view, 13> names = {"ok",
                                                             "empty",
                                                             "invalid_char",
                                                             "invalid_percent",
                                                             "invalid_scheme",
                                                             "invalid_userinfo",
                                                             "invalid_host",
                                                             "invalid_port",
                                                             "missing_host",
                                                             "missing_port",
                                                             "userinfo_not_allowed",
                                                             "fragment_not_allowed",
                                                             "wrong_form"};
  static_assert(names.size() == static_cast<std::size_t>(target_error::wrong_form) + 1);
  const auto i = static_cast<std::size_t>(e);
  return i < names.size() ? names[i] : "unknown";
}

target_result parse_target(std::string_view target, target_form expected,
                           target_options options) noexcept {
  if (target.empty()) {
    target_result r;
    r.parts.form = expected;
    r.error = target_error::empty;
    return r;
  }
  if (expected == target_form::asterisk) {
    target_result r;
    r.parts.form = expected;
    if (target != "*") r.error = target_error::wrong_form;
    return r;
  }
  return parser(target, options).run(expected);
}

target_result parse_target(std::string_view target, target_options options) noexcept {
  if (target == "*") return parse_target(target, target_form::asterisk, options);
  if (!target.empty() && target[0] == '/')
    return parse_target(target, target_form::origin, options);
  // A scheme and ":" (detail/target_form.hpp, the shape the HTTP/1 parser also uses).
  if (const std::size_t s = detail::scheme_length(target); s != 0) {
    const std::string_view rest = target.substr(s + 1);
    if (!rest.starts_with("//") && all_digits(rest)) {
      return parse_target(target, target_form::authority, options);
    }
    return parse_target(target, target_form::absolute, options);
  }
  return parse_target(target, target_form::authority, options);
}

target_result parse_host(std::string_view value, target_options options) noexcept {
  return parser(value, options).run_host();
}

namespace {
bool absolute_with_authority(std::string_view target, target_options options) noexcept {
  const target_result r = parse_target(target, target_form::absolute, options);
  return r.ok() && r.parts.has_authority;
}
}  // namespace

target_result parse_request_target(std::string_view method, std::string_view target,
                                   target_options options) noexcept {
  if (method == "CONNECT") {
    target_result r = parse_target(target, target_form::authority, options);
    // "/x", "*" or "http://x/" in a CONNECT: the form is wrong, not the port.
    // ("host:" stays missing_port although it is also an absolute-URI.)
    if (!r.ok() && r.error != target_error::empty &&
        (target[0] == '/' || target == "*" || absolute_with_authority(target, options))) {
      r.error = target_error::wrong_form;
      r.error_offset = 0;
    }
    return r;
  }
  if (target == "*") {
    target_result r = parse_target(target, target_form::asterisk, options);
    if (method != "OPTIONS") r.error = target_error::wrong_form;
    return r;
  }
  if (!target.empty() && target[0] == '/')
    return parse_target(target, target_form::origin, options);
  target_result r = parse_target(target, target_form::absolute, options);
  // "[::1]:80" in a GET: say the form is wrong rather than that the scheme is.
  if (!r.ok() && r.error != target_error::empty &&
      parse_target(target, target_form::authority, options).ok()) {
    r.error = target_error::wrong_form;
    r.error_offset = 0;
  }
  return r;
}

std::optional<std::size_t> percent_decode_in_place(std::span<char> buf) noexcept {
  std::size_t w = 0;
  for (std::size_t i = 0; i < buf.size(); ++i, ++w) {
    if (buf[i] != '%') {
      buf[w] = buf[i];
      continue;
    }
    if (i + 2 >= buf.size()) return std::nullopt;
    const int hi = hex_value(buf[i + 1]);
    const int lo = hex_value(buf[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    buf[w] = static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return w;
}

bool percent_decode(std::string_view in, std::string& out) {
  out.assign(in);
  const auto n = percent_decode_in_place(out);
  if (!n) {
    out.clear();
    return false;
  }
  out.resize(*n);
  return true;
}

// RFC 3986 §5.2.4 run over one buffer: the output never outgrows the input
// consumed so far, so the write cursor `w` trails the read cursor `r`. Where
// the RFC says "replace the prefix with '/'", we step `r` onto the last byte
// of the prefix and store a '/' there.
std::size_t remove_dot_segments_in_place(std::span<char> path) noexcept {
  const std::size_t n = path.size();
  const std::string_view buf(path.data(), n);
  std::size_t r = 0;
  std::size_t w = 0;
  auto drop_last_output_segment = [&] {
    while (w > 0 && path[w - 1] != '/') --w;
    if (w > 0) --w;
  };
  while (r < n) {
    const std::string_view rest = buf.substr(r);
    if (rest.starts_with("../")) {  // A
      r += 3;
    } else if (rest.starts_with("./")) {
      r += 2;
    } else if (rest.starts_with("/./")) {  // B
      r += 2;
    } else if (rest == "/.") {
      r += 1;
      path[r] = '/';
    } else if (rest.starts_with("/../")) {  // C
      r += 3;
      drop_last_output_segment();
    } else if (rest == "/..") {
      r += 2;
      path[r] = '/';
      drop_last_output_segment();
    } else if (rest == "." || rest == "..") {  // D
      r = n;
    } else {  // E: move the first segment, with its leading "/", to the output
      do {
        path[w++] = path[r++];
      } while (r < n && path[r] != '/');
    }
  }
  return w;
}

std::string remove_dot_segments(std::string_view path) {
  std::string out(path);
  out.resize(remove_dot_segments_in_place(out));
  return out;
}

}  // namespace httpcore
