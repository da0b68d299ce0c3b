#pragma once
/// \file
/// One TLS connection, sans I/O, in either role: ciphertext from the peer
/// goes in and comes out as plaintext; plaintext to send goes in and comes
/// out as ciphertext to write. No socket, thread or clock: the caller moves
/// the bytes and passes the time in (for the handshake deadline).
///
/// A caller's loop, in outline:
/// \code
///   n = read(fd, buf);
///   n > 0 ? s.receive({buf, n}, plaintext) : s.receive_eof(plaintext);
///   ... hand `plaintext` to the protocol above, which may s.send(bytes) ...
///   write(fd, s.output()); s.consume_output(written);
///   if (s.state() == state::failed) { flush output() once (the alert), close }
///   timer at s.deadline_us(); on expiry s.on_timer(now)
/// \endcode
///
/// OpenSSL writes straight into output() (the session's write side is never
/// left holding bytes), so after every call, including a receive that
/// completes the handshake or brings TLS 1.3 session tickets, output() is
/// everything there is to write.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "httpcore/tls/context.hpp"
#include "httpcore/tls/error.hpp"

namespace httpcore::tls {

enum class state : std::uint8_t {
  handshaking,  ///< plaintext given to send() waits for the handshake
  established,  ///< data flows both ways
  closed,       ///< close_notify received or sent: no more data that way (see below)
  failed,       ///< see failure(); output() may still hold an alert to send
};

/// The enumerator's name ("handshaking", ...); "unknown" for a value outside
/// the enum. The views point to static NUL-terminated strings.
std::string_view to_string(state s) noexcept;

class session {
 public:
  /// A server session (it waits for a ClientHello). `now_us` is monotonic
  /// time; the handshake must be over by now_us + handshake_timeout_us.
  static session accept(std::shared_ptr<const server_context> ctx, std::int64_t now_us);
  /// A client session for `host` (SNI, and the name the certificate must
  /// match when verification is on; an IP address is matched as one and sent
  /// without SNI). The ClientHello is in output() at once. `saved` is a
  /// saved_session() from an earlier connection to the same host, to resume.
  static session connect(std::shared_ptr<const client_context> ctx, std::string_view host,
                         std::int64_t now_us, std::string_view saved = {});

  ~session();
  session(session&&) noexcept;
  session& operator=(session&&) noexcept;

  // ---- input
  /// Takes every byte of `ciphertext` and appends the application data it
  /// completes to `plaintext` (at most as many bytes as went in, so the
  /// caller bounds memory by what it reads). Anything the protocol answers
  /// (handshake messages, alerts, tickets) is queued on output(). A partial
  /// record is held until the rest arrives. A no-op once failed.
  tls::state receive(std::span<const std::byte> ciphertext, std::string& plaintext);
  tls::state receive(std::string_view ciphertext, std::string& plaintext);
  /// The peer's byte stream ended. Without a close_notify first that is a
  /// failure (truncated): the peer may have been cut off mid-data.
  tls::state receive_eof();
  /// True once the peer sent close_notify: no more plaintext will come.
  bool peer_closed() const noexcept;

  // ---- output
  /// Encrypts `plaintext` onto output(); before the handshake is over it is
  /// held and sent once it is. Ignored after close() or a failure.
  void send(std::string_view plaintext);
  /// Plaintext held for the handshake, not yet encrypted.
  std::size_t pending_plaintext() const noexcept;
  /// Sends close_notify (after what send() was given). Half-close: data the
  /// peer still sends is still received.
  void close();
  /// Ciphertext to write to the peer, in order.
  std::string_view output() const noexcept;
  /// `n` bytes of output() were written.
  void consume_output(std::size_t n) noexcept;

  // ---- time
  /// When the handshake times out (monotonic microseconds); max() once over.
  std::int64_t deadline_us() const noexcept;
  /// Fails the session (handshake_timeout) if the deadline has passed.
  tls::state on_timer(std::int64_t now_us);

  // ---- what was agreed
  tls::state state() const noexcept;
  const tls::failure& failure() const noexcept;
  bool is_server() const noexcept;
  /// The ALPN protocol agreed ("" when none).
  std::string_view alpn() const noexcept;
  /// Server role: the host name the client sent as SNI ("" when none).
  std::string_view server_name() const noexcept;
  /// "TLSv1.3", "TLSv1.2" (after the handshake).
  std::string_view version() const noexcept;
  /// The handshake resumed an earlier session (a ticket was accepted).
  bool resumed() const noexcept;
  /// Client role: the session to pass to connect() next time ("" when the
  /// server sent no ticket yet; TLS 1.3 tickets arrive after the handshake).
  std::string saved_session() const;

  /// Frees the output buffer when it is empty (OpenSSL frees its own record
  /// buffers when idle: SSL_MODE_RELEASE_BUFFERS).
  void release_idle_memory() noexcept;

  struct impl;

 private:
  explicit session(std::unique_ptr<impl> i);
  std::unique_ptr<impl> impl_;
};

}  // namespace httpcore::tls
