// recv/sendmsg between a socket and a session.

#include "common/session_io.hpp"

#include <sys/socket.h>
#include <sys/uio.h>

#include <array>
#include <cerrno>

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0  // macOS: SO_NOSIGPIPE is set on each accepted socket
#endif

namespace httpcore::frontends {
namespace {

constexpr std::size_t kMaxSlices = 64;  // well under IOV_MAX everywhere

bool transient(int err) noexcept {
  return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

}  // namespace

io_result read_once(int fd, server::session& s, server::clock_now now, bool* eof, bool* drained) {
  auto buf = s.read_buffer();
  auto n = ::recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
  if (n > 0) {
    if (drained) *drained = static_cast<std::size_t>(n) < buf.size();
    s.commit_input(static_cast<std::size_t>(n), now);
    return io_result::progress;
  }
  if (n == 0) {
    *eof = true;
    s.on_peer_closed(now);
    return io_result::progress;
  }
  if (!transient(errno)) return io_result::error;
  s.release_idle_memory();  // read_buffer() allocated for nothing
  return io_result::would_block;
}

io_result write_once(int fd, server::session& s, server::clock_now now) {
  std::array<server::io_slice, kMaxSlices> slices;
  std::array<iovec, kMaxSlices> iov;
  std::size_t count = s.output(slices);
  for (std::size_t i = 0; i < count; ++i) {
    iov[i].iov_base = const_cast<void*>(slices[i].data);  // sendmsg does not write through it
    iov[i].iov_len = slices[i].size;
  }
  msghdr msg{};
  msg.msg_iov = iov.data();
  msg.msg_iovlen = static_cast<decltype(msg.msg_iovlen)>(count);
  auto n = ::sendmsg(fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n > 0) {
    s.consume_output(static_cast<std::size_t>(n), now);
    return io_result::progress;
  }
  return n == 0 || transient(errno) ? io_result::would_block : io_result::error;
}

}  // namespace httpcore::frontends
