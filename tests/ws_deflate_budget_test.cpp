// The inflate budget of server::deflate_codec_factory: the inflated bytes
// that every connection of a server holds at once are bounded, a message
// takes its share before inflating and gives it back once released, and a
// codec that goes with its connection gives back what it held.

#include <gtest/gtest.h>

#include <span>
#include <string>

#include "httpcore/server/deflate_codec.hpp"
#include "httpcore/ws/deflate.hpp"

namespace httpcore::test {
namespace {

using status = server::message_codec::inflate_status;

// 16 MiB of zeros as one permessage-deflate payload (about 16 KiB).
std::string bomb() {
  ws::message_deflater d;
  std::string out;
  d.compress(std::string_view(std::string(16u << 20, '\0')), true, out);
  return out;
}

std::span<const std::byte> bytes(const std::string& s) {
  return std::as_bytes(std::span<const char>(s.data(), s.size()));
}

TEST(WsDeflateBudget, TheInflateBudgetIsSharedByEveryConnection) {
  server::deflate_codec_factory factory(16u << 20, 6, 20u << 20);
  ASSERT_NE(factory.budget(), nullptr);
  auto a = factory.make({});
  auto b = factory.make({});
  std::string compressed = bomb();
  ASSERT_LT(compressed.size(), 32u << 10);
  std::string out_a, out_b;
  ASSERT_EQ(a->inflate(bytes(compressed), out_a, 16u << 20), status::ok);
  EXPECT_EQ(out_a.size(), 16u << 20);
  EXPECT_LT(factory.budget()->left(), 4u << 20) << "a's message holds its share";
  // b's message cannot get its share while a's is held: refused, not inflated.
  EXPECT_EQ(b->inflate(bytes(compressed), out_b, 16u << 20), status::busy);
  EXPECT_EQ(out_b.size(), 0u);
  b->release(out_b);
  a->release(out_a);
  EXPECT_LE(out_a.capacity(), 64u << 10) << "the large buffer is freed";
  EXPECT_EQ(factory.budget()->left(), 20u << 20) << "every share is given back";
  ASSERT_EQ(b->inflate(bytes(compressed), out_b, 16u << 20), status::ok);
  EXPECT_EQ(out_b.size(), 16u << 20);
  b.reset();  // the connection went before its message was released
  EXPECT_EQ(factory.budget()->left(), 20u << 20);
}

TEST(WsDeflateBudget, SmallMessagesTakeASmallShare) {
  server::deflate_codec_factory factory(16u << 20, 6, 1u << 20);
  auto c = factory.make({});
  ws::message_deflater d;
  for (int i = 0; i < 100; ++i) {
    std::string compressed, out;
    d.compress(std::string_view("hello, budget"), true, compressed);
    ASSERT_EQ(c->inflate(bytes(compressed), out, 16u << 20), status::ok);
    EXPECT_EQ(out, "hello, budget");
    c->release(out);
  }
  EXPECT_EQ(factory.budget()->left(), 1u << 20);
}

TEST(WsDeflateBudget, ZeroMeansNoBudget) {
  server::deflate_codec_factory factory(16u << 20, 6, 0);
  EXPECT_EQ(factory.budget(), nullptr);
  auto a = factory.make({});
  auto b = factory.make({});
  std::string compressed = bomb(), out_a, out_b;
  EXPECT_EQ(a->inflate(bytes(compressed), out_a, 16u << 20), status::ok);
  EXPECT_EQ(b->inflate(bytes(compressed), out_b, 16u << 20), status::ok);
}

}  // namespace
}  // namespace httpcore::test
