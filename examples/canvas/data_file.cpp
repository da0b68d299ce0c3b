#include "data_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>

#include "palette.hpp"

namespace canvas {
namespace {

std::runtime_error failure(const std::string& path, const std::string& what) {
  return std::runtime_error(path + ": " + what + ": " + std::strerror(errno));
}

// A descriptor closed on every way out.
struct fd_guard {
  int fd;
  ~fd_guard() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string load_canvas_file(const std::string& path) {
  fd_guard f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) {
    if (errno == ENOENT) return {};
    throw failure(path, "cannot open");
  }
  std::string canvas;
  char buffer[8192];
  for (;;) {
    ssize_t n = ::read(f.fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw failure(path, "cannot read");
    if (n == 0) break;
    canvas.append(buffer, static_cast<std::size_t>(n));
    if (canvas.size() > pixels) break;
  }
  if (canvas.size() != pixels) {
    throw std::runtime_error(path + ": not a canvas (" + std::to_string(canvas.size()) +
                             " bytes, expected " + std::to_string(pixels) + ")");
  }
  for (std::size_t i = 0; i < canvas.size(); ++i) {
    if (static_cast<unsigned char>(canvas[i]) >= colours) {
      throw std::runtime_error(path + ": colour " +
                               std::to_string(static_cast<unsigned char>(canvas[i])) +
                               " above 15 at byte " + std::to_string(i));
    }
  }
  return canvas;
}

void save_canvas_file(const std::string& path, const std::string& canvas) {
  const std::string temporary = path + ".tmp";
  {
    fd_guard f{::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)};
    if (f.fd < 0) throw failure(temporary, "cannot create");
    std::size_t done = 0;
    while (done < canvas.size()) {
      ssize_t n = ::write(f.fd, canvas.data() + done, canvas.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw failure(temporary, "cannot write");
      done += static_cast<std::size_t>(n);
    }
    // On disk before the rename: a crash leaves the old file or the new one.
    if (::fsync(f.fd) != 0) throw failure(temporary, "cannot fsync");
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) throw failure(path, "cannot rename onto");
}

saver::saver(memory_store& store, std::string path)
    : store_(store), path_(std::move(path)), thread_([this] { run(); }) {}

saver::~saver() {
  stop();
}

void saver::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool saver::save_if_changed() {
  std::string canvas = store_.take_if_changed();
  if (canvas.empty()) return true;
  try {
    save_canvas_file(path_, canvas);
    return true;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "httpcore-canvas: save failed: %s\n", e.what());
    store_.mark_changed();  // try again at the next tick
    return false;
  }
}

void saver::run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    lock.unlock();
    save_if_changed();
    lock.lock();
  }
}

}  // namespace canvas
