// The multipart parser allocates nothing, not even at construction
// (docs/design.md, rule 1): parsing parts, heads held over calls, errors,
// finish() and reset() must not touch the heap. This test replaces the
// global allocation functions with counting ones.

#include <gtest/gtest.h>

#include <string>

#include "httpcore/multipart/parser.hpp"
#include "support/counting_new.hpp"

namespace httpcore::test {
namespace {

long allocations_while_parsing(multipart::parser& p, const std::string& input, std::size_t piece) {
  const long before = g_allocations.load();
  std::size_t done = 0, given = 0;
  for (int guard = 0; guard < 1000000; ++guard) {
    given = std::min(input.size(), std::max(given, done) + piece);
    auto r = p.feed(std::string_view(input).substr(done, given - done));
    if (r.err) break;
    done += r.consumed;
    if (std::holds_alternative<multipart::need_more>(r.ev) && given == input.size()) {
      p.finish();
      break;
    }
  }
  return g_allocations.load() - before;
}

TEST(MultipartNoAlloc, ParsingAllocatesNothing) {
  const std::string cd = "Content-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n";
  const std::string good = "preamble\r\n--XyZ\r\n" + cd + "Content-Type: a/b\r\n\r\n" +
                           std::string(70000, '\r') + "\r\n--XyZ\r\n" + cd +
                           "\r\n\r\n--XyZ-- \r\n" + "epilogue";
  const std::string bad = "--XyZ\r\n" + cd + "X-Bad: \x01\r\n\r\n";
  for (std::size_t piece : {1u, 3u, 7u, 64u, 100000u}) {
    const long ctor_before = g_allocations.load();
    multipart::parser p("XyZ");
    EXPECT_EQ(g_allocations.load() - ctor_before, 0) << "construction";
    EXPECT_EQ(allocations_while_parsing(p, good, piece), 0) << piece;
    EXPECT_EQ(p.state(), multipart::parse_state::epilogue) << piece;
    const long reset_before = g_allocations.load();
    p.reset();
    EXPECT_EQ(g_allocations.load() - reset_before, 0) << "reset";
    EXPECT_EQ(allocations_while_parsing(p, bad, piece), 0) << piece;
    EXPECT_EQ(p.state(), multipart::parse_state::failed);
  }
  const long helper_before = g_allocations.load();
  EXPECT_EQ(multipart::boundary_from_content_type("multipart/form-data; boundary=\"a b\"").boundary,
            "a b");
  EXPECT_EQ(g_allocations.load() - helper_before, 0);
}

}  // namespace
}  // namespace httpcore::test
