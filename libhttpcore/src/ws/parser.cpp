// Skeleton: replaced by the real state machine in the next commit.

#include "httpcore/ws/parser.hpp"

namespace httpcore::ws {

struct parser::cursor {};

parser::parser(role r, limits lim, parser_options options) noexcept
    : role_(r), limits_(lim), options_(options) {}

void parser::reset() noexcept {}

result parser::feed(std::span<std::byte>) noexcept {
  result r;
  r.err.code = error_code::reserved_bits;
  r.err.close_code = error_close_code(r.err.code);
  return r;
}

}  // namespace httpcore::ws
