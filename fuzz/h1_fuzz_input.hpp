// How the HTTP/1 fuzz targets read their input: three control bytes, then the
// bytes to parse. The control bytes choose lenient flags, small limits and a
// split point, so that the fuzzer explores them together with the input.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "support/h1_driver.hpp"

namespace httpcore::fuzz {

struct h1_fuzz_input {
  test::h1_config config;
  std::size_t split = 0;
  std::string_view bytes;
};

inline bool read_h1_fuzz_input(const std::uint8_t* data, std::size_t size, h1::role role,
                               h1_fuzz_input& out) {
  if (size < 3) return false;
  out.config.role = role;
  out.config.guard_page = false;  // libFuzzer's buffers are exact-size heap blocks: ASan guards
  unsigned bits = data[0] | (static_cast<unsigned>(data[1]) << 8);
  for (std::size_t i = 0; i < std::size(h1::lenient_flag_names); ++i)
    if (bits & (1u << i)) h1::set_lenient_flag(out.config.lenient, h1::lenient_flag_names[i]);
  if (data[1] & 0x80) {  // tiny limits, to reach every limit error
    out.config.limits = {64, 4, 16, 100, 8, 32};
  }
  if (role == h1::role::client) {
    static constexpr httpcore::method kMethods[] = {httpcore::method::get, httpcore::method::head,
                                                    httpcore::method::connect};
    out.config.request_methods = {kMethods[(data[1] >> 4) % 3], kMethods[(data[1] >> 2) % 3]};
  }
  out.bytes = {reinterpret_cast<const char*>(data) + 3, size - 3};
  out.split = out.bytes.empty() ? 0 : data[2] % (out.bytes.size() + 1);
  return true;
}

inline void print_log(const char* title, const test::event_log& log) {
  std::fprintf(stderr, "--- %s\n", title);
  for (const auto& line : log) std::fprintf(stderr, "%s\n", line.c_str());
}

// The invariants every HTTP/1 fuzz target checks, whatever the input.
inline void check_h1_invariants(const h1_fuzz_input& in) {
  test::event_log whole = test::run_h1(in.config, in.bytes);
  for (const auto& line : whole)
    if (line.rfind("BUG", 0) == 0) {
      print_log("parser broke its contract", whole);
      std::abort();
    }
  // Split invariance: a split chosen by the fuzzer, and byte by byte when short.
  test::event_log split = test::run_h1(in.config, in.bytes, {in.split});
  if (split != whole) {
    print_log("whole", whole);
    print_log("split", split);
    std::abort();
  }
  if (in.bytes.size() <= 512) {
    std::vector<std::size_t> ones(in.bytes.size(), 1);
    test::event_log bytewise = test::run_h1(in.config, in.bytes, ones);
    if (bytewise != whole) {
      print_log("whole", whole);
      print_log("byte by byte", bytewise);
      std::abort();
    }
  }
  // An error is terminal: more input changes nothing until reset().
  h1::parser p(in.config.role, in.config.limits, in.config.lenient);
  std::string_view rest = in.bytes;
  for (int guard = 0; guard < 100000; ++guard) {
    auto r = p.feed(rest);
    if (r.consumed > rest.size()) std::abort();
    rest.remove_prefix(r.consumed);
    if (r.err) {
      auto again = p.feed(std::string_view("GET / HTTP/1.1\r\n\r\n"));
      if (!again.err || again.err.code != r.err.code || again.err.offset != r.err.offset ||
          again.consumed != 0 || p.state() != h1::parse_state::failed)
        std::abort();
      return;
    }
    if (std::holds_alternative<h1::need_more>(r.ev) || std::holds_alternative<h1::upgraded>(r.ev))
      return;
  }
  std::abort();  // no progress: the parser loops
}

}  // namespace httpcore::fuzz
