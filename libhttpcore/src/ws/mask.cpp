// The masking transform (RFC 6455 §5.3): byte i of a payload is XORed with
// key[i % 4]. Done a 64-bit word at a time with the key rotated to the
// starting offset, so that payloads split anywhere unmask the same.

#include <cstring>

#include "httpcore/ws/frame.hpp"

namespace httpcore::ws {

void apply_mask(std::span<std::byte> bytes, const masking_key& key, std::uint64_t offset) noexcept {
  std::byte* p = bytes.data();
  std::size_t n = bytes.size();
  std::size_t phase = static_cast<std::size_t>(offset & 3);
  // Head: byte by byte until p is 8-byte aligned, so the word loop does
  // aligned loads (memcpy keeps it well-defined either way).
  while (n > 0 && (reinterpret_cast<std::uintptr_t>(p) & 7) != 0) {
    *p++ ^= key[phase];
    phase = (phase + 1) & 3;
    --n;
  }
  if (n >= 8) {
    // The key as it lines up with the next 8 bytes in memory order.
    std::byte rotated[8];
    for (std::size_t i = 0; i < 8; ++i) rotated[i] = key[(phase + i) & 3];
    std::uint64_t word_key;
    std::memcpy(&word_key, rotated, 8);
    for (; n >= 8; n -= 8, p += 8) {  // 8 is a multiple of 4: the phase stays
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      w ^= word_key;
      std::memcpy(p, &w, 8);
    }
  }
  for (; n > 0; --n) {
    *p++ ^= key[phase];
    phase = (phase + 1) & 3;
  }
}

}  // namespace httpcore::ws
