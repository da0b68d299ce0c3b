// The session's message_codec over ws::deflate_stream: one per connection,
// made when the handshake agreed on permessage-deflate.

#include "httpcore/server/deflate_codec.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "httpcore/ws/deflate.hpp"

namespace httpcore::server {
namespace {

// DEFLATE's densest code: one input byte gives at most 1032 output bytes (a
// 258-byte match per 2 bits, less block overhead), the bound zlib uses too.
constexpr std::uint64_t kMaxRatio = 1032;

class deflate_codec final : public message_codec {
 public:
  deflate_codec(ws::deflate_stream stream, std::shared_ptr<inflate_budget> budget)
      : stream_(std::move(stream)), budget_(std::move(budget)) {}
  ~deflate_codec() override {
    if (budget_) budget_->give(taken_);
  }
  deflate_codec(const deflate_codec&) = delete;
  deflate_codec& operator=(const deflate_codec&) = delete;

  bool compress(std::span<const std::byte> message, std::string& out) override {
    out.clear();
    stream_.sender().compress(message, true, out);
    // An empty message must still carry a DEFLATE block (RFC 7692 §7.2.3.6:
    // the single byte 0x00); a deflater that gives nothing leaves the peer's
    // inflater reading the appended 00 00 ff ff as a broken stored block.
    if (out.empty()) out.push_back('\0');
    return true;
  }

  inflate_status inflate(std::span<const std::byte> message, std::string& out,
                         std::uint64_t max_bytes) override {
    out.clear();
    // The most this input can inflate to is taken from the budget first (see
    // inflate_budget), and the buffer is made that large at once: pages are
    // not resident until written, and it never has to be copied to grow
    // (which would hold the old and the new one together).
    std::uint64_t most = std::min<std::uint64_t>(max_bytes + 1, message.size() * kMaxRatio + 64);
    if (!reserve(most)) return inflate_status::busy;
    if (most > out.capacity()) out.reserve(static_cast<std::size_t>(most));
    ws::inflate_error e = stream_.receiver().inflate(message, true, out);
    if (e == ws::inflate_error::message_too_big || out.size() > max_bytes)
      return inflate_status::too_big;
    return e == ws::inflate_error::none ? inflate_status::ok : inflate_status::corrupt;
  }

  void release(std::string& out) noexcept override {
    message_codec::release(out);
    if (budget_) budget_->give(taken_);
    taken_ = 0;
  }

 private:
  // Holds `bytes` of the budget for the message, or says it cannot.
  bool reserve(std::uint64_t bytes) noexcept {
    if (!budget_ || taken_ >= bytes) return true;
    if (!budget_->take(bytes - taken_)) return false;
    taken_ = bytes;
    return true;
  }

  ws::deflate_stream stream_;
  std::shared_ptr<inflate_budget> budget_;
  std::uint64_t taken_ = 0;  // of the budget, for the message being inflated
};

}  // namespace

bool inflate_budget::take(std::uint64_t bytes) noexcept {
  std::uint64_t left = left_.load(std::memory_order_relaxed);
  do {
    if (left < bytes) return false;
  } while (!left_.compare_exchange_weak(left, left - bytes, std::memory_order_relaxed));
  return true;
}

void inflate_budget::give(std::uint64_t bytes) noexcept {
  left_.fetch_add(bytes, std::memory_order_relaxed);
}

std::unique_ptr<message_codec> deflate_codec_factory::make(const ws::deflate_params& agreed) {
  return std::make_unique<deflate_codec>(
      ws::deflate_stream::for_server(agreed, max_message_bytes_, level_), budget_);
}

}  // namespace httpcore::server
