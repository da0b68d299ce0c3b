#pragma once
// The canvas in Redis (--redis): one string key read and written as a
// BITFIELD of 65,536 unsigned 4-bit fields, pixel i at #i (bits 4i..4i+3,
// the high nibble of byte i/2 for even i). Every instance on the same Redis
// shares it. Commands go through httpcore::redis::client (one connection on
// a thread of its own, replies in order): a set is BITFIELD SET, a snapshot
// GET of the whole key (32,768 bytes; shorter or missing: the rest is 0).

#include <string>

#include <httpcore/redis/redis_client.hpp>

#include "canvas_store.hpp"

namespace canvas {

class redis_store final : public canvas_store {
 public:
  /// `client` must outlive this store and every callback it runs.
  redis_store(httpcore::redis::client& client, std::string key);

  /// `done` runs on the client's thread, with the reason on failure.
  void snapshot(snapshot_done done) override;
  /// `done` runs on the client's thread once Redis has the pixel; the
  /// replies of one connection come in order, so do the callbacks.
  void set(pixel p, set_done done) override;
  /// Polls the client's link every 10 ms.
  bool wait_ready(std::chrono::milliseconds limit) override;

 private:
  httpcore::redis::client& client_;
  const std::string key_;
};

/// The 65,536 palette indices of a BITFIELD u4 string (at most 32,768 bytes).
std::string unpack_nibbles(std::string_view packed);

}  // namespace canvas
