// The pinned outputs of the cases divergences.tsv lists: httpcore's normalised
// events for each, kept beside the table (divergences.pinned) so that a listed
// case is still checked. A divergence is a known behaviour, not a blind spot:
// when httpcore's output for a listed case changes, the runner fails, and a
// person decides whether the register entry still holds (and re-pins with
// --update-pinned).
//
// Format: a line holding a case id (file.md#heading), then one line per event,
// each a TAB and the event written by quote(), and last, when httpcore refused
// the input, its error's name and offset ("obs_fold at 33") written the same
// way; '#' starts a comment line.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "normal.hpp"

namespace httpcore::conformance {

// Case id -> its events, each as quote() writes it (one line each).
using pinned_outputs = std::map<std::string, std::vector<std::string>>;

std::vector<std::string> quoted_events(const event_list& events);
// False when the file cannot be read or a line is not understood (`problem`).
bool read_pinned(const std::string& path, pinned_outputs& out, std::string& problem);
bool write_pinned(const std::string& path, const pinned_outputs& pins);

}  // namespace httpcore::conformance
