#pragma once
/// \file
/// Static files under one root directory, for GET and HEAD: the request-target
/// is mapped to a file that is provably inside the root (lexically, then again
/// after the file system has resolved every symlink; a name that leads out of
/// it, by ".." or by a symlink, is answered 404), directories serve their
/// index.html, and:
/// - validators: a strong ETag and Last-Modified; If-None-Match and
///   If-Modified-Since give 304s (validators.hpp);
/// - Range: one range gives a 206 with Content-Range, several a
///   multipart/byteranges 206, none satisfiable a 416 with
///   "Content-Range: bytes */LEN"; If-Range guards them (byte_ranges.hpp);
/// - precompressed siblings: "x.js.br" or "x.js.gz" next to "x.js" is sent
///   instead, with Content-Encoding, when Accept-Encoding prefers it, and
///   Vary: Accept-Encoding says the choice exists.
///
/// The handler layer never sees a socket (docs/design.md, rule 3): a file becomes a
/// response through server::response only, a small one in one send() (with a
/// Content-Length) and larger ones in pieces read only as the connection
/// drains (file_body.hpp), so a large file to a client that does not read
/// holds about one output queue of memory.
/// (No sendfile(): the core's output queue is bytes and knows no files.)

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "httpcore/server/handler.hpp"

namespace httpcore::app {

/// The media type for a file name, by its extension (case-insensitive), from
/// a small table of web types; "application/octet-stream" when unknown.
/// Textual types carry "; charset=utf-8".
std::string_view content_type_for(std::string_view file_name) noexcept;

/// A request-target turned into a path relative to the root, or the status
/// that refuses it.
struct mapped_path {
  int status = 0;               ///< 0: mapped; else 400 (malformed) or 404 (escaping, hidden)
  std::string relative;         ///< decoded segments joined by '/', no leading '/'; "" is the root
  bool trailing_slash = false;  ///< the path named a directory ("/", "/docs/")
  std::string_view path;        ///< the path as sent (a view into the target), for redirects
  std::string_view query;       ///< the query as sent, without '?'
  bool has_query = false;
};

/// Maps `target` (origin-form or absolute-form) to a path under the root:
/// - dot-segments are removed (RFC 3986 §5.2.4), but a ".." that would climb
///   above the root is refused (404: nothing is there) rather than silently
///   clamped, since no browser sends one;
/// - each segment is percent-decoded after splitting, and refused when the
///   decoded bytes hold a '/', a '\\' or a NUL (400), or are "." or ".." (404:
///   an escape that hides a dot-segment from the step above);
/// - a segment starting with '.' (".git", ".env") is not served (404) unless
///   `allow_dotfiles`, because such files are rarely meant to be public.
mapped_path map_target(std::string_view method, std::string_view target,
                       bool allow_dotfiles = false);

struct static_options {
  std::string root{};                        ///< the directory to serve
  std::size_t whole_file_limit = 64u << 10;  ///< a body of at most this: one send(); above: pieces
  std::size_t piece_bytes = 64u << 10;       ///< bytes per write() of a large file
  bool allow_dotfiles = false;
};

/// Serves files from a root directory. Stateless after construction, so one
/// object serves every front-end thread at once.
class static_files {
 public:
  /// Resolves the root once (realpath). Throws std::system_error when it is
  /// not an existing, searchable directory.
  explicit static_files(static_options options);

  /// Answers `req` completely (any method: others than GET and HEAD get 405).
  void serve(const server::request& req, server::response& res) const;

  /// The root with every symlink resolved.
  const std::string& root() const noexcept { return root_; }

 private:
  // What is sent for a request: the file's name (its media type), the coding
  // of the sibling chosen instead ("" for the file itself), that file's facts.
  struct representation {
    std::string name;
    std::string_view coding;
    struct stat st;
    bool vary = false;  // a sibling exists: the choice depends on Accept-Encoding
  };
  // `fd` is set to -1 when the body takes the descriptor over.
  void serve_file(const server::request& req, server::response& res, int& fd,
                  const representation& rep) const;

  static_options options_;
  std::string root_;
};

/// A short text/plain answer such as "404 Not Found\n", used for errors.
void send_status_text(server::response& res, int status);

}  // namespace httpcore::app
