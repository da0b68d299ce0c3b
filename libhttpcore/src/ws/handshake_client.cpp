// The client's side of the opening handshake (RFC 6455 §4.1): the request,
// then the checks a client must make of the server's answer.
#include <vector>

#include "detail/base64.hpp"
#include "httpcore/ws/handshake.hpp"
#include "ws/handshake_fields.hpp"

namespace httpcore::ws {

client_handshake::client_handshake(const client_options& options,
                                   std::span<const std::uint8_t, 16> nonce)
    : host_(options.host),
      target_(options.target),
      origin_(options.origin),
      deflate_(options.deflate),
      key_(httpcore::detail::base64_encode(nonce)),
      accept_(compute_accept(key_)) {
  for (std::string_view p : options.subprotocols) {
    subprotocols_.emplace_back(p);
    if (!protocol_field_.empty()) protocol_field_ += ", ";
    protocol_field_ += p;
  }
  if (deflate_) extension_offer_ = format_deflate_offer(*deflate_);
}

field_list client_handshake::fields() const noexcept {
  field_list out;
  auto add = [&](std::string_view name, std::string_view value) {
    out.items[out.count++] = h1::header{name, value};
  };
  add("Host", host_);
  add("Upgrade", "websocket");
  add("Connection", "Upgrade");
  add("Sec-WebSocket-Key", key_);
  add("Sec-WebSocket-Version", "13");
  if (!origin_.empty()) add("Origin", origin_);
  if (!protocol_field_.empty()) add("Sec-WebSocket-Protocol", protocol_field_);
  if (!extension_offer_.empty()) add("Sec-WebSocket-Extensions", extension_offer_);
  return out;
}

h1::serialize_error client_handshake::write_request(std::string& out) const {
  const field_list f = fields();
  return h1::write_request_head(out, "GET", target_, f.span(), 1);
}

client_handshake_result client_handshake::check_response(const h1::response_head& response) const {
  using e = handshake_error;
  client_handshake_result r;
  auto fail = [&](handshake_error why) {
    r = client_handshake_result{};
    r.error = why;
    return r;
  };
  const auto headers = response.headers;
  if (response.status != 101) return fail(e::unexpected_status);

  // §4.1: Upgrade must be "websocket" (case-insensitively), Connection must
  // hold "Upgrade", the accept value must match exactly.
  int upgrades = 0, accepts = 0;
  bool upgrade_ok = true, accept_ok = false;
  for (const h1::header& h : headers) {
    if (ascii_iequals(h.name, "upgrade")) {
      ++upgrades;
      upgrade_ok = upgrade_ok && ascii_iequals(detail::trim_ows(h.value), "websocket");
    } else if (ascii_iequals(h.name, "sec-websocket-accept")) {
      ++accepts;
      accept_ok = detail::trim_ows(h.value) == accept_;
    }
  }
  if (upgrades != 1 || !upgrade_ok) return fail(e::response_missing_upgrade);
  if (!detail::has_token(headers, "connection", "upgrade"))
    return fail(e::response_missing_connection);
  if (accepts != 1 || !accept_ok) return fail(e::invalid_accept);

  // §4.1: a subprotocol must be one we offered; one field, one token.
  int protocol_fields = 0;
  for (const h1::header& h : headers) {
    if (!ascii_iequals(h.name, "sec-websocket-protocol")) continue;
    ++protocol_fields;
    r.subprotocol = std::string(detail::trim_ows(h.value));
  }
  if (protocol_fields > 1) return fail(e::unrequested_subprotocol);
  if (protocol_fields == 1) {
    bool offered = false;
    for (const std::string& p : subprotocols_) offered = offered || p == r.subprotocol;
    if (!offered) return fail(e::unrequested_subprotocol);
  }

  // §4.1 and §9.1: every extension in use must be one we offered, and RFC
  // 7692 §7.1 its parameters must answer our offer.
  std::vector<extension> accepted;
  for (const h1::header& h : headers) {
    if (ascii_iequals(h.name, "sec-websocket-extensions") && !parse_extensions(h.value, accepted))
      return fail(e::invalid_extension_response);
  }
  for (const extension& ext : accepted) {
    if (!deflate_ || r.deflate || !ascii_iequals(ext.name, "permessage-deflate"))
      return fail(e::unrequested_extension);
    r.deflate = check_deflate_response(ext, *deflate_);
    if (!r.deflate) return fail(e::invalid_extension_response);
  }
  return r;
}

}  // namespace httpcore::ws
