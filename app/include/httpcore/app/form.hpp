#pragma once
/// \file
/// application/x-www-form-urlencoded bodies (the HTML standard's form
/// encoding, as URLSearchParams parses it, but strict about escapes): fields
/// separated by '&', a name and a value separated by the first '=', '+' a
/// space, "%XX" a byte. Empty fields ("a=1&&b=2") are skipped; a field
/// without '=' has an empty value. Names and values are bytes as sent (no
/// UTF-8 check): check them before using them as text.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace httpcore::app {

struct form_limits {
  std::size_t max_bytes = 64u << 10;  ///< the encoded body (413 above)
  std::size_t max_fields = 256;       ///< fields in the body (413 above)
};

enum class form_errc : std::uint8_t {
  ok = 0,
  too_large,        ///< the body is longer than max_bytes; offset: max_bytes (413)
  too_many_fields,  ///< more than max_fields; offset: the first field too many (413)
  bad_escape,       ///< '%' not followed by two hex digits; offset: the '%' (400)
};

struct form_error {
  form_errc code = form_errc::ok;
  std::size_t offset = 0;  ///< the offending byte, counted from the body's start

  explicit operator bool() const noexcept { return code != form_errc::ok; }
  /// "too_large", "too_many_fields", "bad_escape" ("ok" for none).
  std::string_view name() const noexcept;
  /// 400 or 413 (0 for none).
  int status() const noexcept;
};

struct form_field {
  std::string name, value;  ///< decoded
};

struct form_result {
  std::vector<form_field> fields;  ///< in body order; empty after an error
  form_error err;
};

/// Decodes a whole form body. On an error the fields are dropped: a body
/// that is not entirely well-formed is refused, never half taken.
form_result parse_urlencoded(std::string_view body, form_limits limits = {});

}  // namespace httpcore::app
