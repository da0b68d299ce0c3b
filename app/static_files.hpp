#pragma once
/// \file
/// Static files under one root directory, for GET and HEAD: the request-target
/// is mapped to a file that is provably inside the root (lexically, then again
/// after the file system has resolved every symlink), directories serve their
/// index.html, and Last-Modified / If-Modified-Since give 304s.
///
/// The handler layer never sees a socket (docs/design.md, rule 3): a file becomes a
/// response through server::response only, small files in one send() (with a
/// Content-Length) and large ones in pieces through start()/write()/end(),
/// read only as the connection drains (response::when_writable()), so a large
/// file to a client that does not read holds about one output queue of memory.
/// (No sendfile(): the core's output queue is bytes and knows no files.)

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
  int status = 0;               ///< 0: mapped; else 400 (malformed or escaping) or 404 (hidden)
  std::string relative;         ///< decoded segments joined by '/', no leading '/'; "" is the root
  bool trailing_slash = false;  ///< the path named a directory ("/", "/docs/")
  std::string_view path;        ///< the path as sent (a view into the target), for redirects
  std::string_view query;       ///< the query as sent, without '?'
  bool has_query = false;
};

/// Maps `target` (origin-form or absolute-form) to a path under the root:
/// - dot-segments are removed (RFC 3986 §5.2.4), but a ".." that would climb
///   above the root is refused (400) rather than silently clamped, since no
///   browser sends one: it is an attack, and saying so is clearer;
/// - each segment is percent-decoded after splitting, and refused (400) when
///   the decoded bytes hold a '/', a '\\' or a NUL, or are "." or ".." (an
///   escape that hides a dot-segment from the step above);
/// - a segment starting with '.' (".git", ".env") is not served (404) unless
///   `allow_dotfiles`, because such files are rarely meant to be public.
mapped_path map_target(std::string_view method, std::string_view target,
                       bool allow_dotfiles = false);

struct static_options {
  std::string root{};                         ///< the directory to serve
  std::size_t whole_file_limit = 256u << 10;  ///< at most this: one send(); above: pieces
  std::size_t piece_bytes = 64u << 10;        ///< bytes per write() of a large file
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
  // `fd` is set to -1 when a streamed response takes the descriptor over.
  void serve_file(const server::request& req, server::response& res, int& fd, std::string_view name,
                  std::uint64_t size, std::int64_t mtime) const;

  static_options options_;
  std::string root_;
};

/// A short text/plain answer such as "404 Not Found\n", used for errors.
void send_status_text(server::response& res, int status);

}  // namespace httpcore::app
