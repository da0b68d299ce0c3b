// One TLS connection over OpenSSL, driven by the bytes and time passed in.

#include "httpcore/tls/session.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <array>
#include <limits>
#include <new>

#include "classify.hpp"
#include "context_impl.hpp"
#include "transport_bio.hpp"

namespace httpcore::tls {

namespace {
constexpr std::int64_t no_deadline = std::numeric_limits<std::int64_t>::max();
constexpr std::size_t read_step = 16 * 1024;  // one record's plaintext at most
}  // namespace

struct session::impl {
  bool server = false;
  std::shared_ptr<const server_context> server_ctx;  // keeps the SSL_CTXs alive
  std::shared_ptr<const client_context> client_ctx;
  detail::transport io;
  detail::ssl_ptr ssl;
  tls::state st = tls::state::handshaking;
  tls::failure why;
  std::string pending;  // plaintext waiting for the handshake (or a blocked write)
  std::int64_t deadline = no_deadline;
  bool close_wanted = false;
  bool peer_closed = false;
  int first_byte = -1;  // server role: the first byte received
  std::string alpn;

  void attach(SSL_CTX* ctx) {
    ssl.reset(SSL_new(ctx));
    if (!ssl) throw std::bad_alloc();
    BIO* bio = detail::make_transport_bio(&io);
    if (bio == nullptr) throw std::bad_alloc();
    // One BIO for both directions: SSL_set_bio takes a single reference.
    SSL_set_bio(ssl.get(), bio, bio);
  }

  void advance(std::string& plaintext) {
    if (st == tls::state::handshaking && !handshake()) return;
    if (st == tls::state::failed) return;
    flush_pending();
    read_records(plaintext);
    if (close_wanted && st == tls::state::established && pending.empty()) send_close_notify();
  }

  // True once the handshake is over.
  bool handshake() {
    ERR_clear_error();
    const int rc = SSL_do_handshake(ssl.get());
    if (rc == 1) {
      st = tls::state::established;
      deadline = no_deadline;
      const unsigned char* proto = nullptr;
      unsigned int len = 0;
      SSL_get0_alpn_selected(ssl.get(), &proto, &len);
      alpn.assign(reinterpret_cast<const char*>(proto), proto ? len : 0);
      return true;
    }
    stop_or_fail(rc);
    return false;
  }

  // Plaintext held back goes out once the handshake allows. A write that
  // needs the peer's bytes first (WANT_READ) stays pending and is retried
  // after the next receive().
  void flush_pending() {
    while (!pending.empty() && st == tls::state::established) {
      ERR_clear_error();
      std::size_t written = 0;
      const int rc = SSL_write_ex(ssl.get(), pending.data(), pending.size(), &written);
      if (rc != 1) {
        stop_or_fail(rc);
        return;
      }
      pending.erase(0, written);
    }
    if (pending.empty()) std::string().swap(pending);
  }

  // Reads until OpenSSL needs more input. Reading also processes what is
  // not data (TLS 1.3 tickets and key updates, alerts) and may queue output,
  // which lands in io.output as OpenSSL writes it.
  void read_records(std::string& plaintext) {
    std::array<char, read_step> buf;
    while (st != tls::state::failed && !peer_closed) {
      ERR_clear_error();
      std::size_t got = 0;
      const int rc = SSL_read_ex(ssl.get(), buf.data(), buf.size(), &got);
      if (rc == 1) {
        plaintext.append(buf.data(), got);
        continue;
      }
      if (SSL_get_error(ssl.get(), rc) == SSL_ERROR_ZERO_RETURN) {
        peer_closed = true;  // close_notify: the peer sends nothing more
        ERR_clear_error();
        return;
      }
      stop_or_fail(rc);
      return;
    }
  }

  void send_close_notify() {
    ERR_clear_error();
    SSL_shutdown(ssl.get());  // queues close_notify; the peer's comes via receive()
    ERR_clear_error();
    st = tls::state::closed;
  }

  // After a call that did not complete: waiting for bytes (WANT_READ), or
  // for output to drain (WANT_WRITE: our BIO takes every write, so OpenSSL
  // never asks, but waiting is the right answer if it ever did), or failed.
  void stop_or_fail(int rc) {
    const int e = SSL_get_error(ssl.get(), rc);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
      ERR_clear_error();
      return;
    }
    fail_from_openssl(e);
  }

  void fail_from_openssl(int ssl_error) {
    const unsigned long code = ERR_peek_error();
    if (code == 0) {
      fail(ssl_error == SSL_ERROR_SYSCALL ? error::internal : error::protocol_error,
           "OpenSSL error " + std::to_string(ssl_error) + " without a reason");
      return;
    }
    const int lib = ERR_GET_LIB(code);
    const int reason = ERR_GET_REASON(code);
    const char* text = ERR_reason_error_string(code);
    error e = detail::classify_reason(lib, reason, server ? first_byte : -1);
    std::string reason_text = text != nullptr ? text : "error " + std::to_string(code);
    if (lib == ERR_LIB_SSL && reason == SSL_R_CERTIFICATE_VERIFY_FAILED) {
      const long result = SSL_get_verify_result(ssl.get());
      e = detail::classify_verify_result(result);
      reason_text = X509_verify_cert_error_string(result);
    }
    fail(e, std::move(reason_text));
    if (lib == ERR_LIB_SSL && reason >= SSL_AD_REASON_OFFSET) {
      why.alert = reason - SSL_AD_REASON_OFFSET;
    }
  }

  void fail(error e, std::string detail) {
    ERR_clear_error();
    st = tls::state::failed;
    why.code = e;
    why.detail = std::move(detail);
    why.offset = io.total_taken;
    deadline = no_deadline;
    std::string().swap(pending);
  }
};

session::session(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
session::~session() = default;
session::session(session&&) noexcept = default;
session& session::operator=(session&&) noexcept = default;

session session::accept(std::shared_ptr<const server_context> ctx, std::int64_t now_us) {
  auto im = std::make_unique<impl>();
  im->server = true;
  im->attach(ctx->impl_->contexts.front().get());
  SSL_set_accept_state(im->ssl.get());
  im->deadline = now_us + ctx->config().handshake_timeout_us;
  im->server_ctx = std::move(ctx);
  return session(std::move(im));
}

session session::connect(std::shared_ptr<const client_context> ctx, std::string_view host,
                         std::int64_t now_us, std::string_view saved) {
  auto im = std::make_unique<impl>();
  const auto& cim = *ctx->impl_;
  im->attach(cim.context.get());
  SSL* ssl = im->ssl.get();
  const std::string name(host);
  // An IP address is verified as one and never sent as SNI (RFC 6066 §3).
  ASN1_OCTET_STRING* ip = a2i_IPADDRESS(name.c_str());
  if (ip != nullptr) {
    ASN1_OCTET_STRING_free(ip);
    if (cim.config.verify_peer) X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str());
  } else {
    ERR_clear_error();  // a2i_IPADDRESS leaves one for a name
    if (!name.empty()) SSL_set_tlsext_host_name(ssl, name.c_str());
    if (cim.config.verify_peer) SSL_set1_host(ssl, name.c_str());
  }
  if (!cim.alpn_wire.empty()) {
    SSL_set_alpn_protos(ssl, reinterpret_cast<const unsigned char*>(cim.alpn_wire.data()),
                        static_cast<unsigned>(cim.alpn_wire.size()));
  }
  if (!saved.empty()) {
    const auto* p = reinterpret_cast<const unsigned char*>(saved.data());
    detail::session_ptr old(d2i_SSL_SESSION(nullptr, &p, static_cast<long>(saved.size())));
    if (old) SSL_set_session(ssl, old.get());  // a bad one just means a full handshake
    ERR_clear_error();
  }
  SSL_set_connect_state(ssl);
  im->deadline = now_us + cim.config.handshake_timeout_us;
  im->client_ctx = std::move(ctx);
  std::string none;
  im->advance(none);  // the ClientHello
  return session(std::move(im));
}

tls::state session::receive(std::span<const std::byte> ciphertext, std::string& plaintext) {
  impl& im = *impl_;
  if (im.st == tls::state::failed || ciphertext.empty()) return im.st;
  if (im.server && im.first_byte < 0) im.first_byte = std::to_integer<int>(ciphertext[0]);
  im.io.input = ciphertext;
  im.io.taken = 0;
  im.advance(plaintext);
  // OpenSSL reads until it runs out, so everything was taken unless it failed.
  im.io.input = {};
  im.io.taken = 0;
  return im.st;
}

tls::state session::receive(std::string_view ciphertext, std::string& plaintext) {
  return receive(std::as_bytes(std::span(ciphertext.data(), ciphertext.size())), plaintext);
}

tls::state session::receive_eof() {
  impl& im = *impl_;
  im.io.eof = true;
  if (im.st == tls::state::failed || im.peer_closed) return im.st;
  if (im.st == tls::state::closed) return im.st;  // we were closing anyway
  im.fail(error::truncated, im.st == tls::state::handshaking
                                ? "the peer closed the connection during the handshake"
                                : "the peer closed the connection without close_notify");
  return im.st;
}

bool session::peer_closed() const noexcept {
  return impl_->peer_closed;
}

void session::send(std::string_view plaintext) {
  impl& im = *impl_;
  if (im.st == tls::state::failed || im.st == tls::state::closed || im.close_wanted) return;
  im.pending.append(plaintext);
  im.flush_pending();
}

std::size_t session::pending_plaintext() const noexcept {
  return impl_->pending.size();
}

void session::close() {
  impl& im = *impl_;
  if (im.st == tls::state::failed || im.st == tls::state::closed) return;
  im.close_wanted = true;
  if (im.st == tls::state::handshaking) {
    // Nothing to protect yet: no close_notify mid-handshake, just stop.
    im.st = tls::state::closed;
    im.deadline = no_deadline;
    std::string().swap(im.pending);
    return;
  }
  if (im.pending.empty()) im.send_close_notify();
}

std::string_view session::output() const noexcept {
  const auto& io = impl_->io;
  return std::string_view(io.output).substr(io.output_head);
}

void session::consume_output(std::size_t n) noexcept {
  auto& io = impl_->io;
  io.output_head += std::min(n, io.output.size() - io.output_head);
  if (io.output_head == io.output.size()) {
    io.output.clear();
    io.output_head = 0;
  } else if (io.output_head > io.output.size() / 2) {
    io.output.erase(0, io.output_head);  // keep the buffer from creeping
    io.output_head = 0;
  }
}

std::int64_t session::deadline_us() const noexcept {
  return impl_->deadline;
}

tls::state session::on_timer(std::int64_t now_us) {
  impl& im = *impl_;
  if (im.st == tls::state::handshaking && now_us >= im.deadline) {
    im.fail(error::handshake_timeout, "the handshake was not complete by its deadline");
  }
  return im.st;
}

tls::state session::state() const noexcept {
  return impl_->st;
}

const tls::failure& session::failure() const noexcept {
  return impl_->why;
}

bool session::is_server() const noexcept {
  return impl_->server;
}

std::string_view session::alpn() const noexcept {
  return impl_->alpn;
}

std::string_view session::server_name() const noexcept {
  const char* name = SSL_get_servername(impl_->ssl.get(), TLSEXT_NAMETYPE_host_name);
  return name != nullptr ? std::string_view(name) : std::string_view();
}

std::string_view session::version() const noexcept {
  return impl_->st == tls::state::handshaking ? std::string_view()
                                              : std::string_view(SSL_get_version(impl_->ssl.get()));
}

bool session::resumed() const noexcept {
  return SSL_session_reused(impl_->ssl.get()) == 1;
}

std::string session::saved_session() const {
  SSL_SESSION* s = SSL_get_session(impl_->ssl.get());
  if (impl_->server || s == nullptr || SSL_SESSION_is_resumable(s) != 1) return {};
  const int size = i2d_SSL_SESSION(s, nullptr);
  if (size <= 0) return {};
  std::string out(static_cast<std::size_t>(size), '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  i2d_SSL_SESSION(s, &p);
  return out;
}

void session::release_idle_memory() noexcept {
  auto& io = impl_->io;
  if (io.output_head == io.output.size()) {
    std::string().swap(io.output);
    io.output_head = 0;
  }
}

}  // namespace httpcore::tls
