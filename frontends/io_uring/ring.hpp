#pragma once
// liburing for one event-loop thread: a ring set up with the cheapest task
// running the kernel offers, a ring of provided receive buffers, and the
// check of whether this process may use io_uring at all.

#include <liburing.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace httpcore::frontends::uring {

/// Why io_uring cannot serve in this process now, in one line ("" when it
/// can): io_uring_setup refused (seccomp, kernel.io_uring_disabled), or a
/// kernel without multishot accept and receive or provided buffer rings.
std::string unavailable_reason();

class ring {
 public:
  /// A ring with `entries` submission slots, for the calling thread alone:
  /// IORING_SETUP_SINGLE_ISSUER binds it to its creator, and the kernel
  /// interrupts the creator when it tears the ring down, so a loop makes
  /// and destroys its ring on its own thread. Uses SINGLE_ISSUER and
  /// DEFER_TASKRUN (completions are processed only when the loop asks for
  /// them, in its one system call per turn) where the kernel has them,
  /// COOP_TASKRUN otherwise. Also registers the ring's descriptor with the
  /// thread (one descriptor lookup fewer per call). Throws std::system_error.
  explicit ring(unsigned entries);
  ~ring();
  ring(const ring&) = delete;
  ring& operator=(const ring&) = delete;

  /// A free submission slot, zeroed; never null (submits what is queued
  /// when the submission queue is full).
  io_uring_sqe* sqe();
  /// The loop's one system call per turn: submits what is queued and waits
  /// until a completion is there or `timeout_us` passed (< 0: no limit).
  void submit_and_wait(std::int64_t timeout_us);
  io_uring& get() noexcept { return ring_; }
  bool defers_task_run() const noexcept { return (flags_ & IORING_SETUP_DEFER_TASKRUN) != 0; }
  /// IORING_OP_SEND_ZC is there.
  bool zero_copy_send() const noexcept { return zero_copy_send_; }

 private:
  io_uring ring_{};
  unsigned flags_ = 0;
  bool zero_copy_send_ = false;
};

/// Receive buffers the kernel picks from when data arrives (provided buffer
/// ring), so a connection waiting for its next request holds none: the
/// buffer is lent for one completion and given back at once.
class buffer_ring {
 public:
  /// `count` (a power of two) buffers of `size` bytes as group `group`.
  /// Throws std::system_error.
  buffer_ring(io_uring& ring, std::uint16_t group, unsigned count, unsigned size);
  ~buffer_ring();
  buffer_ring(const buffer_ring&) = delete;
  buffer_ring& operator=(const buffer_ring&) = delete;

  std::uint16_t group() const noexcept { return group_; }
  /// The first `n` bytes of buffer `id`, as a completion reported them.
  std::span<const std::byte> data(std::uint16_t id, std::size_t n) const noexcept;
  /// Buffer `id` can be filled again.
  void give_back(std::uint16_t id) noexcept;

 private:
  io_uring& ring_;
  std::uint16_t group_;
  unsigned count_, size_;
  io_uring_buf_ring* ring_entries_ = nullptr;
  std::unique_ptr<std::byte[]> memory_;
};

}  // namespace httpcore::frontends::uring
