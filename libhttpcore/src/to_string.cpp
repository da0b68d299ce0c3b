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
    case parse_state::idle:
      return "idle";
    case parse_state::head:
      return "head";
    case parse_state::body:
      return "body";
    case parse_state::trailers:
      return "trailers";
    case parse_state::message_done:
      return "message_done";
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

namespace httpcore::multipart {

std::string_view to_string(parse_state s) noexcept {
  switch (s) {
    case parse_state::preamble:
      return "preamble";
    case parse_state::delimiter:
      return "delimiter";
    case parse_state::head:
      return "head";
    case parse_state::data:
      return "data";
    case parse_state::closing:
      return "closing";
    case parse_state::epilogue:
      return "epilogue";
    case parse_state::failed:
      return "failed";
  }
  return "unknown";
}

std::string_view to_string(errc e) noexcept {
  return error_name(e);
}

}  // namespace httpcore::multipart

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
