// The C interface's request-target splitter: parse_request_target() with its
// components as pointer-and-length pairs (NULL for an absent component).

#include <cstring>

#include "c_api.hpp"
#include "httpcore/target.hpp"

namespace {

void set(const char*& p, std::size_t& n, std::string_view v, bool present) noexcept {
  // Present but empty components keep a non-NULL pointer (the view's, which
  // points into the target).
  p = present ? httpcore::c_api::ptr(v) : nullptr;
  n = present ? v.size() : 0;
}

}  // namespace

extern "C" {

int httpcore_parse_request_target(const char* method, std::size_t method_len, const char* target,
                                  std::size_t target_len, httpcore_target* out,
                                  std::size_t* error_offset) {
  using httpcore::c_api::view;
  const httpcore::target_result r =
      httpcore::parse_request_target(view(method, method_len), view(target, target_len));
  std::memset(out, 0, sizeof *out);
  if (error_offset != nullptr) *error_offset = r.ok() ? 0 : r.error_offset;
  if (!r.ok()) return static_cast<int>(r.error);
  const httpcore::target_parts& t = r.parts;
  out->form = static_cast<httpcore_target_form>(t.form);
  bool absolute = t.form == httpcore::target_form::absolute;
  bool has_path = absolute || t.form == httpcore::target_form::origin;
  set(out->scheme, out->scheme_len, t.scheme, absolute);
  set(out->userinfo, out->userinfo_len, t.userinfo, t.has_userinfo);
  set(out->host, out->host_len, t.host, t.has_authority);
  set(out->port, out->port_len, t.port, t.has_port);
  out->port_number = t.port_number;
  // "http://host" has an empty path; give it a pointer (at the target's end).
  set(out->path, out->path_len, t.path.data() != nullptr ? t.path : view(target + target_len, 0),
      has_path);
  set(out->query, out->query_len, t.query, t.has_query);
  set(out->fragment, out->fragment_len, t.fragment, t.has_fragment);
  return 0;
}

const char* httpcore_target_error_name(int error) {
  auto e = static_cast<httpcore::target_error>(httpcore::c_api::enum_byte(error));
  std::string_view name = httpcore::target_error_name(e);
  return name.empty() ? "unknown" : name.data();  // literals: NUL-terminated
}

}  // extern "C"
