// Cookie and Set-Cookie (RFC 6265bis §4.1 for what a server writes, §5.6 for
// how the Cookie field is split).

#include "httpcore/app/cookie.hpp"

#include <cstdio>

#include "httpcore/http_date.hpp"

namespace httpcore::app {
namespace {

constexpr std::size_t kMaxNameValueBytes = 4096;  // RFC 6265bis §5.6 step 3
constexpr std::size_t kMaxAttributeBytes = 1024;  // §5.6 step 4: longer is ignored

bool is_tchar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
      return true;
    default:
      return false;
  }
}

// cookie-octet = %x21 / %x23-2B / %x2D-3A / %x3C-5B / %x5D-7E
bool is_cookie_octet(unsigned char c) {
  return c == 0x21 || (c >= 0x23 && c <= 0x2B) || (c >= 0x2D && c <= 0x3A) ||
         (c >= 0x3C && c <= 0x5B) || (c >= 0x5D && c <= 0x7E);
}

std::string describe(unsigned char c) {
  char buf[24];
  if (c >= 0x20 && c < 0x7F)
    std::snprintf(buf, sizeof buf, "byte 0x%02x ('%c')", c, c);
  else
    std::snprintf(buf, sizeof buf, "byte 0x%02x", c);
  return buf;
}

// The first byte of `name` outside tchar, or npos; an empty name is offset 0.
std::size_t bad_name_byte(std::string_view name) {
  for (std::size_t i = 0; i < name.size(); ++i)
    if (!is_tchar(static_cast<unsigned char>(name[i]))) return i;
  return std::string_view::npos;
}

// The value without its optional DQUOTEs, or nullopt with the bad offset.
std::size_t bad_value_byte(std::string_view value) {
  std::size_t from = 0, to = value.size();
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') from = 1, --to;
  for (std::size_t i = from; i < to; ++i)
    if (!is_cookie_octet(static_cast<unsigned char>(value[i]))) return i;
  return std::string_view::npos;
}

std::string_view unquote(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') return v.substr(1, v.size() - 2);
  return v;
}

bool is_wsp(char c) {
  return c == ' ' || c == '\t';
}

}  // namespace

cookie_parse_result parse_cookies(std::string_view field, std::size_t max_pairs) {
  cookie_parse_result out;
  auto fail = [&](std::size_t at, std::string why) {
    if (out.ok()) out.error = std::move(why), out.offset = at;
  };
  std::size_t pos = 0;
  while (pos <= field.size()) {
    std::size_t end = field.find(';', pos);
    if (end == std::string_view::npos) end = field.size();
    std::size_t b = pos, e = end;
    while (b < e && is_wsp(field[b])) ++b;
    while (e > b && is_wsp(field[e - 1])) --e;
    std::string_view pair = field.substr(b, e - b);
    pos = end + 1;
    if (pair.empty()) continue;  // "a=1; ; b=2" and a trailing ';' are harmless
    if (out.cookies.size() >= max_pairs) {
      fail(b, "more than " + std::to_string(max_pairs) + " cookies");
      break;
    }
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      fail(b, "cookie without '='");
      continue;
    }
    std::string_view name = pair.substr(0, eq), value = pair.substr(eq + 1);
    while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);
    std::size_t vstart = eq + 1;
    while (!value.empty() && is_wsp(value.front())) value.remove_prefix(1), ++vstart;
    if (name.empty()) {
      fail(b, "cookie with an empty name");
      continue;
    }
    if (std::size_t bad = bad_name_byte(name); bad != std::string_view::npos) {
      fail(b + bad,
           "cookie name: " + describe(static_cast<unsigned char>(name[bad])) + " not allowed");
      continue;
    }
    if (std::size_t bad = bad_value_byte(value); bad != std::string_view::npos) {
      fail(b + vstart + bad,
           "cookie value: " + describe(static_cast<unsigned char>(value[bad])) + " not allowed");
      continue;
    }
    out.cookies.push_back({name, unquote(value)});
  }
  return out;
}

std::optional<std::string_view> find_cookie(const cookie_parse_result& parsed,
                                            std::string_view name) noexcept {
  for (const cookie_pair& p : parsed.cookies)
    if (p.name == name) return p.value;
  return std::nullopt;
}

set_cookie_result format_set_cookie(const set_cookie& c) {
  set_cookie_result out;
  auto fail = [&](std::string why, std::size_t at = 0) {
    out.error = std::move(why);
    out.offset = at;
    return out;
  };
  if (c.name.empty()) return fail("cookie name: empty");
  if (std::size_t bad = bad_name_byte(c.name); bad != std::string_view::npos)
    return fail(
        "cookie name: " + describe(static_cast<unsigned char>(c.name[bad])) + " not allowed", bad);
  if (std::size_t bad = bad_value_byte(c.value); bad != std::string_view::npos)
    return fail(
        "cookie value: " + describe(static_cast<unsigned char>(c.value[bad])) + " not allowed",
        bad);
  if (c.name.size() + c.value.size() > kMaxNameValueBytes)
    return fail("cookie name and value: " + std::to_string(c.name.size() + c.value.size()) +
                " bytes, more than 4096");

  std::string_view domain = c.domain;
  if (!domain.empty() && domain.front() == '.') domain.remove_prefix(1);
  if (!c.domain.empty() && domain.empty()) return fail("Domain: nothing after '.'");
  if (domain.size() > kMaxAttributeBytes) return fail("Domain: more than 1024 bytes");
  for (std::size_t i = 0; i < domain.size(); ++i) {
    char ch = domain[i];
    bool ok = (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z') || ch == '-' ||
              ch == '.';
    if (!ok)
      return fail("Domain: " + describe(static_cast<unsigned char>(ch)) + " not allowed",
                  i + (domain.data() - c.domain.data()));
  }
  if (!c.path.empty()) {
    if (c.path.front() != '/') return fail("Path: must begin with '/'");
    if (c.path.size() > kMaxAttributeBytes) return fail("Path: more than 1024 bytes");
    for (std::size_t i = 0; i < c.path.size(); ++i) {
      auto ch = static_cast<unsigned char>(c.path[i]);
      if (ch < 0x20 || ch == 0x7F || ch == ';')
        return fail("Path: " + describe(ch) + " not allowed", i);
    }
  }
  if (c.expires && (*c.expires < http_date_min || *c.expires > http_date_max))
    return fail("Expires: " + std::to_string(*c.expires) + " is outside 1970..9999");
  if (c.site == same_site::none && !c.secure) return fail("SameSite=None requires Secure");
  if (c.partitioned && !c.secure) return fail("Partitioned requires Secure");
  std::string_view name = c.name;
  if (name.starts_with("__Secure-") && !c.secure) return fail("a __Secure- cookie requires Secure");
  if (name.starts_with("__Host-") && (!c.secure || c.path != "/" || !c.domain.empty()))
    return fail("a __Host- cookie requires Secure, Path=/ and no Domain");

  std::string& f = out.field;
  f.reserve(c.name.size() + c.value.size() + 128);
  f.append(c.name).append("=").append(c.value);
  if (c.expires) {
    char date[http_date_length];
    format_http_date(*c.expires, date);
    f.append("; Expires=").append(date, sizeof date);
  }
  if (c.max_age) f.append("; Max-Age=").append(std::to_string(*c.max_age));
  if (!domain.empty()) f.append("; Domain=").append(domain);
  if (!c.path.empty()) f.append("; Path=").append(c.path);
  if (c.secure) f.append("; Secure");
  if (c.http_only) f.append("; HttpOnly");
  switch (c.site) {
    case same_site::strict:
      f.append("; SameSite=Strict");
      break;
    case same_site::lax:
      f.append("; SameSite=Lax");
      break;
    case same_site::none:
      f.append("; SameSite=None");
      break;
    case same_site::unset:
      break;
  }
  if (c.partitioned) f.append("; Partitioned");
  return out;
}

}  // namespace httpcore::app
