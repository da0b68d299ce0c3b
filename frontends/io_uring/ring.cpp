// io_uring set-up, submission and provided buffers (liburing).

#include "io_uring/ring.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <system_error>
#include <thread>

namespace httpcore::frontends::uring {
namespace {

[[noreturn]] void fail(int err, const char* what) {
  throw std::system_error(err, std::generic_category(), what);
}

// Completions can outnumber submissions (multishot accept and receive post
// many per request): a larger completion queue keeps the kernel from
// spilling them to its overflow list.
constexpr unsigned kCompletionsPerEntry = 8;

int init(unsigned entries, io_uring& r, unsigned flags) {
  io_uring_params p{};
  p.flags = flags | IORING_SETUP_CQSIZE;
  p.cq_entries = entries * kCompletionsPerEntry;
  return io_uring_queue_init_params(entries, &r, &p);
}

// The kernel's cheapest way to run completions that fit, newest first:
// 6.1's DEFER_TASKRUN (only in our own io_uring_enter), 5.19's COOP_TASKRUN
// (no interrupting signal), then none.
constexpr unsigned kFlagChoices[] = {
    IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SUBMIT_ALL,
    IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SUBMIT_ALL,
    0,
};

// The operations the loop cannot do without.
constexpr int kNeededOps[] = {IORING_OP_ACCEPT, IORING_OP_RECV,         IORING_OP_SEND,
                              IORING_OP_READ,   IORING_OP_ASYNC_CANCEL, IORING_OP_FILES_UPDATE};

}  // namespace

ring::ring(unsigned entries) {
  int rc = -EINVAL;
  for (unsigned choice : kFlagChoices) {
    rc = init(entries, ring_, choice);
    if (rc != -EINVAL) {
      flags_ = choice;
      break;
    }
  }
  if (rc < 0) fail(-rc, "io_uring_setup");
  io_uring_register_ring_fd(&ring_);  // an optimisation: fine if the kernel has none
  if (io_uring_probe* probe = io_uring_get_probe_ring(&ring_)) {
    zero_copy_send_ = io_uring_opcode_supported(probe, IORING_OP_SEND_ZC) != 0;
    io_uring_free_probe(probe);
  }
}

ring::~ring() {
  io_uring_queue_exit(&ring_);
}

io_uring_sqe* ring::sqe() {
  io_uring_sqe* s = io_uring_get_sqe(&ring_);
  while (s == nullptr) {
    io_uring_submit(&ring_);  // the queue is full: the kernel takes what is there
    s = io_uring_get_sqe(&ring_);
  }
  return s;
}

void ring::submit_and_wait(std::int64_t timeout_us) {
  io_uring_cqe* cqe = nullptr;
  if (timeout_us < 0) {
    io_uring_submit_and_wait(&ring_, 1);
    return;
  }
  __kernel_timespec ts{timeout_us / 1'000'000, (timeout_us % 1'000'000) * 1000};
  // -ETIME (nothing came) and -EINTR are both just the end of this turn.
  io_uring_submit_and_wait_timeout(&ring_, &cqe, 1, &ts, nullptr);
}

buffer_ring::buffer_ring(io_uring& r, std::uint16_t group, unsigned count, unsigned size)
    : ring_(r), group_(group), count_(count), size_(size) {
  const std::size_t ring_bytes = count * sizeof(io_uring_buf);
  void* entries =
      ::mmap(nullptr, ring_bytes, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
  if (entries == MAP_FAILED) fail(errno, "mmap (buffer ring)");
  ring_entries_ = static_cast<io_uring_buf_ring*>(entries);
  io_uring_buf_reg reg{};
  reg.ring_addr = reinterpret_cast<std::uintptr_t>(entries);
  reg.ring_entries = count;
  reg.bgid = group;
  if (int rc = io_uring_register_buf_ring(&ring_, &reg, 0); rc < 0) {
    ::munmap(entries, ring_bytes);
    fail(-rc, "io_uring_register_buf_ring");
  }
  // Not zeroed: pages are touched only as the kernel fills them.
  memory_ = std::make_unique_for_overwrite<std::byte[]>(std::size_t{count} * size);
  io_uring_buf_ring_init(ring_entries_);
  const int mask = io_uring_buf_ring_mask(count);
  for (unsigned i = 0; i < count; ++i)
    io_uring_buf_ring_add(ring_entries_, memory_.get() + std::size_t{i} * size, size,
                          static_cast<unsigned short>(i), mask, static_cast<int>(i));
  io_uring_buf_ring_advance(ring_entries_, static_cast<int>(count));
}

buffer_ring::~buffer_ring() {
  io_uring_unregister_buf_ring(&ring_, group_);
  ::munmap(ring_entries_, count_ * sizeof(io_uring_buf));
}

std::span<const std::byte> buffer_ring::data(std::uint16_t id, std::size_t n) const noexcept {
  return {memory_.get() + std::size_t{id} * size_, n};
}

void buffer_ring::give_back(std::uint16_t id) noexcept {
  io_uring_buf_ring_add(ring_entries_, memory_.get() + std::size_t{id} * size_, size_, id,
                        io_uring_buf_ring_mask(count_), 0);
  io_uring_buf_ring_advance(ring_entries_, 1);
}

namespace {

std::string probe() {
  io_uring r{};
  int rc = init(4, r, 0);
  if (rc < 0) {
    std::string why = "io_uring is not available here: io_uring_setup: ";
    why += std::strerror(-rc);
    if (rc == -EPERM || rc == -ENOSYS || rc == -EACCES)
      why += " (a seccomp filter or kernel.io_uring_disabled)";
    return why;
  }
  std::string why;
  if (io_uring_probe* probe = io_uring_get_probe_ring(&r)) {
    for (int op : kNeededOps)
      if (!io_uring_opcode_supported(probe, op)) {
        why = "io_uring is not usable here: the kernel lacks operation " + std::to_string(op);
        break;
      }
    io_uring_free_probe(probe);
  } else {
    why = "io_uring is not usable here: the kernel cannot be probed (before 5.6)";
  }
  if (why.empty()) {
    // Provided buffer rings (5.19) come with multishot accept and receive.
    try {
      buffer_ring trial(r, 0, 1, 64);
    } catch (const std::system_error& e) {
      why = std::string("io_uring is not usable here: no provided buffer rings (before 5.19): ") +
            e.what();
    }
  }
  io_uring_queue_exit(&r);
  return why;
}

}  // namespace

// On a thread of its own, which ends at once: the kernel tears a ring down
// asynchronously and then interrupts the thread that created it (task work),
// which makes that thread's blocking socket calls with a timeout fail with
// EINTR. The answer does not change while the process runs, so it is kept.
std::string unavailable_reason() {
  static std::once_flag once;
  static std::string reason;
  std::call_once(once, [] { std::thread([] { reason = probe(); }).join(); });
  return reason;
}

}  // namespace httpcore::frontends::uring
