// The TLS port of `httpcore serve`.

#include "serve_tls.hpp"

#include <chrono>
#include <cstdio>
#include <stdexcept>

#include "httpcore/tls/context.hpp"

namespace httpcore::tools {
namespace {

std::int64_t monotonic_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

tls_port::tls_port(std::unique_ptr<frontend> f, server::handler& h, server_options base,
                   const tls_options& options)
    : frontend_(std::move(f)), options_(std::move(base)) {
  tls::server_config config;
  for (const tls_certificate& c : options.certificates) {
    config.certificates.push_back({c.cert_file, c.key_file, {}, {}});
    cert_files_ += (cert_files_.empty() ? "" : ", ") + c.cert_file;
  }
  config.handshake_timeout_us = options.handshake_timeout_us;
  config.ticket_key_period_us = options.ticket_rotation_us;
  // HTTP/2 first when the sessions serve it (session_config::h2).
  if (options_.session.h2 != nullptr) config.alpn = {"h2", "http/1.1"};
  try {
    options_.tls = std::make_shared<tls::server_credentials>(config, monotonic_us());
  } catch (const tls::config_error& e) {
    throw std::runtime_error(std::string("cannot load the TLS certificate: ") + e.what());
  }
  options_.port = options.port;
  try {
    frontend_->start(h, options_);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot listen on " + options_.host + " port " +
                             std::to_string(options_.port) + ": " + e.what());
  }
}

tls_port::~tls_port() {
  frontend_->stop();
}

void tls_port::reload() noexcept {
  try {
    options_.tls->reload();
    std::fprintf(stderr, "httpcore serve: reloaded %s for new TLS connections\n",
                 cert_files_.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "httpcore serve: reload failed, keeping the old certificate: %s\n",
                 e.what());
  }
  std::fflush(stderr);
}

}  // namespace httpcore::tools
