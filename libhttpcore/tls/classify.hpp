#pragma once
// From what OpenSSL reports to our error codes: one place decides which
// OpenSSL reason means which tls::error.

#include "httpcore/tls/error.hpp"

namespace httpcore::tls::detail {

/// The error for an OpenSSL error-queue entry (library and reason codes).
/// `first_byte` is the first byte a server session received (-1 if none):
/// a first record that is not a handshake record means not TLS at all.
error classify_reason(int lib, int reason, int first_byte) noexcept;

/// The error for a failed certificate verification (X509_V_ERR_*).
error classify_verify_result(long result) noexcept;

}  // namespace httpcore::tls::detail
