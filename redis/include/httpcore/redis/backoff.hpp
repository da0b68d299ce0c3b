#pragma once
// How long to wait before the next attempt to reach Redis: exponential from
// `initial_us`, doubling per failed attempt up to `max_us`, with jitter so
// that many instances that lost the same Redis do not all come back at the
// same instant. Pure: the caller passes the random fraction in.

#include <cstdint>

namespace httpcore::redis {

struct backoff_config {
  std::int64_t initial_us = 100'000;  ///< the first step (> 0)
  std::int64_t max_us = 5'000'000;    ///< no step is longer (>= initial_us)
};

class backoff {
 public:
  /// Throws std::invalid_argument unless 0 < initial_us <= max_us.
  explicit backoff(backoff_config config);

  /// The wait before the next attempt, and one more failed attempt counted.
  /// With step = min(max_us, initial_us * 2^attempts()), the wait is
  /// step/2 + jitter * step/2: never below half the step, never above it.
  /// `jitter` outside [0, 1] is clamped.
  std::int64_t next_delay_us(double jitter) noexcept;
  /// A connection succeeded: the next failure starts from initial_us again.
  void reset() noexcept { step_us_ = config_.initial_us, attempts_ = 0; }
  /// Failed attempts since the last reset().
  std::uint32_t attempts() const noexcept { return attempts_; }

 private:
  backoff_config config_;
  std::int64_t step_us_;
  std::uint32_t attempts_ = 0;
};

}  // namespace httpcore::redis
