#pragma once
/// \file
/// Size limits of the HTTP/1 parser, in one struct. The parser sizes its header
/// table from max_headers once, at construction; parsing never allocates.

#include <cstdint>
#include <limits>

namespace httpcore::h1 {

struct limits {
  /// Bytes of a request or status line plus all field lines and the blank line (431).
  std::uint32_t max_head_bytes = 16 * 1024;
  /// Header fields in one head, and trailer fields in one trailer section (431).
  std::uint32_t max_headers = 100;
  /// Bytes of the request-target (414).
  std::uint32_t max_target_bytes = 8 * 1024;
  /// Bytes of one message body after chunked decoding (413). Unlimited by default
  /// because a client downloads what it asked for; servers should set it.
  std::uint64_t max_body_bytes = std::numeric_limits<std::uint64_t>::max();
  /// Bytes of the extensions on one chunk-size line (400).
  std::uint32_t max_chunk_extension_bytes = 1024;
  /// Bytes of the trailer section, including its final blank line (431).
  std::uint32_t max_trailer_bytes = 8 * 1024;
};

}  // namespace httpcore::h1
