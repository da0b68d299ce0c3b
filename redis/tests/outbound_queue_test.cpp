// The queue to Redis: bounded in bytes and messages over waiting + in
// flight, FIFO, every drop and loss counted, acknowledgements free room.

#include "httpcore/redis/outbound_queue.hpp"

#include <gtest/gtest.h>

#include <string>

namespace httpcore::redis {
namespace {

outbound_queue::item msg(std::string body) {
  return {"ch", std::move(body)};  // 2 bytes of channel + the body
}

TEST(OutboundQueue, FifoAndInFlightAccounting) {
  outbound_queue q({.max_bytes = 1000, .max_messages = 10});
  ASSERT_TRUE(q.push(msg("a")));
  ASSERT_TRUE(q.push(msg("bb")));
  EXPECT_EQ(q.take(5)->body, "a");
  EXPECT_EQ(q.oldest_in_flight_us(), 5);
  EXPECT_EQ(q.take(9)->body, "bb");
  EXPECT_FALSE(q.take(10));
  outbound_stats s = q.stats();
  EXPECT_EQ(s.waiting, 0u);
  EXPECT_EQ(s.in_flight, 2u);
  EXPECT_EQ(s.bytes, 7u);
  q.acknowledged();
  EXPECT_EQ(q.oldest_in_flight_us(), 9);
  EXPECT_EQ(q.stats().bytes, 4u);
  q.acknowledged();
  EXPECT_FALSE(q.oldest_in_flight_us());
  EXPECT_EQ(q.stats().acknowledged, 2u);
  EXPECT_EQ(q.stats().bytes, 0u);
}

TEST(OutboundQueue, ByteBoundCountsInFlightAndDropsTheNewest) {
  outbound_queue q({.max_bytes = 100, .max_messages = 100});
  ASSERT_TRUE(q.push(msg(std::string(48, 'x'))));  // 50
  q.take(0);                                       // in flight: still counted
  ASSERT_TRUE(q.push(msg(std::string(48, 'y'))));  // 100: exactly at the bound
  EXPECT_FALSE(q.push(msg("")));                   // 102
  EXPECT_FALSE(q.push(msg(std::string(200, 'z'))));
  outbound_stats s = q.stats();
  EXPECT_EQ(s.dropped_full, 2u);
  EXPECT_EQ(s.accepted, 2u);
  EXPECT_EQ(s.bytes, 100u);
  q.acknowledged();  // room again
  EXPECT_TRUE(q.push(msg("")));
}

TEST(OutboundQueue, MessageBound) {
  outbound_queue q({.max_bytes = 1u << 20, .max_messages = 3});
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(q.push(msg("m")));
  q.take(0);
  EXPECT_FALSE(q.push(msg("m")));
  EXPECT_EQ(q.stats().dropped_full, 1u);
}

TEST(OutboundQueue, LosingTheConnectionLosesEverythingCounted) {
  outbound_queue q({.max_bytes = 1000, .max_messages = 10});
  for (int i = 0; i < 4; ++i) q.push(msg("m"));
  q.take(1);
  q.take(2);
  q.lose_all();
  outbound_stats s = q.stats();
  EXPECT_EQ(s.lost, 4u);
  EXPECT_EQ(s.waiting + s.in_flight + s.bytes, 0u);
  EXPECT_FALSE(q.has_waiting());
  q.acknowledged();  // a late reply for nothing in flight changes nothing
  EXPECT_EQ(q.stats().acknowledged, 0u);
}

}  // namespace
}  // namespace httpcore::redis
