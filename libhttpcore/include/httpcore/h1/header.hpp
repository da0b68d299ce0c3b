#pragma once
#include <span>
#include <string_view>
namespace httpcore::h1 {
/// One header or trailer field: views into bytes owned by someone else.
struct header {
  std::string_view name;
  std::string_view value;
};

/// The first field called `name`, compared ASCII case-insensitively (field
/// names are case-insensitive, RFC 9110 §5.1), or nullptr when there is none.
/// For a field that may repeat (a list), look at every match instead.
const header* find_header(std::span<const header> fields, std::string_view name) noexcept;
}  // namespace httpcore::h1
