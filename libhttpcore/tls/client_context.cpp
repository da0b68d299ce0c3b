// Building a client's context: trust store, verification, ALPN.

#include <openssl/err.h>
#include <openssl/pem.h>

#include "context_impl.hpp"

namespace httpcore::tls {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw config_error(what + ": " + detail::take_openssl_reason());
}

void load_trust(SSL_CTX* ctx, const client_config& c) {
  if (!c.ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(ctx, c.ca_file.c_str(), nullptr) != 1) {
      fail("ca_file '" + c.ca_file + "'");
    }
    return;
  }
  if (!c.ca_pem.empty()) {
    detail::bio_ptr bio(BIO_new_mem_buf(c.ca_pem.data(), static_cast<int>(c.ca_pem.size())));
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    int added = 0;
    while (X509* ca = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
      const int ok = X509_STORE_add_cert(store, ca);
      X509_free(ca);
      if (ok != 1) fail("ca_pem");
      ++added;
    }
    if (added == 0) fail("ca_pem");
    ERR_clear_error();  // the end of the PEM is reported as an error
    return;
  }
  if (SSL_CTX_set_default_verify_paths(ctx) != 1) fail("the system's CA store");
}

}  // namespace

client_context::client_context(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
client_context::~client_context() = default;

const client_config& client_context::config() const noexcept {
  return impl_->config;
}

std::shared_ptr<const client_context> client_context::make(const client_config& config) {
  auto im = std::make_unique<impl>();
  im->config = config;
  im->alpn_wire = detail::alpn_wire_format(config.alpn);
  im->context.reset(SSL_CTX_new(TLS_client_method()));
  SSL_CTX* ctx = im->context.get();
  if (ctx == nullptr) fail("SSL_CTX_new");
  detail::apply_common_settings(ctx);
  if (!config.allow_tls13) SSL_CTX_set_max_proto_version(ctx, TLS1_2_VERSION);
  if (config.verify_peer) {
    load_trust(ctx, config);
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  } else {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
  }
  return std::shared_ptr<const client_context>(new client_context(std::move(im)));
}

}  // namespace httpcore::tls
