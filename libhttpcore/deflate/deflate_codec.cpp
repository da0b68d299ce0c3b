// The session's message_codec over ws::deflate_stream: one per connection,
// made when the handshake agreed on permessage-deflate.

#include "httpcore/server/deflate_codec.hpp"

#include <string>
#include <utility>

#include "httpcore/ws/deflate.hpp"

namespace httpcore::server {
namespace {

class deflate_codec final : public message_codec {
 public:
  explicit deflate_codec(ws::deflate_stream stream) : stream_(std::move(stream)) {}

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
    ws::inflate_error e = stream_.receiver().inflate(message, true, out);
    if (e == ws::inflate_error::message_too_big || out.size() > max_bytes)
      return inflate_status::too_big;
    return e == ws::inflate_error::none ? inflate_status::ok : inflate_status::corrupt;
  }

 private:
  ws::deflate_stream stream_;
};

}  // namespace

std::unique_ptr<message_codec> deflate_codec_factory::make(const ws::deflate_params& agreed) {
  return std::make_unique<deflate_codec>(
      ws::deflate_stream::for_server(agreed, max_message_bytes_, level_));
}

}  // namespace httpcore::server
