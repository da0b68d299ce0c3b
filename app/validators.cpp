// Entity tags and the conditional fields that compare against them.

#include "validators.hpp"
#include "httpcore/ascii.hpp"

#include <cstdio>

#include "httpcore/http_date.hpp"

namespace httpcore::app {
namespace {

// The opaque-tag of an entity-tag (with its quotes), and whether it is weak.
struct tag {
  std::string_view opaque;
  bool weak = false;
};

// Takes the next entity-tag from a list; false at its end or on bad syntax.
bool next_tag(std::string_view& list, tag& out) {
  list = trim_ows(list);
  while (!list.empty() && list.front() == ',') list = trim_ows(list.substr(1));
  if (list.empty()) return false;
  out.weak = list.starts_with("W/");
  if (out.weak) list.remove_prefix(2);
  if (list.empty() || list.front() != '"') return false;
  std::size_t close = list.find('"', 1);
  if (close == std::string_view::npos) return false;
  out.opaque = list.substr(0, close + 1);
  list.remove_prefix(close + 1);
  return true;
}

// An etag as we make them: strong, quoted.
std::string_view opaque_of(std::string_view etag) {
  return etag.starts_with("W/") ? etag.substr(2) : etag;
}

}  // namespace

std::string strong_etag(const file_version& v) {
  char buf[96];
  int n = std::snprintf(buf, sizeof buf, "\"%llx-%llx-%llx",
                        static_cast<unsigned long long>(v.inode ^ (v.device << 32)),
                        static_cast<unsigned long long>(v.size),
                        static_cast<unsigned long long>(v.mtime_ns));
  std::string out(buf, static_cast<std::size_t>(n));
  if (!v.coding.empty()) {
    out += '-';
    out += v.coding;
  }
  out += '"';
  return out;
}

bool none_match_fails(std::string_view field, std::string_view etag) noexcept {
  field = trim_ows(field);
  if (field == "*") return true;  // any current representation matches
  tag t;
  while (next_tag(field, t))
    if (t.opaque == opaque_of(etag)) return true;  // weak comparison: W/ ignored
  return false;
}

bool not_modified_since(std::string_view field, std::int64_t mtime, std::int64_t now) noexcept {
  auto since = parse_http_date(trim_ows(field), now);
  return since && *since <= now && mtime <= *since;
}

bool if_range_holds(std::string_view field, std::string_view etag, std::int64_t mtime,
                    std::int64_t now) noexcept {
  field = trim_ows(field);
  if (field.empty()) return false;
  if (field.front() == '"' || field.starts_with("W/")) {
    tag t;
    std::string_view rest = field;
    return next_tag(rest, t) && trim_ows(rest).empty() && !t.weak && !etag.starts_with("W/") &&
           t.opaque == etag;
  }
  auto date = parse_http_date(field, now);
  return date && *date == mtime && mtime + 1 <= now;
}

}  // namespace httpcore::app
