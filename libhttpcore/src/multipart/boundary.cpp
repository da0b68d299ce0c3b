// The boundary of a multipart/form-data body, from the request's Content-Type
// field value (RFC 9110 §8.3.1 media type and parameters; RFC 2046 §5.1.1
// boundary; RFC 7578 §4.1).

#include "boundary_rules.hpp"
#include "detail/ascii.hpp"
#include "detail/byte_class.hpp"

namespace httpcore::multipart {

bool valid_boundary(std::string_view boundary) noexcept {
  return boundary_fault(boundary) == std::string_view::npos;
}

boundary_result boundary_from_content_type(std::string_view v) noexcept {
  namespace d = httpcore::detail;
  std::size_t i = 0;
  auto fail = [](errc code, std::size_t at) { return boundary_result{{}, {code, at}}; };
  auto skip_ows = [&] {
    while (i < v.size() && d::is_ows(v[i])) ++i;
  };
  auto token = [&] {
    const std::size_t begin = i;
    while (i < v.size() && d::is_tchar(static_cast<unsigned char>(v[i]))) ++i;
    return v.substr(begin, i - begin);
  };
  skip_ows();
  const std::size_t type_at = i;
  const std::string_view type = token();
  if (type.empty() || i == v.size() || v[i] != '/') return fail(errc::invalid_content_type, i);
  ++i;
  const std::string_view subtype = token();
  if (subtype.empty()) return fail(errc::invalid_content_type, i);
  if (!d::ascii_iequals(type, "multipart") || !d::ascii_iequals(subtype, "form-data"))
    return fail(errc::not_form_data, type_at);
  // parameters := *( OWS ";" OWS [ parameter ] ) (RFC 9110 §5.6.6)
  boundary_result found{};
  bool have = false;
  for (;;) {
    skip_ows();
    if (i == v.size()) break;
    if (v[i] != ';') return fail(errc::invalid_content_type, i);
    ++i;
    skip_ows();
    if (i == v.size() || v[i] == ';') continue;
    const std::size_t name_at = i;
    const std::string_view name = token();
    if (name.empty() || i == v.size() || v[i] != '=') return fail(errc::invalid_content_type, i);
    ++i;
    std::size_t value_at = i;
    std::string_view value;
    std::size_t escape_at = std::string_view::npos;
    if (i < v.size() && v[i] == '"') {
      value_at = ++i;
      for (;; ++i) {
        if (i == v.size()) return fail(errc::invalid_content_type, i);
        const auto b = static_cast<unsigned char>(v[i]);
        if (b == '"') break;
        if (b == '\\') {
          if (i + 1 == v.size() || !d::is_field_value_byte(static_cast<unsigned char>(v[i + 1])))
            return fail(errc::invalid_content_type, i + 1);
          if (escape_at == std::string_view::npos) escape_at = i;
          ++i;
        } else if (!d::is_qdtext(b)) {
          return fail(errc::invalid_content_type, i);
        }
      }
      value = v.substr(value_at, i - value_at);
      ++i;
    } else {
      value = token();
      if (value.empty()) return fail(errc::invalid_content_type, i);
    }
    if (!d::ascii_iequals(name, "boundary")) continue;
    if (have) return fail(errc::duplicate_boundary, name_at);
    have = true;
    // A backslash is no bchar: a quoted-pair makes the boundary invalid.
    std::size_t fault = boundary_fault(value);
    if (escape_at != std::string_view::npos && escape_at - value_at < fault)
      fault = escape_at - value_at;
    if (fault != std::string_view::npos) return fail(errc::invalid_boundary, value_at + fault);
    found.boundary = value;
  }
  if (!have) return fail(errc::missing_boundary, v.size());
  return found;
}

}  // namespace httpcore::multipart
