// The divergence classifier: one rule per entry of the register
// (docs/divergences.md), each recognising exactly the difference its entry
// describes, from the input, the lenient flags and both engines' outcomes.
// The differential fuzzers abort on any difference no rule explains.
#pragma once

#include <cstddef>
#include <string_view>

#include "differential.hpp"

namespace httpcore::fuzz {

// Everything a rule may look at. `at` is the first message that differs
// (differential.hpp's first_difference); the messages before it are equal.
struct difference {
  const diff_input& in;
  const outcome& ours;    // httpcore
  const outcome& theirs;  // llhttp
  const digest& our_digest;
  const digest& their_digest;
  std::size_t at;
};

// The register entry ("D03") that explains the difference, or nullptr.
const char* classify(const difference& d);

// Every entry the classifier knows, for the statistics printed at exit.
std::size_t divergence_count();
const char* divergence_id(std::size_t i);

}  // namespace httpcore::fuzz
