#pragma once
/// \file
/// A stable, lower-case name for every value of every public enum of the core,
/// for logs, tests and bindings: `to_string(e)`, found by argument-dependent
/// lookup in the enum's namespace. The names are the enumerators' own (for
/// errors, the same as error_name() and its kin; for methods, the token, such
/// as "GET"). A value outside the enum gives "unknown". The views point to
/// static strings that are NUL-terminated. (The enums of the separate
/// components have theirs beside them: ws::inflate_error, of
/// httpcore::ws_deflate, in httpcore/ws/deflate.hpp; tls::error and tls::state,
/// of httpcore::tls, in httpcore/tls/error.hpp and httpcore/tls/session.hpp.)

#include <string_view>

#include "httpcore/h1/error.hpp"
#include "httpcore/h1/events.hpp"
#include "httpcore/h1/parser.hpp"
#include "httpcore/h1/serializer.hpp"
#include "httpcore/method.hpp"
#include "httpcore/multipart/error.hpp"
#include "httpcore/multipart/parser.hpp"
#include "httpcore/server/websocket.hpp"
#include "httpcore/target.hpp"
#include "httpcore/ws/close_handshake.hpp"
#include "httpcore/ws/error.hpp"
#include "httpcore/ws/frame.hpp"
#include "httpcore/ws/handshake.hpp"
#include "httpcore/ws/parser.hpp"

namespace httpcore {
std::string_view to_string(method m) noexcept;  ///< "GET", ...; "unknown" for method::unknown
std::string_view to_string(target_form f) noexcept;
std::string_view to_string(host_kind k) noexcept;
std::string_view to_string(target_error e) noexcept;
}  // namespace httpcore

namespace httpcore::h1 {
std::string_view to_string(role r) noexcept;
std::string_view to_string(parse_state s) noexcept;
std::string_view to_string(body_framing f) noexcept;
std::string_view to_string(target_kind k) noexcept;
std::string_view to_string(upgrade_kind k) noexcept;
std::string_view to_string(errc e) noexcept;
std::string_view to_string(serialize_error e) noexcept;
}  // namespace httpcore::h1

namespace httpcore::ws {
std::string_view to_string(role r) noexcept;
std::string_view to_string(opcode op) noexcept;
std::string_view to_string(parse_state s) noexcept;
std::string_view to_string(error_code e) noexcept;
std::string_view to_string(close_state s) noexcept;
std::string_view to_string(handshake_error e) noexcept;
}  // namespace httpcore::ws

namespace httpcore::multipart {
std::string_view to_string(parse_state s) noexcept;
std::string_view to_string(errc e) noexcept;
}  // namespace httpcore::multipart

namespace httpcore::server {
std::string_view to_string(ws_overflow o) noexcept;
std::string_view to_string(message_codec::inflate_status s) noexcept;
}  // namespace httpcore::server
