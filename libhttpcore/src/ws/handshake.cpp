// The server's side of the opening handshake (RFC 6455 §4.2), the accept
// value and the error names.
#include "httpcore/ws/handshake.hpp"

#include "detail/base64.hpp"
#include "detail/sha1.hpp"
#include "ws/handshake_fields.hpp"

namespace httpcore::ws {

std::string_view handshake_error_name(handshake_error e) noexcept {
  switch (e) {
    case handshake_error::none:
      return "none";
    case handshake_error::method_not_get:
      return "method_not_get";
    case handshake_error::http_version_too_old:
      return "http_version_too_old";
    case handshake_error::missing_host:
      return "missing_host";
    case handshake_error::missing_upgrade_websocket:
      return "missing_upgrade_websocket";
    case handshake_error::missing_connection_upgrade:
      return "missing_connection_upgrade";
    case handshake_error::missing_key:
      return "missing_key";
    case handshake_error::invalid_key:
      return "invalid_key";
    case handshake_error::unsupported_version:
      return "unsupported_version";
    case handshake_error::invalid_subprotocols:
      return "invalid_subprotocols";
    case handshake_error::invalid_extensions:
      return "invalid_extensions";
    case handshake_error::unexpected_status:
      return "unexpected_status";
    case handshake_error::response_missing_upgrade:
      return "response_missing_upgrade";
    case handshake_error::response_missing_connection:
      return "response_missing_connection";
    case handshake_error::invalid_accept:
      return "invalid_accept";
    case handshake_error::unrequested_subprotocol:
      return "unrequested_subprotocol";
    case handshake_error::unrequested_extension:
      return "unrequested_extension";
    case handshake_error::invalid_extension_response:
      return "invalid_extension_response";
  }
  return "unknown";
}

std::string compute_accept(std::string_view key) {
  httpcore::detail::sha1 hash;
  hash.update(key);
  hash.update(websocket_guid);
  const auto digest = hash.finish();
  return httpcore::detail::base64_encode(digest);
}

field_list server_handshake_result::fields() const noexcept {
  field_list out;
  auto add = [&](std::string_view name, std::string_view value) {
    out.items[out.count++] = h1::header{name, value};
  };
  if (status == 426) add("Sec-WebSocket-Version", "13");
  if (status != 101) return out;
  add("Upgrade", "websocket");
  add("Connection", "Upgrade");
  add("Sec-WebSocket-Accept", accept);
  if (!subprotocol.empty()) add("Sec-WebSocket-Protocol", subprotocol);
  if (!extensions.empty()) add("Sec-WebSocket-Extensions", extensions);
  return out;
}

namespace {

server_handshake_result fail(handshake_error e) {
  server_handshake_result r;
  r.status = e == handshake_error::unsupported_version ? 426 : 400;
  r.error = e;
  return r;
}

// Sec-WebSocket-Version must be exactly one "13" (§4.2.1 item 6).
bool version_is_13(std::span<const h1::header> headers) {
  int seen = 0;
  bool ok = true;
  for (const h1::header& h : headers) {
    if (!ascii_iequals(h.name, "sec-websocket-version")) continue;
    h1::syntax::for_each_list_element(h.value, [&](std::string_view v, std::size_t) {
      ++seen;
      ok = ok && v == "13";
      return true;
    });
  }
  return seen == 1 && ok;
}

}  // namespace

server_handshake_result accept_handshake(const h1::request_head& request,
                                         const server_options& options) {
  using e = handshake_error;
  const auto headers = request.headers;
  if (request.method != "GET") return fail(e::method_not_get);
  if (request.version_major < 1 || (request.version_major == 1 && request.version_minor < 1))
    return fail(e::http_version_too_old);

  std::string_view key;
  int keys = 0, hosts = 0;
  for (const h1::header& h : headers) {
    if (ascii_iequals(h.name, "host")) ++hosts;
    if (ascii_iequals(h.name, "sec-websocket-key")) {
      ++keys;
      key = detail::trim_ows(h.value);
    }
  }
  if (hosts == 0) return fail(e::missing_host);
  if (!detail::has_token(headers, "upgrade", "websocket"))
    return fail(e::missing_upgrade_websocket);
  if (!detail::has_token(headers, "connection", "upgrade"))
    return fail(e::missing_connection_upgrade);
  if (!version_is_13(headers)) return fail(e::unsupported_version);
  if (keys == 0) return fail(e::missing_key);
  if (keys > 1) return fail(e::invalid_key);
  const auto nonce = httpcore::detail::base64_decode(key);
  if (!nonce || nonce->size() != 16) return fail(e::invalid_key);

  server_handshake_result r;
  // Subprotocol: the client's list in its order (all its lines), the first
  // one we speak wins; a malformed list fails the handshake.
  bool lists_ok = true;
  for (const h1::header& h : headers) {
    if (!ascii_iequals(h.name, "sec-websocket-protocol")) continue;
    lists_ok = h1::syntax::for_each_list_element(h.value, [&](std::string_view proto, std::size_t) {
      if (!detail::is_token(proto)) return false;
      if (r.subprotocol.empty()) {
        for (std::string_view ours : options.subprotocols)
          if (ours == proto) r.subprotocol = std::string(proto);
      }
      return true;
    });
    if (!lists_ok) return fail(e::invalid_subprotocols);
  }

  std::vector<extension> offers;
  for (const h1::header& h : headers) {
    if (ascii_iequals(h.name, "sec-websocket-extensions") && !parse_extensions(h.value, offers))
      return fail(e::invalid_extensions);
  }
  if (options.deflate) {
    if (auto agreed = negotiate_deflate(offers, *options.deflate)) {
      r.deflate = agreed->params;
      r.extensions = std::move(agreed->response);
    }
  }

  r.status = 101;
  r.accept = compute_accept(key);
  return r;
}

}  // namespace httpcore::ws
