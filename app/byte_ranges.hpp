#pragma once
/// \file
/// Range requests (RFC 9110 §14): the Range field of a GET parsed against a
/// representation's length, and the multipart/byteranges framing (§14.6)
/// for answers with more than one range. Pure functions: no file, no clock.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace httpcore::app {

/// Bytes first..last of a representation, both included.
struct byte_range {
  std::uint64_t first = 0, last = 0;
  std::uint64_t length() const noexcept { return last - first + 1; }
  bool operator==(const byte_range&) const = default;
};

struct range_plan {
  enum class kind {
    whole,          ///< no usable Range field: the whole representation, 200
    partial,        ///< `ranges` (one or more, ascending, disjoint): 206
    unsatisfiable,  ///< no range overlaps the representation: 416
  };
  kind what = kind::whole;
  std::vector<byte_range> ranges;
};

/// At most this many ranges are served; a field asking for more is ignored
/// (the whole representation is sent), as RFC 9110 §14.2 allows, since many
/// small ranges cost the server far more than the client.
inline constexpr std::size_t max_ranges = 16;

/// Parses `field` (the Range value; "" when absent) for a representation of
/// `size` bytes. Syntax errors, a unit other than "bytes" and too many ranges
/// give `whole` (a server may ignore Range); ranges past the end are dropped,
/// and if none is left, `unsatisfiable`. Overlapping or adjacent ranges are
/// merged and the result sorted (§14.2 lets a server coalesce).
range_plan plan_ranges(std::string_view field, std::uint64_t size);

/// "bytes FIRST-LAST/SIZE", the Content-Range of one part or a 206.
std::string content_range(const byte_range& r, std::uint64_t size);
/// "bytes */SIZE", the Content-Range of a 416.
std::string unsatisfied_range(std::uint64_t size);

/// The pieces of a multipart/byteranges body around the file's bytes: the
/// head before each part (boundary line, Content-Type, Content-Range, blank
/// line) and the closing delimiter after the last.
struct multipart_layout {
  std::string boundary;            ///< for "multipart/byteranges; boundary=..."
  std::vector<std::string> heads;  ///< heads[i] precedes ranges[i]'s bytes
  std::string tail;                ///< after the last part's bytes
  std::uint64_t total = 0;         ///< the whole body's length
};
/// `boundary` must not occur in the file (a random token of 24 or more hex
/// digits does not, in practice: RFC 2046 §5.1.1 asks only that it be unlikely).
multipart_layout lay_out_multipart(const std::vector<byte_range>& ranges, std::uint64_t size,
                                   std::string_view type, std::string boundary);

}  // namespace httpcore::app
