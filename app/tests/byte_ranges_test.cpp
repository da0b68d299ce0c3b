// Range parsing (RFC 9110 §14.1.2, §14.2) and the multipart/byteranges
// framing: every form of range-spec, what makes a field unusable (ignored),
// unsatisfiable (416), merged, and the exact bytes of a multipart body.

#include "byte_ranges.hpp"

#include <gtest/gtest.h>

namespace httpcore::app {
namespace {

using kind = range_plan::kind;

std::vector<byte_range> ranges(std::string_view field, std::uint64_t size) {
  range_plan p = plan_ranges(field, size);
  EXPECT_EQ(p.what, kind::partial) << field;
  return p.ranges;
}

TEST(ByteRanges, EveryFormOfRangeSpec) {
  EXPECT_EQ(ranges("bytes=0-499", 10000), (std::vector<byte_range>{{0, 499}}));
  EXPECT_EQ(ranges("bytes=500-999", 10000), (std::vector<byte_range>{{500, 999}}));
  EXPECT_EQ(ranges("bytes=-500", 10000), (std::vector<byte_range>{{9500, 9999}}));
  EXPECT_EQ(ranges("bytes=9500-", 10000), (std::vector<byte_range>{{9500, 9999}}));
  EXPECT_EQ(ranges("bytes=0-0,-1", 10000), (std::vector<byte_range>{{0, 0}, {9999, 9999}}));
  EXPECT_EQ(ranges("BYTES = 1-2", 10), (std::vector<byte_range>{{1, 2}}));  // unit: any case
  EXPECT_EQ(ranges("bytes= 1-2 , , 5-6 ", 10), (std::vector<byte_range>{{1, 2}, {5, 6}}));
}

TEST(ByteRanges, ClampedToTheRepresentation) {
  EXPECT_EQ(ranges("bytes=5-100", 10), (std::vector<byte_range>{{5, 9}}));
  EXPECT_EQ(ranges("bytes=-100", 10), (std::vector<byte_range>{{0, 9}}));
  EXPECT_EQ(ranges("bytes=0-18446744073709551615", 10), (std::vector<byte_range>{{0, 9}}));
  // A range past the end is dropped when another one is satisfiable.
  EXPECT_EQ(ranges("bytes=20-30,2-3", 10), (std::vector<byte_range>{{2, 3}}));
}

TEST(ByteRanges, OverlappingAndAdjacentRangesAreMerged) {
  EXPECT_EQ(ranges("bytes=0-5,3-8", 100), (std::vector<byte_range>{{0, 8}}));
  EXPECT_EQ(ranges("bytes=10-19,0-9", 100), (std::vector<byte_range>{{0, 19}}));
  EXPECT_EQ(ranges("bytes=50-59,0-9,-10", 100),
            (std::vector<byte_range>{{0, 9}, {50, 59}, {90, 99}}));
}

TEST(ByteRanges, UnsatisfiableWhenNothingOverlaps) {
  EXPECT_EQ(plan_ranges("bytes=10-", 10).what, kind::unsatisfiable);
  EXPECT_EQ(plan_ranges("bytes=10-20,30-40", 10).what, kind::unsatisfiable);
  EXPECT_EQ(plan_ranges("bytes=-0", 10).what, kind::unsatisfiable);
  EXPECT_EQ(plan_ranges("bytes=0-", 0).what, kind::unsatisfiable);
  EXPECT_EQ(plan_ranges("bytes=-5", 0).what, kind::unsatisfiable);
}

TEST(ByteRanges, UnusableFieldsAreIgnored) {
  for (std::string_view f : {"", "bytes", "bytes=", "bytes=,", "items=0-1", "bytes=1", "bytes=a-b",
                             "bytes=5-1", "bytes=-", "bytes=1-2-3", "bytes=+1-2", "bytes=0x1-2",
                             "bytes=1 -2", "bytes=99999999999999999999-", "bytes=0-1,5-1"}) {
    EXPECT_EQ(plan_ranges(f, 100).what, kind::whole) << f;
  }
}

TEST(ByteRanges, TooManyRangesAreIgnored) {
  std::string field = "bytes=";
  for (std::size_t i = 0; i < max_ranges; ++i)
    field += std::to_string(i * 10) + "-" + std::to_string(i * 10) + ",";
  EXPECT_EQ(plan_ranges(field, 1000).what, kind::partial);
  field += "999-999";
  EXPECT_EQ(plan_ranges(field, 1000).what, kind::whole);
}

TEST(ByteRanges, ContentRangeValues) {
  EXPECT_EQ(content_range({0, 499}, 1234), "bytes 0-499/1234");
  EXPECT_EQ(unsatisfied_range(1234), "bytes */1234");
}

TEST(ByteRanges, MultipartLayoutIsExact) {
  multipart_layout m = lay_out_multipart({{0, 1}, {8, 9}}, 10, "text/plain", "BOUND");
  std::string file = "0123456789";
  std::string body = m.heads[0] + file.substr(0, 2) + m.heads[1] + file.substr(8, 2) + m.tail;
  EXPECT_EQ(body,
            "--BOUND\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-1/10\r\n\r\n01"
            "\r\n--BOUND\r\nContent-Type: text/plain\r\nContent-Range: bytes 8-9/10\r\n\r\n89"
            "\r\n--BOUND--\r\n");
  EXPECT_EQ(m.total, body.size());
  EXPECT_EQ(m.boundary, "BOUND");
}

}  // namespace
}  // namespace httpcore::app
