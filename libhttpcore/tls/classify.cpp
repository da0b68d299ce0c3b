// OpenSSL's reasons sorted into tls::error, and the errors' names.

#include "classify.hpp"

#include "httpcore/tls/session.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>

namespace httpcore::tls {

std::string_view error_name(error e) noexcept {
  switch (e) {
    case error::none:
      return "none";
    case error::handshake_timeout:
      return "handshake_timeout";
    case error::plain_http:
      return "plain_http";
    case error::not_tls:
      return "not_tls";
    case error::protocol_version:
      return "protocol_version";
    case error::handshake_failure:
      return "handshake_failure";
    case error::no_application_protocol:
      return "no_application_protocol";
    case error::certificate_expired:
      return "certificate_expired";
    case error::certificate_name_mismatch:
      return "certificate_name_mismatch";
    case error::certificate_untrusted:
      return "certificate_untrusted";
    case error::certificate_invalid:
      return "certificate_invalid";
    case error::peer_alert:
      return "peer_alert";
    case error::bad_record:
      return "bad_record";
    case error::truncated:
      return "truncated";
    case error::protocol_error:
      return "protocol_error";
    case error::internal:
      return "internal";
  }
  return "unknown";
}

std::string_view to_string(error e) noexcept {
  return error_name(e);
}

// A switch over every enumerator, so that a new state without a name fails to
// compile (-Wswitch with -Werror).
std::string_view to_string(state s) noexcept {
  switch (s) {
    case state::handshaking:
      return "handshaking";
    case state::established:
      return "established";
    case state::closed:
      return "closed";
    case state::failed:
      return "failed";
  }
  return "unknown";
}

namespace detail {
namespace {

constexpr int handshake_record = 22;  // ContentType handshake (RFC 8446 §5.1)

}  // namespace

error classify_reason(int lib, int reason, int first_byte) noexcept {
  if (lib != ERR_LIB_SSL) return error::internal;
  switch (reason) {
    case SSL_R_HTTP_REQUEST:
    case SSL_R_HTTPS_PROXY_REQUEST:
      return error::plain_http;
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_VERSION_TOO_LOW:
    case SSL_R_NO_PROTOCOLS_AVAILABLE:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION:
      return error::protocol_version;
    case SSL_R_NO_SHARED_CIPHER:
    case SSL_R_NO_SHARED_GROUPS:
    case SSL_R_NO_SHARED_SIGNATURE_ALGORITHMS:
    case SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM:
    case SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE:
      return error::handshake_failure;
    case SSL_R_NO_APPLICATION_PROTOCOL:
    case SSL_R_TLSV1_ALERT_NO_APPLICATION_PROTOCOL:
      return error::no_application_protocol;
    case SSL_R_UNEXPECTED_EOF_WHILE_READING:
      return error::truncated;
    default:
      break;
  }
  // Anything wrong with the very first record of a server session means the
  // peer does not speak TLS (a ClientHello always comes in a handshake
  // record); after that, a record-layer fault is a bad record.
  if (first_byte >= 0 && first_byte != handshake_record) return error::not_tls;
  switch (reason) {
    case SSL_R_WRONG_VERSION_NUMBER:
    case SSL_R_PACKET_LENGTH_TOO_LONG:
    case SSL_R_RECORD_LENGTH_MISMATCH:
    case SSL_R_ENCRYPTED_LENGTH_TOO_LONG:
    case SSL_R_DATA_LENGTH_TOO_LONG:
    case SSL_R_DECRYPTION_FAILED:
    case SSL_R_DECRYPTION_FAILED_OR_BAD_RECORD_MAC:
    case SSL_R_SSLV3_ALERT_BAD_RECORD_MAC:
    case SSL_R_BAD_RECORD_TYPE:
    case SSL_R_RECORD_TOO_SMALL:
    case SSL_R_BAD_LENGTH:
    case SSL_R_BAD_PACKET_LENGTH:
      return error::bad_record;
    default:
      break;
  }
  // Other alerts the peer sent arrive as reasons offset by 1000.
  if (reason >= SSL_AD_REASON_OFFSET) return error::peer_alert;
  return error::protocol_error;
}

error classify_verify_result(long result) noexcept {
  switch (result) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
      return error::certificate_expired;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH:
      return error::certificate_name_mismatch;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
      return error::certificate_untrusted;
    default:
      return error::certificate_invalid;
  }
}

}  // namespace detail
}  // namespace httpcore::tls
