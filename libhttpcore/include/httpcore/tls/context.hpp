#pragma once
/// \file
/// Loaded TLS configurations: what sessions are made from. A context is
/// immutable once built and shared by every session made from it (each
/// session keeps its context alive), so reloading certificates means building
/// a new context for new connections while open ones keep theirs.

#include <cstdint>
#include <memory>
#include <mutex>

#include "httpcore/tls/config.hpp"

namespace httpcore::tls {

class ticket_keys;

/// The server side: one OpenSSL context per certificate (chosen by SNI),
/// ALPN, versions, ciphers, tickets.
class server_context {
 public:
  /// Loads every certificate and key. Throws config_error. The context has
  /// ticket keys of its own that never rotate; a server uses
  /// server_credentials instead, which rotates them and keeps them across
  /// reloads.
  static std::shared_ptr<const server_context> make(const server_config& config);
  ~server_context();
  server_context(const server_context&) = delete;
  server_context& operator=(const server_context&) = delete;

  const server_config& config() const noexcept;

  struct impl;

 private:
  friend class session;
  friend class server_credentials;
  static std::shared_ptr<const server_context> make(const server_config& config,
                                                    std::shared_ptr<ticket_keys> keys);
  explicit server_context(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

/// The client side: trust store, verification, ALPN.
class client_context {
 public:
  /// Throws config_error (an unreadable CA file, PEM that does not parse).
  static std::shared_ptr<const client_context> make(const client_config& config);
  ~client_context();
  client_context(const client_context&) = delete;
  client_context& operator=(const client_context&) = delete;

  const client_config& config() const noexcept;

  struct impl;

 private:
  friend class session;
  explicit client_context(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

/// What a server holds: the context for new connections, replaced on reload
/// (e.g. on SIGHUP), and the ticket keys rotated by time. Thread-safe.
class server_credentials {
 public:
  /// Loads the configuration; throws config_error. `now_us` (monotonic)
  /// starts the ticket key period.
  server_credentials(server_config config, std::int64_t now_us);

  /// The context new sessions are made from.
  std::shared_ptr<const server_context> current() const;

  /// Reads the certificate files again and builds a new context for new
  /// connections; sessions already open keep the context they started with.
  /// On failure the current context stays and the error is thrown
  /// (config_error).
  void reload();

  /// When the ticket keys rotate next (monotonic microseconds).
  std::int64_t next_rotation_us() const;
  /// Rotates the ticket keys when their period has passed.
  void on_timer(std::int64_t now_us);
  /// Rotates them now: new tickets get a new key, the oldest key kept is
  /// forgotten (its tickets then mean a full handshake).
  void rotate_ticket_keys();

 private:
  server_config config_;
  std::shared_ptr<ticket_keys> keys_;
  mutable std::mutex mutex_;
  std::shared_ptr<const server_context> current_;
  std::int64_t next_rotation_us_;
};

}  // namespace httpcore::tls
