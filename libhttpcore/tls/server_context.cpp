// Building a server's contexts: certificates, SNI, ALPN, tickets.

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cstring>
#include <limits>

#include "context_impl.hpp"

namespace httpcore::tls {
namespace {

[[noreturn]] void fail(const std::string& what) {
  throw config_error(what + ": " + detail::take_openssl_reason());
}

// The PEM source of one item: the file when named, else the text.
detail::bio_ptr open_pem(const std::string& file, const std::string& text,
                         const std::string& what) {
  BIO* bio = !file.empty() ? BIO_new_file(file.c_str(), "r")
                           : BIO_new_mem_buf(text.data(), static_cast<int>(text.size()));
  if (bio == nullptr) fail(what + (file.empty() ? "" : " '" + file + "'"));
  return detail::bio_ptr(bio);
}

void load_certificate(SSL_CTX* ctx, const certificate_config& c, std::size_t index) {
  const std::string where = "certificate " + std::to_string(index + 1);
  if (c.chain_file.empty() && c.chain_pem.empty()) throw config_error(where + ": no chain given");
  if (c.key_file.empty() && c.key_pem.empty()) throw config_error(where + ": no key given");
  const std::string chain_what =
      where + (c.chain_file.empty() ? ": chain PEM" : ": chain file '" + c.chain_file + "'");
  const std::string key_what =
      where + (c.key_file.empty() ? ": key PEM" : ": key file '" + c.key_file + "'");

  auto chain = open_pem(c.chain_file, c.chain_pem, where + ": chain file");
  detail::x509_ptr leaf(PEM_read_bio_X509_AUX(chain.get(), nullptr, nullptr, nullptr));
  if (!leaf || SSL_CTX_use_certificate(ctx, leaf.get()) != 1) fail(chain_what);
  // The rest of the file: intermediates, in order, until the PEM runs out.
  while (X509* extra = PEM_read_bio_X509(chain.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(ctx, extra) != 1) {
      X509_free(extra);
      fail(chain_what);
    }
  }
  ERR_clear_error();  // the end of the PEM is reported as an error

  auto key_bio = open_pem(c.key_file, c.key_pem, where + ": key file");
  detail::pkey_ptr key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr));
  if (!key) fail(key_what);
  if (X509_check_private_key(leaf.get(), key.get()) != 1) {
    ERR_clear_error();
    throw config_error(key_what + ": the key does not match the certificate");
  }
  if (SSL_CTX_use_PrivateKey(ctx, key.get()) != 1) fail(key_what);
}

// SNI: switch the connection to the first context whose leaf covers the
// name. No name, or a name none covers, keeps the default (the first).
int choose_by_sni(SSL* ssl, int* /*alert*/, void* arg) {
  const auto* im = static_cast<const server_context::impl*>(arg);
  const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
  if (name == nullptr || im->contexts.size() == 1) return SSL_TLSEXT_ERR_OK;
  for (const auto& ctx : im->contexts) {
    X509* leaf = SSL_CTX_get0_certificate(ctx.get());
    if (X509_check_host(leaf, name, std::strlen(name), 0, nullptr) == 1) {
      if (ctx.get() != SSL_get_SSL_CTX(ssl)) SSL_set_SSL_CTX(ssl, ctx.get());
      break;
    }
  }
  return SSL_TLSEXT_ERR_OK;
}

// ALPN by the server's preference: the first of ours the client offers. A
// client offering only others is refused (RFC 7301 §3.2).
int choose_alpn(SSL* /*ssl*/, const unsigned char** out, unsigned char* out_len,
                const unsigned char* offered, unsigned int offered_len, void* arg) {
  const auto* im = static_cast<const server_context::impl*>(arg);
  unsigned char* chosen = nullptr;
  const auto* ours = reinterpret_cast<const unsigned char*>(im->alpn_wire.data());
  if (SSL_select_next_proto(&chosen, out_len, ours, static_cast<unsigned>(im->alpn_wire.size()),
                            offered, offered_len) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_ALERT_FATAL;
  }
  *out = chosen;
  return SSL_TLSEXT_ERR_OK;
}

detail::ssl_ctx_ptr make_context(server_context::impl& im, const certificate_config& c,
                                 std::size_t index) {
  detail::ssl_ctx_ptr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) fail("SSL_CTX_new");
  detail::apply_common_settings(ctx.get());
  SSL_CTX_set_options(ctx.get(), SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(ctx.get(), im.config.tls12_ciphers.c_str()) != 1) {
    fail("tls12_ciphers '" + im.config.tls12_ciphers + "'");
  }
  // Tickets carry the whole session, so no server-side cache is kept (it
  // would grow with the number of clients).
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  if (im.config.session_tickets) {
    const auto lifetime_s =
        im.config.ticket_key_period_us / 1'000'000 * std::max(im.config.ticket_keys_kept, 1);
    SSL_CTX_set_timeout(ctx.get(), static_cast<long>(std::max<std::int64_t>(lifetime_s, 1)));
    im.keys->install(ctx.get());
  } else {
    SSL_CTX_set_options(ctx.get(), SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(ctx.get(), 0);
  }
  SSL_CTX_set_tlsext_servername_callback(ctx.get(), choose_by_sni);
  SSL_CTX_set_tlsext_servername_arg(ctx.get(), &im);
  if (!im.alpn_wire.empty()) SSL_CTX_set_alpn_select_cb(ctx.get(), choose_alpn, &im);
  load_certificate(ctx.get(), c, index);
  return ctx;
}

}  // namespace

std::vector<std::string> default_alpn() {
  // "h2" goes first once HTTP/2 is built in.
  return {"http/1.1"};
}

server_context::server_context(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
server_context::~server_context() = default;

const server_config& server_context::config() const noexcept {
  return impl_->config;
}

std::shared_ptr<const server_context> server_context::make(const server_config& config) {
  return make(config, nullptr);
}

std::shared_ptr<const server_context> server_context::make(const server_config& config,
                                                           std::shared_ptr<ticket_keys> keys) {
  if (config.certificates.empty()) throw config_error("server: no certificate configured");
  auto im = std::make_unique<impl>();
  im->config = config;
  im->keys = keys ? std::move(keys) : std::make_shared<ticket_keys>(config.ticket_keys_kept);
  im->alpn_wire = detail::alpn_wire_format(config.alpn);
  for (std::size_t i = 0; i < config.certificates.size(); ++i) {
    im->contexts.push_back(make_context(*im, config.certificates[i], i));
  }
  return std::shared_ptr<const server_context>(new server_context(std::move(im)));
}

}  // namespace httpcore::tls
