// Static files: map the target to a path inside the root, prove it is inside
// (lexically, then after symlinks), choose the representation (the file or a
// precompressed sibling), evaluate the conditional fields and Range, then
// answer with the file's bytes (file_body.hpp).

#include "static_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <utility>

#include "byte_ranges.hpp"
#include "file_body.hpp"
#include "httpcore/ascii.hpp"
#include "httpcore/h1/serializer.hpp"
#include "httpcore/http_date.hpp"
#include "httpcore/target.hpp"
#include "src/accept_encoding.hpp"
#include "validators.hpp"

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

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Opens `path` for reading if it is a regular file whose resolved name is
// inside `root`; -1 otherwise (`status` then says why: 403 or 404).
// O_NONBLOCK: a FIFO swapped in after the checks must not hang the thread.
int open_inside(const std::string& root, const std::string& path, struct stat& st, int& status) {
  int error = 0;
  std::string real = resolve(path, error);
  if (error != 0 || !inside(root, real)) {
    status = error == EACCES ? 403 : 404;
    return -1;
  }
  int fd = ::open(real.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) {
    status = errno == EACCES ? 403 : 404;
    return -1;
  }
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    status = 403;  // devices, sockets, FIFOs: not content
    return -1;
  }
  return fd;
}

// A boundary no file is likely to hold: 32 random hex digits.
std::string make_boundary() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char hex[] = "0123456789abcdef";
  std::string b;
  for (int word = 0; word < 2; ++word) {
    std::uint64_t bits = rng();
    for (int i = 0; i < 16; ++i, bits >>= 4) b += hex[bits & 15];
  }
  return b;
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
  // above the root only ever comes from a probe, so count depth and refuse
  // it, as a file that is not there (404): the answer says nothing of what
  // lies outside.
  long depth = 0;
  for (std::size_t at = 1; at <= m.path.size();) {
    std::size_t end = std::min(m.path.find('/', at), m.path.size());
    std::string_view seg = m.path.substr(at, end - at);
    if (seg == "..") {
      if (--depth < 0) {
        m.status = 404;
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
    if (!percent_decode(seg, decoded) ||
        decoded.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos) {
      m.status = 400;
      m.relative.clear();
      return m;
    }
    if (decoded == "." || decoded == "..") {  // a dot-segment hidden from the step above
      m.status = 404;
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

  // The lexical mapping cannot see symlinks: resolve them and check again. A
  // name that leads out of the root is a file that is not here (404).
  int error = 0;
  std::string path = resolve(m.relative.empty() ? root_ : root_ + "/" + m.relative, error);
  if (error != 0) {
    send_status_text(res, error == EACCES ? 403 : 404);
    return;
  }
  if (!inside(root_, path)) {
    send_status_text(res, 404);
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
    path += "/index.html";
    if (::stat(path.c_str(), &st) != 0) {
      send_status_text(res, 403);  // no index: listing directories is not offered
      return;
    }
  }

  int status = 0;
  file_descriptor file(open_inside(root_, path, st, status));
  if (file.fd < 0) {
    send_status_text(res, status);
    return;
  }

  // Precompressed siblings ("x.css.br", "x.css.gz", made at build time): the
  // one the client wants most (br on a tie) replaces the file, as other
  // bytes with the file's type. Whether one exists makes the answer depend on
  // Accept-Encoding, which Vary says even when the file itself is sent. A
  // Range request gets the file itself: ranges of coded bytes mean nothing to
  // most clients, and in a multipart body no coding could apply to the parts.
  representation chosen{path, std::string_view(), st};
  bool vary = false;
  detail::encoding_weights wants = detail::accept_encoding_weights(req.header("Accept-Encoding"));
  if (!req.header("Range").empty()) wants = {};
  struct option {
    std::string_view coding, suffix;
    double q;
  };
  double best = 0;
  for (const option& o : {option{"br", ".br", wants.br}, option{"gzip", ".gz", wants.gzip}}) {
    struct stat sibling_st {};
    int ignored = 0;
    file_descriptor sibling(open_inside(root_, path + std::string(o.suffix), sibling_st, ignored));
    if (sibling.fd < 0) continue;
    vary = true;
    if (o.q > best) {
      best = o.q;
      ::close(std::exchange(file.fd, std::exchange(sibling.fd, -1)));
      chosen.coding = o.coding;
      chosen.st = sibling_st;
    }
  }
  chosen.vary = vary;
  serve_file(req, res, file.fd, chosen);
}

void static_files::serve_file(const server::request& req, server::response& res, int& fd,
                              const representation& rep) const {
  const struct stat& st = rep.st;
  const auto size = static_cast<std::uint64_t>(st.st_size);
  const std::int64_t mtime = st.st_mtim.tv_sec;
  const std::int64_t now = unix_now();
  std::string etag =
      strong_etag({static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                   size, mtime * 1'000'000'000 + st.st_mtim.tv_nsec, rep.coding});
  char last_modified[http_date_length];
  format_http_date(mtime, last_modified);
  res.add_header("ETag", etag);
  res.add_header("Last-Modified", std::string_view(last_modified, http_date_length));
  if (rep.vary) res.add_header("Vary", "Accept-Encoding");

  // RFC 9110 §13.2.2: If-None-Match, else If-Modified-Since, then Range
  // (with If-Range). A 304 carries the validators, no content fields.
  std::string_view none_match = req.header("If-None-Match");
  if (!none_match.empty() ? none_match_fails(none_match, etag)
                          : not_modified_since(req.header("If-Modified-Since"), mtime, now)) {
    res.send(304, "");
    return;
  }

  std::string_view type = content_type_for(rep.name);
  res.add_header("Accept-Ranges", "bytes");
  res.add_header("X-Content-Type-Options", "nosniff");
  auto content_fields = [&](std::string_view content_type) {
    res.add_header("Content-Type", content_type);
    if (!rep.coding.empty()) res.add_header("Content-Encoding", rep.coding);
  };
  if (req.method() == "HEAD") {
    // The length a GET would get, without reading the file, as the
    // protocol's own Content-Length (HTTP/2 drops a handler's).
    content_fields(type);
    res.start_with_length(200, size);
    res.end();
    return;
  }

  range_plan plan;
  std::string_view range = req.header("Range");
  std::string_view if_range = req.header("If-Range");
  if (!range.empty() && (if_range.empty() || if_range_holds(if_range, etag, mtime, now)))
    plan = plan_ranges(range, size);
  const int taken = std::exchange(fd, -1);  // send_file_body closes it
  std::vector<body_segment> body;
  switch (plan.what) {
    case range_plan::kind::unsatisfiable:
      ::close(taken);
      res.add_header("Content-Range", unsatisfied_range(size));
      send_status_text(res, 416);
      return;
    case range_plan::kind::whole:
      content_fields(type);
      body.push_back({{}, 0, size});
      return send_file_body(res, 200, taken, std::move(body), options_.whole_file_limit,
                            options_.piece_bytes);
    case range_plan::kind::partial:
      break;
  }
  if (plan.ranges.size() == 1) {
    content_fields(type);
    res.add_header("Content-Range", content_range(plan.ranges[0], size));
    body.push_back({{}, plan.ranges[0].first, plan.ranges[0].length()});
    return send_file_body(res, 206, taken, std::move(body), options_.whole_file_limit,
                          options_.piece_bytes);
  }
  multipart_layout parts = lay_out_multipart(plan.ranges, size, type, make_boundary());
  content_fields("multipart/byteranges; boundary=" + parts.boundary);
  for (std::size_t i = 0; i < plan.ranges.size(); ++i) {
    body.push_back({std::move(parts.heads[i]), 0, 0});
    body.push_back({{}, plan.ranges[i].first, plan.ranges[i].length()});
  }
  body.push_back({std::move(parts.tail), 0, 0});
  send_file_body(res, 206, taken, std::move(body), options_.whole_file_limit, options_.piece_bytes);
}

}  // namespace httpcore::app
