#pragma once
/// \file
/// A minimum average data rate (session_config::min_body_rate, min_send_rate):
/// the one rule HTTP/1 sessions and HTTP/2 connections both apply. No clock:
/// the caller passes its times in.

#include <algorithm>
#include <cstdint>
#include <limits>

namespace httpcore::server {

/// Bytes counted since a start time. A peer keeps up while the bytes it has
/// moved buy at least the time gone by at the configured rate.
struct rate_meter {
  std::int64_t since_us = 0;
  std::uint64_t bytes = 0;

  /// When the bytes stop being enough at `rate` bytes per second, and never
  /// before `grace_us` after the start; the largest int64 (never) for rate 0
  /// or more credit than any deadline is worth keeping.
  std::int64_t deadline(std::uint32_t rate, std::int64_t grace_us) const noexcept {
    constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();
    if (rate == 0) return never;
    constexpr std::uint64_t kSecondUs = 1'000'000;
    std::uint64_t whole = bytes / rate;
    if (whole > (1ull << 40)) return never;  // tebibytes of credit
    auto earned = static_cast<std::int64_t>(whole * kSecondUs + bytes % rate * kSecondUs / rate);
    return since_us + std::max(grace_us, earned);
  }
};

}  // namespace httpcore::server
