// permessage-deflate (RFC 7692): the negotiation table (server offers and
// client checks), the examples of §7.2.3 byte for byte in both directions,
// round trips for every window size with and without context takeover, the
// inflate size limit (1009), corrupt input (1007), and pieces versus whole.
#include "httpcore/ws/deflate.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "httpcore/ws/deflate_params.hpp"
#include "httpcore/ws/extensions.hpp"

namespace {

namespace ws = httpcore::ws;
using ws::inflate_error;

std::string bytes(std::initializer_list<int> list) {
  std::string out;
  for (int b : list) out += static_cast<char>(b);
  return out;
}

std::string hex(std::string_view s) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : s) {
    if (!out.empty()) out += ' ';
    out += digits[b >> 4];
    out += digits[b & 15];
  }
  return out;
}

// --------------------------------------------------------- negotiation ---

std::vector<ws::extension> offers_of(std::string_view field) {
  std::vector<ws::extension> out;
  EXPECT_TRUE(ws::parse_extensions(field, out)) << field;
  return out;
}

struct server_row {
  std::string_view offer;
  ws::deflate_options options;
  std::optional<std::string_view> response;  // nullopt: declined
  ws::deflate_params params;
};

TEST(DeflateNegotiation, ServerTable) {
  using O = ws::deflate_options;
  using P = ws::deflate_params;
  const server_row rows[] = {
      // Plain offers and options.
      {"permessage-deflate", O{}, "permessage-deflate", P{}},
      {"PerMessage-Deflate", O{}, "permessage-deflate", P{}},
      {"permessage-deflate", O{.server_no_context_takeover = true},
       "permessage-deflate; server_no_context_takeover", P{.server_no_context_takeover = true}},
      {"permessage-deflate", O{.client_no_context_takeover = true},
       "permessage-deflate; client_no_context_takeover", P{.client_no_context_takeover = true}},
      // The client asks for / announces no context takeover.
      {"permessage-deflate; server_no_context_takeover", O{},
       "permessage-deflate; server_no_context_takeover", P{.server_no_context_takeover = true}},
      {"permessage-deflate; client_no_context_takeover", O{},
       "permessage-deflate; client_no_context_takeover", P{.client_no_context_takeover = true}},
      // server_max_window_bits: answered with the smaller of offer and ours.
      {"permessage-deflate; server_max_window_bits=10", O{},
       "permessage-deflate; server_max_window_bits=10", P{.server_max_window_bits = 10}},
      {"permessage-deflate; server_max_window_bits=\"10\"", O{},
       "permessage-deflate; server_max_window_bits=10", P{.server_max_window_bits = 10}},
      {"permessage-deflate; server_max_window_bits=12", O{.server_max_window_bits = 9},
       "permessage-deflate; server_max_window_bits=9", P{.server_max_window_bits = 9}},
      {"permessage-deflate; server_max_window_bits=8", O{.server_max_window_bits = 12},
       "permessage-deflate; server_max_window_bits=8", P{.server_max_window_bits = 8}},
      // Not offered: not in the response, but our own smaller window is used.
      {"permessage-deflate", O{.server_max_window_bits = 11}, "permessage-deflate",
       P{.server_max_window_bits = 11}},
      // client_max_window_bits without and with a value.
      {"permessage-deflate; client_max_window_bits", O{}, "permessage-deflate", P{}},
      {"permessage-deflate; client_max_window_bits", O{.client_max_window_bits = 10},
       "permessage-deflate; client_max_window_bits=10", P{.client_max_window_bits = 10}},
      {"permessage-deflate; client_max_window_bits=12", O{},
       "permessage-deflate; client_max_window_bits=12", P{.client_max_window_bits = 12}},
      {"permessage-deflate; client_max_window_bits=12", O{.client_max_window_bits = 9},
       "permessage-deflate; client_max_window_bits=9", P{.client_max_window_bits = 9}},
      {"permessage-deflate; client_max_window_bits=15", O{}, "permessage-deflate", P{}},
      // We would like to limit the client, but it cannot be limited: accepted at 15.
      {"permessage-deflate", O{.client_max_window_bits = 9}, "permessage-deflate", P{}},
      // Everything at once.
      {"permessage-deflate; client_no_context_takeover; server_no_context_takeover; "
       "client_max_window_bits=14; server_max_window_bits=13",
       O{.client_max_window_bits = 12},
       "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
       "server_max_window_bits=13; client_max_window_bits=12",
       P{true, true, 13, 12}},
      // Invalid offers: declined.
      {"permessage-deflate; foo", O{}, std::nullopt, P{}},
      {"permessage-deflate; server_no_context_takeover=1", O{}, std::nullopt, P{}},
      {"permessage-deflate; client_no_context_takeover=\"x\"", O{}, std::nullopt, P{}},
      {"permessage-deflate; server_no_context_takeover; server_no_context_takeover", O{},
       std::nullopt, P{}},
      {"permessage-deflate; client_max_window_bits; client_max_window_bits=10", O{}, std::nullopt,
       P{}},
      {"permessage-deflate; server_max_window_bits", O{}, std::nullopt, P{}},
      {"permessage-deflate; server_max_window_bits=7", O{}, std::nullopt, P{}},
      {"permessage-deflate; server_max_window_bits=16", O{}, std::nullopt, P{}},
      {"permessage-deflate; server_max_window_bits=08", O{}, std::nullopt, P{}},
      {"permessage-deflate; server_max_window_bits=0x9", O{}, std::nullopt, P{}},
      {"permessage-deflate; client_max_window_bits=1", O{}, std::nullopt, P{}},
      {"permessage-deflate; client_max_window_bits=100", O{}, std::nullopt, P{}},
      {"x-webkit-deflate-frame", O{}, std::nullopt, P{}},
      // Several offers: the first acceptable one wins.
      {"permessage-deflate; server_max_window_bits=20, permessage-deflate; "
       "client_max_window_bits",
       O{.client_max_window_bits = 10}, "permessage-deflate; client_max_window_bits=10",
       P{.client_max_window_bits = 10}},
      {"x-foo, permessage-deflate; server_max_window_bits=9, permessage-deflate", O{},
       "permessage-deflate; server_max_window_bits=9", P{.server_max_window_bits = 9}},
  };
  for (const server_row& row : rows) {
    const auto offers = offers_of(row.offer);
    const auto agreed = ws::negotiate_deflate(offers, row.options);
    ASSERT_EQ(agreed.has_value(), row.response.has_value()) << row.offer;
    if (!agreed) continue;
    EXPECT_EQ(agreed->response, *row.response) << row.offer;
    EXPECT_EQ(agreed->params, row.params) << row.offer;
  }
}

TEST(DeflateNegotiation, ClientOfferAndResponseChecks) {
  using O = ws::deflate_options;
  EXPECT_EQ(ws::format_deflate_offer(O{}), "permessage-deflate; client_max_window_bits");
  const O picky{true, true, 10, 9};
  EXPECT_EQ(ws::format_deflate_offer(picky),
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover; "
            "server_max_window_bits=10; client_max_window_bits=9");

  struct row {
    O options;
    std::string_view response;
    std::optional<ws::deflate_params> want;
  };
  const row rows[] = {
      {O{}, "permessage-deflate", ws::deflate_params{}},
      {O{}, "permessage-deflate; server_no_context_takeover",
       ws::deflate_params{.server_no_context_takeover = true}},
      {O{}, "permessage-deflate; client_no_context_takeover",
       ws::deflate_params{.client_no_context_takeover = true}},
      {O{}, "permessage-deflate; client_max_window_bits=8",
       ws::deflate_params{.client_max_window_bits = 8}},
      {O{}, "permessage-deflate; server_max_window_bits=10", std::nullopt},  // not offered
      {O{}, "permessage-deflate; client_max_window_bits", std::nullopt},     // needs a value
      {O{}, "permessage-deflate; client_max_window_bits=16", std::nullopt},
      {O{}, "permessage-deflate; mystery", std::nullopt},
      {O{}, "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
       std::nullopt},
      {O{}, "x-other", std::nullopt},
      {picky, "permessage-deflate; server_no_context_takeover; server_max_window_bits=10",
       ws::deflate_params{true, true, 10, 9}},
      {picky, "permessage-deflate; server_no_context_takeover; server_max_window_bits=8",
       ws::deflate_params{true, true, 8, 9}},
      {picky,
       "permessage-deflate; server_no_context_takeover; server_max_window_bits=8; "
       "client_max_window_bits=12",
       ws::deflate_params{true, true, 8, 9}},  // we keep our own smaller limit
      {picky, "permessage-deflate; server_max_window_bits=10", std::nullopt},   // sNCT missing
      {picky, "permessage-deflate; server_no_context_takeover", std::nullopt},  // window missing
      {picky, "permessage-deflate; server_no_context_takeover; server_max_window_bits=11",
       std::nullopt},  // larger than offered
  };
  for (const row& r : rows) {
    const auto ext = offers_of(r.response);
    ASSERT_EQ(ext.size(), 1u);
    const auto got = ws::check_deflate_response(ext[0], r.options);
    ASSERT_EQ(got.has_value(), r.want.has_value()) << r.response;
    if (got) {
      EXPECT_EQ(*got, *r.want) << r.response;
    }
  }
  EXPECT_EQ(ws::format_deflate_params(ws::deflate_params{false, true, 15, 10}),
            "permessage-deflate; client_no_context_takeover; client_max_window_bits=10");
}

TEST(DeflateNegotiation, ServerAnswerSatisfiesTheClientThatOffered) {
  // Every client wish against every server wish: whatever the server
  // answers, the client accepts it and both agree on the parameters.
  for (int mask = 0; mask < 16; ++mask) {
    for (int cbits : {8, 12, 15}) {
      for (int sbits : {9, 15}) {
        ws::deflate_options client{(mask & 1) != 0, (mask & 2) != 0, sbits, cbits};
        ws::deflate_options server{(mask & 4) != 0, (mask & 8) != 0, 15 - (mask & 3), 10};
        const auto agreed =
            ws::negotiate_deflate(offers_of(ws::format_deflate_offer(client)), server);
        ASSERT_TRUE(agreed);
        const auto ext = offers_of(agreed->response);
        const auto checked = ws::check_deflate_response(ext.at(0), client);
        ASSERT_TRUE(checked) << agreed->response;
        EXPECT_EQ(checked->server_no_context_takeover, agreed->params.server_no_context_takeover);
        EXPECT_EQ(checked->client_no_context_takeover, agreed->params.client_no_context_takeover);
        EXPECT_LE(agreed->params.server_max_window_bits, sbits);
        EXPECT_LE(checked->client_max_window_bits, agreed->params.client_max_window_bits);
      }
    }
  }
}

// ------------------------------------------------- RFC 7692 §7.2.3 bytes ---

TEST(DeflateExamples, HelloBothDirections) {
  // §7.2.3.1: "Hello" in one compressed message.
  const std::string hello = bytes({0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00});
  ws::message_deflater d;
  EXPECT_EQ(hex(d.compress_message("Hello")), hex(hello));
  ws::message_inflater i;
  std::string out;
  ASSERT_EQ(i.inflate_message(hello, out), inflate_error::none);
  EXPECT_EQ(out, "Hello");
}

TEST(DeflateExamples, SharedContextBothDirections) {
  // §7.2.3.2: the second "Hello" refers back to the first.
  const std::string first = bytes({0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00});
  const std::string second = bytes({0xf2, 0x00, 0x11, 0x00, 0x00});
  ws::message_deflater d;
  EXPECT_EQ(hex(d.compress_message("Hello")), hex(first));
  EXPECT_EQ(hex(d.compress_message("Hello")), hex(second));
  ws::message_inflater i;
  std::string out;
  ASSERT_EQ(i.inflate_message(first, out), inflate_error::none);
  ASSERT_EQ(i.inflate_message(second, out), inflate_error::none);
  EXPECT_EQ(out, "HelloHello");
  // Without the first message's context, the second cannot be inflated.
  ws::message_inflater fresh;
  std::string lost;
  EXPECT_EQ(fresh.inflate_message(second, lost), inflate_error::corrupt_data);
  // A sender without context takeover repeats the first form.
  ws::message_deflater reset(15, true);
  EXPECT_EQ(hex(reset.compress_message("Hello")), hex(first));
  EXPECT_EQ(hex(reset.compress_message("Hello")), hex(first));
}

TEST(DeflateExamples, OtherBlockForms) {
  struct example {
    const char* what;
    std::string payload;
  };
  const example examples[] = {
      // §7.2.3.3: a stored (uncompressed) block.
      {"stored", bytes({0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00})},
      // §7.2.3.4: a block with BFINAL set.
      {"bfinal", bytes({0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00})},
      // §7.2.3.5: two blocks in one message.
      {"two blocks",
       bytes({0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca, 0xc9, 0xc9, 0x07, 0x00})},
  };
  for (const example& e : examples) {
    ws::message_inflater i;
    std::string out;
    ASSERT_EQ(i.inflate_message(e.payload, out), inflate_error::none) << e.what;
    EXPECT_EQ(out, "Hello") << e.what;
    // The inflater is still usable for the next message.
    out.clear();
    ASSERT_EQ(i.inflate_message(bytes({0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}), out),
              inflate_error::none)
        << e.what;
    EXPECT_EQ(out, "Hello") << e.what;
  }
  // §7.2.3.6: an empty message is the single byte 00.
  ws::message_deflater d;
  EXPECT_EQ(hex(d.compress_message("")), "00");
  ws::message_inflater i;
  std::string out;
  EXPECT_EQ(i.inflate_message(bytes({0x00}), out), inflate_error::none);
  EXPECT_EQ(out, "");
  // An empty message right after another one is still "00" (zlib alone
  // would emit nothing there), and the receiver stays in step.
  ws::message_deflater again;
  ws::message_inflater receiver;
  for (std::string_view m : {"Hello", "", "", "x", ""}) {
    const std::string c = again.compress_message(m);
    if (m.empty()) {
      EXPECT_EQ(hex(c), "00");
    }
    std::string got;
    ASSERT_EQ(receiver.inflate_message(c, got), inflate_error::none) << m;
    EXPECT_EQ(got, m);
  }
  // A zero-length payload is accepted too (the tail alone is a valid block).
  EXPECT_EQ(i.inflate_message("", out), inflate_error::none);
  EXPECT_EQ(out, "");
}

// ---------------------------------------------------------- round trips ---

std::string sample_text(std::size_t size, unsigned seed) {
  // Words from a small vocabulary, with a random block repeated at distances
  // of several hundred bytes: matches both near and beyond small windows.
  static const char* words[] = {"deflate ", "window ", "context ", "takeover ", "message ",
                                "frame ",   "server ", "client ",  "payload ",  "\n"};
  std::mt19937 rng(seed);
  std::string block;
  for (int k = 0; k < 300; ++k) block += static_cast<char>(rng() & 0xff);
  std::string out;
  while (out.size() < size) {
    if (rng() % 40 == 0) {
      out += block;
    } else {
      out += words[rng() % 10];
    }
  }
  out.resize(size);
  return out;
}

TEST(DeflateRoundTrip, EveryWindowWithAndWithoutContextTakeover) {
  const std::vector<std::string> messages = {
      sample_text(5000, 1), sample_text(5000, 1), sample_text(70000, 2), "", "x",
      sample_text(40000, 3)};
  for (int bits = 8; bits <= 15; ++bits) {
    for (bool no_context : {false, true}) {
      ws::message_deflater d(bits, no_context);
      EXPECT_EQ(d.window_bits(), bits == 8 ? 9 : bits);
      // The receiver uses exactly the negotiated window: an over-long
      // back-reference would be corrupt data.
      ws::message_inflater i(bits, no_context);
      std::vector<std::string> compressed;
      for (const std::string& m : messages) {
        compressed.push_back(d.compress_message(m));
        std::string out;
        ASSERT_EQ(i.inflate_message(compressed.back(), out), inflate_error::none)
            << bits << " " << no_context;
        ASSERT_EQ(out, m) << bits << " " << no_context;
      }
      // The first two messages are equal. Without context takeover the
      // second compresses to the same bytes; with it, and a window that
      // reaches back over the first (5000 bytes), it refers to the first
      // and is much smaller.
      if (no_context) {
        EXPECT_EQ(compressed[0], compressed[1]);
      } else if (bits >= 13) {
        EXPECT_LT(compressed[1].size() * 4, compressed[0].size()) << bits;
      }
      EXPECT_LT(compressed[2].size() * 4, messages[2].size() * 3) << bits;
    }
  }
}

TEST(DeflateRoundTrip, EightBitWindowIsHonoured) {
  // Repeats 300 bytes back (beyond an 8-bit window) and 200 bytes back
  // (within it). zlib's inflate only checks distances against the window
  // for output of earlier calls, so the receiver is fed one byte per call:
  // every reference then goes through its 256-byte window.
  std::mt19937 rng(11);
  std::string far_block, near_block;
  for (int k = 0; k < 300; ++k) far_block += static_cast<char>(rng() & 0xff);
  for (int k = 0; k < 200; ++k) near_block += static_cast<char>(rng() & 0xff);
  std::string m;
  for (int k = 0; k < 20; ++k) m += (k % 3 == 0) ? near_block + near_block : far_block;

  auto inflate_bytewise = [&](const std::string& c, std::string& out) {
    ws::message_inflater i(8);
    inflate_error e = inflate_error::none;
    for (std::size_t at = 0; at < c.size() && e == inflate_error::none; ++at)
      e = i.inflate(std::string_view(c).substr(at, 1), at + 1 == c.size(), out);
    return e;
  };
  // Asked for 8 bits, the compressor uses zlib's 9 (it refuses 8 for raw
  // deflate), whose matches never reach further than 250 bytes.
  const std::string c8 = ws::message_deflater(8).compress_message(m);
  std::string out;
  ASSERT_EQ(inflate_bytewise(c8, out), inflate_error::none);
  EXPECT_EQ(out, m);
  EXPECT_LT(c8.size(), m.size());  // the near repeats were still found
  // The check has teeth: a 10-bit sender's 300-byte matches are refused.
  std::string too_far;
  EXPECT_EQ(inflate_bytewise(ws::message_deflater(10).compress_message(m), too_far),
            inflate_error::corrupt_data);
}

TEST(DeflateRoundTrip, StreamPairsServerAndClientParameters) {
  const ws::deflate_params p{.server_no_context_takeover = true,
                             .client_no_context_takeover = false,
                             .server_max_window_bits = 9,
                             .client_max_window_bits = 12};
  auto server = ws::deflate_stream::for_server(p);
  auto client = ws::deflate_stream::for_client(p);
  EXPECT_EQ(server.sender().window_bits(), 9);
  EXPECT_EQ(client.sender().window_bits(), 12);
  for (int n = 0; n < 4; ++n) {
    const std::string m = sample_text(3000 + static_cast<std::size_t>(n), 7);
    std::string at_client, at_server;
    ASSERT_EQ(client.receiver().inflate_message(server.sender().compress_message(m), at_client),
              inflate_error::none);
    ASSERT_EQ(server.receiver().inflate_message(client.sender().compress_message(m), at_server),
              inflate_error::none);
    EXPECT_EQ(at_client, m);
    EXPECT_EQ(at_server, m);
  }
}

// -------------------------------------------------------- pieces vs whole ---

TEST(DeflateIncremental, CompressInPiecesGivesTheSameBytes) {
  const std::string m = sample_text(50000, 4);
  ws::message_deflater whole;
  const std::string expected = whole.compress_message(m);
  for (std::size_t piece : {1u, 7u, 1000u, 16384u, 49999u}) {
    ws::message_deflater d;
    std::string out;
    for (std::size_t at = 0; at < m.size(); at += piece)
      d.compress(std::string_view(m).substr(at, piece), false, out);
    d.compress(std::string_view(), true, out);
    EXPECT_EQ(out, expected) << piece;
  }
}

TEST(DeflateIncremental, InflateInPiecesGivesTheSameResult) {
  ws::message_deflater d;
  const std::string m1 = sample_text(20000, 5), m2 = sample_text(20000, 6);
  const std::string c1 = d.compress_message(m1), c2 = d.compress_message(m2);
  // Split the first message at every index (two pieces), then pieces of 1..5.
  for (std::size_t split = 0; split <= c1.size(); ++split) {
    ws::message_inflater i;
    std::string out;
    ASSERT_EQ(i.inflate(std::string_view(c1).substr(0, split), false, out), inflate_error::none);
    ASSERT_EQ(i.inflate(std::string_view(c1).substr(split), true, out), inflate_error::none);
    ASSERT_EQ(out, m1) << split;
  }
  for (std::size_t piece = 1; piece <= 5; ++piece) {
    ws::message_inflater i;
    std::string out1, out2;
    for (std::size_t at = 0; at < c1.size(); at += piece)
      ASSERT_EQ(i.inflate(std::string_view(c1).substr(at, piece), false, out1),
                inflate_error::none);
    ASSERT_EQ(i.inflate("", true, out1), inflate_error::none);
    for (std::size_t at = 0; at < c2.size(); at += piece) {
      const bool last = at + piece >= c2.size();
      ASSERT_EQ(i.inflate(std::string_view(c2).substr(at, piece), last, out2), inflate_error::none);
    }
    EXPECT_EQ(out1, m1);
    EXPECT_EQ(out2, m2);  // the context carried over between messages
  }
}

// ------------------------------------------------------------ the limit ---

TEST(DeflateLimit, ExactlyTheLimitPassesOneMoreIsTooBig) {
  const std::string m = sample_text(10000, 8);
  ws::message_deflater d(15, true);
  const std::string c = d.compress_message(m);
  {
    ws::message_inflater i(15, false, m.size());
    std::string out;
    EXPECT_EQ(i.inflate_message(c, out), inflate_error::none);
    EXPECT_EQ(out, m);
    // The limit is per message: a second one of the same size also passes.
    out.clear();
    EXPECT_EQ(i.inflate_message(c, out), inflate_error::none);
  }
  {
    ws::message_inflater i(15, false, m.size() - 1);
    std::string out = "kept:";
    const auto e = i.inflate_message(c, out);
    EXPECT_EQ(e, inflate_error::message_too_big);
    EXPECT_EQ(ws::inflate_error_close_code(e), 1009);
    EXPECT_EQ(ws::inflate_error_name(e), "message_too_big");
    EXPECT_EQ(out.size(), 5 + m.size() - 1);  // never more than the limit
    EXPECT_EQ(out.substr(5), m.substr(0, m.size() - 1));
    // Terminal until reset.
    std::string more;
    EXPECT_EQ(i.inflate_message(ws::message_deflater().compress_message("x"), more),
              inflate_error::message_too_big);
    EXPECT_TRUE(more.empty());
    i.reset();
    EXPECT_EQ(i.inflate_message(ws::message_deflater().compress_message("x"), more),
              inflate_error::none);
    EXPECT_EQ(more, "x");
  }
}

TEST(DeflateLimit, BombStopsEarlyAcrossPieces) {
  // 64 MiB of zeros compress to about 64 KiB; with a 1 MiB limit the inflater
  // stops at the limit and never holds more.
  ws::message_deflater d;
  std::string c;
  const std::string zeros(1 << 20, '\0');
  for (int k = 0; k < 64; ++k) d.compress(zeros, k == 63, c);
  EXPECT_LT(c.size(), 100000u);
  ws::message_inflater i(15, false, 1 << 20);
  std::string out;
  inflate_error e = inflate_error::none;
  for (std::size_t at = 0; at < c.size() && e == inflate_error::none; at += 1000)
    e = i.inflate(std::string_view(c).substr(at, 1000), at + 1000 >= c.size(), out);
  EXPECT_EQ(e, inflate_error::message_too_big);
  EXPECT_EQ(out.size(), std::size_t{1} << 20);
}

TEST(DeflateLimit, ZeroLimitAllowsOnlyEmptyMessages) {
  ws::message_inflater i(15, false, 0);
  std::string out;
  EXPECT_EQ(i.inflate_message(bytes({0x00}), out), inflate_error::none);
  EXPECT_EQ(i.inflate_message(ws::message_deflater().compress_message("a"), out),
            inflate_error::message_too_big);
  EXPECT_TRUE(out.empty());
}

// ------------------------------------------------------------- corrupt ---

TEST(DeflateCorrupt, InvalidDataIs1007) {
  const std::string cases[] = {
      bytes({0xc2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00}),  // distance before the start
      bytes({0xff, 0xff, 0xff}),                          // reserved block type 11
      bytes({0x00, 0x05, 0x00, 0xfb, 0xff, 0x48}),        // stored LEN / NLEN mismatch
  };
  for (const std::string& c : cases) {
    ws::message_inflater i;
    std::string out;
    const auto e = i.inflate_message(c, out);
    EXPECT_EQ(e, inflate_error::corrupt_data) << hex(c);
    EXPECT_EQ(ws::inflate_error_close_code(e), 1007);
    // Terminal: later pieces report the same error.
    EXPECT_EQ(i.inflate("Hello", false, out), inflate_error::corrupt_data);
  }
}

}  // namespace
