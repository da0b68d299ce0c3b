// The C interface's HTTP/1 parser: h1::parser behind an opaque handle, its
// variant event flattened into httpcore_h1_event, and header views copied
// into the caller's picohttpparser-style array.

#include <cstring>
#include <new>
#include <string_view>
#include <type_traits>
#include <variant>

#include "c_api.hpp"
#include "httpcore/h1/parser.hpp"
#include "httpcore/method.hpp"

struct httpcore_h1_parser {
  httpcore::h1::parser cpp;
  // Bytes consumed since construction or reset: the C side's own errors
  // (a caller's header array too small) need stream offsets like the parser's.
  std::uint64_t consumed_total = 0;
  // Set when the C side failed the parser; feed() repeats it until reset.
  httpcore::h1::error own_error{};
};

namespace {

namespace h1 = httpcore::h1;
using httpcore::c_api::ptr;

static_assert(sizeof(h1::lenient_flag_names) / sizeof(h1::lenient_flag_names[0]) == 11,
              "httpcore.h has one HTTPCORE_H1_LENIENT_ bit per lenient flag, in this order");
constexpr unsigned kLenientBits = (1u << 11) - 1;

bool to_flags(unsigned bits, h1::lenient_flags& flags) noexcept {
  if ((bits & ~kLenientBits) != 0) return false;
  std::size_t i = 0;
  for (std::string_view name : h1::lenient_flag_names) {
    if ((bits & (1u << i++)) != 0) set_lenient_flag(flags, name);
  }
  return true;
}

void set_error(httpcore_h1_event& ev, h1::error err) noexcept {
  ev.type = HTTPCORE_H1_ERROR;
  ev.error = static_cast<int>(err.code);
  ev.error_name = ptr(err.name());  // the table's literals: NUL-terminated
  ev.error_offset = err.offset;
  ev.error_status = err.status();
}

// Copies fields into the caller's array, or says which one did not fit.
bool copy_fields(std::span<const h1::header> fields, httpcore_header* out, std::size_t cap,
                 std::size_t& count, const h1::header*& first_missing) noexcept {
  count = fields.size();
  if (fields.size() > cap) {
    first_missing = &fields[cap];
    return false;
  }
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out[i] = {ptr(fields[i].name), fields[i].name.size(), ptr(fields[i].value),
              fields[i].value.size()};
  }
  return true;
}

httpcore_h1_framing to_c(h1::body_framing f) noexcept {
  switch (f) {
    case h1::body_framing::none:
      return HTTPCORE_H1_FRAMING_NONE;
    case h1::body_framing::content_length:
      return HTTPCORE_H1_FRAMING_CONTENT_LENGTH;
    case h1::body_framing::chunked:
      return HTTPCORE_H1_FRAMING_CHUNKED;
    case h1::body_framing::until_close:
      return HTTPCORE_H1_FRAMING_UNTIL_CLOSE;
  }
  return HTTPCORE_H1_FRAMING_NONE;
}

httpcore_h1_upgrade_kind to_c(h1::upgrade_kind k) noexcept {
  switch (k) {
    case h1::upgrade_kind::upgrade:
      return HTTPCORE_H1_UPGRADE;
    case h1::upgrade_kind::connect:
      return HTTPCORE_H1_CONNECT;
    case h1::upgrade_kind::h2_preface:
      return HTTPCORE_H1_H2_PREFACE;
  }
  return HTTPCORE_H1_UPGRADE;
}

// Fills the fields both heads share.
template <class Head>
void set_head(httpcore_h1_event& ev, const Head& head) noexcept {
  ev.version_major = head.version_major;
  ev.version_minor = head.version_minor;
  ev.keep_alive = head.keep_alive ? 1 : 0;
  ev.framing = to_c(head.framing);
  ev.content_length = head.content_length;
  ev.has_announced_content_length = head.announced_content_length.has_value() ? 1 : 0;
  ev.announced_content_length = head.announced_content_length.value_or(0);
  ev.transfer_codings = head.transfer_codings.count;
  ev.first_transfer_coding =
      head.transfer_codings.empty() ? nullptr : ptr(head.transfer_codings.first);
  ev.first_transfer_coding_len = head.transfer_codings.first.size();
  ev.first_transfer_coding_offset = head.transfer_codings.offset;
}

// Turns one C++ result into *ev. `data` is the start of the input the views
// point into (for the offset of a field that did not fit), or null for finish().
void translate(httpcore_h1_parser& p, const h1::result& r, const char* data,
               httpcore_header* headers, std::size_t cap, httpcore_h1_event& ev) noexcept {
  std::memset(&ev, 0, sizeof ev);
  ev.consumed = r.consumed;
  if (r.err) {
    set_error(ev, r.err);
    return;
  }
  std::span<const h1::header> fields;
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, h1::need_more>) {
          ev.type = HTTPCORE_H1_NEED_MORE;
        } else if constexpr (std::is_same_v<T, h1::request_head>) {
          ev.type = HTTPCORE_H1_REQUEST_HEAD;
          ev.method = ptr(e.method);
          ev.method_len = e.method.size();
          ev.target = ptr(e.target);
          ev.target_len = e.target.size();
          ev.expect_continue = e.expect_continue ? 1 : 0;
          ev.upgrade = e.upgrade ? 1 : 0;
          set_head(ev, e);
          fields = e.headers;
        } else if constexpr (std::is_same_v<T, h1::response_head>) {
          ev.type = HTTPCORE_H1_RESPONSE_HEAD;
          ev.status = e.status;
          ev.reason = ptr(e.reason);
          ev.reason_len = e.reason.size();
          set_head(ev, e);
          fields = e.headers;
        } else if constexpr (std::is_same_v<T, h1::body_data>) {
          ev.type = HTTPCORE_H1_BODY;
          ev.body = e.text().data();
          ev.body_len = e.bytes.size();
        } else if constexpr (std::is_same_v<T, h1::message_end>) {
          ev.type = HTTPCORE_H1_MESSAGE_END;
          ev.body_bytes = e.body_bytes;
          fields = e.trailers;
        } else if constexpr (std::is_same_v<T, h1::upgraded>) {
          ev.type = HTTPCORE_H1_UPGRADED;
          ev.upgrade_kind = to_c(e.kind);
        }
      },
      r.ev);
  const h1::header* missing = nullptr;
  if (!copy_fields(fields, headers, cap, ev.num_headers, missing)) {
    // The caller's array is the limit: fail as the parser fails on
    // limits::max_headers, at the first field that did not fit. The views
    // point into `data` (a head or trailers are never parsed by finish()).
    std::uint64_t at = p.consumed_total;
    if (data != nullptr) at += static_cast<std::uint64_t>(missing->name.data() - data);
    p.own_error = {h1::errc::too_many_headers, at};
    std::memset(&ev, 0, sizeof ev);
    set_error(ev, p.own_error);
    return;
  }
  p.consumed_total += r.consumed;
}

}  // namespace

extern "C" {

const char* httpcore_version(void) {
  return HTTPCORE_VERSION_STRING;
}

void httpcore_h1_limits_default(httpcore_h1_limits* limits) {
  h1::limits d;
  *limits = {d.max_head_bytes,
             d.max_headers,
             d.max_target_bytes,
             d.max_body_bytes,
             d.max_chunk_extension_bytes,
             d.max_trailer_bytes};
}

httpcore_h1_parser* httpcore_h1_parser_new(httpcore_h1_role role, const httpcore_h1_limits* limits,
                                           unsigned lenient) {
  h1::lenient_flags flags;
  if (!to_flags(lenient, flags)) return nullptr;
  if (role != HTTPCORE_H1_SERVER && role != HTTPCORE_H1_CLIENT) return nullptr;
  h1::limits lim;
  if (limits != nullptr) {
    lim = {limits->max_head_bytes,
           limits->max_headers,
           limits->max_target_bytes,
           limits->max_body_bytes,
           limits->max_chunk_extension_bytes,
           limits->max_trailer_bytes};
  }
  try {
    return new httpcore_h1_parser{
        h1::parser(role == HTTPCORE_H1_SERVER ? h1::role::server : h1::role::client, lim, flags)};
  } catch (...) {  // std::bad_alloc: the header tables are sized here
    return nullptr;
  }
}

void httpcore_h1_parser_free(httpcore_h1_parser* parser) {
  delete parser;
}

void httpcore_h1_parser_reset(httpcore_h1_parser* parser) {
  parser->cpp.reset();
  parser->consumed_total = 0;
  parser->own_error = {};
}

void httpcore_h1_parser_set_request_method(httpcore_h1_parser* parser, const char* method,
                                           std::size_t method_len) {
  parser->cpp.set_request_method(
      httpcore::method_from_token(httpcore::c_api::view(method, method_len)));
}

httpcore_h1_event_type httpcore_h1_feed(httpcore_h1_parser* parser, const char* data,
                                        std::size_t len, httpcore_header* headers,
                                        std::size_t max_headers, httpcore_h1_event* event) {
  if (parser->own_error) {
    std::memset(event, 0, sizeof *event);
    set_error(*event, parser->own_error);
    return event->type;
  }
  const h1::result r = parser->cpp.feed(httpcore::c_api::view(data, len));
  translate(*parser, r, data, headers, headers != nullptr ? max_headers : 0, *event);
  return event->type;
}

httpcore_h1_event_type httpcore_h1_finish(httpcore_h1_parser* parser, httpcore_h1_event* event) {
  if (parser->own_error) {
    std::memset(event, 0, sizeof *event);
    set_error(*event, parser->own_error);
    return event->type;
  }
  const h1::result r = parser->cpp.finish();
  translate(*parser, r, nullptr, nullptr, 0, *event);
  return event->type;
}

const char* httpcore_h1_error_name(int error) {
  return ptr(h1::error_name(static_cast<h1::errc>(httpcore::c_api::enum_byte(error))));
}

int httpcore_h1_error_status(int error) {
  return h1::error_status(static_cast<h1::errc>(httpcore::c_api::enum_byte(error)));
}

}  // extern "C"
