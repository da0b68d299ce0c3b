// Names of the core's public enums (httpcore/to_string.hpp). Where an enum
// already has a name function (errors, methods), to_string() is that function;
// the others are switches over every enumerator, so that a new value without
// a name fails to compile (-Wswitch with -Werror).

#include "httpcore/to_string.hpp"

namespace httpcore {

std::string_view to_string(method m) noexcept {
  std::string_view name = method_name(m);  // "" for method::unknown and beyond the enum
  return name.empty() ? std::string_view("unknown") : name;
}

std::string_view to_string(target_form f) noexcept {
  switch (f) {
    case target_form::origin:
      return "origin";
    case target_form::absolute:
      return "absolute";
    case target_form::authority:
      return "authority";
    case target_form::asterisk:
      return "asterisk";
  }
  return "unknown";
}

std::string_view to_string(host_kind k) noexcept {
  switch (k) {
    case host_kind::none:
      return "none";
    case host_kind::reg_name:
      return "reg_name";
    case host_kind::ipv4:
      return "ipv4";
    case host_kind::ipv6:
      return "ipv6";
    case host_kind::ipv_future:
      return "ipv_future";
  }
  return "unknown";
}

std::string_view to_string(target_error e) noexcept {
  return target_error_name(e);
}

}  // namespace httpcore

namespace httpcore::h1 {

std::string_view to_string(role r) noexcept {
  switch (r) {
    case role::server:
      return "server";
    case role::client:
      return "client";
  }
  return "unknown";
}

std::string_view to_string(parse_state s) noexcept {
  switch (s) {
    case parse_state::message_start:
      return "message_start";
    case parse_state::method:
      return "method";
    case parse_state::target:
      return "target";
    case parse_state::request_version:
      return "request_version";
    case parse_state::status_version:
      return "status_version";
    case parse_state::status_code:
      return "status_code";
    case parse_state::reason:
      return "reason";
    case parse_state::start_line_lf:
      return "start_line_lf";
    case parse_state::field_line_start:
      return "field_line_start";
    case parse_state::field_name:
      return "field_name";
    case parse_state::field_value_ows:
      return "field_value_ows";
    case parse_state::field_value:
      return "field_value";
    case parse_state::field_line_lf:
      return "field_line_lf";
    case parse_state::section_end_lf:
      return "section_end_lf";
    case parse_state::body_fixed:
      return "body_fixed";
    case parse_state::body_until_close:
      return "body_until_close";
    case parse_state::chunk_size:
      return "chunk_size";
    case parse_state::chunk_size_ws:
      return "chunk_size_ws";
    case parse_state::chunk_ext_start:
      return "chunk_ext_start";
    case parse_state::chunk_ext_name:
      return "chunk_ext_name";
    case parse_state::chunk_ext_after_name:
      return "chunk_ext_after_name";
    case parse_state::chunk_ext_value_start:
      return "chunk_ext_value_start";
    case parse_state::chunk_ext_token:
      return "chunk_ext_token";
    case parse_state::chunk_ext_quoted:
      return "chunk_ext_quoted";
    case parse_state::chunk_ext_quoted_escape:
      return "chunk_ext_quoted_escape";
    case parse_state::chunk_ext_quoted_end:
      return "chunk_ext_quoted_end";
    case parse_state::chunk_ext_after_value:
      return "chunk_ext_after_value";
    case parse_state::chunk_size_lf:
      return "chunk_size_lf";
    case parse_state::chunk_data:
      return "chunk_data";
    case parse_state::chunk_data_cr:
      return "chunk_data_cr";
    case parse_state::chunk_data_lf:
      return "chunk_data_lf";
    case parse_state::message_complete:
      return "message_complete";
    case parse_state::upgrade_pending:
      return "upgrade_pending";
    case parse_state::upgraded:
      return "upgraded";
    case parse_state::closed:
      return "closed";
    case parse_state::failed:
      return "failed";
  }
  return "unknown";
}

std::string_view to_string(body_framing f) noexcept {
  switch (f) {
    case body_framing::none:
      return "none";
    case body_framing::content_length:
      return "content_length";
    case body_framing::chunked:
      return "chunked";
    case body_framing::until_close:
      return "until_close";
  }
  return "unknown";
}

std::string_view to_string(target_kind k) noexcept {
  switch (k) {
    case target_kind::origin:
      return "origin";
    case target_kind::absolute:
      return "absolute";
    case target_kind::authority:
      return "authority";
    case target_kind::asterisk:
      return "asterisk";
  }
  return "unknown";
}

std::string_view to_string(upgrade_kind k) noexcept {
  switch (k) {
    case upgrade_kind::upgrade:
      return "upgrade";
    case upgrade_kind::connect:
      return "connect";
    case upgrade_kind::h2_preface:
      return "h2_preface";
  }
  return "unknown";
}

std::string_view to_string(errc e) noexcept {
  return error_name(e);
}

std::string_view to_string(serialize_error e) noexcept {
  return serialize_error_name(e);
}

}  // namespace httpcore::h1

namespace httpcore::ws {

std::string_view to_string(role r) noexcept {
  switch (r) {
    case role::server:
      return "server";
    case role::client:
      return "client";
  }
  return "unknown";
}

std::string_view to_string(opcode op) noexcept {
  switch (op) {
    case opcode::continuation:
      return "continuation";
    case opcode::text:
      return "text";
    case opcode::binary:
      return "binary";
    case opcode::close:
      return "close";
    case opcode::ping:
      return "ping";
    case opcode::pong:
      return "pong";
  }
  return "unknown";
}

std::string_view to_string(parse_state s) noexcept {
  switch (s) {
    case parse_state::frame_start:
      return "frame_start";
    case parse_state::payload_length:
      return "payload_length";
    case parse_state::extended_length:
      return "extended_length";
    case parse_state::mask:
      return "mask";
    case parse_state::data_payload:
      return "data_payload";
    case parse_state::data_frame_end:
      return "data_frame_end";
    case parse_state::control_payload:
      return "control_payload";
    case parse_state::closed:
      return "closed";
    case parse_state::failed:
      return "failed";
  }
  return "unknown";
}

std::string_view to_string(close_state s) noexcept {
  switch (s) {
    case close_state::open:
      return "open";
    case close_state::close_sent:
      return "close_sent";
    case close_state::closed:
      return "closed";
  }
  return "unknown";
}

std::string_view to_string(error_code e) noexcept {
  return error_name(e);
}

std::string_view to_string(handshake_error e) noexcept {
  return handshake_error_name(e);
}

}  // namespace httpcore::ws

namespace httpcore::server {

std::string_view to_string(ws_overflow o) noexcept {
  switch (o) {
    case ws_overflow::close:
      return "close";
    case ws_overflow::drop:
      return "drop";
  }
  return "unknown";
}

std::string_view to_string(message_codec::inflate_status s) noexcept {
  switch (s) {
    case message_codec::inflate_status::ok:
      return "ok";
    case message_codec::inflate_status::too_big:
      return "too_big";
    case message_codec::inflate_status::corrupt:
      return "corrupt";
    case message_codec::inflate_status::busy:
      return "busy";
  }
  return "unknown";
}

}  // namespace httpcore::server
