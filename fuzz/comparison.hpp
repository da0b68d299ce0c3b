// One input through httpcore and a reference engine, reduced to what the
// divergence classifier (divergences.hpp) judges. The differential fuzz
// targets and the classifier's mutation test (classifier_mutations.cpp) build
// their comparisons here, so the test judges exactly what a campaign would.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "differential.hpp"
#include "divergences.hpp"

namespace httpcore::fuzz {

struct comparison {
  diff_input in;
  outcome ours, theirs;  // httpcore, the reference engine
  digest our_digest, their_digest;
  std::optional<std::size_t> at;  // first_difference(); nullopt: they agree

  // Valid while `*this` lives and `at` is set.
  difference view() const { return {in, ours, theirs, our_digest, their_digest, *at}; }
  // After a change to ours.events: the digest and the first difference again.
  void refresh();
};

// False when the input is too short to hold the control bytes.
bool compare_with_llhttp(const std::uint8_t* data, std::size_t size, bool request, comparison& out);

// http-parser 2.9.4 (http_parser_comparison.cpp; needs libhttp_parser). The
// input's lenient flags are cut down to the two http-parser has (headers,
// chunked_length), for both engines. False also when either engine rejects
// the input: http-parser is lenient where httpcore is strict, and where one
// engine refuses, which one is right is llhttp's comparison to judge.
bool compare_with_http_parser(const std::uint8_t* data, std::size_t size, comparison& out);

}  // namespace httpcore::fuzz
