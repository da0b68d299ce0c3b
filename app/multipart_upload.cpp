// A multipart/form-data upload fed to the core's parser as it arrives, each
// part hashed, file parts written to their own files (multipart_upload.hpp).

#include "multipart_upload.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

namespace httpcore::app {
namespace {

constexpr std::string_view kPartSuffix = ".part";

std::string_view base_name(std::string_view path) {
  std::size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

multipart_upload::multipart_upload(std::string_view boundary, std::string dir,
                                   multipart::limits limits)
    : parser_(boundary, limits), dir_(std::move(dir)) {}

multipart_upload::~multipart_upload() {
  close_file();
  if (!committed_) remove_files();
}

bool multipart_upload::feed(std::string_view piece) {
  if (failed()) return false;
  // Zero copy when nothing is pending; otherwise the piece joins the bytes
  // the parser left (a head, a delimiter's start) and is given with them.
  std::string_view in = piece;
  if (!pending_.empty()) {
    pending_.append(piece);
    in = pending_;
  }
  std::size_t used = 0;
  for (;;) {
    multipart::result r = parser_.feed(in.substr(used));
    if (r.err) return fail_parse(r.err);
    used += r.consumed;
    if (std::holds_alternative<multipart::need_more>(r.ev)) break;
    if (!handle(r.ev)) return false;
  }
  if (in.data() == pending_.data()) {
    pending_.erase(0, used);
  } else {
    pending_.assign(in.substr(used));
  }
  return true;
}

bool multipart_upload::finish() {
  if (failed()) return false;
  for (;;) {
    multipart::result r = parser_.finish();
    if (r.err) return fail_parse(r.err);
    if (std::holds_alternative<multipart::need_more>(r.ev)) break;
    if (!handle(r.ev)) return false;
    if (std::holds_alternative<multipart::body_end>(r.ev)) break;
  }
  if (!ended_) return fail_parse({multipart::errc::incomplete_body, 0});
  return true;
}

bool multipart_upload::handle(const multipart::event& ev) {
  if (const auto* begin = std::get_if<multipart::part_begin>(&ev)) {
    upload_part p;
    p.field = begin->name;
    if (begin->filename) p.filename = std::string(*begin->filename);
    parts_.push_back(std::move(p));
    digest_.emplace();
    if (parts_.back().filename && !dir_.empty()) return open_file();
  } else if (const auto* data = std::get_if<multipart::part_data>(&ev)) {
    std::string_view bytes = data->text();
    parts_.back().size += bytes.size();
    digest_->update(bytes);
    if (fd_ >= 0) return write_file(bytes);
  } else if (std::holds_alternative<multipart::part_end>(ev)) {
    parts_.back().sha256 = digest_->hex_digest();
    digest_.reset();
    if (fd_ >= 0) {
      // close() reports what a delayed write could not store (NFS, quotas).
      int fd = std::exchange(fd_, -1);
      if (::close(fd) != 0) return fail_storage("close", errno);
    }
  } else if (std::holds_alternative<multipart::body_end>(ev)) {
    ended_ = true;
  }
  return true;
}

bool multipart_upload::open_file() {
  std::string path = dir_ + "/upload-XXXXXX" + std::string(kPartSuffix);
  int fd = ::mkstemps(path.data(), static_cast<int>(kPartSuffix.size()));
  if (fd < 0) return fail_storage("create a file in the upload folder", errno);
  ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  fd_ = fd;
  temp_paths_.push_back(path);
  std::string_view final_name = base_name(path);
  final_name.remove_suffix(kPartSuffix.size());
  parts_.back().stored = final_name;
  return true;
}

bool multipart_upload::write_file(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail_storage("write", n < 0 ? errno : ENOSPC);
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void multipart_upload::close_file() noexcept {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
}

bool multipart_upload::commit() {
  if (failed() || !ended_) return false;
  for (const std::string& temp : temp_paths_) {
    std::string final_path = temp.substr(0, temp.size() - kPartSuffix.size());
    if (::rename(temp.c_str(), final_path.c_str()) != 0) {
      int e = errno;
      // The ones renamed already go too: an upload is kept whole or not at all.
      for (const std::string& done : temp_paths_) {
        if (&done == &temp) break;
        ::unlink(done.substr(0, done.size() - kPartSuffix.size()).c_str());
      }
      return fail_storage("rename", e);
    }
  }
  committed_ = true;
  temp_paths_.clear();
  return true;
}

bool multipart_upload::fail_parse(const multipart::error& e) {
  error_ = {e.status(), std::string(e.name()), e.offset, {}};
  close_file();
  remove_files();
  std::string().swap(pending_);
  return false;
}

bool multipart_upload::fail_storage(const char* what, int errno_value) {
  error_ = {500, "storage_failed", 0, std::string(what) + ": " + std::strerror(errno_value)};
  close_file();
  remove_files();
  std::string().swap(pending_);
  return false;
}

void multipart_upload::remove_files() noexcept {
  for (const std::string& path : temp_paths_) ::unlink(path.c_str());
  temp_paths_.clear();
  for (upload_part& p : parts_) p.stored.clear();
}

}  // namespace httpcore::app
