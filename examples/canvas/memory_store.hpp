#pragma once
// The canvas in this process: one byte per pixel under a mutex, with a
// flag that tells the saver (data_file.hpp) whether anything changed.

#include <mutex>
#include <string>

#include "canvas_store.hpp"

namespace canvas {

class memory_store final : public canvas_store {
 public:
  /// `initial`: 65,536 bytes each below 16 (data_file::load checks them),
  /// or empty for a blank canvas.
  explicit memory_store(std::string initial = {});

  /// Copies under the lock and calls `done` under it.
  void snapshot(snapshot_done done) override;
  /// Stores and calls `done` under the lock: the order of the callbacks (and
  /// so of what they publish) is the order of the stores.
  void set(pixel p, set_done done) override;
  bool wait_ready(std::chrono::milliseconds) override { return true; }

  /// The canvas if it changed since the last call (then marked clean), else
  /// empty: what the saver writes.
  std::string take_if_changed();
  /// Marks the canvas changed again (a save failed: try at the next tick).
  void mark_changed();

 private:
  std::mutex mutex_;
  std::string canvas_;
  bool changed_ = false;
};

}  // namespace canvas
