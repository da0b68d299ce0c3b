#pragma once
// Socket plumbing shared by every front end: listening sockets, accepting with
// an answer to descriptor exhaustion, and closing without losing a response.
// Bytes only: nothing here knows what HTTP is.

#include <cstdint>
#include <string>

namespace httpcore::frontends {

/// Whether several sockets bound to one port with SO_REUSEPORT share its
/// connections among them (Linux; FreeBSD's SO_REUSEPORT_LB). Elsewhere the
/// loops share one listening socket instead.
bool reuseport_balances() noexcept;

/// A non-blocking, close-on-exec listening TCP socket with SO_REUSEADDR (and
/// the balancing SO_REUSEPORT when `reuseport`). Throws std::system_error.
int open_listener(const std::string& host, std::uint16_t port, bool reuseport);

/// Throws std::system_error when host:port cannot be bound by a socket
/// without SO_REUSEPORT. A group of SO_REUSEPORT listeners would otherwise
/// silently share a port with another server run by the same user.
void ensure_port_free(const std::string& host, std::uint16_t port);

/// The local port a socket is bound to.
std::uint16_t bound_port(int fd);

/// Processes die of SIGPIPE by default when writing to a reset socket; a
/// server must not. Sends also pass MSG_NOSIGNAL where it exists.
void ignore_sigpipe() noexcept;

/// Accepts connections and keeps the loop calling it from spinning when the
/// process runs out of descriptors: one descriptor is held in reserve, and on
/// EMFILE/ENFILE it is released to accept the pending connection and close it
/// at once (the peer sees a close rather than waiting in the backlog).
class acceptor {
 public:
  acceptor();
  ~acceptor();
  acceptor(const acceptor&) = delete;
  acceptor& operator=(const acceptor&) = delete;

  enum class status { accepted, again, dropped, exhausted };
  struct result {
    status what;
    int fd = -1;       ///< when accepted
    std::string peer;  ///< "address:port" when accepted
  };
  /// again: nothing pending. dropped: one connection was refused (descriptor
  /// exhaustion or an aborted handshake); call again. exhausted: out of
  /// descriptors with no reserve left; pause accepting for a while.
  /// Accepted sockets get TCP_NODELAY, close-on-exec and the requested mode.
  result accept(int listen_fd, bool nonblocking);

 private:
  int spare_ = -1;
};

/// What acceptor::accept() sets on each socket it accepts (TCP_NODELAY, and
/// SO_NOSIGPIPE where it exists), for front ends that accept otherwise.
void tune_accepted(int fd) noexcept;

/// "address:port" of a connected socket's peer ("?" when unknown).
std::string peer_address(int fd);

/// A connection over the limit. Best effort, never blocks: a cleartext port
/// writes the canned 503 and closes; a TLS port (`tls`) only closes, since
/// its client can read nothing before a handshake (cleartext would be a
/// broken record to it).
void reject_overloaded(int fd, bool tls) noexcept;

/// Closes a connection whose response is written: sends FIN first and
/// discards input already received, because closing a socket with unread
/// input makes the kernel send RST, which can destroy the response in flight.
void close_connection(int fd) noexcept;

/// close_connection() without the close: for a front end whose kernel
/// operations may still refer to the socket (io_uring), which closes the
/// descriptor once they have all completed.
void half_close(int fd) noexcept;

}  // namespace httpcore::frontends
