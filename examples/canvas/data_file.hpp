#pragma once
// The in-memory canvas on disk (--data FILE): the 65,536 palette indices as
// they are, loaded at start, written atomically (a temporary file in the
// same folder, fsync, rename) at most once a second while pixels change, and
// once more at shutdown.

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "memory_store.hpp"

namespace canvas {

/// The file's canvas; empty when the file does not exist (a new canvas).
/// Throws std::runtime_error naming the file and what is wrong (unreadable,
/// not 65,536 bytes, a colour above 15 at byte N).
std::string load_canvas_file(const std::string& path);

/// Writes `canvas` to `path` atomically: readers see the old file or the new
/// one, never a part. Throws std::runtime_error on failure (the old file stays).
void save_canvas_file(const std::string& path, const std::string& canvas);

/// Saves `store` to `path` once a second if it changed, on a thread of its own;
/// stop() (or the destructor) saves a last time and joins.
class saver {
 public:
  saver(memory_store& store, std::string path);
  ~saver();
  saver(const saver&) = delete;
  saver& operator=(const saver&) = delete;
  void stop();

 private:
  void run();
  bool save_if_changed();

  memory_store& store_;
  std::string path_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace canvas
