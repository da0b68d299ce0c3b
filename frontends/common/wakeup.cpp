// wakeup_fd: eventfd where there is one, else a non-blocking pipe.

#include "common/wakeup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

#ifdef __linux__
#include <sys/eventfd.h>
#endif

namespace httpcore::frontends {

wakeup_fd::wakeup_fd() {
#ifdef __linux__
  read_fd_ = write_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (read_fd_ < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
#else
  int fds[2];
  if (::pipe(fds) != 0) throw std::system_error(errno, std::generic_category(), "pipe");
  for (int fd : fds) {
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  }
  read_fd_ = fds[0];
  write_fd_ = fds[1];
#endif
}

wakeup_fd::~wakeup_fd() {
  ::close(read_fd_);
  if (write_fd_ != read_fd_) ::close(write_fd_);
}

void wakeup_fd::notify() noexcept {
#ifdef __linux__
  std::uint64_t one = 1;
  [[maybe_unused]] auto r = ::write(write_fd_, &one, sizeof one);
#else
  char byte = 1;
  [[maybe_unused]] auto r = ::write(write_fd_, &byte, 1);  // a full pipe is readable anyway
#endif
}

void wakeup_fd::drain() noexcept {
  char sink[64];
  while (::read(read_fd_, sink, sizeof sink) > 0) {
  }
}

}  // namespace httpcore::frontends
