#include "httpcore/ascii.hpp"

#include "detail/ascii.hpp"

namespace httpcore {

bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  return detail::ascii_iequals(a, b);
}

}  // namespace httpcore
