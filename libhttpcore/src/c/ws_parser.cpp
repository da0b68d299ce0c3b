// The C interface's WebSocket frame parser: ws::parser behind an opaque
// handle, its variant event flattened into httpcore_ws_event.

#include <cstring>
#include <new>
#include <type_traits>
#include <variant>

#include "c_api.hpp"
#include "httpcore/ws/parser.hpp"

struct httpcore_ws_parser {
  httpcore::ws::parser cpp;
};

namespace {

namespace ws = httpcore::ws;

const unsigned char* bytes(std::span<const std::byte> s) noexcept {
  return reinterpret_cast<const unsigned char*>(s.data());
}

void translate(const ws::result& r, httpcore_ws_event& ev) noexcept {
  std::memset(&ev, 0, sizeof ev);
  ev.consumed = r.consumed;
  if (r.err) {
    ev.type = HTTPCORE_WS_ERROR;
    ev.error = static_cast<int>(r.err.code);
    ev.error_name = r.err.name().data();  // the table's literals: NUL-terminated
    ev.error_offset = r.err.offset;
    ev.error_close_code = r.err.close_code;
    return;
  }
  std::visit(
      [&](const auto& e) {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, ws::need_more>) {
          ev.type = HTTPCORE_WS_NEED_MORE;
        } else if constexpr (std::is_same_v<T, ws::data_frame_begin>) {
          ev.type = HTTPCORE_WS_FRAME_BEGIN;
          ev.opcode = static_cast<int>(e.message_type);
          ev.first_fragment = e.first_fragment ? 1 : 0;
          ev.fin = e.fin ? 1 : 0;
          ev.compressed = e.compressed ? 1 : 0;
          ev.length = e.length;
        } else if constexpr (std::is_same_v<T, ws::data_payload>) {
          ev.type = HTTPCORE_WS_PAYLOAD;
          ev.payload = bytes(e.bytes);
          ev.payload_len = e.bytes.size();
        } else if constexpr (std::is_same_v<T, ws::data_frame_end>) {
          ev.type = HTTPCORE_WS_FRAME_END;
          ev.message_end = e.message_end ? 1 : 0;
        } else if constexpr (std::is_same_v<T, ws::control_frame>) {
          ev.type = HTTPCORE_WS_CONTROL;
          ev.opcode = static_cast<int>(e.op);
          ev.payload = bytes(e.payload);
          ev.payload_len = e.payload.size();
          ev.close_code = e.close_code;
          ev.close_reason = e.close_reason.data();
          ev.close_reason_len = e.close_reason.size();
        }
      },
      r.ev);
}

}  // namespace

extern "C" {

httpcore_ws_parser* httpcore_ws_parser_new(httpcore_ws_role role, std::uint64_t max_frame_bytes,
                                           std::uint64_t max_message_bytes, int allow_rsv1) {
  if (role != HTTPCORE_WS_SERVER && role != HTTPCORE_WS_CLIENT) return nullptr;
  ws::limits lim;
  if (max_frame_bytes != 0) lim.max_frame_bytes = max_frame_bytes;
  if (max_message_bytes != 0) lim.max_message_bytes = max_message_bytes;
  ws::parser_options options;
  options.allow_rsv1 = allow_rsv1 != 0;
  return new (std::nothrow) httpcore_ws_parser{
      ws::parser(role == HTTPCORE_WS_SERVER ? ws::role::server : ws::role::client, lim, options)};
}

void httpcore_ws_parser_free(httpcore_ws_parser* parser) {
  delete parser;
}

void httpcore_ws_parser_reset(httpcore_ws_parser* parser) {
  parser->cpp.reset();
}

httpcore_ws_event_type httpcore_ws_feed(httpcore_ws_parser* parser, unsigned char* data,
                                        std::size_t len, httpcore_ws_event* event) {
  // A null pointer with a length of 0 is an empty span, not UB.
  std::span<std::byte> in(reinterpret_cast<std::byte*>(data), data != nullptr ? len : 0);
  translate(parser->cpp.feed(in), *event);
  return event->type;
}

}  // extern "C"
