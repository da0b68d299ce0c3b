#pragma once
// `httpcore parse`: raw HTTP/1 bytes in, one JSON object per parser event out.

#include <span>
#include <string_view>

namespace httpcore::tools {

// Runs the verb with the arguments after "parse". Returns the exit status:
// 0 all input parsed cleanly, 1 protocol error, 2 usage or I/O error.
int parse_command(std::span<const std::string_view> args);

}  // namespace httpcore::tools
