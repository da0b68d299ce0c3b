#pragma once
/// \file
/// An access log that never blocks the thread serving requests. Lines go into
/// a bounded queue; a writer thread of its own writes them to the descriptor.
/// When the destination does not keep up (a pipe nobody reads, a full disk, a
/// terminal on hold) and the queue is full, new lines are dropped and counted:
/// a server must go on serving, and stop when told, whatever its log does.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

namespace httpcore::app {

class access_log {
 public:
  /// Starts the writer thread for `fd` (not owned, not made non-blocking:
  /// it may be shared with other processes). At most `max_queued_bytes` of
  /// lines wait to be written. Throws std::system_error if no thread starts.
  explicit access_log(int fd, std::size_t max_queued_bytes = 1u << 20);
  /// stop(), then the thread is joined.
  ~access_log();
  access_log(const access_log&) = delete;
  access_log& operator=(const access_log&) = delete;

  /// Queues one line (its '\n' included), or drops and counts it when the
  /// queue is full or the log is stopped. Any thread; never waits for I/O.
  void write(std::string_view line);
  /// Waits until every line queued so far is written or dropped; gives up
  /// (dropping them) once the descriptor has taken nothing for `patience_ms`.
  void flush(int patience_ms = 1000);
  /// Writes what is queued while the descriptor takes it (giving up after
  /// `patience_ms` without progress), then ends the writer thread. Later
  /// lines are dropped. Idempotent.
  void stop(int patience_ms = 200);
  /// Lines dropped so far.
  std::uint64_t dropped() const;

 private:
  void run();
  bool write_out(std::string& bytes);

  const int fd_;
  const std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;     // the writer: lines queued, or stopping
  std::condition_variable written_;  // flush(): a batch is done
  std::string queue_;                // lines waiting, in order
  std::size_t queued_lines_ = 0;
  std::uint64_t dropped_ = 0;
  std::uint64_t batches_done_ = 0, batches_taken_ = 0;
  int patience_ms_ = 1000;  // how long the writer waits for a stuck descriptor
  // The writer's: when the descriptor last took bytes (across batches, so
  // that a stuck one is given up on once, not once per batch).
  std::chrono::steady_clock::time_point last_progress_;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace httpcore::app
