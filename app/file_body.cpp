// File bodies in pieces under backpressure (pread() at each segment's offset).

#include "file_body.hpp"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <utility>

namespace httpcore::app {
namespace {

// Reads up to `want` bytes at `offset` (fewer only at end of file or on error).
std::size_t read_at(int fd, char* out, std::size_t want, std::uint64_t offset) {
  std::size_t got = 0;
  while (got < want) {
    ssize_t n = ::pread(fd, out + got, want - got, static_cast<off_t>(offset + got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  return got;
}

// The body on its way out: which segment, how far into it. Owns the file.
struct file_stream {
  int fd = -1;
  std::vector<body_segment> segments;
  std::size_t at = 0;         // segments[at] is being written
  std::uint64_t written = 0;  // of segments[at]
  std::string piece;

  file_stream() = default;
  file_stream(const file_stream&) = delete;
  file_stream& operator=(const file_stream&) = delete;
  ~file_stream() {
    if (fd >= 0) ::close(fd);
  }

  // The next bytes, at most piece.size(); empty at the end. False: the file
  // ended early.
  bool next(std::string_view& out) {
    while (at < segments.size()) {
      body_segment& s = segments[at];
      if (!s.literal.empty()) {
        out = s.literal;
        ++at;
        return true;
      }
      std::uint64_t left = s.length - written;
      if (left == 0) {
        ++at;
        written = 0;
        continue;
      }
      std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, piece.size()));
      std::size_t got = read_at(fd, piece.data(), want, s.offset + written);
      if (got == 0) return false;
      written += got;
      out = std::string_view(piece.data(), got);
      return true;
    }
    out = {};
    return true;
  }

  static void pump(const std::shared_ptr<file_stream>& self, server::response& res) {
    while (res.writable()) {
      std::string_view bytes;
      if (!self->next(bytes)) {
        // The file shrank: end() before the declared length aborts the
        // response, which the client sees cut (HTTP/1 closes, HTTP/2 resets).
        res.end();
        return;
      }
      if (bytes.empty()) {
        res.end();
        return;
      }
      res.write(bytes);
    }
    res.when_writable([self](server::response& r) { pump(self, r); });
  }
};

}  // namespace

void send_file_body(server::response& res, int status, int fd, std::vector<body_segment> segments,
                    std::size_t whole_limit, std::size_t piece_bytes) {
  auto stream = std::make_shared<file_stream>();
  stream->fd = fd;
  stream->segments = std::move(segments);
  std::uint64_t total = 0;
  for (const body_segment& s : stream->segments)
    total += s.literal.empty() ? s.length : s.literal.size();
  stream->piece.resize(std::max<std::size_t>(piece_bytes, 1));
  if (total <= whole_limit) {
    std::string body;
    body.reserve(static_cast<std::size_t>(total));
    std::string_view bytes;
    while (stream->next(bytes) && !bytes.empty()) body.append(bytes);
    res.send(status, body);  // a file that shrank: a shorter, still framed body
    return;
  }
  res.start_with_length(status, total);  // Content-Length, never chunked
  file_stream::pump(stream, res);
}

}  // namespace httpcore::app
