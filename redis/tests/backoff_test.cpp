// Reconnection backoff: doubling steps from the initial delay up to the
// bound, every wait between half the step and the step, back to the start
// after a success, and no overflow however long Redis stays away.

#include "httpcore/redis/backoff.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace httpcore::redis {
namespace {

TEST(Backoff, DoublesUpToTheBound) {
  backoff b({.initial_us = 100'000, .max_us = 1'000'000});
  // jitter 1: the full step each time.
  const std::int64_t steps[] = {100'000, 200'000, 400'000, 800'000, 1'000'000, 1'000'000};
  for (std::int64_t step : steps) EXPECT_EQ(b.next_delay_us(1.0), step);
  EXPECT_EQ(b.attempts(), 6u);
}

TEST(Backoff, JitterStaysWithinHalfAndAllOfTheStep) {
  backoff low({.initial_us = 100'000, .max_us = 1'000'000});
  backoff high({.initial_us = 100'000, .max_us = 1'000'000});
  backoff mid({.initial_us = 100'000, .max_us = 1'000'000});
  for (int i = 0; i < 8; ++i) {
    std::int64_t lo = low.next_delay_us(0.0), hi = high.next_delay_us(1.0);
    std::int64_t m = mid.next_delay_us(0.5);
    EXPECT_EQ(lo * 2, hi) << i;
    EXPECT_GT(m, lo);
    EXPECT_LT(m, hi);
  }
  backoff clamped({.initial_us = 100'000, .max_us = 1'000'000});
  EXPECT_EQ(clamped.next_delay_us(-3.0), 50'000);
  EXPECT_EQ(clamped.next_delay_us(7.0), 200'000);
}

TEST(Backoff, ResetStartsOver) {
  backoff b({.initial_us = 50'000, .max_us = 400'000});
  for (int i = 0; i < 5; ++i) b.next_delay_us(1.0);
  b.reset();
  EXPECT_EQ(b.attempts(), 0u);
  EXPECT_EQ(b.next_delay_us(1.0), 50'000);
  EXPECT_EQ(b.next_delay_us(1.0), 100'000);
}

TEST(Backoff, ThousandsOfFailuresStayAtTheBound) {
  backoff b({.initial_us = 1, .max_us = INT64_MAX / 2 + 7});
  std::int64_t last = 0;
  for (int i = 0; i < 10'000; ++i) {
    last = b.next_delay_us(1.0);
    ASSERT_GT(last, 0) << i;
    ASSERT_LE(last, INT64_MAX / 2 + 7) << i;
  }
  EXPECT_GE(last, (INT64_MAX / 2 + 7) / 2);  // the step reached the bound
}

TEST(Backoff, RefusesANonsenseConfig) {
  EXPECT_THROW(backoff({.initial_us = 0, .max_us = 10}), std::invalid_argument);
  EXPECT_THROW(backoff({.initial_us = 20, .max_us = 10}), std::invalid_argument);
}

}  // namespace
}  // namespace httpcore::redis
