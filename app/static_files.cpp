// Static files: map the target to a path inside the root, prove it is inside
// (lexically, then after symlinks), then answer with the file.

#include "static_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

#include "httpcore/ascii.hpp"
#include "httpcore/h1/serializer.hpp"
#include "httpcore/http_date.hpp"
#include "httpcore/target.hpp"

namespace httpcore::app {
namespace {

struct type_row {
  std::string_view extension, type;
};

// Enough for a small site; anything else downloads as bytes, which is safe.
constexpr type_row kTypes[] = {
    {"html", "text/html; charset=utf-8"},
    {"htm", "text/html; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"js", "text/javascript; charset=utf-8"},
    {"mjs", "text/javascript; charset=utf-8"},
    {"json", "application/json"},
    {"map", "application/json"},
    {"txt", "text/plain; charset=utf-8"},
    {"md", "text/markdown; charset=utf-8"},
    {"csv", "text/csv; charset=utf-8"},
    {"xml", "application/xml"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"jpg", "image/jpeg"},
    {"jpeg", "image/jpeg"},
    {"gif", "image/gif"},
    {"webp", "image/webp"},
    {"avif", "image/avif"},
    {"ico", "image/x-icon"},
    {"woff", "font/woff"},
    {"woff2", "font/woff2"},
    {"wasm", "application/wasm"},
    {"pdf", "application/pdf"},
    {"mp4", "video/mp4"},
    {"webm", "video/webm"},
    {"mp3", "audio/mpeg"},
    {"zip", "application/zip"},
    {"gz", "application/gzip"},
};

// Closes the descriptor on every path out of serve(), or when the stream
// that took it over ends.
struct file_descriptor {
  int fd = -1;
  file_descriptor() = default;
  explicit file_descriptor(int d) : fd(d) {}
  file_descriptor(const file_descriptor&) = delete;
  file_descriptor& operator=(const file_descriptor&) = delete;
  ~file_descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

// Reads up to `want` bytes (fewer only at end of file or on error).
std::size_t read_some(int fd, char* out, std::size_t want) {
  std::size_t got = 0;
  while (got < want) {
    ssize_t n = ::read(fd, out + got, want - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

// realpath() as a string, or the errno that prevented it.
std::string resolve(const std::string& path, int& error) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) == nullptr) {
    error = errno;
    return {};
  }
  error = 0;
  return buf;
}

bool inside(std::string_view root, std::string_view path) noexcept {
  if (root == "/") return !path.empty() && path.front() == '/';
  return path == root ||
         (path.size() > root.size() && path.starts_with(root) && path[root.size()] == '/');
}

// A large file on its way out: read a piece only while the connection's queue
// has room (response::writable()), then wait to be called back when it drains.
// So a file of any size to a client of any speed holds about the session's
// output bound plus one piece, and the descriptor closes when the response
// ends or the connection does (the session then drops the callback).
struct file_stream {
  file_descriptor file;
  std::string piece;

  static void pump(const std::shared_ptr<file_stream>& self, server::response& res) {
    while (res.writable()) {
      std::size_t n = read_some(self->file.fd, self->piece.data(), self->piece.size());
      if (n == 0) {  // end of file (or a read error: the body ends short)
        res.end();
        return;
      }
      res.write(std::string_view(self->piece.data(), n));
    }
    res.when_writable([self](server::response& r) { pump(self, r); });
  }
};

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::string_view content_type_for(std::string_view file_name) noexcept {
  std::size_t slash = file_name.rfind('/');
  if (slash != std::string_view::npos) file_name.remove_prefix(slash + 1);
  std::size_t dot = file_name.rfind('.');
  if (dot != std::string_view::npos && dot + 1 < file_name.size()) {
    std::string_view ext = file_name.substr(dot + 1);
    for (const type_row& row : kTypes)
      if (ascii_iequals(row.extension, ext)) return row.type;
  }
  return "application/octet-stream";
}

mapped_path map_target(std::string_view method, std::string_view target, bool allow_dotfiles) {
  mapped_path m;
  target_result parsed = parse_request_target(method, target);
  if (!parsed.ok() ||
      (parsed.parts.form != target_form::origin && parsed.parts.form != target_form::absolute)) {
    m.status = 400;
    return m;
  }
  m.path = parsed.parts.path.empty() ? std::string_view("/") : parsed.parts.path;
  m.query = parsed.parts.query;
  m.has_query = parsed.parts.has_query;
  if (m.path.front() != '/') {  // e.g. "urn:x" in absolute-form: no file can have that name
    m.status = 400;
    return m;
  }

  // remove_dot_segments clamps "/../x" to "/x". Clamping is safe, but a ".."
  // above the root only ever comes from a probe, so count depth and refuse it.
  long depth = 0;
  for (std::size_t at = 1; at <= m.path.size();) {
    std::size_t end = std::min(m.path.find('/', at), m.path.size());
    std::string_view seg = m.path.substr(at, end - at);
    if (seg == "..") {
      if (--depth < 0) {
        m.status = 400;
        return m;
      }
    } else if (seg != ".") {
      ++depth;
    }
    at = end + 1;
  }

  // Decode segment by segment after normalising: "%2F" is data inside one
  // segment, never a separator, and a decoded "/" "\\" or NUL is refused.
  std::string normal = remove_dot_segments(m.path);
  m.trailing_slash = normal.empty() || normal.back() == '/';
  std::string decoded;
  for (std::size_t at = 1; at < normal.size();) {
    std::size_t end = std::min(normal.find('/', at), normal.size());
    std::string_view seg = std::string_view(normal).substr(at, end - at);
    at = end + 1;
    if (seg.empty()) continue;  // "a//b" names the same file as "a/b"
    if (!percent_decode(seg, decoded) || decoded == "." || decoded == ".." ||
        decoded.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) {
      m.status = 400;
      m.relative.clear();
      return m;
    }
    if (decoded.front() == '.' && !allow_dotfiles) {
      m.status = 404;
      m.relative.clear();
      return m;
    }
    if (!m.relative.empty()) m.relative += '/';
    m.relative += decoded;
  }
  return m;
}

void send_status_text(server::response& res, int status) {
  std::string body = std::to_string(status);
  body += ' ';
  body += h1::reason_phrase(status);
  body += '\n';
  res.add_header("Content-Type", "text/plain; charset=utf-8");
  res.send(status, body);
}

static_files::static_files(static_options options) : options_(std::move(options)) {
  int error = 0;
  root_ = resolve(options_.root, error);
  struct stat st {};
  if (error == 0 && ::stat(root_.c_str(), &st) != 0) error = errno;
  if (error == 0 && !S_ISDIR(st.st_mode)) error = ENOTDIR;
  if (error != 0)
    throw std::system_error(error, std::generic_category(), "static files root " + options_.root);
  if (options_.piece_bytes == 0) options_.piece_bytes = 64u << 10;
}

void static_files::serve(const server::request& req, server::response& res) const {
  std::string_view method = req.method();
  if (method != "GET" && method != "HEAD") {
    res.add_header("Allow", "GET, HEAD");
    send_status_text(res, 405);
    return;
  }
  mapped_path m = map_target(method, req.target(), options_.allow_dotfiles);
  if (m.status != 0) {
    send_status_text(res, m.status);
    return;
  }

  // The lexical mapping cannot see symlinks: resolve them and check again.
  int error = 0;
  std::string path = resolve(m.relative.empty() ? root_ : root_ + "/" + m.relative, error);
  if (error != 0) {
    send_status_text(res, error == EACCES ? 403 : 404);
    return;
  }
  if (!inside(root_, path)) {
    send_status_text(res, 403);
    return;
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    send_status_text(res, errno == EACCES ? 403 : 404);
    return;
  }
  if (!S_ISDIR(st.st_mode) && m.trailing_slash) {
    send_status_text(res, 404);  // "/file.txt/" (glibc's realpath lets it through)
    return;
  }
  if (S_ISDIR(st.st_mode)) {
    if (!m.trailing_slash) {
      // Relative links in the directory's index resolve against the URL, so
      // the URL must end in '/': redirect as every web server does.
      std::string location(m.path);
      location += '/';
      if (m.has_query) {
        location += '?';
        location += m.query;
      }
      res.add_header("Location", location);
      send_status_text(res, 301);
      return;
    }
    path = resolve(path + "/index.html", error);
    if (error != 0 || !inside(root_, path)) {
      send_status_text(res, 403);  // no index: listing directories is not offered
      return;
    }
  }

  // O_NONBLOCK: a FIFO swapped in after the checks must not hang the thread.
  file_descriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (file.fd < 0) {
    send_status_text(res, errno == EACCES ? 403 : 404);
    return;
  }
  if (::fstat(file.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    send_status_text(res, 403);  // devices, sockets, FIFOs: not content
    return;
  }
  serve_file(req, res, file.fd, path, static_cast<std::uint64_t>(st.st_size), st.st_mtime);
}

void static_files::serve_file(const server::request& req, server::response& res, int& fd,
                              std::string_view name, std::uint64_t size, std::int64_t mtime) const {
  char last_modified[http_date_length];
  format_http_date(mtime, last_modified);
  res.add_header("Last-Modified", std::string_view(last_modified, http_date_length));

  // RFC 9110 §13.1.3: If-Modified-Since is ignored when If-None-Match is
  // present (we send no ETag, so such a request cannot match), and a date in
  // the future is invalid.
  std::string_view ims = req.header("If-Modified-Since");
  if (!ims.empty() && req.header("If-None-Match").empty()) {
    auto since = parse_http_date(ims, unix_now());
    if (since && *since <= unix_now() && mtime <= *since) {
      res.send(304, "");
      return;
    }
  }

  res.add_header("Content-Type", content_type_for(name));
  res.add_header("X-Content-Type-Options", "nosniff");
  if (req.method() == "HEAD") {
    // The length a GET would get, without reading the file: the session
    // frames a HEAD response's start() with nothing of its own.
    res.add_header("Content-Length", std::to_string(size));
    res.start(200);
    res.end();
    return;
  }
  if (size <= options_.whole_file_limit) {
    std::string body(static_cast<std::size_t>(size), '\0');
    body.resize(read_some(fd, body.data(), body.size()));  // the file may have shrunk
    res.send(200, body);
    return;
  }
  // Large: pieces under backpressure; the stream takes the descriptor over.
  auto stream = std::make_shared<file_stream>();
  stream->file.fd = std::exchange(fd, -1);
  stream->piece.resize(options_.piece_bytes);
  res.start(200);
  file_stream::pump(stream, res);
}

}  // namespace httpcore::app
