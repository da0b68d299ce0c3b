// Test certificates made at test time with OpenSSL's API: a CA, leaves it
// issues (any names, any validity, backdated for an expired one), and
// self-signed leaves. EC P-256 keys: generated in well under a millisecond.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <stdexcept>
#include <string>

#include "httpcore/tls/config.hpp"

namespace httpcore::test {

struct pem_pair {
  std::string cert;  // PEM (a chain when issued: the leaf only; the CA is trusted)
  std::string key;
  tls::certificate_config config() const { return {{}, {}, cert, key}; }
};

namespace detail_certs {

inline EVP_PKEY* new_key() {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  if (key == nullptr) throw std::runtime_error("EVP_EC_gen failed");
  return key;
}

inline void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) {
    throw std::runtime_error(std::string("extension ") + value);
  }
  X509_EXTENSION_free(ext);
}

template <typename Write>
std::string pem(Write write) {
  BIO* bio = BIO_new(BIO_s_mem());
  write(bio);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  return out;
}

// `names` is a subjectAltName value ("DNS:a.test,DNS:*.b.test,IP:127.0.0.1").
inline X509* make_cert(EVP_PKEY* key, const std::string& cn, const std::string& names, bool ca,
                       X509* issuer, EVP_PKEY* issuer_key, long not_before_s, long not_after_s) {
  static long serial = 1;
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), serial++);
  X509_gmtime_adj(X509_getm_notBefore(cert), not_before_s);
  X509_gmtime_adj(X509_getm_notAfter(cert), not_after_s);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : cert;
  X509_set_issuer_name(cert, X509_get_subject_name(signer));
  if (ca) {
    add_ext(cert, signer, NID_basic_constraints, "critical,CA:TRUE");
    add_ext(cert, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_ext(cert, signer, NID_basic_constraints, "CA:FALSE");
    add_ext(cert, signer, NID_ext_key_usage, "serverAuth");
    if (!names.empty()) add_ext(cert, signer, NID_subject_alt_name, names.c_str());
  }
  add_ext(cert, signer, NID_subject_key_identifier, "hash");
  if (X509_sign(cert, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) == 0) {
    throw std::runtime_error("X509_sign failed");
  }
  return cert;
}

inline pem_pair to_pem(X509* cert, EVP_PKEY* key) {
  pem_pair out;
  out.cert = pem([&](BIO* b) { PEM_write_bio_X509(b, cert); });
  out.key =
      pem([&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
  return out;
}

}  // namespace detail_certs

constexpr long one_day = 24 * 3600;

/// A test CA that issues leaves.
class test_ca {
 public:
  test_ca() {
    key_ = detail_certs::new_key();
    cert_ = detail_certs::make_cert(key_, "httpcore test CA", "", true, nullptr, nullptr, -one_day,
                                    30 * one_day);
    pem_ = detail_certs::to_pem(cert_, key_).cert;
  }
  ~test_ca() {
    X509_free(cert_);
    EVP_PKEY_free(key_);
  }
  test_ca(const test_ca&) = delete;
  test_ca& operator=(const test_ca&) = delete;

  /// The CA certificate, PEM (what clients trust).
  const std::string& pem() const { return pem_; }

  /// A leaf for `names` (subjectAltName syntax), valid from now + not_before_s
  /// to now + not_after_s.
  pem_pair issue(const std::string& names, long not_before_s = -one_day,
                 long not_after_s = 30 * one_day) const {
    EVP_PKEY* key = detail_certs::new_key();
    X509* cert =
        detail_certs::make_cert(key, "leaf", names, false, cert_, key_, not_before_s, not_after_s);
    pem_pair out = detail_certs::to_pem(cert, key);
    X509_free(cert);
    EVP_PKEY_free(key);
    return out;
  }

 private:
  EVP_PKEY* key_ = nullptr;
  X509* cert_ = nullptr;
  std::string pem_;
};

/// A self-signed leaf for `names`, trusted by nobody.
inline pem_pair self_signed(const std::string& names) {
  EVP_PKEY* key = detail_certs::new_key();
  X509* cert = detail_certs::make_cert(key, "self-signed", names, false, nullptr, nullptr, -one_day,
                                       30 * one_day);
  pem_pair out = detail_certs::to_pem(cert, key);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

}  // namespace httpcore::test
