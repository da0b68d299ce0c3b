// The C interface's multipart/form-data parser: multipart::parser behind an
// opaque handle, its variant event flattened into httpcore_multipart_event.

#include <cstring>
#include <new>
#include <type_traits>
#include <variant>

#include "c_api.hpp"
#include "httpcore/multipart/parser.hpp"

struct httpcore_multipart_parser {
  httpcore::multipart::parser cpp;
};

namespace {

namespace mp = httpcore::multipart;
using httpcore::c_api::ptr;

void set_error(const mp::error& e, httpcore_multipart_event& ev) noexcept {
  ev.type = HTTPCORE_MULTIPART_ERROR;
  ev.error = static_cast<int>(e.code);
  ev.error_name = e.name().data();  // the table's literals: NUL-terminated
  ev.error_offset = e.offset;
  ev.error_status = e.status();
}

void translate(const mp::result& r, httpcore_multipart_event& ev) noexcept {
  std::memset(&ev, 0, sizeof ev);
  ev.consumed = r.consumed;
  if (r.err) return set_error(r.err, ev);
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, mp::need_more>) {
          ev.type = HTTPCORE_MULTIPART_NEED_MORE;
        } else if constexpr (std::is_same_v<T, mp::part_begin>) {
          ev.type = HTTPCORE_MULTIPART_PART_BEGIN;
          ev.index = e.index;
          ev.name = ptr(e.name);
          ev.name_len = e.name.size();
          if (e.filename) {
            ev.has_filename = 1;
            ev.filename = ptr(*e.filename);
            ev.filename_len = e.filename->size();
          }
          ev.content_type = ptr(e.content_type);
          ev.content_type_len = e.content_type.size();
          ev.head = ptr(e.head);
          ev.head_len = e.head.size();
          ev.escaped = e.escaped ? 1 : 0;
        } else if constexpr (std::is_same_v<T, mp::part_data>) {
          ev.type = HTTPCORE_MULTIPART_PART_DATA;
          ev.data = e.text().data();
          ev.data_len = e.bytes.size();
        } else if constexpr (std::is_same_v<T, mp::part_end>) {
          ev.type = HTTPCORE_MULTIPART_PART_END;
          ev.index = e.index;
          ev.data_bytes = e.data_bytes;
        } else if constexpr (std::is_same_v<T, mp::body_end>) {
          ev.type = HTTPCORE_MULTIPART_BODY_END;
          ev.parts = e.parts;
        }
      },
      r.ev);
}

}  // namespace

extern "C" {

httpcore_multipart_parser* httpcore_multipart_parser_new(const char* boundary,
                                                         std::size_t boundary_len,
                                                         std::uint32_t max_part_head_bytes,
                                                         std::uint32_t max_parts) {
  mp::limits lim;
  if (max_part_head_bytes != 0) lim.max_part_head_bytes = max_part_head_bytes;
  if (max_parts != 0) lim.max_parts = max_parts;
  return new (std::nothrow)
      httpcore_multipart_parser{mp::parser(httpcore::c_api::view(boundary, boundary_len), lim)};
}

void httpcore_multipart_parser_free(httpcore_multipart_parser* parser) {
  delete parser;
}

void httpcore_multipart_parser_reset(httpcore_multipart_parser* parser) {
  parser->cpp.reset();
}

httpcore_multipart_event_type httpcore_multipart_feed(httpcore_multipart_parser* parser,
                                                      const char* data, std::size_t len,
                                                      httpcore_multipart_event* event) {
  translate(parser->cpp.feed(httpcore::c_api::view(data, len)), *event);
  return event->type;
}

httpcore_multipart_event_type httpcore_multipart_finish(httpcore_multipart_parser* parser,
                                                        httpcore_multipart_event* event) {
  translate(parser->cpp.finish(), *event);
  return event->type;
}

int httpcore_multipart_boundary(const char* content_type, std::size_t content_type_len,
                                const char** boundary, std::size_t* boundary_len,
                                std::uint64_t* error_offset) {
  const auto r =
      mp::boundary_from_content_type(httpcore::c_api::view(content_type, content_type_len));
  if (boundary != nullptr) *boundary = r.err ? nullptr : r.boundary.data();
  if (boundary_len != nullptr) *boundary_len = r.boundary.size();
  if (error_offset != nullptr) *error_offset = r.err.offset;
  return static_cast<int>(r.err.code);
}

const char* httpcore_multipart_error_name(int error) {
  return mp::error_name(static_cast<mp::errc>(httpcore::c_api::enum_byte(error))).data();
}

int httpcore_multipart_error_status(int error) {
  return mp::error_status(static_cast<mp::errc>(httpcore::c_api::enum_byte(error)));
}

}  // extern "C"
