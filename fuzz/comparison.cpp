// See comparison.hpp.

#include "comparison.hpp"

namespace httpcore::fuzz {

void comparison::refresh() {
  our_digest = digest_of(ours.events);
  at = first_difference(our_digest, their_digest);
}

bool compare_with_llhttp(const std::uint8_t* data, std::size_t size, bool request,
                         comparison& out) {
  if (!read_diff_input(data, size, request, out.in)) return false;
  out.ours = conformance::run_httpcore(out.in.c, out.in.mode, 0);
  out.theirs = conformance::run_llhttp(out.in.c, out.in.mode, 0);
  out.their_digest = digest_of(out.theirs.events);
  out.refresh();
  return true;
}

}  // namespace httpcore::fuzz
