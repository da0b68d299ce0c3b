#pragma once
// POST /api/upload of `httpcore serve`: a form, its parts measured and hashed
// as they arrive, file parts stored under a folder (multipart_upload.hpp).
//
//   multipart/form-data                  streamed through the core's parser;
//                                        file parts to files when a folder is set
//   application/x-www-form-urlencoded    gathered (up to form_limits::max_bytes)
//                                        and decoded (httpcore/app/form.hpp)
//   anything else                        415
//
// 200 answers a JSON array, one object per part (per field of a urlencoded
// form), in body order:
//   {"field":"f","filename":"a.txt"|null,"size":N,"sha256":"<64 hex>"[,"stored":"upload-XXXXXX"]}
// `filename` is null for a plain field (no filename parameter) and the string
// as sent, possibly empty, for a file part; `size` and `sha256` are of the
// part's data (a urlencoded field's decoded value); `stored` is the file's
// name in the folder, for file parts when a folder is set. Without a folder
// nothing is written anywhere and the answer is the same, without `stored`.
//
// Refusals answer {"error":"<name>","offset":N} (offset only where the body
// has one): 400 with the parser's error name and byte offset, 413 above the
// route's body limit or the parser's (part count, part head size), 415 for
// another media type (name "not_form_data"), 500 "storage_failed" with a
// "detail" when the folder refused a write. A refused upload stores nothing.

#include <cstdint>
#include <string>

#include "httpcore/app/form.hpp"
#include "httpcore/app/router.hpp"
#include "httpcore/multipart/parser.hpp"

namespace httpcore::app {

struct upload_route_options {
  std::string dir{};                          ///< where files go; empty: not stored
  std::uint64_t max_body_bytes = 1ull << 30;  ///< the route's body limit (413)
  multipart::limits limits{};                 ///< parts, part head size (413)
  form_limits form{};                         ///< urlencoded bodies (413)
};

/// Adds POST `pattern` to `r`. The folder must exist and outlive the server.
void add_upload_route(router& r, std::string_view pattern, upload_route_options options);

}  // namespace httpcore::app
