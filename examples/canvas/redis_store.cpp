#include "redis_store.hpp"

#include <thread>

namespace canvas {

namespace redis = httpcore::redis;

namespace {
std::string why(const redis::result& r) {
  return r.message.empty() ? std::string(redis::to_string(r.error)) : r.message;
}
}  // namespace

std::string unpack_nibbles(std::string_view packed) {
  std::string canvas(pixels, '\0');
  for (std::size_t i = 0; i < packed.size() && 2 * i + 1 < pixels; ++i) {
    const auto byte = static_cast<unsigned char>(packed[i]);
    canvas[2 * i] = static_cast<char>(byte >> 4);
    canvas[2 * i + 1] = static_cast<char>(byte & 0x0f);
  }
  return canvas;
}

redis_store::redis_store(redis::client& client, std::string key)
    : client_(client), key_(std::move(key)) {}

void redis_store::snapshot(snapshot_done done) {
  client_.command({"GET", key_}, [done = std::move(done)](redis::result r) {
    if (!r.ok()) return done(nullptr, why(r));
    if (r.value.type != redis::reply::kind::string && r.value.type != redis::reply::kind::nil) {
      return done(nullptr, "the canvas key holds no string");
    }
    if (r.value.str.size() > pixels / 2) return done(nullptr, "the canvas key is too long");
    const std::string canvas = unpack_nibbles(r.value.str);
    done(&canvas, {});
  });
}

void redis_store::set(pixel p, set_done done) {
  // "#i": the i-th 4-bit field. (Appended, not "#" + ...: gcc 12 at -O3 warns
  // -Wrestrict about that operator+ on a temporary, a known false positive.)
  std::string field = "#";
  field += std::to_string(p.index());
  client_.command(
      {"BITFIELD", key_, "SET", "u4", field, std::to_string(p.c)},
      [done = std::move(done)](redis::result r) { done(r.ok() ? std::string() : why(r)); });
}

bool redis_store::wait_ready(std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!client_.stats().connected) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace canvas
