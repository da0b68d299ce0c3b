// The envelope: what one instance encodes, every other decodes to the same
// origin, sequence, kind and payload; anything else is refused with the
// error's name and the offset of the offending byte.

#include "envelope.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace httpcore::redis {
namespace {

TEST(Envelope, RoundTripsEveryField) {
  std::string payload("chat \0 with a NUL\nand a newline", 32);
  for (std::uint64_t origin :
       {std::uint64_t{0}, std::uint64_t{1}, UINT64_MAX, std::uint64_t{0x0123456789abcdef}}) {
    for (std::uint64_t seq : {std::uint64_t{0}, std::uint64_t{7}, UINT64_MAX}) {
      for (bool text : {true, false}) {
        std::string wire = encode({origin, seq, text, payload});
        EXPECT_LE(wire.size() - payload.size(), envelope_header_max);
        decode_result d = decode(wire);
        ASSERT_TRUE(d.ok()) << to_string(d.error) << " at " << d.offset << " in " << wire;
        EXPECT_EQ(d.value.origin, origin);
        EXPECT_EQ(d.value.sequence, seq);
        EXPECT_EQ(d.value.text, text);
        EXPECT_EQ(d.value.payload, payload);
      }
    }
  }
}

TEST(Envelope, ExactWireForm) {
  EXPECT_EQ(encode({0xabc, 42, true, "hi"}), "hub1 0000000000000abc 42 t\nhi");
  EXPECT_EQ(encode({1, 0, false, ""}), "hub1 0000000000000001 0 b\n");
  decode_result d = decode("hub1 0000000000000001 0 b\n");
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d.value.payload.empty());
}

struct bad_case {
  const char* wire;
  envelope_error error;
  std::size_t offset;
};

TEST(Envelope, RefusesWithNameAndOffset) {
  const bad_case cases[] = {
      {"", envelope_error::bad_magic, 0},
      {"hub2 0000000000000001 1 t\nx", envelope_error::bad_magic, 3},
      {"hub1 000000000000000G 1 t\nx", envelope_error::bad_origin, 20},
      {"hub1 000000000000000A 1 t\nx", envelope_error::bad_origin, 20},   // lowercase only
      {"hub1 00000000000001 1 t\nx", envelope_error::bad_origin, 19},     // 14 digits
      {"hub1 00000000000000011 1 t\nx", envelope_error::bad_origin, 21},  // 17 digits
      {"hub1 0000000000000001  t\nx", envelope_error::bad_sequence, 22},
      {"hub1 0000000000000001 01 t\nx", envelope_error::bad_sequence, 22},
      {"hub1 0000000000000001 18446744073709551616 t\nx", envelope_error::bad_sequence, 22},
      {"hub1 0000000000000001 12", envelope_error::bad_sequence, 24},
      {"hub1 0000000000000001 1 x\nx", envelope_error::bad_kind, 24},
      {"hub1 0000000000000001 1 t", envelope_error::bad_kind, 25},
      {"hub1 0000000000000001 1 tt\n", envelope_error::bad_kind, 25},
  };
  for (const bad_case& c : cases) {
    decode_result d = decode(c.wire);
    EXPECT_EQ(d.error, c.error) << c.wire << ": got " << to_string(d.error);
    EXPECT_EQ(d.offset, c.offset) << c.wire;
  }
  EXPECT_EQ(to_string(envelope_error::bad_sequence), "bad_sequence");
}

// Every proper prefix of a valid envelope's header is refused (a message cut
// short never decodes to a shorter one).
TEST(Envelope, EveryTruncatedHeaderIsRefused) {
  std::string wire = encode({0xfeed, 123456, false, "payload"});
  std::size_t header = wire.find('\n') + 1;
  for (std::size_t n = 0; n < header; ++n)
    EXPECT_FALSE(decode(std::string_view(wire).substr(0, n)).ok()) << n;
}

}  // namespace
}  // namespace httpcore::redis
