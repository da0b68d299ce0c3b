#pragma once
// A descriptor another thread can make readable: how a thread blocked in
// poll() learns that its mailbox has mail. An eventfd on Linux, a pipe
// elsewhere.

namespace httpcore::frontends {

class wakeup_fd {
 public:
  /// Throws std::system_error when no descriptor is left.
  wakeup_fd();
  ~wakeup_fd();
  wakeup_fd(const wakeup_fd&) = delete;
  wakeup_fd& operator=(const wakeup_fd&) = delete;

  /// The descriptor to poll for POLLIN.
  int fd() const noexcept { return read_fd_; }
  /// From any thread: makes fd() readable.
  void notify() noexcept;
  /// On the waiting thread: makes fd() unreadable again.
  void drain() noexcept;

 private:
  int read_fd_ = -1;
  int write_fd_ = -1;  // the same as read_fd_ for an eventfd
};

}  // namespace httpcore::frontends
