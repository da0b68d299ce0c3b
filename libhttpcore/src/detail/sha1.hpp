// SHA-1 (FIPS 180-4), for the WebSocket handshake's Sec-WebSocket-Accept
// (RFC 6455 §4.2.2) only. SHA-1 is not collision resistant; the handshake uses
// it as a fixed transformation, not for security, so nothing else should.
// Our own implementation because the core depends on the standard library only.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace httpcore::detail {

using sha1_digest = std::array<std::uint8_t, 20>;

// Incremental: update() any number of times, then finish() once.
class sha1 {
 public:
  sha1() noexcept;
  void update(std::string_view bytes) noexcept;
  sha1_digest finish() noexcept;

 private:
  void compress_block(const std::uint8_t* block) noexcept;

  std::array<std::uint32_t, 5> state_;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// The digest of one whole input.
sha1_digest sha1_of(std::string_view bytes) noexcept;

}  // namespace httpcore::detail
