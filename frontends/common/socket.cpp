// Listening, accepting and closing sockets for every front end.

#include "common/socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>

#include "httpcore/server/session.hpp"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0  // macOS: SO_NOSIGPIPE on each socket instead
#endif

namespace httpcore::frontends {
namespace {

[[noreturn]] void throw_errno(const char* what) {
  throw std::system_error(errno, std::generic_category(), what);
}

void set_flag(int fd, int option, int level = SOL_SOCKET) noexcept {
  int one = 1;
  ::setsockopt(fd, level, option, &one, sizeof one);
}

void set_nonblocking(int fd, bool on) noexcept {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags < 0) return;
  ::fcntl(fd, F_SETFL, on ? flags | O_NONBLOCK : flags & ~O_NONBLOCK);
}

std::string peer_name(const sockaddr_storage& addr) {
  char text[INET6_ADDRSTRLEN] = "?";
  unsigned port = 0;
  if (addr.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(addr);
    ::inet_ntop(AF_INET, &in.sin_addr, text, sizeof text);
    port = ntohs(in.sin_port);
    return std::string(text) + ':' + std::to_string(port);
  }
  if (addr.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(addr);
    ::inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof text);
    port = ntohs(in6.sin6_port);
    return '[' + std::string(text) + "]:" + std::to_string(port);
  }
  return "unix";
}

int open_spare() noexcept {
  return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

// A socket bound to host:port, not listening yet. Throws std::system_error.
int bound_socket(const std::string& host, std::uint16_t port, bool reuseport) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  int rc = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) {
    throw std::system_error(std::make_error_code(std::errc::invalid_argument),
                            "cannot resolve listen address " + host + ": " + ::gai_strerror(rc));
  }
  int fd = ::socket(found->ai_family, found->ai_socktype, found->ai_protocol);
  if (fd < 0) {
    ::freeaddrinfo(found);
    throw_errno("socket");
  }
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  set_flag(fd, SO_REUSEADDR);
  if (reuseport) {
#if defined(SO_REUSEPORT_LB)
    set_flag(fd, SO_REUSEPORT_LB);
#elif defined(SO_REUSEPORT)
    set_flag(fd, SO_REUSEPORT);
#endif
  }
  if (::bind(fd, found->ai_addr, found->ai_addrlen) != 0) {
    int saved = errno;
    ::freeaddrinfo(found);
    ::close(fd);
    throw std::system_error(saved, std::generic_category(), "cannot bind " + host + ":" + service);
  }
  ::freeaddrinfo(found);
  return fd;
}

}  // namespace

bool reuseport_balances() noexcept {
#if defined(__linux__) || defined(SO_REUSEPORT_LB)
  return true;
#else
  return false;
#endif
}

int open_listener(const std::string& host, std::uint16_t port, bool reuseport) {
  int fd = bound_socket(host, port, reuseport);
  if (::listen(fd, SOMAXCONN) != 0) {
    int saved = errno;
    ::close(fd);
    throw std::system_error(saved, std::generic_category(), "listen");
  }
  set_nonblocking(fd, true);
  return fd;
}

void ensure_port_free(const std::string& host, std::uint16_t port) {
  ::close(bound_socket(host, port, false));
}

std::uint16_t bound_port(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) throw_errno("getsockname");
  if (addr.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6&>(addr).sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in&>(addr).sin_port);
}

void ignore_sigpipe() noexcept {
  struct sigaction current {};
  // Only replace the default: a program that installed its own handler keeps it.
  if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, nullptr);
  }
}

acceptor::acceptor() : spare_(open_spare()) {}

acceptor::~acceptor() {
  if (spare_ >= 0) ::close(spare_);
}

acceptor::result acceptor::accept(int listen_fd, bool nonblocking) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
#if defined(__linux__) || defined(__FreeBSD__)
  int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len,
                     SOCK_CLOEXEC | (nonblocking ? SOCK_NONBLOCK : 0));
#else
  int fd = ::accept(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  if (fd >= 0) {
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    set_nonblocking(fd, nonblocking);  // BSD sockets inherit the listener's O_NONBLOCK
  }
#endif
  if (fd < 0) {
    switch (errno) {
      case EAGAIN:
#if EWOULDBLOCK != EAGAIN
      case EWOULDBLOCK:
#endif
        return {status::again, -1, {}};
      case EMFILE:
      case ENFILE:
        if (spare_ < 0 && (spare_ = open_spare()) < 0) return {status::exhausted, -1, {}};
        ::close(spare_);
        spare_ = -1;
        fd = ::accept(listen_fd, nullptr, nullptr);
        if (fd >= 0) ::close(fd);
        spare_ = open_spare();
        return {fd >= 0 ? status::dropped : status::again, -1, {}};
      default:  // ECONNABORTED, EINTR, EPROTO...: that connection is gone
        return {status::dropped, -1, {}};
    }
  }
  tune_accepted(fd);
  return {status::accepted, fd, peer_name(addr)};
}

void tune_accepted(int fd) noexcept {
  set_flag(fd, TCP_NODELAY, IPPROTO_TCP);
#ifdef SO_NOSIGPIPE
  set_flag(fd, SO_NOSIGPIPE);
#endif
}

std::string peer_address(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return "?";
  return peer_name(addr);
}

void reject_overloaded(int fd, bool tls) noexcept {
  if (tls) return close_connection(fd);
  std::string_view answer = server::overload_response();
  // A fresh socket's send buffer is empty, so the short answer fits at once.
  [[maybe_unused]] auto sent =
      ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
  close_connection(fd);
}

void half_close(int fd) noexcept {
  ::shutdown(fd, SHUT_WR);
  char sink[4096];
  for (int i = 0; i < 16; ++i) {  // bounded: a peer that keeps sending gets RST
    if (::recv(fd, sink, sizeof sink, MSG_DONTWAIT) <= 0) break;
  }
}

void close_connection(int fd) noexcept {
  half_close(fd);
  ::close(fd);
}

}  // namespace httpcore::frontends
