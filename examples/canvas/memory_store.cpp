#include "memory_store.hpp"

namespace canvas {

memory_store::memory_store(std::string initial)
    : canvas_(initial.size() == pixels ? std::move(initial) : std::string(pixels, '\0')) {}

void memory_store::snapshot(snapshot_done done) {
  std::lock_guard lock(mutex_);
  done(&canvas_, {});
}

void memory_store::set(pixel p, set_done done) {
  std::lock_guard lock(mutex_);
  canvas_[p.index()] = static_cast<char>(p.c);
  changed_ = true;
  done({});
}

std::string memory_store::take_if_changed() {
  std::lock_guard lock(mutex_);
  if (!changed_) return {};
  changed_ = false;
  return canvas_;
}

void memory_store::mark_changed() {
  std::lock_guard lock(mutex_);
  changed_ = true;
}

}  // namespace canvas
