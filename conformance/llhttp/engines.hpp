// The two engines a case can run through. Each lives in its own translation
// unit: llhttp.h and httpcore's headers are never included together.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "normal.hpp"
#include "suite.hpp"

namespace httpcore::conformance {

// What a case's meta "type" asks for: the role and the lenient flags, named as
// llhttp names them ("request-lenient-optional-cr-before-lf" -> request, flag
// "optional_cr_before_lf"; "-lenient-all" sets every flag; "-finish" also
// closes the connection after the input).
struct case_mode {
  bool request = true;
  bool finish = false;
  bool lenient_all = false;
  std::string lenient;  // one flag name with '_', or empty
  // The differential fuzzers (fuzz/diff_*.cpp) set any combination of flags,
  // and take httpcore's size limits away: llhttp has none, so a limit error
  // would be a difference of configuration, not of parsing.
  std::vector<std::string> more_lenient;
  bool unlimited = false;
};

// Whether `mode` sets the flag `name` (llhttp's spelling, with '_').
bool mode_sets_lenient(const case_mode& mode, std::string_view name);

// Returns false (and says why in `problem`) for a type the runner does not know.
bool parse_case_mode(std::string_view type, case_mode& mode, std::string& problem);

// An ```http case, fed in pieces of `piece` bytes (0: in one piece). llhttp's
// harness also feeds every case split unless its meta says noScan; the runner
// feeds such cases whole and byte by byte and wants the same events.
outcome run_httpcore(const test_case& c, const case_mode& mode, std::size_t piece);
outcome run_llhttp(const test_case& c, const case_mode& mode, std::size_t piece);

// A ```url case. httpcore splits it with parse_target(); llhttp's public API
// has no URL splitter, so its engine can only say whether the target is
// accepted inside a request line (`components` is then false and the runner
// compares acceptance only).
struct url_outcome {
  outcome result;
  bool components = true;
};
url_outcome run_httpcore_url(const test_case& c);
url_outcome run_llhttp_url(const test_case& c);

// False when the runner was built without llhttp.
bool llhttp_available();

// How llhttp knows a request method token: 1 an HTTP method, 2 only an RTSP
// one (accepted with "RTSP/x.y" only), 0 not at all. For the differential
// fuzzers' divergence classifier (D03).
int llhttp_method_kind(std::string_view token);

}  // namespace httpcore::conformance
