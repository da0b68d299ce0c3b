// The access log's bounded queue and its writer thread.

#include "access_log.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>

namespace httpcore::app {
namespace {

constexpr int kPollMs = 50;  // how often a writer waiting for room looks at stop()

}  // namespace

access_log::access_log(int fd, std::size_t max_queued_bytes)
    : fd_(fd), max_queued_(max_queued_bytes), last_progress_(std::chrono::steady_clock::now()) {
  writer_ = std::thread([this] { run(); });
}

access_log::~access_log() {
  stop();
}

void access_log::write(std::string_view line) {
  std::lock_guard lock(mutex_);
  if (stopping_ || queue_.size() + line.size() > max_queued_) {
    ++dropped_;
    return;
  }
  bool was_empty = queue_.empty();
  queue_.append(line);
  ++queued_lines_;
  if (was_empty) wake_.notify_one();
}

void access_log::flush(int patience_ms) {
  std::unique_lock lock(mutex_);
  std::uint64_t target = batches_taken_ + (queue_.empty() ? 0 : 1);
  written_.wait_for(lock, std::chrono::milliseconds(patience_ms),
                    [&] { return batches_done_ >= target; });
}

void access_log::stop(int patience_ms) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    patience_ms_ = patience_ms;
    wake_.notify_one();
  }
  writer_.join();
}

std::uint64_t access_log::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void access_log::run() {
  std::unique_lock lock(mutex_);
  std::string batch;
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is written
    batch.clear();
    batch.swap(queue_);
    queued_lines_ = 0;
    ++batches_taken_;
    lock.unlock();
    bool all = write_out(batch);
    lock.lock();
    if (!all) dropped_ += static_cast<std::uint64_t>(std::count(batch.begin(), batch.end(), '\n'));
    ++batches_done_;
    written_.notify_all();
  }
}

// Writes `bytes`, waiting in poll() for room rather than in write(): a write
// of at most PIPE_BUF bytes to a pipe that has room does not block, so stop()
// is noticed within kPollMs even when nobody reads the other end. Returns
// false when it gave up: the reader is gone, or stop() was called and the
// descriptor has taken nothing for the patience given to it. What was
// written is erased from `bytes`.
bool access_log::write_out(std::string& bytes) {
  using clock = std::chrono::steady_clock;
  std::size_t done = 0;
  while (done < bytes.size()) {
    pollfd p{fd_, POLLOUT, 0};
    int r = ::poll(&p, 1, kPollMs);
    if (r > 0 && (p.revents & POLLOUT) != 0) {
      // Whole lines where they fit, so that giving up leaves no line cut.
      std::size_t piece = std::min<std::size_t>(bytes.size() - done, PIPE_BUF);
      if (done + piece < bytes.size()) {
        std::size_t last = bytes.rfind('\n', done + piece - 1);
        if (last != std::string::npos && last >= done) piece = last + 1 - done;
      }
      ssize_t n = ::write(fd_, bytes.data() + done, piece);
      if (n > 0) {
        done += static_cast<std::size_t>(n);
        last_progress_ = clock::now();
        continue;
      }
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      break;  // EPIPE, EIO, ENOSPC...: these lines are lost
    }
    if (r > 0) break;  // POLLERR, POLLHUP, POLLNVAL: nobody will read them
    if (r < 0 && errno != EINTR) break;
    std::lock_guard lock(mutex_);
    if (stopping_ && clock::now() - last_progress_ >= std::chrono::milliseconds(patience_ms_))
      break;
  }
  bytes.erase(0, done);
  return bytes.empty();
}

}  // namespace httpcore::app
