// Exponential backoff with "equal jitter" (half the step fixed, half random).

#include "httpcore/redis/backoff.hpp"

#include <algorithm>
#include <stdexcept>

namespace httpcore::redis {

backoff::backoff(backoff_config config) : config_(config), step_us_(config.initial_us) {
  if (config.initial_us <= 0 || config.max_us < config.initial_us)
    throw std::invalid_argument("backoff: need 0 < initial_us <= max_us");
}

std::int64_t backoff::next_delay_us(double jitter) noexcept {
  jitter = std::clamp(jitter, 0.0, 1.0);
  std::int64_t step = step_us_;
  // Doubling stops at the bound, so the step never overflows however many
  // attempts fail.
  step_us_ = step >= config_.max_us / 2 ? config_.max_us : step * 2;
  if (attempts_ < UINT32_MAX) ++attempts_;
  std::int64_t half = step / 2;
  // The double may round up for steps past 2^53 microseconds: never past the step.
  return std::min(step,
                  half + static_cast<std::int64_t>(jitter * static_cast<double>(step - half)));
}

}  // namespace httpcore::redis
