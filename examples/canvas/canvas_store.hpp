#pragma once
// Where the canvas lives: in this process (memory_store) or in Redis
// (redis_store). Both answer through callbacks, since Redis answers later
// and on its own thread; the in-memory store answers at once.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "palette.hpp"

namespace canvas {

class canvas_store {
 public:
  /// `canvas`: the 65,536 palette indices, or nullptr with `error` saying why.
  using snapshot_done = std::function<void(const std::string* canvas, std::string_view error)>;
  /// `error` empty: the pixel is stored.
  using set_done = std::function<void(std::string_view error)>;

  virtual ~canvas_store() = default;
  /// Reads the whole canvas; `done` runs exactly once, on the caller's thread
  /// or the store's.
  virtual void snapshot(snapshot_done done) = 0;
  /// Stores `p`; `done` runs exactly once. The calls of `done` for pixels
  /// that were stored come in the order the stores took effect, so that
  /// what is published from them keeps that order.
  virtual void set(pixel p, set_done done) = 0;
  /// Blocks the caller until the store can answer, at most `limit`; false
  /// if it still cannot (Redis reconnecting). For a resync, whose snapshot
  /// would otherwise fail while the store's own connection is still coming
  /// back.
  virtual bool wait_ready(std::chrono::milliseconds limit) = 0;
};

}  // namespace canvas
