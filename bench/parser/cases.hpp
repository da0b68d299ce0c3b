// The messages the parser benchmark parses (see cases.cpp).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "engine.hpp"

namespace bench {

struct bench_case {
  std::string_view name;
  kind role;
  std::string bytes;  // whole messages, back to back
  unsigned messages;  // how many
};

/// All cases, in the order they are reported. Sizes that are facts (520 and
/// 703 bytes) are checked when the cases are built; a mismatch aborts.
std::span<const bench_case> cases();

}  // namespace bench
