// Looking fields up by name, for callers of the parser and the session.

#include "httpcore/h1/header.hpp"

#include "httpcore/ascii.hpp"

namespace httpcore::h1 {

const header* find_header(std::span<const header> fields, std::string_view name) noexcept {
  for (const header& f : fields) {
    if (ascii_iequals(f.name, name)) return &f;
  }
  return nullptr;
}

}  // namespace httpcore::h1
