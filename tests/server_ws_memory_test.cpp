// What a WebSocket connection makes the server hold, sans I/O: a message
// shared among connections is queued by reference on each (and counted
// against each one's bound), and what a received message needed is given back
// (message_codec::release()) after every message, refused ones included.

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "support/ws_session_driver.hpp"

namespace httpcore::test {
namespace {

using ws::opcode;
constexpr int kBinary = 2, kClose = 8;

// The slices of the session's output that point into `buffer`'s bytes.
std::size_t slices_into(server::session& s, const std::string& buffer) {
  server::io_slice slices[64];
  std::size_t n = s.output(slices), found = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (slices[i].data == buffer.data() && slices[i].size == buffer.size()) ++found;
  return found;
}

TEST(ServerWsMemory, ASharedMessageIsQueuedByReferenceOnEveryConnection) {
  std::vector<std::unique_ptr<ws_session_driver>> conns;
  for (int i = 0; i < 3; ++i) {
    conns.push_back(std::make_unique<ws_session_driver>());
    conns.back()->upgrade();
  }
  auto message = std::make_shared<const std::string>(100u << 10, 'm');
  for (auto& c : conns) c->ws_handler_.peers[0]->send_shared(message, false);
  for (auto& c : conns) {
    EXPECT_EQ(slices_into(c->session(), *message), 1u) << "the payload is the shared buffer";
    EXPECT_GE(c->session().queued_output(), message->size()) << "and it counts as queued";
  }
  EXPECT_EQ(message.use_count(), 4) << "no copies: one reference per connection";
  conns[0]->drain();
  EXPECT_EQ(message.use_count(), 3) << "written: that connection lets go";
  auto f = conns[0]->frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].opcode, kBinary);
  EXPECT_FALSE(f[0].rsv1);
  EXPECT_EQ(f[0].payload, *message);
  conns.clear();
  EXPECT_EQ(message.use_count(), 1) << "closed connections hold nothing";
}

TEST(ServerWsMemory, ASharedMessageCountsAgainstEachConnectionsBound) {
  server::session_config config;
  config.websocket.max_queued_bytes = 100u << 10;
  ws_session_driver d(config);
  d.upgrade();
  auto message = std::make_shared<const std::string>(80u << 10, 'm');
  auto& peer = d.ws_handler_.peers[0];
  peer->send_shared(message, false);  // fits: nothing waits
  peer->send_shared(message, false);  // would pass the bound: 1008, as for any send
  d.drain();
  auto f = d.frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].payload, *message);
  EXPECT_EQ(f[1].opcode, kClose);
  EXPECT_EQ(f[1].close_code(), 1008);
}

// "Compresses" by reversing (so the test sees what went through the codec),
// records release() calls, and can answer busy as if a budget were spent.
class recording_codec final : public server::message_codec {
 public:
  explicit recording_codec(int& releases, bool busy) : releases_(releases), busy_(busy) {}
  bool compress(std::span<const std::byte> m, std::string& out) override {
    out.assign(reinterpret_cast<const char*>(m.data()), m.size());
    std::reverse(out.begin(), out.end());
    return true;
  }
  inflate_status inflate(std::span<const std::byte> m, std::string& out, std::uint64_t) override {
    if (busy_) return inflate_status::busy;
    out.assign(reinterpret_cast<const char*>(m.data()), m.size());
    std::reverse(out.begin(), out.end());
    return inflate_status::ok;
  }
  void release(std::string& out) noexcept override {
    ++releases_;
    server::message_codec::release(out);
  }

 private:
  int& releases_;
  bool busy_;
};

class recording_factory final : public server::codec_factory {
 public:
  std::unique_ptr<server::message_codec> make(const ws::deflate_params&) override {
    return std::make_unique<recording_codec>(releases, busy);
  }
  int releases = 0;
  bool busy = false;
};

void upgrade_with_codec(ws_session_driver& d, recording_factory& factory) {
  d.handler_.accept.compression = &factory;
  d.feed(ws_request("/ws", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
  std::string head = d.take_head();
  ASSERT_TRUE(head.starts_with("HTTP/1.1 101 ")) << head;
  ASSERT_NE(head.find("permessage-deflate"), std::string::npos) << head;
}

TEST(ServerWsMemory, LargeSharedMessagesGoUncompressedSmallOnesThroughTheCodec) {
  recording_factory factory;
  ws_session_driver d;
  upgrade_with_codec(d, factory);
  auto& peer = d.ws_handler_.peers[0];
  auto small = std::make_shared<const std::string>("abc");
  auto large = std::make_shared<const std::string>((64u << 10) + 1, 'L');
  peer->send_shared(small, true);
  peer->send_shared(large, false);
  EXPECT_EQ(slices_into(d.session(), *large), 1u) << "a large one is not copied to compress";
  d.drain();
  auto f = d.frames();
  ASSERT_EQ(f.size(), 2u);
  EXPECT_TRUE(f[0].rsv1);
  EXPECT_EQ(f[0].payload, "cba");
  EXPECT_FALSE(f[1].rsv1) << "RFC 7692 lets a message go uncompressed";
  EXPECT_EQ(f[1].payload, *large);
}

TEST(ServerWsMemory, WhatAMessageInflatedToIsReleasedAfterIt) {
  recording_factory factory;
  ws_session_driver d;
  upgrade_with_codec(d, factory);
  d.feed(client_frame(opcode::text, "olleh", true, true) +
         client_frame(opcode::text, "!iH", true, true));
  ASSERT_EQ(d.ws_handler_.messages.size(), 2u);
  EXPECT_EQ(d.ws_handler_.messages[1].data, "Hi!");
  EXPECT_EQ(factory.releases, 2);
}

TEST(ServerWsMemory, OverTheInflateBudgetClosesWith1009AndReleases) {
  recording_factory factory;
  factory.busy = true;
  ws_session_driver d;
  upgrade_with_codec(d, factory);
  d.feed(client_frame(opcode::binary, "zzz", true, true));
  EXPECT_TRUE(d.ws_handler_.messages.empty());
  auto f = d.frames();
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].close_code(), 1009);
  EXPECT_EQ(f[0].payload.substr(2), "inflate budget spent");
  EXPECT_EQ(factory.releases, 1) << "a refused message gives its share back too";
  ASSERT_EQ(d.ws_handler_.closes.size(), 1u);
  EXPECT_EQ(d.ws_handler_.closes[0].code, 1009);
}

}  // namespace
}  // namespace httpcore::test
