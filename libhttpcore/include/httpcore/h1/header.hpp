#pragma once
#include <string_view>
namespace httpcore::h1 {
/// One header or trailer field: views into bytes owned by someone else.
struct header {
  std::string_view name;
  std::string_view value;
};
}  // namespace httpcore::h1
