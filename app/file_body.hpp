#pragma once
/// \file
/// A response body cut from one open file: ranges of it, with literal bytes
/// between them (the heads of a multipart/byteranges body), written under
/// backpressure. Nothing is read before the connection has room for it, so a
/// file of any size to a client of any speed holds about the session's output
/// bound plus one piece (session_config::max_queued_output, piece_bytes).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "httpcore/server/handler.hpp"

namespace httpcore::app {

/// Literal bytes, or `length` bytes of the file from `offset`.
struct body_segment {
  std::string literal;
  std::uint64_t offset = 0, length = 0;
};

/// Answers `res` with `status` and the segments' bytes. `fd` (an open regular
/// file) is taken over: closed when the body is written, or when the
/// connection ends first. A body of at most `whole_limit` bytes goes in one
/// send(); a longer one is streamed in pieces of `piece_bytes`
/// (start_with_length(), write() while writable(), when_writable()), so every
/// body carries its Content-Length. A file that shrank under us ends a
/// streamed body short (the client sees it cut: HTTP/1 closes, HTTP/2
/// resets), and a whole one shorter than announced.
void send_file_body(server::response& res, int status, int fd, std::vector<body_segment> segments,
                    std::size_t whole_limit, std::size_t piece_bytes);

}  // namespace httpcore::app
