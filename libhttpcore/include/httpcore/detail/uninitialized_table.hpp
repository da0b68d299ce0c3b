#pragma once
/// \file
/// A fixed-size table whose entries start uninitialised (an implementation
/// detail of the parsers; not part of the API).

#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>

namespace httpcore::detail {

/// Storage for `size()` entries of T, allocated without initialising them.
/// The owner writes an entry before it reads it. It exists because a
/// keep-alive server frees its parser's tables while a connection idles and
/// allocates them again for the next request: zeroing a table of a hundred
/// entries on every request cost more than parsing the request.
/// T must be trivially copyable and trivially destructible, so that
/// assigning to an entry of the raw storage begins its lifetime.
template <class T>
class uninitialized_table {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);
  static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);  // plain operator new suffices

 public:
  uninitialized_table() = default;
  /// Allocates `n` entries (throws std::bad_alloc).
  explicit uninitialized_table(std::size_t n) { allocate(n); }

  /// Replaces the storage with `n` fresh entries (throws std::bad_alloc).
  void allocate(std::size_t n) {
    entries_.reset(static_cast<T*>(::operator new(n * sizeof(T))));
    size_ = n;
  }
  /// Frees the storage; size() becomes 0.
  void release() noexcept {
    entries_.reset();
    size_ = 0;
  }

  std::size_t size() const noexcept { return size_; }
  T* data() noexcept { return entries_.get(); }
  const T* data() const noexcept { return entries_.get(); }
  /// Precondition: i < size().
  T& operator[](std::size_t i) noexcept { return entries_.get()[i]; }
  const T& operator[](std::size_t i) const noexcept { return entries_.get()[i]; }

 private:
  struct free_storage {
    void operator()(T* p) const noexcept { ::operator delete(p); }
  };
  std::unique_ptr<T, free_storage> entries_;
  std::size_t size_ = 0;
};

}  // namespace httpcore::detail
