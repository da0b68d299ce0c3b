#pragma once
/// \file
/// Why a TLS session failed: a stable name for each cause, OpenSSL's own
/// reason beside it, and where in the peer's byte stream it happened.

#include <cstdint>
#include <string>
#include <string_view>

namespace httpcore::tls {

/// Why a session failed. Every failure is final: the session sends the alert
/// it queued (output()) and the connection is closed.
enum class error : std::uint8_t {
  none,
  /// The handshake was not over by its deadline (session::on_timer).
  handshake_timeout,
  /// A cleartext HTTP request arrived where a ClientHello belongs.
  plain_http,
  /// The first bytes are not a TLS handshake record at all.
  not_tls,
  /// The peer offers or insists on a version we do not speak (below TLS 1.2).
  protocol_version,
  /// No cipher suite, group or signature algorithm in common.
  handshake_failure,
  /// ALPN: no protocol in common (RFC 7301 §3.2).
  no_application_protocol,
  /// Client role: the server's certificate has expired (or is not valid yet).
  certificate_expired,
  /// Client role: the certificate is not for the host name we asked for.
  certificate_name_mismatch,
  /// Client role: no chain to a trusted CA (self-signed, unknown issuer).
  certificate_untrusted,
  /// Client role: the certificate was refused for another reason (detail).
  certificate_invalid,
  /// The peer sent a fatal alert (failure::alert says which).
  peer_alert,
  /// A record failed its integrity check or could not be decoded.
  bad_record,
  /// The byte stream ended without a close_notify: in the middle of the
  /// handshake, or a record, or of data the peer had not said was complete.
  truncated,
  /// Any other protocol violation OpenSSL reported (detail says which).
  protocol_error,
  /// Out of memory or an OpenSSL failure that is not the peer's doing.
  internal,
};

/// Stable name, e.g. "certificate_expired"; "unknown" for a value outside the enum.
std::string_view error_name(error e) noexcept;
/// The same name, under the name every public enum's has (httpcore/to_string.hpp).
std::string_view to_string(error e) noexcept;

/// A failed session's diagnosis.
struct failure {
  error code = error::none;
  /// OpenSSL's reason ("wrong version number") or the certificate
  /// verification's ("certificate has expired"); empty when none applies.
  std::string detail;
  /// Ciphertext bytes the session had taken from the peer when it failed:
  /// the failing record ends at or before this offset.
  std::uint64_t offset = 0;
  /// The TLS alert description the peer sent (RFC 8446 §6), or -1.
  int alert = -1;
};

}  // namespace httpcore::tls
