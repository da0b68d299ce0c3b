#pragma once
/// \file
/// permessage-deflate (RFC 7692 §7.2): compressing and decompressing message
/// payloads with raw DEFLATE. Target httpcore::ws_deflate (links zlib), kept
/// apart from httpcore::core so that the core needs only the standard library.
/// zlib is not visible here: its state lives behind a pointer.
///
/// Both directions work on a whole message or on pieces of it, so a server can
/// inflate payload as frames arrive and a sender can compress as it produces.
/// Output is appended to a caller-owned std::string.
///
/// Window bits: RFC 7692 allows 8..15, but zlib refuses windowBits 8 for raw
/// deflate (deflateInit2 returns Z_STREAM_ERROR since 1.2.9). A compressor
/// asked for 8 uses 9 instead. That stays within an 8-bit window: zlib never
/// emits a distance beyond its window size minus MIN_LOOKAHEAD (262 bytes),
/// so at 9 bits no match reaches further back than 250 bytes, fewer than the
/// 256 an 8-bit window holds. (zlib itself does the same for its 8-bit zlib
/// format.) Inflating with 8 is supported by zlib as is.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "httpcore/ws/deflate_params.hpp"

namespace httpcore::ws {

/// Why an inflate failed. Every failure ends the connection.
enum class inflate_error : std::uint8_t {
  none,
  /// The message inflates to more than the limit: close code 1009 (Message
  /// Too Big, RFC 6455 §7.4.1). The output holds at most the limit.
  message_too_big,
  /// Not valid DEFLATE data: close code 1007. RFC 7692 gives no code for it
  /// (it only requires failing the connection); 1002 is for violations of
  /// the framing protocol, while here every frame was well-formed and it is
  /// the payload that does not match what the message claims to be
  /// (compressed), the same situation as a text message that is not UTF-8,
  /// which RFC 6455 §8.1 answers with 1007.
  corrupt_data,
  /// zlib could not allocate its state: close code 1011 (internal error).
  out_of_memory,
};

/// Stable name, e.g. "message_too_big".
std::string_view inflate_error_name(inflate_error e) noexcept;
/// The same name, as to_string() gives it for every other public enum (httpcore/to_string.hpp).
inline std::string_view to_string(inflate_error e) noexcept {
  return inflate_error_name(e);
}
/// The close code to fail the connection with (0 for none).
std::uint16_t inflate_error_close_code(inflate_error e) noexcept;

/// Compresses the messages of one direction (RFC 7692 §7.2.1).
class message_deflater {
 public:
  /// `window_bits` 8..15 (8 is taken as 9, see above); `no_context_takeover`
  /// resets the compressor after every message; `level` is zlib's 0..9.
  explicit message_deflater(int window_bits = 15, bool no_context_takeover = false, int level = 6);
  ~message_deflater();
  message_deflater(message_deflater&&) noexcept;
  message_deflater& operator=(message_deflater&&) noexcept;

  /// Appends the compressed form of `piece` to `out`. Pieces of one message
  /// are given in order, the last one with `last` set (it may be empty).
  /// Before the last piece the output may be empty (zlib buffers); the last
  /// call flushes, and drops the 00 00 ff ff that the flush ends with
  /// (§7.2.1), so the concatenated output of a message is its payload.
  /// Throws std::bad_alloc when memory runs out.
  void compress(std::span<const std::byte> piece, bool last, std::string& out);
  void compress(std::string_view piece, bool last, std::string& out);

  /// The whole message in one call.
  std::string compress_message(std::string_view message);

  int window_bits() const noexcept;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

/// Decompresses the messages of one direction (RFC 7692 §7.2.2), with a limit
/// on each message's inflated size.
class message_inflater {
 public:
  /// `window_bits` is the sender's window (8..15); `no_context_takeover`
  /// resets after every message (the sender does not refer back to earlier
  /// messages, so the window need not be kept). `max_message_bytes` bounds
  /// the inflated size of one message.
  explicit message_inflater(int window_bits = 15, bool no_context_takeover = false,
                            std::uint64_t max_message_bytes = 16u << 20);
  ~message_inflater();
  message_inflater(message_inflater&&) noexcept;
  message_inflater& operator=(message_inflater&&) noexcept;

  /// Appends the inflated form of `piece` (payload bytes of a compressed
  /// message, in order) to `out`; `last` for the message's final piece, after
  /// which the 00 00 ff ff the sender removed is put back. A message may also
  /// end its DEFLATE stream with a BFINAL block (§7.2.3.4): what follows then
  /// starts a new stream. An error is terminal until reset().
  inflate_error inflate(std::span<const std::byte> piece, bool last, std::string& out);
  inflate_error inflate(std::string_view piece, bool last, std::string& out);

  /// The whole message in one call.
  inflate_error inflate_message(std::string_view payload, std::string& out);

  /// Forgets the window and any error: a fresh inflater.
  void reset();

  std::uint64_t max_message_bytes() const noexcept;

 private:
  struct state;
  std::unique_ptr<state> state_;
};

/// Both directions of one connection, set up from the agreed parameters for
/// one role: the server compresses with the server_* parameters and inflates
/// with the client_* ones; the client the other way round.
class deflate_stream {
 public:
  static deflate_stream for_server(const deflate_params& params,
                                   std::uint64_t max_message_bytes = 16u << 20, int level = 6);
  static deflate_stream for_client(const deflate_params& params,
                                   std::uint64_t max_message_bytes = 16u << 20, int level = 6);

  message_deflater& sender() noexcept { return deflater_; }
  message_inflater& receiver() noexcept { return inflater_; }

 private:
  deflate_stream(message_deflater d, message_inflater i)
      : deflater_(std::move(d)), inflater_(std::move(i)) {}
  message_deflater deflater_;
  message_inflater inflater_;
};

}  // namespace httpcore::ws
