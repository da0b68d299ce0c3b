// A test buffer whose last byte sits immediately before a PROT_NONE page, so
// any read past the end faults at once (tests only: uses POSIX mmap/mprotect).
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>
#include <new>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace httpcore::test {

// Copies bytes so the last byte sits immediately before a PROT_NONE page: any
// over-read crashes. The start is not guarded (it is wherever the copy has to
// begin for its end to touch the guard). For empty input data() points at the
// guard boundary itself.
class guarded_buffer {
 public:
  explicit guarded_buffer(std::string_view bytes) : size_(bytes.size()) {
    const auto page = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
    const std::size_t body = (size_ + page - 1) / page * page;
    map_size_ = body + page;
    void* m =
        ::mmap(nullptr, map_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) throw std::bad_alloc();
    map_ = static_cast<std::byte*>(m);
    if (::mprotect(map_ + body, page, PROT_NONE) != 0) {
      ::munmap(map_, map_size_);
      throw std::runtime_error("guarded_buffer: mprotect failed");
    }
    data_ = map_ + body - size_;
    if (size_ != 0) std::memcpy(data_, bytes.data(), size_);
  }

  ~guarded_buffer() {
    if (map_ != nullptr) ::munmap(map_, map_size_);
  }

  guarded_buffer(const guarded_buffer&) = delete;
  guarded_buffer& operator=(const guarded_buffer&) = delete;

  guarded_buffer(guarded_buffer&& other) noexcept
      : map_(std::exchange(other.map_, nullptr)),
        map_size_(std::exchange(other.map_size_, 0)),
        data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)) {}

  guarded_buffer& operator=(guarded_buffer&& other) noexcept {
    if (this != &other) {
      if (map_ != nullptr) ::munmap(map_, map_size_);
      map_ = std::exchange(other.map_, nullptr);
      map_size_ = std::exchange(other.map_size_, 0);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }

  const char* data() const noexcept { return reinterpret_cast<const char*>(data_); }
  std::size_t size() const noexcept { return size_; }
  std::string_view view() const noexcept { return {data(), size_}; }
  std::span<const std::byte> bytes() const noexcept { return {data_, size_}; }
  std::span<std::byte> mutable_bytes() noexcept { return {data_, size_}; }
  char* mutable_data() noexcept { return reinterpret_cast<char*>(data_); }

 private:
  std::byte* map_ = nullptr;
  std::size_t map_size_ = 0;
  std::byte* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace httpcore::test
