// The multipart parser's view of one feed() call (internal header), shared
// by parser.cpp and part_head.cpp.
#pragma once

#include <cstddef>

#include "httpcore/multipart/parser.hpp"

namespace httpcore::multipart {

struct parser::cursor {
  const unsigned char* in;
  std::size_t size;
  std::size_t pos = 0;  // bytes of `in` consumed so far in this call
  event ev{};

  std::string_view view(std::size_t begin, std::size_t end) const noexcept {
    return {reinterpret_cast<const char*>(in) + begin, end - begin};
  }
};

}  // namespace httpcore::multipart
