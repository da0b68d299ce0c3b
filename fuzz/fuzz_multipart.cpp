// libFuzzer target: the multipart/form-data parser alone. Checks that it
// never crashes, keeps its caller-side contract (support/multipart_driver.hpp:
// consumed <= given, data views are the consumed input, an error is
// terminal), gives the same events and errors however the input is split,
// and that every error's status is one the parser promises. The same bytes
// also go through boundary_from_content_type.
//
// Input: two control bytes, then the body. Byte 0, bits 0-1: the boundary
// (one of four, see kBoundaries); bit 2: small limits (64-byte heads, 3
// parts). Byte 1: a split point.

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "httpcore/multipart/parser.hpp"
#include "support/multipart_driver.hpp"

namespace {

using httpcore::test::multipart_log;

constexpr const char* kBoundaries[] = {"b", "AaB03x", "----WebKitFormBoundary7MA4YWxkTrZu0gW",
                                       "a b"};

void print_log(const char* title, const multipart_log& log) {
  std::fprintf(stderr, "--- %s\n", title);
  for (const auto& line : log) std::fprintf(stderr, "%.300s\n", line.c_str());
}

void check_content_type(std::string_view value) {
  const auto r = httpcore::multipart::boundary_from_content_type(value);
  if (r.err) {
    if (r.err.offset > value.size() || !r.boundary.empty()) std::abort();
    return;
  }
  const bool inside = r.boundary.data() >= value.data() &&
                      r.boundary.data() + r.boundary.size() <= value.data() + value.size();
  if (!inside || !httpcore::multipart::valid_boundary(r.boundary)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  httpcore::test::multipart_config cfg;
  cfg.guard_page = false;  // the driver's exact-size heap copies: ASan guards their ends
  cfg.boundary = kBoundaries[data[0] & 3];
  if (data[0] & 4) {
    cfg.limits.max_part_head_bytes = 64;
    cfg.limits.max_parts = 3;
  }
  const std::string_view body(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::size_t split = body.empty() ? 0 : data[1] % (body.size() + 1);
  check_content_type(body);

  const multipart_log whole = httpcore::test::run_multipart(cfg, body);
  for (const auto& line : whole) {
    const bool bug = line.rfind("BUG", 0) == 0;
    const bool bad_status = line.rfind("error ", 0) == 0 && !line.ends_with(" status 400") &&
                            !line.ends_with(" status 413");
    if (bug || bad_status) {
      print_log("parser broke its contract", whole);
      std::abort();
    }
  }
  const multipart_log pieces = httpcore::test::run_multipart(cfg, body, {split});
  if (pieces != whole) {
    print_log("whole", whole);
    print_log("split", pieces);
    std::abort();
  }
  if (body.size() <= 512) {
    const multipart_log bytewise =
        httpcore::test::run_multipart(cfg, body, httpcore::test::one_byte_cuts(body.size()));
    if (bytewise != whole) {
      print_log("whole", whole);
      print_log("byte by byte", bytewise);
      std::abort();
    }
  }
  return 0;
}
