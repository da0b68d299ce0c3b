// application/x-www-form-urlencoded: split on '&' and the first '=', then
// decode '+' and "%XX" in one pass, so that an error names the byte it was
// found at in the body as sent.

#include "httpcore/app/form.hpp"

namespace httpcore::app {
namespace {

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes `in`, found at `base` in the body, into `out`; on a bad escape
// returns its offset in the body.
bool decode(std::string_view in, std::size_t base, std::string& out, form_error& err) {
  out.clear();
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      int hi = i + 1 < in.size() ? hex_value(in[i + 1]) : -1;
      int lo = i + 2 < in.size() ? hex_value(in[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        err = {form_errc::bad_escape, base + i};
        return false;
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  return true;
}

}  // namespace

std::string_view form_error::name() const noexcept {
  switch (code) {
    case form_errc::ok:
      return "ok";
    case form_errc::too_large:
      return "too_large";
    case form_errc::too_many_fields:
      return "too_many_fields";
    case form_errc::bad_escape:
      return "bad_escape";
  }
  return "unknown";
}

int form_error::status() const noexcept {
  switch (code) {
    case form_errc::ok:
      return 0;
    case form_errc::too_large:
    case form_errc::too_many_fields:
      return 413;
    case form_errc::bad_escape:
      return 400;
  }
  return 400;
}

form_result parse_urlencoded(std::string_view body, form_limits limits) {
  form_result r;
  if (body.size() > limits.max_bytes) {
    r.err = {form_errc::too_large, limits.max_bytes};
    return r;
  }
  std::size_t at = 0;
  while (at <= body.size()) {
    std::size_t amp = body.find('&', at);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view field = body.substr(at, amp - at);
    if (!field.empty()) {
      if (r.fields.size() == limits.max_fields) {
        r.err = {form_errc::too_many_fields, at};
        r.fields.clear();
        return r;
      }
      std::size_t eq = field.find('=');
      std::string_view name = field.substr(0, eq);
      std::string_view value =
          eq == std::string_view::npos ? std::string_view() : field.substr(eq + 1);
      form_field f;
      if (!decode(name, at, f.name, r.err) || !decode(value, at + eq + 1, f.value, r.err)) {
        r.fields.clear();
        return r;
      }
      r.fields.push_back(std::move(f));
    }
    at = amp + 1;
  }
  return r;
}

}  // namespace httpcore::app
