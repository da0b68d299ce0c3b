#pragma once
/// \file
/// Validators of a static representation and the conditional requests that
/// use them (RFC 9110 §8.8, §13): a strong entity tag made from the file's
/// identity, If-None-Match and If-Modified-Since (304), and If-Range. Pure
/// functions: the caller passes the file's facts and the current time.

#include <cstdint>
#include <string>
#include <string_view>

namespace httpcore::app {

/// What identifies one version of a file's bytes as sent.
struct file_version {
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t mtime_ns = 0;     ///< modification time, nanoseconds since 1970
  std::string_view coding = {};  ///< "", "gzip", "br": the sibling sent
};

/// A strong entity tag, quoted: "<hex>-<hex>[-coding]". It changes when the
/// file is replaced or modified (inode, size, nanosecond mtime), and differs
/// between a file and its precompressed siblings, which are other bytes.
std::string strong_etag(const file_version& v);

/// If-None-Match (RFC 9110 §13.1.2): whether `field` (a list of entity tags,
/// or "*") matches `etag`, by the weak comparison the field calls for.
bool none_match_fails(std::string_view field, std::string_view etag) noexcept;

/// If-Modified-Since (§13.1.3): true when the representation, last modified
/// at `mtime` (seconds), has not changed since the date in `field`. An invalid
/// date, or one later than `now`, counts as absent (false).
bool not_modified_since(std::string_view field, std::int64_t mtime, std::int64_t now) noexcept;

/// If-Range (§13.1.5): whether the Range may be honoured. An entity tag must
/// match `etag` strongly (a weak tag never does); a date must equal the
/// Last-Modified exactly, and only if that date is strong, i.e. at least a
/// second before `now` (§8.8.2.2). Anything else: false (send it all).
bool if_range_holds(std::string_view field, std::string_view etag, std::int64_t mtime,
                    std::int64_t now) noexcept;

}  // namespace httpcore::app
