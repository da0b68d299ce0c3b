// What the C interface's translation units share: turning views into the
// pointer-and-length pairs of httpcore.h, and its rule that nothing thrown
// crosses into C.
#pragma once

#include <cstddef>
#include <string_view>

#include "httpcore/httpcore.h"

namespace httpcore::c_api {

// A view's pointer for a C field. An empty view may still carry a pointer
// (an empty component that is present), which C callers can test for NULL.
inline const char* ptr(std::string_view v) noexcept {
  return v.data();
}

inline std::string_view view(const char* p, std::size_t n) noexcept {
  return p != nullptr ? std::string_view(p, n) : std::string_view();
}

// Range check for an int received from C before it becomes one of our
// uint8_t-based enums: values outside 0..255 map to one no enum uses.
inline unsigned char enum_byte(int v) noexcept {
  return v >= 0 && v <= 255 ? static_cast<unsigned char>(v) : 255;
}

}  // namespace httpcore::c_api
