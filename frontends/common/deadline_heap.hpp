#pragma once
// Session deadlines for an event loop: a binary min-heap that knows where each
// entry sits, so a connection's deadline moves in O(log n) every time its
// session changes phase, without leaving stale entries behind.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

namespace httpcore::frontends {

/// What an entry carries: T has `std::size_t heap_slot` (npos when absent) and
/// `std::int64_t deadline`.
template <class T>
class deadline_heap {
 public:
  static constexpr std::size_t npos = std::numeric_limits<std::size_t>::max();
  static constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();

  bool empty() const noexcept { return items_.empty(); }
  std::size_t size() const noexcept { return items_.size(); }
  T* top() const noexcept { return items_.empty() ? nullptr : items_.front(); }
  std::int64_t next() const noexcept { return items_.empty() ? never : items_.front()->deadline; }

  /// Sets t's deadline; `never` takes it out of the heap.
  void set(T& t, std::int64_t deadline) {
    if (deadline == never) {
      erase(t);
      return;
    }
    if (t.heap_slot == npos) {
      t.deadline = deadline;
      t.heap_slot = items_.size();
      items_.push_back(&t);
      up(t.heap_slot);
      return;
    }
    if (deadline == t.deadline) return;
    bool earlier = deadline < t.deadline;
    t.deadline = deadline;
    earlier ? up(t.heap_slot) : down(t.heap_slot);
  }

  void erase(T& t) {
    if (t.heap_slot == npos) return;
    std::size_t slot = t.heap_slot;
    t.heap_slot = npos;
    T* last = items_.back();
    items_.pop_back();
    if (last == &t) return;
    place(slot, last);
    up(slot);
    down(last->heap_slot);
  }

 private:
  void place(std::size_t slot, T* t) {
    items_[slot] = t;
    t->heap_slot = slot;
  }
  void up(std::size_t slot) {
    T* t = items_[slot];
    while (slot > 0) {
      std::size_t parent = (slot - 1) / 2;
      if (items_[parent]->deadline <= t->deadline) break;
      place(slot, items_[parent]);
      slot = parent;
    }
    place(slot, t);
  }
  void down(std::size_t slot) {
    T* t = items_[slot];
    for (;;) {
      std::size_t child = 2 * slot + 1;
      if (child >= items_.size()) break;
      if (child + 1 < items_.size() && items_[child + 1]->deadline < items_[child]->deadline)
        ++child;
      if (t->deadline <= items_[child]->deadline) break;
      place(slot, items_[child]);
      slot = child;
    }
    place(slot, t);
  }

  std::vector<T*> items_;
};

}  // namespace httpcore::frontends
