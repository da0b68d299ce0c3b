#pragma once
// Owning pointers for the OpenSSL objects the TLS target creates.

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <memory>
#include <string>

namespace httpcore::tls::detail {

template <auto Free>
struct freer {
  template <typename T>
  void operator()(T* p) const noexcept {
    Free(p);
  }
};

using ssl_ctx_ptr = std::unique_ptr<SSL_CTX, freer<SSL_CTX_free>>;
using ssl_ptr = std::unique_ptr<SSL, freer<SSL_free>>;
using bio_ptr = std::unique_ptr<BIO, freer<BIO_free_all>>;
using x509_ptr = std::unique_ptr<X509, freer<X509_free>>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, freer<EVP_PKEY_free>>;
using session_ptr = std::unique_ptr<SSL_SESSION, freer<SSL_SESSION_free>>;

/// OpenSSL's reason for the error at the front of this thread's queue (then
/// the queue is cleared), e.g. "no start line"; "unknown" when empty.
std::string take_openssl_reason();

}  // namespace httpcore::tls::detail
