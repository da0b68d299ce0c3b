// The request-target module's form classification (internal header). Which of
// the four forms of RFC 9112 §3.2 a target has, judged from its shape: a few
// delimiters, no component validated. target.cpp uses it to pick the form it
// then parses in full; the HTTP/1 parser uses it, and nothing more, to check
// that a request line's target suits its method, so that both agree on what
// each form looks like.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "detail/byte_class.hpp"
#include "httpcore/target.hpp"

namespace httpcore::detail {

// scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1): the
// bytes after the first.
constexpr bool is_scheme_char(char c) noexcept {
  return is_alpha(c) || is_digit(c) || c == '+' || c == '-' || c == '.';
}

// The length of a leading scheme (RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+"
// / "-" / "." )) that a ":" follows, the mark of an absolute-URI; 0 when the
// target does not start that way.
constexpr std::size_t scheme_length(std::string_view t) noexcept {
  if (t.empty() || !is_alpha(t[0])) return 0;
  for (std::size_t i = 1; i < t.size(); ++i) {
    if (t[i] == ':') return i;
    if (!is_scheme_char(t[i])) return 0;
  }
  return 0;
}

// The shape of authority-form, uri-host ":" port (RFC 9112 §3.2.3): nothing
// path-like ("/", "?", "#") and no userinfo ("@"), a host before the last
// colon (an IPv6 literal then ends in "]"), and only digits after it. The host
// and port themselves are parse_target()'s to judge.
constexpr bool has_authority_shape(std::string_view t) noexcept {
  if (t.find_first_of("/?#@") != std::string_view::npos) return false;
  const std::size_t colon = t.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == t.size()) return false;
  if (t[0] == '[' && t[colon - 1] != ']') return false;
  for (std::size_t i = colon + 1; i < t.size(); ++i)
    if (!is_digit(t[i])) return false;
  return true;
}

// How a request's target relates to its method (RFC 9112 §3.2).
enum class form_fit : std::uint8_t {
  fits,        // `form` is the target's form, and the method allows it
  wrong_form,  // a form, but not one the method allows
  no_form,     // no form's shape at all
};
struct request_form {
  target_form form;
  form_fit fit;
};

// The form of `target` in a request whose method is CONNECT (`connect`),
// OPTIONS (`options`) or another: CONNECT takes authority-form only; "*" is
// asterisk-form, for OPTIONS only; a leading "/" is origin-form; a scheme and
// ":" make an absolute-URI; anything else is wrong_form when it has
// authority-form's shape (which only CONNECT may use) and no_form otherwise.
constexpr request_form classify_request_target(std::string_view target, bool connect,
                                               bool options) noexcept {
  if (connect) {
    return {target_form::authority,
            has_authority_shape(target) ? form_fit::fits : form_fit::wrong_form};
  }
  if (!target.empty() && target[0] == '/') return {target_form::origin, form_fit::fits};
  if (target == "*")
    return {target_form::asterisk, options ? form_fit::fits : form_fit::wrong_form};
  if (scheme_length(target) != 0) return {target_form::absolute, form_fit::fits};
  if (has_authority_shape(target)) return {target_form::authority, form_fit::wrong_form};
  return {target_form::origin, form_fit::no_form};
}

}  // namespace httpcore::detail
